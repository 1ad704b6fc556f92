# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社会工作者职业资格考试 (R-7.3.5, §7.3.5): who of an organization registered for which exam
level and year, the result, and the support the center gave (study materials, pre-exam
training, fee subsidy).

A DocType scoped by organization rather than a child table of Organization Member: the
records are the center's (it gives the support), a person may sit several levels and years,
and the center lists them across organizations; the organization's representative reads its
own. The organization's figures appear in its compliance section
(``shuangfuhua_app.incubation.compliance``)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.support import check_exam_record


class SocialWorkExamRecord(Document):
    def validate(self):
        member_org = frappe.db.get_value("Organization Member", self.member, "organization")
        if member_org != self.organization:
            frappe.throw(_("{0} is not a member of this organization").format(self.member_name or self.member))
        if not self.fee_subsidy:
            self.subsidy_amount = 0
        if message := check_exam_record(self.exam_level, self.exam_result, self.fee_subsidy, self.subsidy_amount):
            throw(message)
