"""Admission (入壳, DB3301/T 0346—2021 §5–§6) services shared by the DocType controllers.

The rules themselves live in ``shuangfuhua_app.standard.admission``; this module gathers
records, calls them and moves documents through the workflow.
"""

from __future__ import annotations

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import now_datetime

from shuangfuhua_app.standard.admission import check_agreement_allowed, notice_state
from shuangfuhua_app.utils import today

APPLICATION = "Incubation Application"
ORG = "Community Social Organization"

#: Org incubation status derived from the state of its latest application (auto).
STATUS_BY_STATE = {
    "Draft": "Applying",
    "Submitted": "Applying",
    "Returned": "Applying",
    "Panel Review": "Applying",
    "Recommended": "Applying",
    "In Notice": "In Notice",
    "Admitted": "Admitted",
    "Not Admitted": "Not Admitted",
}


#: Org status after the exit decision recorded on its latest agreement (R-8.1.2, R-8.2).
STATUS_BY_EXIT_OUTCOME = {"Exited": "Exited", "Incubation Ended": "Incubation Ended", "Re-signed": "Incubating"}


def refresh_org_status(org: str) -> str:
    """Derive an organization's incubation status from its records (never typed): its latest
    signed agreement – incubating, or what its exit decided (exited, incubation ended; a
    re-signed one stays incubating) – else its latest application."""
    agreements = frappe.get_all(
        "Incubation Agreement",
        filters={"organization": org, "docstatus": 1},
        fields=["exit_outcome"],
        order_by="start_date desc, creation desc",
        limit=1,
    )
    if agreements:
        status = STATUS_BY_EXIT_OUTCOME.get(agreements[0].exit_outcome or "", "Incubating")
    else:
        latest = frappe.get_all(
            APPLICATION,
            filters={"organization": org, "docstatus": ("!=", 2)},
            fields=["workflow_state"],
            order_by="creation desc",
            limit=1,
        )
        status = STATUS_BY_STATE.get(latest[0].workflow_state, "Applying") if latest else "Not Applied"
    frappe.db.set_value(ORG, org, "incubation_status", status, update_modified=False)
    return status


def objection_counts(notice: str, application: str | None = None) -> tuple[int, int]:
    """(upheld, unresolved) objections of a notice that concern ``application``.

    An objection that names no application concerns every organization on the notice.
    """
    rows = frappe.get_all(
        "Notice Objection", filters={"public_notice": notice}, fields=["application", "status"]
    )
    relevant = [r for r in rows if not r.application or not application or r.application == application]
    upheld = sum(1 for r in relevant if r.status == "Upheld" and r.application == application)
    unresolved = sum(1 for r in relevant if r.status == "Pending")
    return upheld, unresolved


def move(application: str, action: str) -> None:
    """Apply a workflow action to an application as the current user (role checks apply)."""
    apply_workflow(frappe.get_doc(APPLICATION, application), action)


def process_notice(name: str) -> str:
    """R-6.3/R-6.4 (auto): when a notice has ended, admit its applications that have no
    upheld or pending objection and reject those with an upheld one.  Idempotent: items
    already decided are skipped; items with pending objections wait (``On Hold``)."""
    notice = frappe.get_doc("Public Notice", name)
    if notice.docstatus != 1:
        return notice.notice_status
    state = notice_state(notice.start_date, notice.end_date, today())
    if state != "ended":
        status = "Upcoming" if state == "upcoming" else "Open"
        notice.db_set("notice_status", status, update_modified=False)
        return status
    all_done = True
    for item in notice.items:
        if item.outcome in ("Admitted", "Objection Upheld"):
            continue
        upheld, unresolved = objection_counts(name, item.application)
        if upheld:
            outcome, result, action = "Objection Upheld", "Objection Upheld", "Uphold Objection"
        elif not check_agreement_allowed(notice.end_date, today(), upheld, unresolved).ok:
            item.db_set("outcome", "On Hold", update_modified=False)
            all_done = False
            continue
        else:
            outcome, result, action = "Admitted", "No Objection", "Admit after Notice"
        item.db_set("outcome", outcome, update_modified=False)
        frappe.db.set_value(APPLICATION, item.application, "notice_result", result, update_modified=False)
        if frappe.db.get_value(APPLICATION, item.application, "workflow_state") == "In Notice":
            move(item.application, action)
    status = "Processed" if all_done else "Ended"
    notice.db_set({"notice_status": status, "processed_on": now_datetime() if all_done else None})
    return status


def process_ended_notices() -> dict[str, str]:
    """Daily scheduler job (idempotent): update every published notice's status and move
    the applications of the ones that ended."""
    result = {}
    for name in frappe.get_all(
        "Public Notice", filters={"docstatus": 1, "notice_status": ("!=", "Processed")}, pluck="name"
    ):
        result[name] = process_notice(name)
    return result
