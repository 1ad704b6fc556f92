# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""整改措施 — a corrective action of the center (R-9, §9): the problem found, the measure,
one responsible user and a due date; reminded once when overdue (per due date)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.improvement import check_corrective_action


class CorrectiveAction(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        action: DF.SmallText
        action_status: DF.Literal["Open", "In Progress", "Completed", "Cancelled"]
        completed_on: DF.Date | None
        due_date: DF.Date
        organization: DF.Link | None
        owner_user: DF.Link
        problem: DF.SmallText
        raised_on: DF.Date
        result: DF.SmallText | None
        service_center: DF.Link
        service_feedback: DF.Link | None
        source: DF.Literal["Feedback or Complaint", "Yearly Review", "Periodic Evaluation", "Mentoring Visit", "Other"]
    # end: auto-generated types
    def validate(self):
        if self.service_feedback:
            fb = frappe.db.get_value("Service Feedback", self.service_feedback, ["service_center", "organization"], as_dict=True)
            if fb and fb.service_center != self.service_center:
                throw(_("The feedback {0} belongs to another service center").format(self.service_feedback))
            self.organization = self.organization or (fb.organization if fb else None)
        if self.organization:
            center = frappe.db.get_value("Community Social Organization", self.organization, "service_center")
            if center != self.service_center:
                throw(_("The organization {0} belongs to another service center").format(self.organization))
        message = check_corrective_action(
            self.action, self.owner_user, self.due_date, self.raised_on, self.action_status, self.completed_on, self.result
        )
        if message:
            throw(message)
