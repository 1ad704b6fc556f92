# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""公益微创投项目 (R-7.4 §7.4.5, R-7.5.1 §7.5.1.5, R-7.5.2 §7.5.2.1): field from the
standard's list, budget and grant, milestones; workflow application → initial coaching →
approval → execution → closing evaluation → closed (workflow/venture_project_workflow)."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.evaluation import check_venture_amounts, check_venture_field
from shuangfuhua_app.utils import today
from shuangfuhua_app.workflow_meanings import CLOSED, OPEN, UNDERWAY
from shuangfuhua_app.workflow_paths import state_meaning


class VentureProject(Document):
    def validate(self):
        if message := check_venture_field(self.project_field):
            throw(message)
        if message := check_venture_amounts(self.budget, self.granted_amount):
            throw(message)
        before = self.get_doc_before_save()
        previous = before.workflow_state if before else None
        if self.workflow_state != previous:
            # by what the states mean on the site (issue 15 §2), not by their names: approved
            # when it leaves the "open" states for one meaning "underway"
            now, was = state_meaning(self.doctype, self.workflow_state), state_meaning(self.doctype, previous)
            if now == UNDERWAY and was == OPEN:
                self.approved_on = today()
            if now == CLOSED:
                self.closed_on = today()
