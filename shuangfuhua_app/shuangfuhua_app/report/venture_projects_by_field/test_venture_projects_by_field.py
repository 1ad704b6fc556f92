# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""Venture Projects by Field: runs as Administrator and returns columns and rows. The figures are checked against
hand-computed expectations in tests/integration/test_reports.py."""

from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.shuangfuhua_app.report.venture_projects_by_field.venture_projects_by_field import execute


class TestVentureProjects(FrappeTestCase):
    def test_runs_and_returns_columns(self):
        result = execute({"service_center": "__no_such_center__"})
        self.assertTrue(result[0])
        self.assertEqual(result[1], [])
