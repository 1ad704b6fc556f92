"""Admission (入壳, DB3301/T 0346—2021 §5–§6) services shared by the DocType controllers.

The rules themselves live in ``shuangfuhua_app.standard.admission``; this module gathers
records, calls them and moves documents through the workflow.
"""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime

from shuangfuhua_app import workflow_paths
from shuangfuhua_app.standard.admission import check_agreement_allowed, notice_state
from shuangfuhua_app.utils import today
from shuangfuhua_app.workflow_meanings import ADMITTED, OPEN, UNDERWAY

APPLICATION = "Incubation Application"
ORG = "Community Social Organization"

#: the states the app itself moves an application to (R-6.3, R-6.4); reached by the site
#: workflow's transition, whatever its action is called (issue 15 §1)
IN_NOTICE = "In Notice"
ADMITTED_STATE = "Admitted"
NOT_ADMITTED_STATE = "Not Admitted"

#: Org incubation status derived from what the state of its latest application *means*
#: (issue 15 §2: a state added in Desk is open – "Applying" – unless the settings say otherwise)
STATUS_BY_MEANING = {OPEN: "Applying", UNDERWAY: "Applying", ADMITTED: "Admitted"}


#: Org status after the exit decision recorded on its latest agreement (R-8.1.2, R-8.2).
STATUS_BY_EXIT_OUTCOME = {"Exited": "Exited", "Incubation Ended": "Incubation Ended", "Re-signed": "Incubating",
                          # issue 14 §8: the organization's termination ended the agreement
                          "Terminated": "Incubation Ended"}


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
        status = application_status(latest[0].workflow_state) if latest else "Not Applied"
    frappe.db.set_value(ORG, org, "incubation_status", status, update_modified=False)
    return status


def application_status(state: str | None) -> str:
    """The organization's incubation status while ``state`` is its latest application's."""
    if state == IN_NOTICE:
        return "In Notice"
    return STATUS_BY_MEANING.get(workflow_paths.state_meaning(APPLICATION, state or "Draft"), "Not Admitted")


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


def move(application: str, target_state: str) -> None:
    """Take the site workflow's transition of an application to ``target_state`` as the
    current user (its roles and condition checked as Frappe does; never by action name)."""
    workflow_paths.move(APPLICATION, application, target_state)


def process_notice(name: str, guarded: bool = False) -> str:
    """R-6.3/R-6.4 (auto): when a notice has ended, admit its applications that have no
    upheld or pending objection and reject those with an upheld one.  Idempotent: items
    already decided are skipped; items with pending objections wait (``On Hold``).
    ``guarded`` (the daily job, issue 15 §3): an application that fails is logged in the Error
    Log and waits for the next run while the notice's other applications go on."""
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
        if guarded:
            from shuangfuhua_app.jobs import FAILED, run_guarded

            done = run_guarded(APPLICATION, item.application, "process_ended_notices", _process_item, notice, item)
            done = done is not FAILED and done
        else:
            done = _process_item(notice, item)
        all_done = all_done and done
    status = "Processed" if all_done else "Ended"
    notice.db_set({"notice_status": status, "processed_on": now_datetime() if all_done else None})
    return status


def _process_item(notice, item) -> bool:
    """One application of an ended notice: admitted, not admitted (upheld objection) or on
    hold (pending objection: returns False, decided on a later run)."""
    upheld, unresolved = objection_counts(notice.name, item.application)
    if upheld:
        outcome, result, target = "Objection Upheld", "Objection Upheld", NOT_ADMITTED_STATE
    elif not check_agreement_allowed(notice.end_date, today(), upheld, unresolved).ok:
        item.db_set("outcome", "On Hold", update_modified=False)
        return False
    else:
        outcome, result, target = "Admitted", "No Objection", ADMITTED_STATE
    item.db_set("outcome", outcome, update_modified=False)
    frappe.db.set_value(APPLICATION, item.application, "notice_result", result, update_modified=False)
    if workflow_paths.is_open(APPLICATION, frappe.db.get_value(APPLICATION, item.application, "workflow_state")):
        move(item.application, target)
    return True


def process_ended_notices() -> dict[str, str]:
    """Daily scheduler job (idempotent): update every published notice's status and move
    the applications of the ones that ended. Each notice is handled on its own (issue 15 §3):
    one that fails is rolled back to its savepoint, logged in the Error Log with its name,
    and the run goes on with the others (it is tried again the next day)."""
    from shuangfuhua_app.jobs import each_record

    result = {}
    names = frappe.get_all(
        "Public Notice", filters={"docstatus": 1, "notice_status": ("!=", "Processed")}, pluck="name"
    )
    for name, status in each_record(
        "Public Notice", names, lambda n: process_notice(n, guarded=True), job="process_ended_notices"
    ):
        result[name] = status
    return result
