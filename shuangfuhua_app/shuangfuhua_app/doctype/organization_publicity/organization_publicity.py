# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""优秀社会组织宣传 (R-7.4, §7.4.8): the center publicises excellent organizations – date,
channel (WeChat official account, newspaper, bulletin board, website, …), title and a link or
attachment as evidence. Entered by the center; the organization's representative reads its
own (R-SCOPE)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.support import check_publicity


class OrganizationPublicity(Document):
    def validate(self):
        self.link = (self.link or "").strip() or None
        if message := check_publicity(self.channel, self.link, self.attachment):
            throw(message)
