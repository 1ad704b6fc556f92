# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""评审小组 — members from the five categories of §6.2.2 (R-6.2.2: flag a missing category)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.standard.admission import check_panel

#: Select values of the category field -> keys of ``standard.admission.PANEL_CATEGORIES``
CATEGORY_KEYS = {
    "Township Leader": "township_leader",
    "Township Department": "township_department",
    "Community Head": "community_head",
    "Center Head": "center_head",
    "Expert": "expert",
}


class ReviewPanel(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.review_panel_member.review_panel_member import ReviewPanelMember

        category_check: DF.SmallText | None
        is_complete: DF.Check
        members: DF.Table[ReviewPanelMember]
        method_defense: DF.Check
        method_documents: DF.Check
        method_site_visit: DF.Check
        panel_name: DF.Data
        review_date: DF.Date | None
        service_center: DF.Link
    # end: auto-generated types
    def validate(self):
        self.check_composition()
        self.validate_methods()

    def on_update(self):
        self.grant_center_access()

    def check_composition(self):
        finding = check_panel(CATEGORY_KEYS[m.category] for m in self.members if m.category)
        self.is_complete = int(finding.ok)
        self.category_check = finding.message
        if not finding.ok:
            frappe.msgprint(finding.message, title=_("Panel composition"), indicator="orange")

    def validate_methods(self):
        if not (self.method_documents or self.method_site_visit or self.method_defense):
            frappe.throw(_("Choose at least one review method (DB3301/T 0346—2021 §6.2.2)."))

    def grant_center_access(self):
        """A reviewer sees the applications of this panel's center (R-SCOPE)."""
        for m in self.members:
            if m.user and not frappe.db.exists(
                "User Permission", {"user": m.user, "allow": "Service Center", "for_value": self.service_center}
            ):
                frappe.get_doc(
                    {
                        "doctype": "User Permission",
                        "user": m.user,
                        "allow": "Service Center",
                        "for_value": self.service_center,
                        "apply_to_all_doctypes": 1,
                    }
                ).insert(ignore_permissions=True)
