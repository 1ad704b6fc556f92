# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""定期测评 (R-7.5.2): project, annual service (four rater parties, averaged per dimension,
§7.5.2.2; satisfaction by 两委, residents' representatives and units of the area, [10M] 第一条) and credit evaluation (§7.5.2.3); problems become follow-up actions (§7.5.2.4)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.standard.evaluation import (
    DIMENSIONS,
    average_by_dimension,
    rater_parties_finding,
    satisfaction_parties_finding,
)


class PeriodicEvaluation(Document):
    def validate(self):
        if self.evaluation_type == "Annual Service Evaluation":
            # a score of 0 is an empty cell of the grid (scores run from 1 to 100): not scored
            rows = [{dim: (r.get(dim) or None) for dim in DIMENSIONS} for r in self.rater_scores]
            averages, overall = average_by_dimension(rows)
            for dim in DIMENSIONS:
                self.set(f"avg_{dim}", averages[dim])
            self.overall_score = overall
            # §7.5.2.2 the four parties; [10M] 第一条 (R-RATERS) the three satisfaction parties
            satisfaction = [{"rater_party": r.rater_party, "resident_satisfaction": r.resident_satisfaction}
                            for r in self.rater_scores]
            self.rater_check = "\n".join((rater_parties_finding([r.rater_party for r in self.rater_scores]).message,
                                          satisfaction_parties_finding(satisfaction).message))
        else:
            self.rater_scores = []
            self.rater_check = None
        if self.evaluation_type == "Project Evaluation" and self.venture_project:
            org = frappe.db.get_value("Venture Project", self.venture_project, "organization")
            if org != self.organization:
                frappe.throw(_("The venture project {0} belongs to another organization").format(self.venture_project))
