# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""年度服务回顾 — the center's yearly review of its own service (R-9, §9 持续改进): feedback,
complaints and how they were handled, the corrective actions (listed), the exit results of
the year; the center's conclusions and its plan. Figures refresh on every save of the draft
and are frozen when the review is submitted."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.improvement import yearly_review
from shuangfuhua_app.standard.improvement import action_overdue, review_finding
from shuangfuhua_app.utils import today


class CenterAnnualReview(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.center_review_action.center_review_action import CenterReviewAction

        action_count: DF.Int
        actions: DF.Table[CenterReviewAction]
        actions_completed: DF.Int
        actions_overdue: DF.Int
        amended_from: DF.Link | None
        average_rating: DF.Float
        complaint_count: DF.Int
        complaints_handled: DF.Int
        conclusions: DF.TextEditor | None
        exits_excellent: DF.Int
        exits_fail: DF.Int
        exits_good: DF.Int
        exits_pass: DF.Int
        figures_as_of: DF.Date | None
        finding: DF.SmallText | None
        improvement_plan: DF.TextEditor | None
        review_year: DF.Int
        reviewed_on: DF.Date | None
        satisfaction_count: DF.Int
        service_center: DF.Link
        suggestion_count: DF.Int
        summary: DF.SmallText | None
    # end: auto-generated types
    def validate(self):
        other = frappe.db.exists(
            self.doctype,
            {"service_center": self.service_center, "review_year": self.review_year, "docstatus": ("<", 2),
             "name": ("!=", self.name)},
        )
        if other:
            throw(_("The center already has a review of {0}: {1}").format(self.review_year, other))
        self.refresh_figures()

    def refresh_figures(self):
        as_of = today()
        s = yearly_review(self.service_center, int(self.review_year), as_of)
        self.figures_as_of = as_of
        self.satisfaction_count = s["feedback"]["Satisfaction"]
        self.suggestion_count = s["feedback"]["Suggestion"]
        self.average_rating = s["average_rating"] or 0
        self.complaint_count, self.complaints_handled = s["complaints"], s["complaints_handled"]
        self.action_count, self.actions_completed = s["actions"], s["actions_completed"]
        self.actions_overdue = s["actions_overdue"]
        values = s["exit_values"]
        self.exits_excellent = values.count("Excellent")
        self.exits_good = values.count("Good")
        self.exits_pass = values.count("Up to Standard")
        self.exits_fail = values.count("Not Up to Standard")
        self.summary = s["message"]
        self.finding = review_finding(s).message
        self.set("actions", [
            {"corrective_action": r["name"], "problem": r["problem"], "action": r["action"], "owner_user": r["owner_user"],
             "due_date": r["due_date"], "action_status": r["action_status"], "completed_on": r["completed_on"],
             "overdue": int(action_overdue(r["due_date"], r["action_status"], as_of))}
            for r in s["action_rows"]
        ])
