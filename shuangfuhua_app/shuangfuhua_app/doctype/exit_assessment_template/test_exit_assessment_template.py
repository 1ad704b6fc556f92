# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.exit import DEFAULT_TEMPLATE_NAME


def rows(weights):
    return [{"indicator": f"指标{i}", "dimension": dim, "source": "Manual", "weight": w}
            for i, (dim, w) in enumerate(weights)]


class TestExitAssessmentTemplate(FrappeTestCase):
    def test_the_default_template_is_installed_and_covers_the_five_blocks(self):
        doc = frappe.get_doc("Exit Assessment Template", DEFAULT_TEMPLATE_NAME)
        self.assertEqual(doc.total_weight, 100)
        self.assertEqual(len(doc.indicators), 13)
        self.assertFalse(doc.coverage.startswith("⚠"))

    def test_weights_must_total_100(self):
        doc = frappe.get_doc({"doctype": "Exit Assessment Template", "template_name": frappe.generate_hash(length=8),
                              "indicators": rows([("Party Building", 60), ("Supervision", 30)])})
        self.assertRaisesRegex(StandardRuleError, "权重合计应为100，当前为90", doc.insert)

    def test_a_template_missing_blocks_is_flagged_not_refused(self):
        doc = frappe.get_doc({"doctype": "Exit Assessment Template", "template_name": frappe.generate_hash(length=8),
                              "indicators": rows([("Party Building", 50), ("Supervision", 50)])}).insert()
        self.assertIn("能力提升、人才培育、扶持激励", doc.coverage)
