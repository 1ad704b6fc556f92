# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区社会组织 — registered (USCC) or filed (filing number) organization (R-6.1, R-FILE)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import InvalidIdentifierError, throw
from shuangfuhua_app.standard.identity import normalize_uscc, validate_mobile, validate_uscc


class CommunitySocialOrganization(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        address: DF.Data | None
        community: DF.Link | None
        contact_name: DF.Data | None
        contact_phone: DF.Data | None
        development_stage: DF.Literal["Startup", "Growth", "Mature"]
        exit_assessment: DF.Link | None
        exit_date: DF.Date | None
        exit_level: DF.Literal["", "Not Up to Standard", "Up to Standard", "Good", "Excellent"]
        filing_number: DF.Data | None
        follow_up_service: DF.Link | None
        founded_date: DF.Date | None
        head_name: DF.Data | None
        honor_certificate: DF.Link | None
        incubation_status: DF.Literal["Not Applied", "Applying", "In Notice", "Admitted", "Incubating", "Exited", "Not Admitted", "Incubation Ended"]
        member_count: DF.Int
        org_name: DF.Data
        org_type: DF.Literal["Registered", "Filed"]
        party_member_count: DF.Int
        party_org_form: DF.Literal["", "Party Branch", "Joint Party Branch", "Party Instructor", "Party Liaison", "None"]
        service_center: DF.Link
        service_field: DF.Literal["Community Service", "Charity and Mutual Aid", "Culture and Sports", "Elderly and Children", "Dispute Mediation", "Consultative Self-governance", "Volunteer Service", "Safety Building", "Hardship Assistance", "Neighborhood Mutual Aid", "Rural Revitalization", "Other"]
        uscc: DF.Data | None
        volunteer_count: DF.Int
    # end: auto-generated types
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
