# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""志愿服务记录 (R-VOL): hours per volunteer and activity."""

from __future__ import annotations

from frappe.model.document import Document


class VolunteerServiceRecord(Document):
    pass
