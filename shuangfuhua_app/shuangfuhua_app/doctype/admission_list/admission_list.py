# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻名单 — the list of organizations to be admitted in a round (R-LIST, [LW2021] 四（一）4、
四（二）3): the applications the panel recommended, first-reviewed by the business supervisory
unit and approved by the leading group office before the public notice (when the settings
switch the chain on). The gates and the stamps are in ``shuangfuhua_app.oversight``."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.oversight import OversightError, refuse_delete_after_submission, run_chain
from shuangfuhua_app.standard.oversight import FINAL, FIRST_REVIEW, LIST, RETURN, SUBMIT

APPLICATION = "Incubation Application"
#: the application state the panel's recommendation leads to (R-6.2.2)
RECOMMENDED = "Recommended"
#: the shipped states and the step of the chain each one takes (a state added in Desk takes none)
STEPS_BY_STATE = {
    "Awaiting First Review": SUBMIT,
    "First Reviewed": FIRST_REVIEW,
    "List Approved": FINAL,
    "Returned": RETURN,
}


class AdmissionList(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.admission_list_item.admission_list_item import AdmissionListItem

        approval_comment: DF.SmallText | None
        approved_by: DF.Link | None
        approved_on: DF.Datetime | None
        first_review_comment: DF.SmallText | None
        first_reviewed_by: DF.Link | None
        first_reviewed_on: DF.Datetime | None
        items: DF.Table[AdmissionListItem]
        list_date: DF.Date
        returned_by: DF.Link | None
        returned_on: DF.Datetime | None
        service_center: DF.Link
        submitted_by: DF.Link | None
        submitted_on: DF.Datetime | None
        title: DF.Data
        workflow_state: DF.Link | None
    # end: auto-generated types

    def validate(self):
        if self.is_new() or not frappe.db.get_value(self.doctype, self.name, "submitted_on"):
            self.validate_items()  # in preparation (and when submitted): the rows the panel recommended
        run_chain(self, LIST, STEPS_BY_STATE, "approved", ("application", "remarks"))
        if self.submitted_on and not self.items:
            throw(_("An admission list needs at least one application."), OversightError)

    def on_trash(self):
        refuse_delete_after_submission(self, "approved")

    def validate_items(self):
        seen = set()
        for row in self.items:
            if row.application in seen:
                throw(_("Row {0}: {1} is listed twice").format(row.idx, row.application), OversightError)
            seen.add(row.application)
            app = frappe.db.get_value(
                APPLICATION, row.application,
                ["service_center", "workflow_state", "organization", "org_name", "average_score"], as_dict=True,
            )
            if not app:
                continue  # Frappe's link validation names it
            if app.service_center != self.service_center:
                throw(_("Row {0}: {1} belongs to another service center").format(row.idx, row.application), OversightError)
            if app.workflow_state != RECOMMENDED:
                throw(
                    _("Row {0}: only applications the panel recommended can be put on the admission list ([LW2021] 四（二）3).")
                    .format(row.idx),
                    OversightError,
                )
            other = frappe.db.get_value(
                "Admission List Item",
                {"application": row.application, "parenttype": self.doctype, "parent": ("!=", self.name or "")},
                "parent",
            )
            if other:
                throw(_("Row {0}: {1} is already on the admission list {2}").format(row.idx, row.application, other),
                      OversightError)
            row.organization, row.org_name, row.average_score = app.organization, app.org_name, app.average_score

    @frappe.whitelist()
    def get_recommended_applications(self):
        """Fill the list with the center's recommended applications that stand on no other list, and save it."""
        self.check_permission("write")
        if self.submitted_on:
            throw(_("The contents cannot be changed once submitted for review; return it first."), OversightError)
        if not self.service_center:
            throw(_("Choose the service center first."), OversightError)
        listed = set(frappe.get_all("Admission List Item", filters={"parenttype": self.doctype}, pluck="application"))
        have = {row.application for row in self.items}
        for name in frappe.get_all(
            APPLICATION,
            filters={"service_center": self.service_center, "workflow_state": RECOMMENDED, "docstatus": 0},
            order_by="average_score desc, name asc",
            pluck="name",
        ):
            if name not in listed and name not in have:
                self.append("items", {"application": name})
        self.save()
        return len(self.items)
