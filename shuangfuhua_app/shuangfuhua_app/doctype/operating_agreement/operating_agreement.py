# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""运营委托协议 — the third-party operator, its qualification and the negative list (R-4.1e, R-OPER)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.center import sync_center_operator, validate_operating_agreement


class OperatingAgreement(Document):
    def validate(self):
        validate_operating_agreement(self)

    def on_update(self):
        sync_center_operator(self)
