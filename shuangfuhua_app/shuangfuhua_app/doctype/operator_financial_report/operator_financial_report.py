# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""运营方季度财务状况报告 ([LW2021] 四（三）3, R-OPER)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.center import validate_financial_report


class OperatorFinancialReport(Document):
    def validate(self):
        validate_financial_report(self)
