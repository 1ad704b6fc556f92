# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社会组织服务中心 — the center itself (R-4.1a)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.exceptions import InvalidIdentifierError, throw
from shuangfuhua_app.standard.identity import normalize_uscc, validate_uscc


class ServiceCenter(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        address: DF.SmallText | None
        center_name: DF.Data
        district: DF.Data | None
        head_name: DF.Data | None
        operated_by_third_party: DF.Check
        operator_name: DF.Data | None
        phone: DF.Data | None
        registration_type: DF.Literal["Private Non-Enterprise Unit", "Other"]
        township: DF.Data
        uscc: DF.Data | None
    # end: auto-generated types
    def validate(self):
        if self.uscc:
            self.uscc = normalize_uscc(self.uscc)
            if message := validate_uscc(self.uscc):
                throw(message, InvalidIdentifierError)
