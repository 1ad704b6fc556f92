# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import NoticePeriodError


class TestPublicNotice(FrappeTestCase):
    def notice(self, **kw):
        center = "单元测试街道社会组织服务中心"
        if not frappe.db.exists("Service Center", center):
            frappe.get_doc({"doctype": "Service Center", "center_name": center, "township": "单元测试街道"}).insert()
        return frappe.get_doc({"doctype": "Public Notice", "title": "公示", "service_center": center, **kw})

    def test_end_date_is_computed_from_the_working_day_calendar(self):
        doc = self.notice(start_date="2025-09-30", end_date="2025-09-30")
        doc.validate()
        self.assertEqual(str(doc.end_date), "2025-10-13")
        self.assertEqual(doc.working_days, 5)

    def test_make_up_saturday_counts(self):
        doc = self.notice(start_date="2026-04-30")
        doc.validate()
        self.assertEqual(str(doc.end_date), "2026-05-09")

    def test_shorter_than_the_setting_is_refused(self):
        doc = self.notice(start_date="2025-09-30", working_days=4)
        self.assertRaises(NoticePeriodError, doc.validate)
