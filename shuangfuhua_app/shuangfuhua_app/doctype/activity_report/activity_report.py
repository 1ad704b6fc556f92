# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""活动报告 (R-7.5.1 §7.5.1, R-7.4 §7.4.5): the organization reports an activity it held,
or the progress or closing of its venture project, to the center (issue 4 §4).  Filed from
the portal; the center acknowledges it or asks for a revision (permlevel 2)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from shuangfuhua_app.utils import today
from shuangfuhua_app.workflow_meanings import UNDERWAY
from shuangfuhua_app.workflow_paths import is_project_underway

PROJECT_REPORTS = {"Project Progress Report", "Project Closing Report"}
#: a venture project reports progress while it runs, and its closing report before the
#: evaluation ends: while its state means "underway" on the site (issue 15 §2)
REPORTABLE_PROJECT_MEANING = UNDERWAY


class ActivityReport(Document):
    def validate(self):
        if self.is_new() or not self.reported_on:
            self.reported_on = today()
        if self.activity_date and getdate(self.activity_date) > getdate(self.reported_on):
            frappe.throw(_("An activity report describes an activity that has taken place; the activity date is after the report date."))
        if self.report_type in PROJECT_REPORTS:
            self.validate_project()
        else:
            self.venture_project = None

    def validate_project(self):
        if not self.venture_project:
            frappe.throw(_("Please choose the venture project this report is about."))
        project = frappe.db.get_value("Venture Project", self.venture_project, ["organization", "workflow_state"], as_dict=True)
        if not project or project.organization != self.organization:
            frappe.throw(_("The venture project does not belong to this organization."), frappe.PermissionError)
        if self.is_new() and not is_project_underway(project.workflow_state):
            frappe.throw(
                _("Progress and closing reports are filed while the project is being carried out (status: {0}).").format(
                    _(project.workflow_state or "Project Application")
                )
            )
