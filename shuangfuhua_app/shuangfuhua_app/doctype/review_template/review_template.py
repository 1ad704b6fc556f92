# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""评审模板 — review criteria with weights over the three review methods of §6.2.2."""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.admission import ReviewCriterion, template_problems

#: Select values of the method field -> the standard's method labels
METHOD_LABELS = {"Documents": "材料评审", "Site Visit": "实地考察", "Defense": "答辩评审"}
METHOD_VALUES = {label: value for value, label in METHOD_LABELS.items()}


@dataclass(frozen=True)
class Criterion(ReviewCriterion):
    method_value: str = ""


def _criteria(rows) -> list[Criterion]:
    return [
        Criterion(
            name=r.criterion,
            method=METHOD_LABELS.get(r.method, r.method or ""),
            weight=float(r.weight or 0),
            max_score=float(r.max_score or 100),
            method_value=r.method,
        )
        for r in rows
    ]


def template_criteria(template: str) -> list[Criterion]:
    return _criteria(frappe.get_cached_doc("Review Template", template).criteria)


class ReviewTemplate(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.review_template_criterion.review_template_criterion import ReviewTemplateCriterion

        criteria: DF.Table[ReviewTemplateCriterion]
        is_active: DF.Check
        template_name: DF.Data
        total_weight: DF.Float
    # end: auto-generated types
    def validate(self):
        problems = template_problems(_criteria(self.criteria))
        if problems:
            throw("；".join(problems))
        self.total_weight = sum(float(r.weight or 0) for r in self.criteria)
