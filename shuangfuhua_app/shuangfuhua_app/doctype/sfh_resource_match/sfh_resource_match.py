# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""资源对接 ([HZ2019] 三（四）, [10M] 第五条, R-RESOURCE): rules in ``shuangfuhua_app.resources``;
the need's status follows its matches."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.resources import refresh_need_status, validate_match


class SFHResourceMatch(Document):
    def validate(self):
        validate_match(self)

    def on_update(self):
        refresh_need_status(self.need)

    def on_trash(self):
        self.flags.sfh_need = self.need

    def after_delete(self):
        refresh_need_status(self.flags.sfh_need)
