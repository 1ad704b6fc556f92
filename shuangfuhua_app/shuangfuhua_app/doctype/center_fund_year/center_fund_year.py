# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""服务中心年度经费 — operating and project support funds per year (R-4.1f, §4.1 f)."""

from __future__ import annotations

from frappe.model.document import Document


class CenterFundYear(Document):
    pass
