# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""品牌评价 (R-HUB, 京社领办发〔2016〕8号 第三十条): four criteria and the award; rules in shuangfuhua_app/standard/hub.py."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.hub import validate_brand


class BrandEvaluation(Document):
    def validate(self):
        validate_brand(self)
