# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""资源供给 ([HZ2019] 三（四）, [10M] 第五条, R-RESOURCE): rules in ``shuangfuhua_app.resources``."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.resources import validate_offer


class SFHResourceOffer(Document):
    def validate(self):
        validate_offer(self)
