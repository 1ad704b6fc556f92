"""Continuous improvement (持续改进, DB3301/T 0346—2021 §9; R-9): feedback and complaints,
corrective actions, the center's yearly review. Rules: ``shuangfuhua_app.standard.improvement``.

* Overdue corrective actions are reminded once per action and due date (moving the due date
  re-arms the reminder) to the responsible user, or the center's staff when that user is
  disabled – through the same ledger and ToDos as the §7 reminders.
* The yearly review lists the center's corrective actions raised in the year, and those of
  earlier years still open at its start or completed during it; the figures are refreshed on
  every save of the draft and frozen when the review is submitted.
"""

from __future__ import annotations

import datetime

import frappe
from frappe.utils import getdate

from shuangfuhua_app.jobs import remind_many
from shuangfuhua_app.incubation import send_digests
from shuangfuhua_app.standard.exit import EXIT_LEVELS, LEVEL_VALUES
from shuangfuhua_app.standard.improvement import (
    ACTION_DONE,
    SATISFACTION_SCORES,
    action_overdue,
    action_overdue_message,
    review_summary,
)
from shuangfuhua_app.utils import today

ACTION = "Corrective Action"
FEEDBACK = "Service Feedback"


def overdue_actions(as_of: datetime.date) -> list[frappe._dict]:
    rows = frappe.get_all(
        ACTION,
        filters={"due_date": ("<", as_of), "action_status": ("not in", ("Completed", "Cancelled"))},
        fields=["name", "service_center", "organization", "action", "owner_user", "due_date", "action_status"],
        order_by="due_date asc",
    )
    return [r for r in rows if action_overdue(r.due_date, r.action_status, as_of)]


def send_reminders(as_of=None) -> list[str]:
    """Daily scheduler job (idempotent): R-9 (§9) corrective actions past their due date."""
    as_of = getdate(as_of) if as_of else today()
    actions = overdue_actions(as_of)
    # R-X-SCALE (issue 18 §1): the centers' names in one query, the ledger rows set-based
    names = dict(frappe.get_all("Service Center", filters={"name": ("in", list({r.service_center for r in actions}))},
                                fields=["name", "center_name"], as_list=True)) if actions else {}
    created = remind_many("improvement.send_reminders", (
        {"key": f"R-9|{r.name}|{getdate(r.due_date).isoformat()}", "rule": "R-9", "organization": r.organization,
         "service_center": r.service_center, "period": getdate(r.due_date).isoformat(),
         "message": action_overdue_message(names.get(r.service_center) or r.service_center, r.action,
                                           getdate(r.due_date)),
         "due": as_of, "users": [r.owner_user] if r.owner_user else None, "doctype": ACTION, "docname": r.name}
        for r in actions
    ))
    send_digests("improvement.send_reminders")  # issue 18 §1: one digest per user and day
    return created


def review_records(center: str, year: int) -> tuple[list[dict], list[dict], list[dict]]:
    """(feedback, corrective actions, confirmed exit results) of a center for its yearly review."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    feedback = [
        {"date": r.feedback_date, "feedback_type": r.feedback_type, "rating": SATISFACTION_SCORES.get(r.rating),
         "status": r.feedback_status}
        for r in frappe.get_all(
            FEEDBACK,
            filters={"service_center": center, "feedback_date": ("between", (start, end))},
            fields=["feedback_date", "feedback_type", "rating", "feedback_status"],
        )
    ]
    actions = []
    for r in frappe.get_all(
        ACTION,
        filters={"service_center": center, "raised_on": ("<=", end)},
        fields=["name", "problem", "action", "owner_user", "due_date", "action_status", "completed_on", "raised_on"],
        order_by="raised_on asc, creation asc",
    ):
        raised, completed = getdate(r.raised_on), getdate(r.completed_on) if r.completed_on else None
        still_open = r.action_status not in ACTION_DONE and r.action_status != "Cancelled"
        if raised >= start or still_open or (completed and completed >= start):
            actions.append({**r, "status": r.action_status})
    exits = [
        {"level": EXIT_LEVELS[LEVEL_VALUES[r.level]], "value": r.level}
        for r in frappe.get_all(
            "Exit Assessment",
            filters={"service_center": center, "docstatus": 1, "workflow_state": "Finally Confirmed",
                     "final_confirmed_on": ("between", (start, datetime.datetime.combine(end, datetime.time.max)))},
            fields=["level"],
        )
        if r.level in LEVEL_VALUES
    ]
    return feedback, actions, exits


def yearly_review(center: str, year: int, as_of=None) -> dict:
    """R-9 (§9): the figures and the list of corrective actions for a center's yearly review."""
    as_of = getdate(as_of) if as_of else today()
    feedback, actions, exits = review_records(center, year)
    summary = review_summary(year, feedback, actions, exits, as_of)
    summary["action_rows"] = actions
    summary["exit_values"] = [e["value"] for e in exits]
    return summary
