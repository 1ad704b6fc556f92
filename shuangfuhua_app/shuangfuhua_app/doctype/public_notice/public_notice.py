# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻名单公示 — the public notice of the admitted list (R-6.3)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from shuangfuhua_app.admission import IN_NOTICE, move, process_notice
from shuangfuhua_app.exceptions import NoticePeriodError, StandardRuleError, throw
from shuangfuhua_app.standard.admission import check_notice_period
from shuangfuhua_app.utils import get_standard_settings, get_work_calendar, nth_working_day

APPLICATION = "Incubation Application"


class PublicNotice(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.public_notice_item.public_notice_item import PublicNoticeItem

        amended_from: DF.Link | None
        contact_info: DF.SmallText | None
        end_date: DF.Date | None
        items: DF.Table[PublicNoticeItem]
        notice_status: DF.Literal["Draft", "Upcoming", "Open", "Ended", "Processed", "Cancelled"]
        notice_text: DF.TextEditor | None
        processed_on: DF.Datetime | None
        published_on: DF.Datetime | None
        service_center: DF.Link
        start_date: DF.Date
        title: DF.Data
        working_days: DF.Int
    # end: auto-generated types
    def validate(self):
        self.compute_end_date()
        self.validate_items()
        if self.docstatus == 0:
            self.notice_status = "Draft"

    def before_submit(self):
        self.validate_items(publishing=True)
        # R-LIST ([LW2021] 四（一）4、四（二）3): when the settings switch the Lingwu chain on, only
        # applications on an admission list the leading group office approved are noticed
        from shuangfuhua_app.oversight import check_applications_listed

        check_applications_listed([item.application for item in self.items])
        self.published_on = now_datetime()

    def on_submit(self):
        for item in self.items:
            item.db_set("outcome", "Pending", update_modified=False)
            frappe.db.set_value(
                APPLICATION,
                item.application,
                {
                    "public_notice": self.name,
                    "notice_start_date": self.start_date,
                    "notice_end_date": self.end_date,
                    "notice_result": "Pending",
                },
                update_modified=False,
            )
            move(item.application, IN_NOTICE)  # the site workflow's transition, whatever its action's name
        process_notice(self.name)

    def on_cancel(self):
        if any(item.outcome in ("Admitted", "Objection Upheld") for item in self.items):
            frappe.throw(_("The results of this notice have been processed; it can no longer be withdrawn."))
        for item in self.items:
            app = frappe.get_doc(APPLICATION, item.application)
            app.db_set(
                {"workflow_state": "Recommended", "public_notice": None, "notice_start_date": None,
                 "notice_end_date": None, "notice_result": None}
            )
            app.add_comment("Workflow", _("Notice {0} withdrawn").format(self.name))
        self.db_set("notice_status", "Cancelled")

    def compute_end_date(self):
        """R-6.3: the end date is computed from the working-day calendar, never typed, and
        the period may not be shorter than the settings (which default to the standard)."""
        settings = get_standard_settings()
        if not self.working_days:
            self.working_days = settings.notice_working_days
        self.end_date = nth_working_day(self.start_date, int(self.working_days))
        finding = check_notice_period(get_work_calendar(), self.start_date, self.end_date, settings)
        if not finding.ok:
            throw(finding.message, NoticePeriodError)

    def validate_items(self, publishing: bool = False):
        seen = set()
        for item in self.items:
            if item.application in seen:
                frappe.throw(_("Row {0}: {1} is listed twice").format(item.idx, item.application))
            seen.add(item.application)
            state, center = frappe.db.get_value(APPLICATION, item.application, ["workflow_state", "service_center"])
            if center != self.service_center:
                frappe.throw(_("Row {0}: {1} belongs to another service center").format(item.idx, item.application))
            if publishing and state != "Recommended":
                throw(
                    _("Row {0}: only applications the panel recommended can be publicly noticed (DB3301/T 0346—2021 §6.3).")
                    .format(item.idx),
                    StandardRuleError,
                )
