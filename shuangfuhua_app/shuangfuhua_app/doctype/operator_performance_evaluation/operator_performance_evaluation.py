# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""运营方年度绩效考核 ([LW2021] 四（一）3, R-OPER)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.center import validate_performance_evaluation


class OperatorPerformanceEvaluation(Document):
    def validate(self):
        validate_performance_evaluation(self)
