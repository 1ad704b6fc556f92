# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社会组织秘书长工作例会 (R-HUB, 京社领办发〔2016〕8号 第十四条): at least one a quarter, reported upward; rules in shuangfuhua_app/hub.py."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.hub import validate_meeting


class SecretaryGeneralMeeting(Document):
    def validate(self):
        validate_meeting(self)
