# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""跟踪服务 — follow-up service after exit (R-8.2, §8.2): at least the settings' months
(12), at most their maximum ([LW2021]: one to two years), from the day the exit result was
finally confirmed; service records of brand building (§8.2.2), resource linking to experts,
social workers and volunteer teams (§8.2.3) and joint service and supervision with the
competent departments (§8.2.4). Created by the app; reminded before it ends."""

from __future__ import annotations

from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.exit import check_follow_up_period, check_follow_up_record, follow_up_coverage_finding
from shuangfuhua_app.utils import get_standard_settings, today


class FollowUpService(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.follow_up_service_record.follow_up_service_record import FollowUpServiceRecord

        coverage: DF.SmallText | None
        end_date: DF.Date
        exit_assessment: DF.Link | None
        incubation_agreement: DF.Link | None
        level: DF.Literal["", "Not Up to Standard", "Up to Standard", "Good", "Excellent"]
        org_name: DF.Data | None
        organization: DF.Link
        records: DF.Table[FollowUpServiceRecord]
        service_center: DF.Link | None
        service_status: DF.Literal["Active", "Ended"]
        start_date: DF.Date | None
    # end: auto-generated types
    def validate(self):
        if self.is_new() and not self.exit_assessment:
            throw(_("A follow-up service follows an exit assessment that was finally confirmed (DB3301/T 0346—2021 §8.2)."))
        if not self.is_new():
            before = self.get_doc_before_save()
            for field in ("organization", "exit_assessment", "incubation_agreement", "start_date", "level"):
                if str(before.get(field) or "") != str(self.get(field) or ""):
                    throw(_("{0} is set by the exit assessment and cannot be changed.").format(_(self.meta.get_label(field))))
        finding = check_follow_up_period(self.start_date, self.end_date, get_standard_settings())
        if not finding.ok:
            throw(finding.message)
        for row in self.records:
            if message := check_follow_up_record(row.service_type, row.resource_kind):
                throw(_("Row {0}: {1}").format(row.idx, message))
            if row.service_type != "Resource Linking":
                row.resource_kind = None
        coverage = follow_up_coverage_finding([r.service_type for r in self.records])
        self.coverage = ("" if coverage.ok else "⚠ ") + coverage.message
        self.service_status = "Ended" if getdate(self.end_date) < today() else "Active"
