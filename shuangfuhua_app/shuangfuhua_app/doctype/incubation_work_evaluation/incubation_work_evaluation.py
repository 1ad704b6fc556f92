# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""孵化工作评估 — the operator's yearly comprehensive evaluation of the incubated organizations
([LW2021] 四（三）4), first-reviewed by the business supervisory unit (四（二）4) and confirmed
by the leading group office (四（一）5) – R-EVAL-CONFIRM. The gates and the stamps are in
``shuangfuhua_app.oversight``."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.oversight import OversightError, refuse_delete_after_submission, run_chain
from shuangfuhua_app.standard.oversight import EVALUATION, FINAL, FIRST_REVIEW, RETURN, SUBMIT

#: the shipped states and the step of the chain each one takes (a state added in Desk takes none)
STEPS_BY_STATE = {
    "Submitted": SUBMIT,
    "First Reviewed": FIRST_REVIEW,
    "Results Confirmed": FINAL,
    "Returned": RETURN,
}


class IncubationWorkEvaluation(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.incubation_work_evaluation_item.incubation_work_evaluation_item import (
            IncubationWorkEvaluationItem,
        )

        confirmation_comment: DF.SmallText | None
        confirmed_by: DF.Link | None
        confirmed_on: DF.Datetime | None
        evaluation_date: DF.Date | None
        evaluation_year: DF.Int
        first_review_comment: DF.SmallText | None
        first_reviewed_by: DF.Link | None
        first_reviewed_on: DF.Datetime | None
        items: DF.Table[IncubationWorkEvaluationItem]
        operator_name: DF.Data | None
        returned_by: DF.Link | None
        returned_on: DF.Datetime | None
        service_center: DF.Link
        submitted_by: DF.Link | None
        submitted_on: DF.Datetime | None
        summary: DF.SmallText | None
        workflow_state: DF.Link | None
    # end: auto-generated types

    def validate(self):
        self.operator_name = frappe.db.get_value("Service Center", self.service_center, "operator_name")
        run_chain(self, EVALUATION, STEPS_BY_STATE, "confirmed", ("organization", "score", "grade", "remarks"))
        self.validate_year()
        self.validate_items()
        if self.submitted_on and not self.items:
            throw(_("The evaluation needs the result of at least one organization."), OversightError)

    def on_trash(self):
        refuse_delete_after_submission(self, "confirmed")

    def validate_year(self):
        if not 2000 <= int(self.evaluation_year or 0) <= 2100:
            throw(_("The year of the evaluation must be between 2000 and 2100."), OversightError)
        other = frappe.db.exists(
            self.doctype,
            {"service_center": self.service_center, "evaluation_year": self.evaluation_year, "name": ("!=", self.name or "")},
        )
        if other:
            throw(_("The center already has an incubation work evaluation for {0}: {1}").format(self.evaluation_year, other),
                  OversightError)

    def validate_items(self):
        seen = set()
        for row in self.items:
            if row.organization in seen:
                throw(_("Row {0}: {1} is listed twice").format(row.idx, row.organization), OversightError)
            seen.add(row.organization)
            center, name = frappe.db.get_value("Community Social Organization", row.organization,
                                               ["service_center", "org_name"]) or (None, None)
            if center and center != self.service_center:
                throw(_("Row {0}: {1} belongs to another service center").format(row.idx, row.organization), OversightError)
            row.org_name = name
            if row.score is not None and not 0 <= float(row.score) <= 100:
                throw(_("Row {0}: the score must be between 0 and 100.").format(row.idx), OversightError)
