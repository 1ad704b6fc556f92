# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""非法社会组织线索 ([HZ2019] 三（三）, R-ILLEGAL): rules in ``shuangfuhua_app.illegal_report``."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.illegal_report import validate


class IllegalOrganizationReport(Document):
    def validate(self):
        validate(self)
