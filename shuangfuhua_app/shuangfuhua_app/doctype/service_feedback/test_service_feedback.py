# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.shuangfuhua_app.doctype.honor_certificate.test_honor_certificate import organization


class TestServiceFeedback(FrappeTestCase):
    def test_satisfaction_needs_a_rating_and_a_complaint_its_content(self):
        org = organization()
        doc = frappe.get_doc({"doctype": "Service Feedback", "organization": org, "feedback_type": "Satisfaction"})
        self.assertRaisesRegex(StandardRuleError, "满意度评价须选择满意程度", doc.insert)
        doc = frappe.get_doc({"doctype": "Service Feedback", "organization": org, "feedback_type": "Complaint"})
        self.assertRaisesRegex(StandardRuleError, "投诉须填写具体内容", doc.insert)

    def test_a_complaint_is_closed_with_the_answer(self):
        doc = frappe.get_doc({"doctype": "Service Feedback", "organization": organization(),
                              "feedback_type": "Complaint", "content": "通知太晚"}).insert()
        self.assertEqual(doc.channel, "Desk")
        doc.feedback_status = "Resolved"
        self.assertRaisesRegex(StandardRuleError, "投诉须填写处理答复后方可办结", doc.save)
        doc.reload()
        doc.feedback_status, doc.response = "Resolved", "已改进"
        doc.save()
        self.assertEqual(doc.responded_by, frappe.session.user)
