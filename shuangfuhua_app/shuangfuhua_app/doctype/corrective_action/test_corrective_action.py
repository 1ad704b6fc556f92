# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.shuangfuhua_app.doctype.community_social_organization.test_community_social_organization import (
    center,
)


class TestCorrectiveAction(FrappeTestCase):
    def action(self, **kw):
        return frappe.get_doc({"doctype": "Corrective Action", "service_center": center(), "problem": "通知晚",
                               "action": "提前一周通知", "owner_user": "Administrator", "raised_on": "2026-03-01",
                               "due_date": "2026-03-31", **kw})

    def test_due_date_not_before_it_was_raised(self):
        self.assertRaisesRegex(StandardRuleError, "早于提出日期", self.action(due_date="2026-02-01").insert)

    def test_completed_needs_date_and_result(self):
        self.assertRaisesRegex(StandardRuleError, "完成日期", self.action(action_status="Completed").insert)
        self.action(action_status="Completed", completed_on="2026-03-20", result="已落实").insert()
