# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""Center Compliance Matrix: runs as Administrator and returns columns and rows. Checked against the
center's own compliance panel in tests/integration/test_reports.py."""

from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.shuangfuhua_app.report.center_compliance_matrix.center_compliance_matrix import execute


class TestCenterComplianceMatrix(FrappeTestCase):
    def test_runs_and_returns_columns(self):
        result = execute({"service_center": "__no_such_center__"})
        self.assertTrue(result[0])
        self.assertEqual(result[1], [])
