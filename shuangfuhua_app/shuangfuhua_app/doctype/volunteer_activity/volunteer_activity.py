# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""志愿服务活动 (R-VOL): published to volunteers; service hours per volunteer accumulate as time-bank points."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.volunteer import activity_on_update, validate_activity


class VolunteerActivity(Document):
    def validate(self):
        validate_activity(self)

    def on_update(self):
        activity_on_update(self)
