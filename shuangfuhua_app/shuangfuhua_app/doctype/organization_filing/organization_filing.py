# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区社会组织备案 (R-FILE, 《培育发展社区社会组织十条措施》第二条): filing and change filing,
residents' committee review → township approval and notice → certificate
(workflow/organization_filing_workflow); rules in shuangfuhua_app/filing.py."""

from __future__ import annotations

import frappe
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.filing import RETURNED, charter_template, filing_on_update, validate_filing
from shuangfuhua_app.standard.returns import check_filing_return


class OrganizationFiling(Document):
    def onload(self):
        if self.is_new() and not self.charter:
            self.charter = charter_template()

    def validate(self):
        self.check_return()
        validate_filing(self)

    def check_return(self):
        """R-FILE (issue 14 §2): a filing is sent back only by the body reviewing it now – read
        from the steps the stored record shows (submitted, reviewed by the residents'
        committee, decided by the township), not from the workflow's action – and never once
        the township has decided."""
        before = self.get_doc_before_save()
        if before is None or self.workflow_state != RETURNED or before.workflow_state == RETURNED:
            return
        finding = check_filing_return(
            bool(before.submitted_on),
            bool(before.committee_reviewed_on),
            bool(before.township_approved_on or before.certificate_number),
            frappe.get_roles(),
        )
        if not finding.ok:
            throw(finding.message)

    def on_update(self):
        filing_on_update(self)
