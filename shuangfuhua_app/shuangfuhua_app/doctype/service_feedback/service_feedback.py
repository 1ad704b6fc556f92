# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""服务反馈 — satisfaction evaluations, complaints and suggestions of organizations about
the center's service (R-9, §9), from Desk or from the portal. The center answers; a
complaint is closed only with its answer. Problems become corrective actions."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.improvement import check_feedback, check_feedback_closing
from shuangfuhua_app.utils import today

STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}


class ServiceFeedback(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        channel: DF.Literal["Desk", "Portal"]
        content: DF.SmallText | None
        feedback_date: DF.Date | None
        feedback_status: DF.Literal["Open", "In Progress", "Resolved", "Closed"]
        feedback_type: DF.Literal["Satisfaction", "Complaint", "Suggestion"]
        org_name: DF.Data | None
        organization: DF.Link
        rating: DF.Literal["", "Very Satisfied", "Satisfied", "Fairly Satisfied", "Dissatisfied", "Very Dissatisfied"]
        responded_by: DF.Link | None
        responded_on: DF.Date | None
        response: DF.SmallText | None
        service_center: DF.Link | None
        subject: DF.Data | None
        submitted_by: DF.Link | None
    # end: auto-generated types
    def validate(self):
        staff = bool(STAFF_ROLES & set(frappe.get_roles()))
        if self.is_new():
            self.channel = "Desk" if staff else "Portal"
            self.submitted_by = frappe.session.user
            self.feedback_date = self.feedback_date or today()
        elif not staff:
            before = self.get_doc_before_save()
            if before.feedback_status != "Open" or (before.response or "").strip():
                throw(_("The center is handling this feedback; it can no longer be changed."), frappe.PermissionError)
        if message := check_feedback(self.feedback_type, self.rating, self.content):
            throw(message)
        if self.feedback_type != "Satisfaction":
            self.rating = None
        if message := check_feedback_closing(self.feedback_type, self.feedback_status, self.response):
            throw(message)
        before = None if self.is_new() else self.get_doc_before_save()
        if (self.response or "").strip() and (before is None or (before.response or "") != self.response):
            self.responded_by, self.responded_on = frappe.session.user, today()
