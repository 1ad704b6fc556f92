# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase
from stdnum.cn import uscc

from shuangfuhua_app.exceptions import InvalidIdentifierError


def center():
    name = "单元测试街道社会组织服务中心"
    if not frappe.db.exists("Service Center", name):
        frappe.get_doc({"doctype": "Service Center", "center_name": name, "township": "单元测试街道"}).insert()
    return name


class TestCommunitySocialOrganization(FrappeTestCase):
    def org(self, **kw):
        return frappe.get_doc(
            {"doctype": "Community Social Organization", "org_name": frappe.generate_hash(length=8),
             "service_center": center(), **kw}
        )

    def test_registered_org_needs_a_valid_uscc(self):
        body = "51330102MJ0000012"  # 5: civil affairs, 1: social group, Hangzhou
        good = body + uscc.calc_check_digit(body + "0")
        doc = self.org(org_type="Registered", uscc=good.lower())
        doc.insert()
        self.assertEqual(doc.uscc, good)  # normalized
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        self.assertRaises(InvalidIdentifierError, self.org(org_type="Registered", uscc=bad).insert)

    def test_filed_org_needs_its_filing_number(self):
        self.assertRaises(frappe.ValidationError, self.org(org_type="Filed").insert)
        doc = self.org(org_type="Filed", filing_number="BA-0001", uscc="ignored")
        doc.insert()
        self.assertIsNone(doc.uscc)

    def test_new_org_has_not_applied(self):
        doc = self.org(org_type="Filed", filing_number="BA-0002")
        doc.insert()
        self.assertEqual(doc.incubation_status, "Not Applied")
