# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""District Comparison of Centers: runs as Administrator and returns columns and rows. The figures are checked against
hand-computed expectations in tests/integration/test_reports.py."""

from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.shuangfuhua_app.report.district_comparison_of_centers.district_comparison_of_centers import execute


class TestDistrictComparison(FrappeTestCase):
    def test_runs_and_returns_columns(self):
        result = execute({"township": "__no_such_township__"})
        self.assertTrue(result[0])
        self.assertEqual(result[1], [])
