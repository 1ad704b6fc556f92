# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""时间银行积分流水 (R-VOL-REDEEM, [10M] 第六条): every movement of a volunteer's points (earned, redeemed, adjusted); written by the app only."""

from __future__ import annotations

import shuangfuhua_app.volunteer_duties as duties
from frappe.model.document import Document


class SFHVolunteerPointsEntry(Document):
    def validate(self):
        duties.validate_points_entry(self)

    def on_trash(self):
        duties.refuse_ledger_delete(self)
