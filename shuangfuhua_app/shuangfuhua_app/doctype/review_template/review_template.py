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
    def validate(self):
        problems = template_problems(_criteria(self.criteria))
        if problems:
            throw("；".join(problems))
        self.total_weight = sum(float(r.weight or 0) for r in self.criteria)
