"""The Lingwu oversight chain on the site ([LW2021] 四（一）4–5、四（二）3–4; R-LIST, R-EVAL-CONFIRM).

The rules live in ``shuangfuhua_app.standard.oversight``; this module reads the stored
record, calls them, stamps who took each step and when (the server, never the client), and
answers whether an application stands on an approved admission list (the public notice's
gate when the settings switch it on).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from shuangfuhua_app.exceptions import StandardRuleError, throw
from shuangfuhua_app.standard.oversight import (
    FINAL,
    FIRST_REVIEW,
    LIST,
    RETURN,
    SUBMIT,
    Facts,
    check_notice_on_approved_lists,
    check_step,
)

SETTINGS = "Shuangfuhua Settings"
SWITCH = "admission_list_required"
ADMISSION_LIST = "Admission List"
LIST_ITEM = "Admission List Item"


class OversightError(StandardRuleError):
    """A step of the Lingwu chain out of order or by the wrong body (R-LIST, R-EVAL-CONFIRM)."""


def lists_required() -> bool:
    """R-LIST: the settings' switch (off by default – the Hangzhou standard, §6.3)."""
    return bool(cint(frappe.db.get_single_value(SETTINGS, SWITCH)))


def applications_on_approved_lists(applications: list[str]) -> dict[str, bool]:
    """application -> whether it stands on an admission list the leading group office approved
    (read from the server's stamp ``approved_on``, not from a state's name)."""
    approved = set()
    if applications:
        rows = frappe.db.sql(
            f"""select item.application from `tab{LIST_ITEM}` item
                join `tab{ADMISSION_LIST}` l on l.name = item.parent
                where item.parenttype = %(dt)s and item.application in %(apps)s
                  and l.approved_on is not null and l.docstatus < 2""",
            {"dt": ADMISSION_LIST, "apps": tuple(applications)},
        )
        approved = {r[0] for r in rows}
    return {a: a in approved for a in applications}


def check_applications_listed(applications: list[str]) -> None:
    """The public notice's gate (R-LIST): with the switch on, every application of the notice
    stands on an approved admission list."""
    finding = check_notice_on_approved_lists(lists_required(), applications_on_approved_lists(applications))
    if not finding.ok:
        throw(finding.message, OversightError)


# ------------------------------------------------------------------ the chain's records


def _stored_facts(doc, final_prefix: str) -> tuple[Facts, str | None]:
    """The facts of the stored record (what a client sends changes nothing) and its state."""
    if doc.is_new():
        return Facts(), None
    stored = frappe.db.get_value(
        doc.doctype, doc.name, ["workflow_state", "submitted_on", "first_reviewed_on", f"{final_prefix}_on"], as_dict=True
    )
    if not stored:
        return Facts(), None
    facts = Facts(
        submitted=bool(stored.submitted_on),
        first_reviewed=bool(stored.first_reviewed_on),
        final=bool(stored.get(f"{final_prefix}_on")),
    )
    return facts, stored.workflow_state


def _rows_signature(doc, fields: tuple[str, ...]) -> list:
    return [tuple(str(row.get(f) or "") for f in fields) for row in doc.get("items") or []]


def run_chain(doc, kind: str, steps_by_state: dict[str, str], final_prefix: str, row_fields: tuple[str, ...]) -> None:
    """In ``validate`` of an Admission List or Incubation Work Evaluation: the contents are
    frozen once submitted; a change of state is the step its target state takes (shipped
    states only: one added in Desk takes none), checked against the stored facts and the
    user's roles, and stamped by the server."""
    facts, previous = _stored_facts(doc, final_prefix)
    before = doc.get_doc_before_save()
    if facts.submitted and before is not None and _rows_signature(before, row_fields) != _rows_signature(doc, row_fields):
        throw(_("The contents cannot be changed once submitted for review; return it first."), OversightError)
    state = doc.workflow_state
    if doc.is_new() or not state or state == previous:
        return
    step = steps_by_state.get(state)
    if step is None:
        if facts.final:  # nothing moves once the leading group office decided
            check_and_raise(kind, RETURN, facts)
        return
    check_and_raise(kind, step, facts)
    user, now = frappe.session.user, now_datetime()
    if step == SUBMIT:
        doc.submitted_by, doc.submitted_on = user, now
    elif step == FIRST_REVIEW:
        doc.first_reviewed_by, doc.first_reviewed_on = user, now
    elif step == FINAL:
        doc.set(f"{final_prefix}_by", user)
        doc.set(f"{final_prefix}_on", now)
    elif step == RETURN:
        doc.returned_by, doc.returned_on = user, now
        doc.submitted_by = doc.submitted_on = doc.first_reviewed_by = doc.first_reviewed_on = None


def check_and_raise(kind: str, step: str, facts: Facts) -> None:
    finding = check_step(kind, step, facts, frappe.get_roles())
    if not finding.ok:
        throw(finding.message, OversightError)


def refuse_delete_after_submission(doc, final_prefix: str) -> None:
    facts, _state = _stored_facts(doc, final_prefix)
    if facts.submitted or facts.final:
        throw(_("A record submitted for review cannot be deleted."), OversightError)


__all__ = ["LIST", "OversightError", "check_applications_listed", "lists_required", "run_chain"]
