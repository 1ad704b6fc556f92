# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""枢纽型社会组织成员 (R-HUB, 京社领办发〔2016〕8号): an organization's membership of the hub; rules in shuangfuhua_app/hub.py."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.hub import validate_membership


class HubMembership(Document):
    def validate(self):
        validate_membership(self)
