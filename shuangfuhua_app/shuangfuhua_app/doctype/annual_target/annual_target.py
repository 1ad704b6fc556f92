# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""年度目标 — the annual targets of a center's incubation base (R-TARGET, [LW2021] 二: e.g. 6
incubated, 15 filed, 10 trainings, 500 trainee person-times, 20 consultations, 12 projects,
6 upgraded, 2 brand organizations). One record per center and year; the report *Annual
Targets vs Actuals* sets them against the figures the records give."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw

TARGET_FIELDS = (
    "incubated", "filed", "trainings", "trainee_person_times", "consultations", "projects", "upgraded", "brand_orgs",
)


class AnnualTarget(Document):
    def validate(self):
        if not 2000 <= int(self.target_year or 0) <= 2100:
            throw(_("The year of the targets must be between 2000 and 2100 (R-TARGET)."))
        other = frappe.db.exists(
            "Annual Target",
            {"service_center": self.service_center, "target_year": self.target_year, "name": ("!=", self.name or "")},
        )
        if other:
            throw(_("The center already has targets for {0}: {1} (R-TARGET).").format(self.target_year, other))
