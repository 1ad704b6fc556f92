# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""服务中心管理制度 — the systems of §4.2 as documents with version and effective date (R-4.2)."""

from __future__ import annotations

from frappe.model.document import Document


class CenterManagementSystem(Document):
    pass
