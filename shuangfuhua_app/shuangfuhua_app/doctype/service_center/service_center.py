# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社会组织服务中心 — the center itself (R-4.1a)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.exceptions import InvalidIdentifierError, throw
from shuangfuhua_app.standard.identity import normalize_uscc, validate_uscc


class ServiceCenter(Document):
    def validate(self):
        if self.uscc:
            self.uscc = normalize_uscc(self.uscc)
            if message := validate_uscc(self.uscc):
                throw(message, InvalidIdentifierError)
