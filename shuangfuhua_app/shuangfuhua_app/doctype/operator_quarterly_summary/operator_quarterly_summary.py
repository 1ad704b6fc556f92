# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""运营方孵化基地运行情况季度总结 ([LW2021] 四（三）4, R-OPER-SUMMARY): one per operating
agreement and quarter; reminded once per quarter by ``center.send_reminders``."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.center import validate_quarterly_summary


class OperatorQuarterlySummary(Document):
    def validate(self):
        validate_quarterly_summary(self)
