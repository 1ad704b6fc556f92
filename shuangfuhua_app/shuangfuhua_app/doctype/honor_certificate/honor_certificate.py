# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""荣誉证书 — awarded to an organization assessed 优秀 (R-8.1.3, §8.1.3); its number (the
record's name) is unique and can be checked by anyone at ``/certificates/<number>``
(R-X-VERIFY). Issued only by the app when an exit result is finally confirmed; never
deleted or renumbered. The center head may revoke it, with a reason; revocation is final."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.exit import verification_url
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.utils import today

#: what the issue fixes for good (everything but the status and the revocation)
FIXED = ("organization", "org_name", "service_center", "issuer", "issue_date", "level", "total_score",
         "exit_assessment", "incubation_agreement")


class HonorCertificate(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        exit_assessment: DF.Link | None
        incubation_agreement: DF.Link | None
        issue_date: DF.Date | None
        issuer: DF.Data | None
        level: DF.Literal["", "Not Up to Standard", "Up to Standard", "Good", "Excellent"]
        org_name: DF.Data | None
        organization: DF.Link
        revoke_reason: DF.SmallText | None
        revoked_by: DF.Link | None
        revoked_on: DF.Date | None
        service_center: DF.Link | None
        status: DF.Literal["Valid", "Revoked"]
        total_score: DF.Float
        verification_url: DF.Data | None
    # end: auto-generated types
    def validate(self):
        if self.is_new():
            if not self.flags.issued_by_app:
                throw(_("Honor certificates are issued by the app when an exit assessment is finally confirmed as Excellent.") + cite("8.1.3"), frappe.PermissionError)
            self.status = "Valid"
            self.verification_url = verification_url(self.name)
            return
        before = self.get_doc_before_save()
        for field in FIXED:
            if str(before.get(field) or "") != str(self.get(field) or ""):
                throw(_("An issued certificate cannot be changed: {0}").format(_(self.meta.get_label(field))), frappe.PermissionError)
        if before.status == "Revoked" and self.status != "Revoked":
            throw(_("A revoked certificate cannot be made valid again; it stays on record as revoked.") + cite("8.1.3"))
        if self.status == "Revoked" and before.status != "Revoked":
            if not (self.revoke_reason or "").strip():
                throw(_("Please give the reason for revoking the certificate."))
            self.revoked_on, self.revoked_by = today(), frappe.session.user
        elif self.status == "Revoked":
            self.revoked_on, self.revoked_by = before.revoked_on, before.revoked_by
        self.verification_url = verification_url(self.name)

    def on_trash(self):
        throw(_("An issued certificate is never deleted; revoke it instead.") + cite("8.1.3"), frappe.PermissionError)
