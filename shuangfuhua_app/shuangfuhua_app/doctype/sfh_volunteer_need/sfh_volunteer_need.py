# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""志愿需求 (R-VOL-MATCH, [10M] 第六条 供需对接): a need posted by the center, an organization or a
community, matched with the center's volunteers, accepted by volunteers, its outcome recorded."""

from __future__ import annotations

import shuangfuhua_app.volunteer_needs as needs
from frappe.model.document import Document


class SFHVolunteerNeed(Document):
    def validate(self):
        needs.validate_need(self)
