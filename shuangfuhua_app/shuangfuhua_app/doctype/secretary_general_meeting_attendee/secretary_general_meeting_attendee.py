# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""秘书长工作例会出席人员 (R-HUB, BJ2016 第十四条)."""

from __future__ import annotations

from frappe.model.document import Document


class SecretaryGeneralMeetingAttendee(Document):
    pass
