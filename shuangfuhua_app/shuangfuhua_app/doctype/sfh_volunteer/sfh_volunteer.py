# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区志愿者 (R-VOL, 《培育发展社区社会组织十条措施》第六条): registration, hours and time-bank points; rules in shuangfuhua_app/volunteer.py."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.volunteer import validate_volunteer


class SFHVolunteer(Document):
    def validate(self):
        validate_volunteer(self)
