# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import StandardRuleError


class TestCenterAnnualReview(FrappeTestCase):
    def test_one_review_per_center_and_year_listing_its_actions(self):
        center = frappe.get_doc({"doctype": "Service Center", "center_name": f"回顾测试中心-{frappe.generate_hash(length=6)}",
                                 "township": "回顾测试街道"}).insert().name
        frappe.get_doc({"doctype": "Corrective Action", "service_center": center, "problem": "通知晚",
                        "action": "提前一周通知", "owner_user": "Administrator", "raised_on": "2025-03-01",
                        "due_date": "2025-03-31"}).insert()
        review = frappe.get_doc({"doctype": "Center Annual Review", "service_center": center, "review_year": 2025}).insert()
        self.assertEqual(review.action_count, 1)
        self.assertEqual(review.actions_overdue, 1)
        self.assertEqual(len(review.actions), 1)
        dup = frappe.get_doc({"doctype": "Center Annual Review", "service_center": center, "review_year": 2025})
        self.assertRaises(StandardRuleError, dup.insert)
