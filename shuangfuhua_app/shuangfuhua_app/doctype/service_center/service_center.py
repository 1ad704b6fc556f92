# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社会组织服务中心 — the center itself (R-4.1a–f, R-4.2, R-SCREEN switch); rules in
``shuangfuhua_app.center`` and ``standard/center.py``."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.center import validate_center


class ServiceCenter(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.center_fund_year.center_fund_year import CenterFundYear
        from shuangfuhua_app.shuangfuhua_app.doctype.center_management_system.center_management_system import CenterManagementSystem
        from shuangfuhua_app.shuangfuhua_app.doctype.center_staff_member.center_staff_member import CenterStaffMember

        address: DF.SmallText | None
        board_led_director_system: DF.Check
        center_name: DF.Data
        district: DF.Data | None
        enable_screening: DF.Check
        equipment_notes: DF.SmallText | None
        fixed_independent_office: DF.Check
        funds: DF.Table[CenterFundYear]
        has_computers: DF.Check
        has_furniture: DF.Check
        has_network: DF.Check
        head_name: DF.Data | None
        joint_management: DF.Check
        management_systems: DF.Table[CenterManagementSystem]
        office_area: DF.Float
        operated_by_third_party: DF.Check
        operator_name: DF.Data | None
        phone: DF.Data | None
        registration_authority: DF.Data | None
        registration_date: DF.Date | None
        registration_type: DF.Literal["Private Non-Enterprise Unit", "Other"]
        staff: DF.Table[CenterStaffMember]
        township: DF.Data
        uscc: DF.Data | None
    # end: auto-generated types
    def validate(self):
        validate_center(self)
