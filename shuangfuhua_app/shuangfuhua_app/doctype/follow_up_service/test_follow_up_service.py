# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.shuangfuhua_app.doctype.honor_certificate.test_honor_certificate import organization


class TestFollowUpService(FrappeTestCase):
    def service(self, end, records=()):
        doc = frappe.get_doc({"doctype": "Follow Up Service", "organization": organization(),
                              "exit_assessment": "SFH-EXIT-TEST", "start_date": "2026-01-05", "end_date": end,
                              "records": list(records)})
        doc.flags.ignore_links = True  # the assessment itself is made in tests/integration/test_exit.py
        return doc

    def test_at_least_twelve_and_at_most_twenty_four_months(self):
        self.assertRaisesRegex(StandardRuleError, "跟踪服务期不少于1年", self.service("2026-12-31").insert)
        self.assertRaisesRegex(StandardRuleError, "跟踪服务期最长2年", self.service("2028-01-06").insert)
        self.service("2028-01-05").insert()

    def test_records_and_coverage(self):
        bad = self.service("2027-01-05", [{"service_date": "2026-02-01", "service_type": "Resource Linking",
                                            "content": "对接专家"}])
        self.assertRaisesRegex(StandardRuleError, "须注明对接的资源", bad.insert)
        doc = self.service("2027-01-05", [{"service_date": "2026-02-01", "service_type": "Brand Building",
                                           "content": "品牌策划"}]).insert()
        self.assertIn("资源链接、协助有关部门服务和监管", doc.coverage)

    def test_made_by_the_app_only(self):
        doc = self.service("2027-01-05")
        doc.exit_assessment = None
        self.assertRaises(StandardRuleError, doc.insert)
