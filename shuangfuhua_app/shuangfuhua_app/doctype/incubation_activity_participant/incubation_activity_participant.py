# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
import frappe
from frappe.model.document import Document


class IncubationActivityParticipant(Document):
    pass


def on_doctype_update():
    """R-X-SCALE: covering indexes for the daily job and the reports (1,000,000 rows at city
    scale): a person's attended rows (``incubation.attendance_totals``) and an organization's
    (``incubation.study_dates_of``) are read from the index alone, without a lookup per row."""
    frappe.db.add_index("Incubation Activity Participant", ["member", "attended", "parent", "hours_attended"],
                        "member_attendance_index")
    frappe.db.add_index("Incubation Activity Participant", ["organization", "attended", "parent"],
                        "organization_attendance_index")
