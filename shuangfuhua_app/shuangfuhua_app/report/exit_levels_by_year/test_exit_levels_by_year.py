# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""Exit Levels by Year: runs as Administrator and returns columns and rows. The figures are checked
against hand-computed expectations in tests/integration/test_reports.py."""

from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.shuangfuhua_app.report.exit_levels_by_year.exit_levels_by_year import execute


class TestExitLevelsByYear(FrappeTestCase):
    def test_runs_and_returns_columns(self):
        result = execute({"service_center": "__no_such_center__"})
        self.assertTrue(result[0])
        self.assertEqual(result[1], [])
