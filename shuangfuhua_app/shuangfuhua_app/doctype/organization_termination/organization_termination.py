# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区社会组织终止 (R-EXIT-ORG, 《培育发展社区社会组织十条措施》第三条): members' meeting vote →
application to the residents' committee → township approval → public notice; the
organization's open records are closed, none deleted (workflow/organization_termination_workflow;
rules in shuangfuhua_app/filing.py)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.filing import termination_on_update, validate_termination


class OrganizationTermination(Document):
    def validate(self):
        validate_termination(self)

    def on_update(self):
        termination_on_update(self)
