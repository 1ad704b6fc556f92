# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""服务中心工作人员 — head, full-time and part-time staff, their social-work qualification (R-4.1e, §4.1 e)."""

from __future__ import annotations

from frappe.model.document import Document


class CenterStaffMember(Document):
    pass
