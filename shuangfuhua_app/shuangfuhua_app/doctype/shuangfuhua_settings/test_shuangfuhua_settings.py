# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import SettingsBelowStandardError
from shuangfuhua_app.utils import get_standard_settings


class TestShuangfuhuaSettings(FrappeTestCase):
    def test_defaults_are_the_standards_numbers(self):
        s = get_standard_settings()
        self.assertEqual(
            (s.notice_working_days, s.incubation_cycle_months, s.follow_up_months, s.party_branch_threshold,
             s.annual_class_hours, s.reserve_ratio, s.min_center_area),
            (5, 24, 12, 3, 18, 2, 100),
        )

    def test_notice_period_cannot_be_loosened(self):
        doc = frappe.get_single("Shuangfuhua Settings")
        doc.notice_working_days = 4
        self.assertRaises(SettingsBelowStandardError, doc.save)

    def test_a_stricter_notice_period_is_allowed(self):
        doc = frappe.get_single("Shuangfuhua Settings")
        doc.notice_working_days = 7
        doc.save()
        self.addCleanup(self.restore_notice_days)
        self.assertEqual(get_standard_settings().notice_working_days, 7)

    @staticmethod
    def restore_notice_days():
        doc = frappe.get_single("Shuangfuhua Settings")
        doc.notice_working_days = 5
        doc.save()

    def test_a_date_cannot_be_both_holiday_and_workday(self):
        doc = frappe.get_single("Shuangfuhua Settings")
        doc.append("calendar_days", {"date": "2027-02-07", "day_type": "Holiday"})
        doc.append("calendar_days", {"date": "2027-02-07", "day_type": "Workday"})
        self.assertRaises(frappe.ValidationError, doc.save)
