# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""The whole exit flow (admission, two years of records, confirmation, consequences) runs in
tests/integration/test_exit.py; here the controller's own refusals."""

import frappe
from frappe.tests.utils import FrappeTestCase

from shuangfuhua_app.exceptions import ExitConfirmationError, StandardRuleError
from shuangfuhua_app.standard.exit import check_confirmation


class TestExitAssessment(FrappeTestCase):
    def test_needs_a_signed_agreement(self):
        doc = frappe.get_doc({"doctype": "Exit Assessment", "incubation_agreement": "SFH-AGR-DOES-NOT-EXIST"})
        self.assertRaises((StandardRuleError, frappe.LinkValidationError), doc.insert)

    def test_the_confirmation_gate_is_the_standard_rule(self):
        # the controller raises ExitConfirmationError with this rule's message
        finding = check_confirmation("Assessed", "Finally Confirmed", {"Leading Group Office"})
        self.assertFalse(finding.ok)
        self.assertTrue(issubclass(ExitConfirmationError, StandardRuleError))
