# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""引导登记 ([10M] 第二条, R-REG-STEER): rules in ``shuangfuhua_app.steering``."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.steering import validate


class RegistrationSteering(Document):
    def validate(self):
        validate(self)
