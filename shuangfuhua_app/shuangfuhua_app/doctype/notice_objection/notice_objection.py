# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""公示异议 — an objection lodged during the notice period (R-6.3, R-6.4)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, getdate, now_datetime

from shuangfuhua_app.admission import process_notice
from shuangfuhua_app.exceptions import NoticePeriodError, throw
from shuangfuhua_app.standard.admission import objection_window_open
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.utils import format_cn_date


class NoticeObjection(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        application: DF.Link | None
        channel: DF.Literal["Website", "In Person", "Phone", "Letter"]
        contact_email: DF.Data | None
        contact_phone: DF.Data
        content: DF.SmallText
        handled_by: DF.Link | None
        handled_on: DF.Datetime | None
        handling_note: DF.SmallText | None
        objector_name: DF.Data
        org_name: DF.Data | None
        public_notice: DF.Link
        received_on: DF.Datetime
        service_center: DF.Link | None
        status: DF.Literal["Pending", "Upheld", "Dismissed"]
    # end: auto-generated types
    def validate(self):
        notice = frappe.db.get_value(
            "Public Notice", self.public_notice, ["docstatus", "start_date", "end_date", "service_center"], as_dict=True
        )
        self.validate_window(notice)
        self.validate_application()
        self.record_handling()

    def on_update(self):
        if self.has_value_changed("status"):
            process_notice(self.public_notice)

    def validate_window(self, notice):
        """R-6.3: anyone may object while the notice is open."""
        if notice.docstatus != 1:
            throw(_("This notice has not been published.") + cite("6.3"), NoticePeriodError)
        received = getdate(get_datetime(self.received_on or now_datetime()))
        if self.is_new() and not objection_window_open(notice.start_date, notice.end_date, received):
            throw(
                _("Objections are accepted only during the notice period, {0} to {1}.").format(
                    format_cn_date(notice.start_date), format_cn_date(notice.end_date)
                )
                + cite("6.3"),
                NoticePeriodError,
            )
        self.service_center = notice.service_center

    def validate_application(self):
        if self.application and not frappe.db.exists(
            "Public Notice Item", {"parent": self.public_notice, "application": self.application}
        ):
            frappe.throw(_("{0} is not on this notice").format(self.application))

    def record_handling(self):
        if not self.has_value_changed("status") or self.status == "Pending":
            return
        if not self.handling_note:
            frappe.throw(_("Please record how the objection was verified and handled."))
        if self.status == "Upheld" and not self.application:
            frappe.throw(_("An upheld objection must name the application it concerns."))
        self.handled_by, self.handled_on = frappe.session.user, now_datetime()
