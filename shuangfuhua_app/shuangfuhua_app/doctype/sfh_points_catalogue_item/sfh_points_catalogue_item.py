# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""服务积分兑换目录 (R-VOL-REDEEM, [10M] 第六条): what the center offers for time-bank points."""

from __future__ import annotations

import shuangfuhua_app.volunteer_duties as duties
from frappe.model.document import Document


class SFHPointsCatalogueItem(Document):
    def validate(self):
        duties.validate_catalogue_item(self)
