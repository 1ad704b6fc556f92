# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""出壳评估指标体系 — the exit indicator system of App. D (R-8.1.1b): dimensions (§7's five
blocks), indicators with weights totalling 100, scoring guidance, and for each indicator
either the assessors' score or a source in the records."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.exit import exit_template_problems, indicators_from_rows, template_coverage_finding


class ExitAssessmentTemplate(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.exit_assessment_template_indicator.exit_assessment_template_indicator import ExitAssessmentTemplateIndicator

        coverage: DF.SmallText | None
        indicators: DF.Table[ExitAssessmentTemplateIndicator]
        is_active: DF.Check
        template_name: DF.Data
        total_weight: DF.Float
    # end: auto-generated types
    def validate(self):
        indicators = indicators_from_rows(self.indicators)
        if problems := exit_template_problems(indicators):
            throw("；".join(problems))
        self.total_weight = sum(i.weight for i in indicators)
        finding = template_coverage_finding(indicators)
        self.coverage = ("" if finding.ok else "⚠ ") + finding.message
        if not finding.ok:
            frappe.msgprint(finding.message, title=_("Differs from the standard"), indicator="orange")
