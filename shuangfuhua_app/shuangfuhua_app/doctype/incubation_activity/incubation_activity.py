# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""孵化服务活动 — one record per activity of the five blocks of §7 (R-7.1.3, R-7.2, R-7.3,
R-7.4, R-7.5.1, R-SERV): who was served, who attended and for how many class hours."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_time

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.incubation import MEMBER, ROLE_FIELDS, roles_summary
from shuangfuhua_app.privacy import require_fields
from shuangfuhua_app.standard.activities import check_activity_type, track_mismatch


class IncubationActivity(Document):
    def validate(self):
        if message := check_activity_type(self.block, self.activity_type):
            throw(message)
        # compared as times, not as text ("9:00:00" sorts after "12:00:00")
        if self.start_time and self.end_time and get_time(self.end_time) <= get_time(self.start_time):
            frappe.throw(_("The end time must be after the start time."))
        self.validate_sources()
        self.validate_participants()
        self.validate_organizations()
        self.attended_count = sum(1 for p in self.participants if p.attended)
        self.person_hours = sum(flt(p.hours_attended) or flt(self.class_hours) for p in self.participants if p.attended)
        # issue 16 §4, issue 18 §5: the part of person_hours from confirmed QR sign-ins (rows of
        # source QR, set by validate_sources above) – the district figures read it instead of the rows
        self.qr_hours = sum(flt(p.hours_attended) or flt(self.class_hours)
                            for p in self.participants if p.attended and p.source == "QR")
        notes = []
        for row in self.organizations:
            stage = frappe.db.get_value("Community Social Organization", row.organization, "development_stage")
            if message := track_mismatch(self.activity_type, stage, row.org_name or row.organization):
                notes.append(message)
        self.track_note = "\n".join(notes)

    def validate_sources(self):
        """Issue 16: a participant row is typed by staff (source Typed) or comes from a
        confirmed QR sign-in of this activity (source QR, ``shuangfuhua_app.signin``), whose
        person and hours (§7.3.1: time present in the session) it carries – whatever a
        client sends for them."""
        for p in self.participants:
            if not p.sign_in:
                p.source = "Typed"
                continue
            s = frappe.db.get_value(
                "Activity Sign In", p.sign_in, ["activity", "member", "hours", "sheet_status"], as_dict=True
            )
            if not s or s.activity != self.name or s.sheet_status != "Confirmed" or not s.member:
                frappe.throw(_("Row {0}: {1} is not a confirmed QR sign-in of this activity").format(p.idx, p.sign_in))
            p.source = "QR"
            p.member = s.member
            p.hours_attended = flt(s.hours)
            p.attended = 1 if flt(s.hours) > 0 else 0

    def validate_participants(self):
        seen = set()
        for p in self.participants:
            if p.member:
                if p.member in seen:
                    frappe.throw(_("Row {0}: {1} is listed twice").format(p.idx, p.member_name or p.member))
                seen.add(p.member)
                org = frappe.db.get_value(MEMBER, p.member, "organization")
                p.organization = p.organization or org
        served = {r.organization for r in self.organizations}
        for org in {p.organization for p in self.participants if p.organization} - served:
            self.append("organizations", {"organization": org})
            served.add(org)

    def validate_organizations(self):
        seen = set()
        for row in self.organizations:
            if row.organization in seen:
                frappe.throw(_("Row {0}: {1} is listed twice").format(row.idx, row.organization))
            seen.add(row.organization)
            center = frappe.db.get_value("Community Social Organization", row.organization, "service_center")
            if center != self.service_center:
                frappe.throw(_("Row {0}: {1} belongs to another service center").format(row.idx, row.organization))

    @frappe.whitelist()
    def add_participants_from_roster(self, organization: str, role: str | None = None) -> int:
        """Bulk add the active people of ``organization`` (optionally only those holding the
        role check ``role``, e.g. ``is_party_member``) as attending participants; people
        already listed are skipped. Returns how many rows were added.

        R-PRIV (issue 14 §5): the method fills in who attends and their roles, so read
        permission is not enough – only a user who may change the activity and reads the
        participants' names and roles (and the role chosen as a filter) may call it; anyone
        else gets a 403 and no row."""
        self.check_permission("write")
        require_fields("Incubation Activity Participant", ("member", "member_name", "participant_role"),
                       parenttype=self.doctype)
        frappe.has_permission("Community Social Organization", "read", organization, throw=True)
        filters = {"organization": organization, "member_status": "Current Member"}
        if role:
            if role not in ROLE_FIELDS:
                frappe.throw(_("Unknown role {0}").format(role))
            require_fields(MEMBER, (role,))
            filters[role] = 1
        people = frappe.get_list(
            MEMBER, filters=filters, fields=["name", "member_name", *ROLE_FIELDS], order_by="member_name asc",
            limit_page_length=0,
        )
        present = {p.member for p in self.participants if p.member}
        added = 0
        for person in people:
            if person.name in present:
                continue
            self.append(
                "participants",
                {
                    "member": person.name,
                    "member_name": person.member_name,
                    "organization": organization,
                    "participant_role": roles_summary(person),
                    "attended": 1,
                },
            )
            added += 1
        if organization not in {r.organization for r in self.organizations}:
            self.append("organizations", {"organization": organization})
        return added
