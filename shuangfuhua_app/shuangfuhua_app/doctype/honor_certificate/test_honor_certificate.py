# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.shuangfuhua_app.doctype.community_social_organization.test_community_social_organization import (
    center,
)


def organization():
    return frappe.get_doc({"doctype": "Community Social Organization", "org_name": frappe.generate_hash(length=8),
                           "service_center": center(), "org_type": "Filed",
                           "filing_number": f"BA-{frappe.generate_hash(length=6)}"}).insert().name


class TestHonorCertificate(FrappeTestCase):
    def issue(self):
        doc = frappe.get_doc({"doctype": "Honor Certificate", "organization": organization(), "issuer": "某中心",
                              "issue_date": "2026-01-05", "level": "Excellent"})
        doc.flags.issued_by_app = True
        return doc.insert()

    def test_only_the_app_issues_certificates(self):
        doc = frappe.get_doc({"doctype": "Honor Certificate", "organization": organization()})
        self.assertRaises(frappe.PermissionError, doc.insert)

    def test_number_and_verification_page(self):
        doc = self.issue()
        self.assertTrue(doc.name.startswith("SFH-RY-"))
        self.assertTrue(doc.verification_url.endswith(f"/certificates/{doc.name}"))
        self.assertEqual(doc.status, "Valid")

    def test_revocation_needs_a_reason_and_is_final(self):
        doc = self.issue()
        doc.status = "Revoked"
        self.assertRaises(frappe.ValidationError, doc.save)
        doc.reload()
        doc.status, doc.revoke_reason = "Revoked", "核查不实"
        doc.save()
        self.assertTrue(doc.revoked_on)
        doc.status = "Valid"
        self.assertRaises(StandardRuleError, doc.save)

    def test_issued_content_cannot_change_and_is_never_deleted(self):
        doc = self.issue()
        doc.issuer = "另一中心"
        self.assertRaises(frappe.PermissionError, doc.save)
        self.assertRaises(frappe.PermissionError, frappe.delete_doc, "Honor Certificate", doc.name)
