# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区社会组织终止 (R-EXIT-ORG, 《培育发展社区社会组织十条措施》第三条): members' meeting vote →
application to the residents' committee → township approval → public notice; the
organization's open records are closed, none deleted (workflow/organization_termination_workflow;
rules in shuangfuhua_app/filing.py)."""

from __future__ import annotations

import frappe
from frappe.model.document import Document
from frappe.utils import getdate

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.filing import termination_on_update, validate_termination
from shuangfuhua_app.standard.returns import check_termination_return


class OrganizationTermination(Document):
    def validate(self):
        self.check_return()
        validate_termination(self)

    def check_return(self):
        """R-EXIT-ORG (issue 14 §2): a termination under review goes back to the applicant
        (its draft) only by the body reviewing it now – read from the steps the stored record
        shows (applied, forwarded by the residents' committee, decided by the township) – and
        never once the township has decided."""
        before = self.get_doc_before_save()
        if before is None or (self.workflow_state or "Draft") != "Draft" or (before.workflow_state or "Draft") == "Draft":
            return
        applied, forwarded = before.applied_on, before.committee_forwarded_on
        finding = check_termination_return(
            bool(applied),
            bool(forwarded and (not applied or getdate(forwarded) >= getdate(applied))),
            bool(before.township_approved_on),
            frappe.get_roles(),
        )
        if not finding.ok:
            throw(finding.message)

    def on_update(self):
        termination_on_update(self)
