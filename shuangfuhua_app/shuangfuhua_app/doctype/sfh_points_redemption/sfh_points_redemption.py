# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""积分兑换 (R-VOL-REDEEM, [10M] 第六条): a volunteer's points exchanged for an item of the center's catalogue; a ledger row, never changed."""

from __future__ import annotations

import shuangfuhua_app.volunteer_duties as duties
from frappe.model.document import Document


class SFHPointsRedemption(Document):
    def validate(self):
        duties.validate_redemption(self)

    def after_insert(self):
        duties.redemption_after_insert(self)

    def on_trash(self):
        duties.refuse_ledger_delete(self)
