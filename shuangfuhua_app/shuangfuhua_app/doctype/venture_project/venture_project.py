# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""公益微创投项目 (R-7.4 §7.4.5, R-7.5.1 §7.5.1.5, R-7.5.2 §7.5.2.1): field from the
standard's list, budget and grant, milestones; workflow application → initial coaching →
approval → execution → closing evaluation → closed (workflow/venture_project_workflow)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.evaluation import check_venture_amounts, check_venture_field
from shuangfuhua_app.utils import today


class VentureProject(Document):
    def validate(self):
        if message := check_venture_field(self.project_field):
            throw(message)
        if message := check_venture_amounts(self.budget, self.granted_amount):
            throw(message)
        before = self.get_doc_before_save()
        previous = before.workflow_state if before else None
        if self.workflow_state != previous:
            if self.workflow_state == "In Execution" and previous == "Awaiting Approval":
                self.approved_on = today()
            if self.workflow_state == "Project Closed":
                self.closed_on = today()
