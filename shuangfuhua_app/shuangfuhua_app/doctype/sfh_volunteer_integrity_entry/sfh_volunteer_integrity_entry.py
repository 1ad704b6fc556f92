# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""志愿者诚信记载 (R-VOL-CREDIT, [10M] 第六条): a no-show, a complaint or a commendation of a volunteer, recorded by the center's staff."""

from __future__ import annotations

import shuangfuhua_app.volunteer_duties as duties
from frappe.model.document import Document


class SFHVolunteerIntegrityEntry(Document):
    def validate(self):
        duties.validate_integrity_entry(self)

    def on_update(self):
        duties.update_integrity_summary(self.volunteer)

    def on_trash(self):
        duties.integrity_on_trash(self)
