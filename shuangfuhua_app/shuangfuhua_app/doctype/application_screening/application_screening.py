# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻筛选记录 — the optional screening criteria and steps of [LW2021] 三（二）1.2） (R-SCREEN)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.center import validate_screening


class ApplicationScreening(Document):
    def validate(self):
        validate_screening(self)
