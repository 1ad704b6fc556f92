# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""运营方负面清单记录 — an item of the five-item negative list ([LW2021] 四（一）3, R-OPER)."""

from __future__ import annotations

from frappe.model.document import Document


class OperatorNegativeRecord(Document):
    pass
