# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社区社会组织备案 (R-FILE, 《培育发展社区社会组织十条措施》第二条): filing and change filing,
residents' committee review → township approval and notice → certificate
(workflow/organization_filing_workflow); rules in shuangfuhua_app/filing.py."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.filing import charter_template, filing_on_update, validate_filing


class OrganizationFiling(Document):
    def onload(self):
        if self.is_new() and not self.charter:
            self.charter = charter_template()

    def validate(self):
        validate_filing(self)

    def on_update(self):
        filing_on_update(self)
