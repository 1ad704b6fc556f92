"""Issue 14 §8 on a real site: a termination's approval also closes what an organization had
started but not finished – an application admitted whose agreement was never signed (still
open, §6.4), a draft (unsigned) incubation agreement, an exit assessment not finally confirmed
– nothing deleted, each listed on the termination (*Closed on Termination*), and the next
daily run reminds nothing.

The records are moved by the site workflow's transitions to their target states
(``workflow_paths.transition_to``), never by an action's name.
"""

from __future__ import annotations

import datetime

import frappe
from factory import World, as_user, make_user

from shuangfuhua_app.utils import today
from shuangfuhua_app.workflow_paths import transition_to

APP, AGREEMENT, ASSESS = "Incubation Application", "Incubation Agreement", "Exit Assessment"
TERMINATION, ORG = "Organization Termination", "Community Social Organization"
START = "2023-06-01"


def _monday_weeks_ago(weeks: int) -> datetime.date:
    d = today() - datetime.timedelta(weeks=weeks)
    return d - datetime.timedelta(days=d.weekday())


def _admitted(w: World, notice_start) -> str:
    app = w.apply(w.org)
    w.to_recommended(app)
    w.notice([app], notice_start)
    assert frappe.db.get_value(APP, app.name, "workflow_state") == "Admitted"
    return app.name


def _agreement(w: World, application: str, start: str, sign: bool) -> str:
    def create():
        doc = frappe.get_doc({"doctype": AGREEMENT, "application": application, "start_date": start, "signed_on": start,
                              "party_a_signatory": "李主任", "party_b_signatory": "张会长"}).insert()
        if sign:
            doc.submit()
        return doc.name

    return as_user(w.staff, create)


def _draft_assessment(w: World, agreement: str) -> str:
    def create():
        doc = frappe.get_doc({
            "doctype": ASSESS, "incubation_agreement": agreement, "assessment_date": str(today()),
            "template": frappe.db.get_single_value("Shuangfuhua Settings", "default_exit_template"),
            "assessors": [{"assessor_name": n, "category": c}
                          for n, c in (("张专家", "Expert"), ("李镇领导", "Township Leader"), ("王社区", "Community Head"))],
        }).insert()
        return doc.name

    return as_user(w.staff, create)


def _daily_jobs() -> None:
    for fn in frappe.get_hooks("scheduler_events", app_name="shuangfuhua_app")["daily"]:
        frappe.get_attr(fn)()
    frappe.db.commit()


def test_termination_closes_the_unsigned_admission_draft_agreement_and_unconfirmed_assessment():
    w = World()
    org = w.org
    # admitted in 2023, agreement signed: its cycle ended, a draft exit assessment started
    first = _admitted(w, "2023-05-04")
    signed = _agreement(w, first, START, sign=True)
    assessment = _draft_assessment(w, signed)
    # a second application admitted this year (the first is no longer open) – agreement only drafted
    second = _admitted(w, _monday_weeks_ago(6))
    draft = _agreement(w, second, str(_monday_weeks_ago(2)), sign=False)
    frappe.db.commit()
    assert frappe.db.get_value(ASSESS, assessment, ["docstatus", "workflow_state"]) == (0, "Draft")
    assert frappe.db.get_value(AGREEMENT, draft, "docstatus") == 0
    assert frappe.db.get_value(APP, second, ["docstatus", "workflow_state"]) == (1, "Admitted")

    leader = make_user(["Township Leader"], centers=[w.center])
    worker = make_user(["Community Worker"], communities=[w.community])
    term = as_user(w.rep, lambda: frappe.get_doc({
        "doctype": TERMINATION, "organization": org, "reason": "组织宗旨已完成", "meeting_date": str(today()),
        "members_total": 15, "members_present": 12, "votes_for": 11, "votes_against": 1}).insert().name)
    for user, target in ((w.rep, "Residents' Committee Review"), (worker, "Township Review"), (leader, "Terminated")):
        as_user(user, lambda t=target: transition_to(frappe.get_doc(TERMINATION, term), t))
    frappe.db.commit()

    # closed, nothing deleted
    assert frappe.db.get_value(APP, second, ["docstatus", "workflow_state"]) == (2, "Admitted")  # cancelled
    assert frappe.db.get_value(APP, first, "docstatus") == 1  # its agreement was signed: ended already
    assert frappe.db.get_value(AGREEMENT, draft, ["docstatus", "exit_outcome"]) == (2, "Terminated")
    assert frappe.db.get_value(AGREEMENT, signed, ["docstatus", "exit_outcome"]) == (1, "Terminated")
    assert frappe.db.get_value(ASSESS, assessment, ["docstatus", "workflow_state"]) == (2, "Returned for Reassessment")
    # listed on the termination
    log = frappe.db.get_value(TERMINATION, term, "closure_log")
    for name in (second, draft, assessment):
        assert name in log, (name, log)
    assert first not in log
    # the one-open-application rule sees no open application of the organization
    from shuangfuhua_app.standard.admission import application_open_by_meaning
    from shuangfuhua_app.workflow_paths import state_meaning

    for a in frappe.get_all(APP, filters={"organization": org}, fields=["name", "workflow_state", "docstatus"]):
        has_signed = frappe.db.exists(AGREEMENT, {"application": a.name, "docstatus": 1})
        assert not application_open_by_meaning(state_meaning(APP, a.workflow_state), a.docstatus, bool(has_signed)), a
    # the next daily run reminds nothing about the organization or its records
    records = [org, first, second, signed, draft, assessment]
    before = set(frappe.get_all("SFH Reminder", filters={"organization": org}, pluck="name"))
    _daily_jobs()
    assert set(frappe.get_all("SFH Reminder", filters={"organization": org}, pluck="name")) == before
    assert frappe.db.count("ToDo", {"status": "Open", "reference_name": ("in", records)}) == 0
