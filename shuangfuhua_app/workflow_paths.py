"""Move records through the workflow *as it is on the site* (issue 15 §1–2).

An administrator may rename a workflow's actions (Workflow Action Master or a transition's
action), add states, or change the roles allowed to act in Desk. The app therefore never
applies an action by its name: it looks for the transition from the record's current state
to the state it wants to reach, in the site's workflow, checks the user's roles and the
transition's condition as Frappe does, and applies *that* transition – whatever its action
is called today. Where the site's workflow has no such transition, the message names it
(from state → to state) so the administrator knows what to add.

The app's own gates (R-6.2.1, R-6.3, R-6.4, R-CONFIRM, R-FILE) stay in the controllers and
hold whatever the workflow says.

What a state *means* (open, admitted, refused, closed, withdrawn) comes from
``shuangfuhua_app.workflow_meanings`` (the shipped states), the settings' table *Workflow
State Meanings* (a center's choice, which wins) and ``open`` for any other state of the
site's workflow; :func:`states_meaning` gives the states of a meaning for SQL ``in (…)``.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.docstatus import DocStatus
from frappe.model.workflow import (
    WorkflowTransitionError,
    get_workflow_name,
    has_approval_access,
    is_transition_condition_satisfied,
)
from frappe.utils import cint

from shuangfuhua_app.workflow_meanings import MEANINGS, OPEN, SHIPPED_MEANINGS, STILL_OPEN, UNDERWAY, meaning_of

SETTINGS = "Shuangfuhua Settings"
MEANING_TABLE = "SFH Workflow State Meaning"


class MissingTransitionError(WorkflowTransitionError):
    """The site's workflow offers no transition between the two states the app needs."""


class TransitionConditionError(WorkflowTransitionError):
    """A transition exists but its condition does not hold for the record."""


# ====================================================================== the site's workflow


def site_workflow(doctype: str):
    """The active Workflow of ``doctype`` on this site (cached by Frappe), or None."""
    name = get_workflow_name(doctype)
    return frappe.get_cached_doc("Workflow", name) if name else None


def _workflow_or_throw(doctype: str):
    workflow = site_workflow(doctype)
    if not workflow:
        frappe.throw(_("{0} has no active workflow on this site.").format(_(doctype)), MissingTransitionError)
    return workflow


def current_state(doc, workflow=None) -> str:
    workflow = workflow or _workflow_or_throw(doc.doctype)
    return doc.get(workflow.workflow_state_field) or workflow.states[0].state


def transitions_between(doctype: str, from_state: str | None, to_state: str) -> list:
    """Every transition of the site's workflow from ``from_state`` to ``to_state`` (any role)."""
    workflow = site_workflow(doctype)
    if not workflow:
        return []
    start = from_state or workflow.states[0].state
    return [t for t in workflow.transitions if t.state == start and t.next_state == to_state]


def roles_for(doctype: str, from_state: str | None, to_state: str) -> list[str]:
    """The roles the site's workflow allows to move a record from ``from_state`` to ``to_state``."""
    return sorted({t.allowed for t in transitions_between(doctype, from_state, to_state)})


def _missing(workflow, start: str, target: str) -> str:
    return _(
        "The workflow “{0}” has no transition from “{1}” to “{2}”. Add this transition in Desk "
        "(Workflow), or restore the shipped workflow."
    ).format(_(workflow.name), _(start), _(target))


def find_transition(doc, target_state: str, *, raise_exception: bool = True):
    """The transition the current user may take from ``doc``'s state to ``target_state`` in
    the site's workflow: role held (as Frappe checks it) and condition met. Raises a Chinese
    message naming what is missing (no transition / role / condition) or returns None when
    ``raise_exception`` is false."""
    workflow = _workflow_or_throw(doc.doctype)
    start = current_state(doc, workflow)
    rows = [t for t in workflow.transitions if t.state == start and t.next_state == target_state]
    if not rows:
        if raise_exception:
            frappe.throw(_missing(workflow, start, target_state), MissingTransitionError, title=_("Missing transition"))
        return None
    roles = set(frappe.get_roles())
    mine = [t for t in rows if t.allowed in roles]
    if not mine:
        if raise_exception:
            frappe.throw(
                _("Only {0} may move this record from “{1}” to “{2}”.").format(
                    "、".join(_(r) for r in sorted({t.allowed for t in rows})), _(start), _(target_state)
                ),
                frappe.PermissionError,
            )
        return None
    met = [t for t in mine if is_transition_condition_satisfied(t, doc)]
    if not met:
        if raise_exception:
            frappe.throw(
                _("The condition of the transition from “{0}” to “{1}” is not met: {2}").format(
                    _(start), _(target_state), mine[0].condition or ""
                ),
                TransitionConditionError,
            )
        return None
    return met[0]


def transition_to(doc, target_state: str, *, reload: bool = True):
    """Take the site workflow's transition from ``doc``'s current state to ``target_state`` as
    the current user – as ``frappe.model.workflow.apply_workflow`` does with the action the
    transition carries today – and return the saved document. ``reload`` (default, as Frappe's
    ``apply_workflow``) acts on the stored record, not on unsaved changes of ``doc``."""
    if reload and not doc.is_new():
        doc = frappe.get_doc(doc.doctype, doc.name)
        doc.load_from_db()
    workflow = _workflow_or_throw(doc.doctype)
    if current_state(doc, workflow) == target_state:
        return doc
    doc.check_permission("read")
    transition = find_transition(doc, target_state)
    if not has_approval_access(frappe.session.user, doc, transition):
        frappe.throw(_("Self approval is not allowed"))

    doc.set(workflow.workflow_state_field, transition.next_state)
    next_state = next(s for s in workflow.states if s.state == transition.next_state)
    if next_state.update_field:
        doc.set(next_state.update_field, next_state.update_value)
    new_docstatus = cint(next_state.doc_status)
    if doc.docstatus.is_draft() and new_docstatus == DocStatus.draft():
        doc.save()
    elif doc.docstatus.is_draft() and new_docstatus == DocStatus.submitted():
        doc.submit()
    elif doc.docstatus.is_submitted() and new_docstatus == DocStatus.submitted():
        doc.save()
    elif doc.docstatus.is_submitted() and new_docstatus == DocStatus.cancelled():
        doc.cancel()
    else:
        frappe.throw(_("Illegal Document Status for {0}").format(next_state.state))
    doc.add_comment("Workflow", _(next_state.state))
    return doc


def move(doctype: str, name: str, target_state: str):
    """:func:`transition_to` on the stored record ``doctype``/``name``."""
    return transition_to(frappe.get_doc(doctype, name), target_state, reload=False)


def action_to(doc, target_state: str) -> str | None:
    """The name the site's workflow gives today to the user's transition from ``doc``'s state
    to ``target_state`` (for buttons and labels), or None."""
    transition = find_transition(doc, target_state, raise_exception=False)
    return transition.action if transition else None


# ====================================================================== what states mean


def _overrides() -> dict[str, dict[str, str]]:
    """workflow -> {state -> meaning} from the settings, read once per request."""
    cache = getattr(frappe.local, "sfh_state_meanings", None)
    if cache is None:
        cache = {}
        if frappe.db.table_exists(MEANING_TABLE):
            for row in frappe.get_all(
                MEANING_TABLE,
                filters={"parent": SETTINGS, "parenttype": SETTINGS},
                fields=["workflow", "state", "meaning"],
            ):
                meaning = (row.meaning or "").lower()
                if row.workflow and row.state and meaning in MEANINGS:
                    cache.setdefault(row.workflow, {})[row.state] = meaning
        frappe.local.sfh_state_meanings = cache
    return cache


def clear_meanings_cache(*args, **kwargs) -> None:
    """Forget the meanings read in this request (the settings or a workflow changed)."""
    frappe.local.sfh_state_meanings = None
    frappe.local.sfh_states_meaning = None


def _workflow_name(doctype: str) -> str | None:
    name = get_workflow_name(doctype)
    if name:
        return name
    for workflow, _states in SHIPPED_MEANINGS.items():
        if frappe.db.get_value("Workflow", workflow, "document_type") == doctype:
            return workflow
    return None


def state_meaning(doctype: str, state: str | None) -> str:
    """What ``state`` of ``doctype``'s workflow means on this site (default ``open``)."""
    workflow = _workflow_name(doctype)
    return meaning_of(workflow or "", state, _overrides().get(workflow or ""))


def known_states(doctype: str) -> list[str]:
    """The states of the site's workflow, then the shipped states it no longer has (records
    may still sit in them until moved; see ``setup.workflow_sync.reset_workflow``)."""
    workflow = site_workflow(doctype)
    name = _workflow_name(doctype) or ""
    states = [s.state for s in workflow.states] if workflow else []
    for state in SHIPPED_MEANINGS.get(name, {}):
        if state not in states:
            states.append(state)
    return list(dict.fromkeys(states))


def states_meaning(doctype: str, *meanings: str) -> tuple[str, ...]:
    """The states of ``doctype`` that carry one of ``meanings`` on this site – for a filter
    ``("in", …)`` or SQL ``in %(states)s``. Never empty: a meaning no state carries gives a
    value no record holds."""
    cache = getattr(frappe.local, "sfh_states_meaning", None)
    if cache is None:
        cache = frappe.local.sfh_states_meaning = {}
    key = (doctype, meanings)
    if key not in cache:
        found = tuple(s for s in known_states(doctype) if state_meaning(doctype, s) in meanings)
        cache[key] = found or ("\x00no state\x00",)
    return cache[key]


def open_states(doctype: str) -> tuple[str, ...]:
    """The states of a matter still being handled (``open`` or, after an approval, ``underway``)."""
    return states_meaning(doctype, OPEN, UNDERWAY)


def is_open(doctype: str, state: str | None) -> bool:
    return state_meaning(doctype, state) in STILL_OPEN


def is_project_underway(state: str | None) -> bool:
    """A venture project in ``state`` is approved and being carried out (meaning ``underway``):
    it files progress and closing reports (issue 15 §2)."""
    return state_meaning("Venture Project", state) == UNDERWAY


def first_state_meaning(doctype: str, *meanings: str) -> str | None:
    """The first state of the site's workflow with one of ``meanings``, in the order given
    (for closing records without a transition, e.g. on a termination)."""
    for meaning in meanings:
        for state in known_states(doctype):
            if state_meaning(doctype, state) == meaning:
                return state
    return None
