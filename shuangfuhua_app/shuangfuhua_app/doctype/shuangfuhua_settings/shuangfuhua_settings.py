# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""双孵化设置 — the numbers the standard fixes, defaulting to the standard, and the
working-day calendar's declared years (R-CAL)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from shuangfuhua_app.exceptions import (
    SettingsAboveStandardError,
    SettingsBelowStandardError,
    StandardRuleError,
    throw,
)
from shuangfuhua_app.standard.calendar import find_conflicts
from shuangfuhua_app.standard.settings import (
    open_setting_flags,
    settings_from_mapping,
    settings_problems,
    settings_refusals,
)


class ShuangfuhuaSettings(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.sfh_calendar_day.sfh_calendar_day import SFHCalendarDay
        from shuangfuhua_app.shuangfuhua_app.doctype.sfh_declared_year.sfh_declared_year import SFHDeclaredYear

        annual_class_hours: DF.Float
        calendar_days: DF.Table[SFHCalendarDay]
        declared_years: DF.Table[SFHDeclaredYear]
        default_exit_template: DF.Link | None
        default_review_template: DF.Link | None
        exit_excellent_score: DF.Float
        exit_good_score: DF.Float
        exit_min_assessors: DF.Int
        exit_pass_score: DF.Float
        exit_reminder_days: DF.Int
        follow_up_max_months: DF.Int
        follow_up_months: DF.Int
        follow_up_reminder_days: DF.Int
        incubation_cycle_months: DF.Int
        min_center_area: DF.Float
        notice_working_days: DF.Int
        party_branch_threshold: DF.Int
        pass_score: DF.Float
        regular_study_per_month: DF.Int
        reserve_ratio: DF.Int
        reserve_trainings_per_year: DF.Int
        rotation_trainings_per_year: DF.Int
    # end: auto-generated types
    def onload(self):
        """The settings the seeds leave open and this site changed, flagged on the form."""
        try:
            settings = settings_from_mapping(self.as_dict())
        except ValueError:
            return
        self.set_onload("standard_flags", [f.message for f in open_setting_flags(settings)])

    def validate(self):
        self.validate_numbers()
        self.validate_calendar()
        self.validate_state_meanings()

    def on_update(self):
        from shuangfuhua_app.workflow_paths import clear_meanings_cache

        clear_meanings_cache()

    def validate_state_meanings(self):
        """Issue 15 §2: one meaning per state of a workflow of this site."""
        seen = set()
        for row in self.get("workflow_state_meanings") or []:
            key = (row.workflow, row.state)
            if key in seen:
                frappe.throw(_("Row {0}: the state “{1}” of {2} is given a meaning twice.").format(
                    row.idx, _(row.state), _(row.workflow)))
            seen.add(key)
            states = frappe.get_all("Workflow Document State", filters={"parent": row.workflow}, pluck="state")
            if row.state not in states:
                frappe.throw(_("Row {0}: the workflow {1} has no state “{2}”.").format(
                    row.idx, _(row.workflow), _(row.state)))

    def validate_numbers(self):
        """R-SETTINGS (issue 14 §6): a value a seed forbids is refused with its clause
        (``standard.settings.settings_refusals``); a value the seeds leave open and the app's
        default fills is flagged when changed (``open_setting_flags``). Install and migrate
        keep a site's stored values (they are refused at the next save by a person)."""
        try:
            settings = settings_from_mapping(self.as_dict())
        except ValueError as e:
            throw(str(e))
        if problems := settings_problems(settings):
            throw("；".join(problems))
        refusals = settings_refusals(settings)
        if refusals and not (frappe.flags.in_install or frappe.flags.in_migrate):
            below = any(f.period == "low" for f in refusals)
            throw(
                "；".join(f.message for f in refusals),
                SettingsBelowStandardError if below else SettingsAboveStandardError,
            )
        for finding in open_setting_flags(settings):
            frappe.msgprint(finding.message, title=_("Differs from the app's default"), indicator="orange")

    def validate_calendar(self):
        holidays = [getdate(r.date) for r in self.calendar_days if r.day_type == "Holiday"]
        workdays = [getdate(r.date) for r in self.calendar_days if r.day_type == "Workday"]
        if conflicts := find_conflicts(holidays, workdays):
            throw(_("These dates are entered both as holidays and as workdays: {0}").format(
                "、".join(str(d) for d in conflicts)), StandardRuleError)
        years = [int(r.year) for r in self.declared_years]
        if len(years) != len(set(years)):
            frappe.throw(_("A year is declared twice."))
