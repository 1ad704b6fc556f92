# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""评审打分 — one panel member's scores and recommendation (R-6.2.1, R-6.2.2)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import InitialReviewGateError, StandardRuleError, throw
from shuangfuhua_app.standard.admission import can_enter_panel_review, score_errors, weighted_score
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.shuangfuhua_app.doctype.review_template.review_template import template_criteria


class ApplicationReview(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.application_review_score.application_review_score import ApplicationReviewScore

        amended_from: DF.Link | None
        application: DF.Link
        comments: DF.SmallText | None
        org_name: DF.Data | None
        recommendation: DF.Literal["Admit", "Reject", "Revise"]
        review_panel: DF.Link | None
        review_template: DF.Link
        reviewer: DF.Link | None
        reviewer_category: DF.Literal["Township Leader", "Township Department", "Community Head", "Center Head", "Expert"]
        reviewer_name: DF.Data | None
        scores: DF.Table[ApplicationReviewScore]
        service_center: DF.Link | None
        total_score: DF.Float
    # end: auto-generated types
    def validate(self):
        app = frappe.get_doc("Incubation Application", self.application)
        self.validate_stage(app)
        self.set_reviewer(app)
        self.validate_unique()
        self.fill_scores()
        self.compute_total(strict=False)

    def before_submit(self):
        self.compute_total(strict=True)

    def on_submit(self):
        self.update_application()

    def on_cancel(self):
        self.update_application()

    def validate_stage(self, app):
        """R-6.2.1 gate: only applications in panel review, i.e. past the initial review."""
        if app.workflow_state != "Panel Review":
            finding = can_enter_panel_review(app.initial_review_result == "Passed")
            message = finding.message if not finding.ok else _(
                "This application is not in panel review (DB3301/T 0346—2021 §6.2.1)."
            )
            throw(message, InitialReviewGateError)
        if not app.review_panel:
            throw(_("Assign a review panel to the application before scoring it (DB3301/T 0346—2021 §6.2.2)."))
        self.service_center = app.service_center
        self.review_panel = app.review_panel
        self.review_template = self.review_template or app.review_template or frappe.db.get_single_value(
            "Shuangfuhua Settings", "default_review_template"
        )

    def set_reviewer(self, app):
        """The reviewer is the panel member who enters the scores (R-6.2.2: each reviewer scores)."""
        if not self.reviewer:
            self.reviewer = frappe.session.user
        member = frappe.db.get_value(
            "Review Panel Member",
            {"parent": app.review_panel, "parenttype": "Review Panel", "user": self.reviewer},
            ["member_name", "category"],
            as_dict=True,
        )
        if not member:
            throw(_("{0} is not a member of the review panel {1}").format(self.reviewer, app.review_panel) + cite("6.2.2"))
        self.reviewer_name, self.reviewer_category = member.member_name, member.category

    def validate_unique(self):
        other = frappe.db.exists(
            "Application Review",
            {"application": self.application, "reviewer": self.reviewer, "docstatus": ("<", 2), "name": ("!=", self.name)},
        )
        if other:
            throw(_("{0} has already reviewed this application: {1}").format(self.reviewer, other) + cite("6.2.2"))

    def fill_scores(self):
        if self.scores:
            return
        for c in template_criteria(self.review_template):
            self.append("scores", {"criterion": c.name, "method": c.method_value, "weight": c.weight, "max_score": c.max_score})

    def compute_total(self, strict: bool):
        criteria = template_criteria(self.review_template)
        scores = {row.criterion: row.score for row in self.scores if row.score not in (None, "")}
        # a score of 0 is a real score; unscored rows are None in the DB only before the first save
        errors = score_errors(scores, criteria)
        if errors:
            if strict:
                throw("；".join(errors), StandardRuleError)
            self.total_score = 0
            return
        self.total_score = weighted_score(scores, criteria)

    def update_application(self):
        app = frappe.get_doc("Incubation Application", self.application)
        app.flags.ignore_permissions = True
        app.save()
