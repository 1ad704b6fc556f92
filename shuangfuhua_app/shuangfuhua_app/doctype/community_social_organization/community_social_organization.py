# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区社会组织 — registered (USCC) or filed (filing number) organization (R-6.1, R-FILE)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import InvalidIdentifierError, throw
from shuangfuhua_app.standard.identity import normalize_uscc, validate_mobile, validate_uscc


class CommunitySocialOrganization(Document):
    def validate(self):
        self.validate_identifiers()
        self.validate_community()
        if self.contact_phone and (message := validate_mobile(self.contact_phone)):
            throw(message, InvalidIdentifierError)

    def validate_identifiers(self):
        if self.org_type == "Registered":
            self.uscc = normalize_uscc(self.uscc)
            if message := validate_uscc(self.uscc):
                throw(message, InvalidIdentifierError)
            self.filing_number = None
        else:
            if not self.filing_number:
                frappe.throw(_("A filed organization needs its filing number."))
            self.uscc = None

    def validate_community(self):
        if self.community:
            center = frappe.db.get_value("Community", self.community, "service_center")
            if center != self.service_center:
                frappe.throw(_("Community {0} belongs to another service center").format(self.community))
