"""The Lingwu oversight chain as configuration (issue 15 §7; R-LIST, R-EVAL-CONFIRM,
[LW2021] 四（一）4–5、四（二）3–4), on a real site, over HTTP as the real roles.

With the settings' switch on, an Admission List goes Draft → 业务主管单位初审 → 领导小组办公室审定
before its public notice, in order, each step only by its body; a notice of an application on no
approved list is refused. Switched off, admission goes from the panel to the notice as before.
The Incubation Work Evaluation goes 提交 → 初审 → 认定 the same way.
"""

from __future__ import annotations

import json
import os

import frappe
import pytest
import requests
from frappe.model.workflow import WorkflowTransitionError

from factory import World, act, api_token, as_user, make_center, make_org, make_user
from shuangfuhua_app.oversight import OversightError
from shuangfuhua_app.setup.workflow_sync import reset_workflow

URL = os.environ.get("SFH_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")

LIST, EVAL = "Admission List", "Incubation Work Evaluation"
LIST_WF, EVAL_WF = "Admission List Workflow", "Incubation Work Evaluation Workflow"
SWITCH = "admission_list_required"
#: the clauses the refusals cite (R-LIST, R-EVAL-CONFIRM)
CITE_LIST, CITE_EVAL = "四（一）4、四（二）3", "四（一）5、四（二）4"


def set_switch(value: int) -> None:
    frappe.db.set_single_value("Shuangfuhua Settings", SWITCH, value)
    frappe.db.commit()
    frappe.clear_document_cache("Shuangfuhua Settings", "Shuangfuhua Settings")


@pytest.fixture(scope="module")
def x():
    saved = frappe.db.get_single_value("Shuangfuhua Settings", SWITCH)
    for attempt in range(3):  # other engineers' tests share the site: retry a deadlocked setup
        try:
            w = World()
            ns = type("X", (), {})()
            ns.w = w
            ns.bsu = make_user(["Business Supervisory Unit"], centers=[w.center], first_name="主管单位")
            ns.lgo = make_user(["Leading Group Office"], first_name="领导小组办公室")
            ns.other_center = make_center()
            ns.other_staff = make_user(["Center Staff"], centers=[ns.other_center])
            ns.other_bsu = make_user(["Business Supervisory Unit"], centers=[ns.other_center])
            ns.tokens = {u: api_token(u) for u in (w.staff, w.head, ns.bsu, ns.lgo, ns.other_staff, ns.other_bsu)}
            frappe.db.commit()
            break
        except frappe.QueryDeadlockError:
            frappe.db.rollback()
            if attempt == 2:
                raise
    yield ns
    set_switch(int(saved or 0))  # restore the site's switch


@pytest.fixture
def switched_on(x):
    set_switch(1)
    yield
    set_switch(0)


# ------------------------------------------------------------------ HTTP as the real roles


def call(x, user, method, path, **kw) -> requests.Response:
    headers = {"Authorization": x.tokens[user], "Host": frappe.local.site, "Accept": "application/json"}
    return requests.request(method, f"{URL}{path}", headers=headers, timeout=120, **kw)


def messages(r: requests.Response) -> str:
    data = r.json()
    out = [data.get("exception") or ""]
    for m in json.loads(data.get("_server_messages") or "[]"):
        try:
            out.append(json.loads(m).get("message", ""))
        except ValueError:
            out.append(m)
    return "\n".join(out)


def action(x, user, doctype, name, act_name) -> requests.Response:
    return call(x, user, "POST", "/api/method/frappe.model.workflow.apply_workflow",
                json={"doc": json.dumps({"doctype": doctype, "name": name}), "action": act_name})


def ok(r):
    assert r.status_code == 200, (r.status_code, r.text[:600])
    frappe.db.rollback()  # read what the web server committed
    return r


def refused(r, *parts):
    assert r.status_code >= 400, r.text[:600]
    text = messages(r)
    for p in parts:
        assert p in text, (p, text[:600])
    frappe.db.rollback()
    return text


def stored(doctype, name, *fields):
    frappe.db.rollback()
    return frappe.db.get_value(doctype, name, list(fields), as_dict=True)


def recommended(x, n=1):
    apps = [x.w.to_recommended(x.w.apply(org=make_org(x.w.center, x.w.community))) for _ in range(n)]
    frappe.db.commit()
    return apps


def new_list(x, apps, user=None):
    doc = as_user(user or x.w.staff, lambda: frappe.get_doc(
        {"doctype": LIST, "title": "2026年第一批入驻名单", "service_center": x.w.center,
         "items": [{"application": a.name} for a in apps]}).insert())
    frappe.db.commit()
    return doc


# ------------------------------------------------------------------ R-LIST


def test_a_list_goes_through_both_bodies_in_order_before_its_notice(x, switched_on):
    app, other = recommended(x, 2)
    # switched on: no notice before the list is approved (the public notice's gate)
    with pytest.raises(OversightError, match=CITE_LIST) as e:
        x.w.notice([app], "2025-09-30")
    assert app.name in str(e.value)
    frappe.db.rollback()

    lst = new_list(x, [app, other])
    assert lst.workflow_state == "Draft"
    # staff of another center do not see it, nor act on it
    refused(call(x, x.other_staff, "GET", f"/api/resource/{LIST}/{lst.name}"))
    refused(action(x, x.other_staff, LIST, lst.name, "Submit for First Review"))
    # nobody approves or first-reviews a draft
    refused(action(x, x.lgo, LIST, lst.name, "Approve List"))
    refused(action(x, x.bsu, LIST, lst.name, "Pass First Review"))

    ok(action(x, x.w.staff, LIST, lst.name, "Submit for First Review"))
    s = stored(LIST, lst.name, "workflow_state", "submitted_by", "submitted_on")
    assert (s.workflow_state, s.submitted_by) == ("Awaiting First Review", x.w.staff) and s.submitted_on
    # first review: only the supervisory unit (of this center); approval not before it
    refused(action(x, x.lgo, LIST, lst.name, "Pass First Review"))
    refused(action(x, x.w.staff, LIST, lst.name, "Pass First Review"))
    refused(action(x, x.other_bsu, LIST, lst.name, "Pass First Review"))
    refused(action(x, x.lgo, LIST, lst.name, "Approve List"))
    with pytest.raises(OversightError, match=CITE_LIST):  # first-reviewed is not approved
        x.w.notice([app], "2025-09-30")
    frappe.db.rollback()

    ok(action(x, x.bsu, LIST, lst.name, "Pass First Review"))
    s = stored(LIST, lst.name, "workflow_state", "first_reviewed_by", "first_reviewed_on", "approved_on")
    assert (s.workflow_state, s.first_reviewed_by) == ("First Reviewed", x.bsu) and s.first_reviewed_on
    assert not s.approved_on
    # approval: only the leading group office
    refused(action(x, x.bsu, LIST, lst.name, "Approve List"))
    refused(action(x, x.w.head, LIST, lst.name, "Approve List"))
    with pytest.raises(OversightError, match=CITE_LIST):
        x.w.notice([app], "2025-09-30")
    frappe.db.rollback()

    ok(action(x, x.lgo, LIST, lst.name, "Approve List"))
    s = stored(LIST, lst.name, "workflow_state", "approved_by", "approved_on")
    assert (s.workflow_state, s.approved_by) == ("List Approved", x.lgo) and s.approved_on
    # the approved list is final: its rows cannot change, nobody returns it
    doc = frappe.get_doc(LIST, lst.name)
    doc.items = doc.items[:1]
    with pytest.raises(OversightError):
        as_user(x.w.staff, doc.save)
    frappe.db.rollback()

    # now the notice is published; the organization goes on as today (admitted after the notice)
    notice = x.w.notice([app, other], "2025-09-30")
    frappe.db.commit()
    assert frappe.db.get_value("Incubation Application", app.name, "workflow_state") == "Admitted"
    assert frappe.db.get_value("Incubation Application", app.name, "public_notice") == notice.name


def test_a_list_is_returned_only_by_the_body_whose_step_it_is_and_resubmitted(x, switched_on):
    app, = recommended(x)
    lst = new_list(x, [app])
    ok(action(x, x.w.staff, LIST, lst.name, "Submit for First Review"))
    # while submitted the rows are frozen
    doc = frappe.get_doc(LIST, lst.name)
    doc.items[0].remarks = "改了"
    with pytest.raises(OversightError):
        as_user(x.w.staff, doc.save)
    frappe.db.rollback()
    refused(action(x, x.lgo, LIST, lst.name, "Return for Revision"))  # the supervisory unit's step
    ok(action(x, x.bsu, LIST, lst.name, "Return for Revision"))
    s = stored(LIST, lst.name, "workflow_state", "returned_by", "submitted_on")
    assert (s.workflow_state, s.returned_by, s.submitted_on) == ("Returned", x.bsu, None)
    ok(action(x, x.w.staff, LIST, lst.name, "Submit for First Review"))
    ok(action(x, x.bsu, LIST, lst.name, "Pass First Review"))
    refused(action(x, x.bsu, LIST, lst.name, "Return for Revision"))  # now the office's step
    ok(action(x, x.lgo, LIST, lst.name, "Return for Revision"))
    s = stored(LIST, lst.name, "workflow_state", "returned_by", "first_reviewed_on")
    assert (s.workflow_state, s.returned_by, s.first_reviewed_on) == ("Returned", x.lgo, None)


def test_the_gates_hold_when_the_workflow_is_loosened_in_desk(x, switched_on):
    app, = recommended(x)
    lst = new_list(x, [app])
    try:
        # an administrator opens shortcuts in Desk: staff may approve a draft and first-review
        wf = frappe.get_doc("Workflow", LIST_WF)
        for t in wf.transitions:
            t.condition = None
        wf.append("transitions", {"state": "Draft", "action": "Approve List", "next_state": "List Approved",
                                  "allowed": "Center Staff", "allow_self_approval": 1})
        wf.append("transitions", {"state": "Draft", "action": "Approve List", "next_state": "List Approved",
                                  "allowed": "Leading Group Office", "allow_self_approval": 1})
        wf.append("transitions", {"state": "Awaiting First Review", "action": "Pass First Review",
                                  "next_state": "First Reviewed", "allowed": "Center Staff", "allow_self_approval": 1})
        wf.save()
        frappe.db.commit()
        with pytest.raises(OversightError, match="须在业务主管单位初审之后"):
            act(x.w.staff, lst, "Approve List")
        frappe.db.rollback()
        with pytest.raises(OversightError, match="须在业务主管单位初审之后"):
            act(x.lgo, lst, "Approve List")
        frappe.db.rollback()
        act(x.w.staff, lst, "Submit for First Review")
        frappe.db.commit()
        with pytest.raises(OversightError, match="只能由业务主管单位"):
            act(x.w.staff, lst, "Pass First Review")
        frappe.db.rollback()
        assert frappe.db.get_value(LIST, lst.name, "workflow_state") == "Awaiting First Review"
    finally:
        frappe.db.rollback()
        reset_workflow(LIST_WF)
        frappe.db.commit()


def test_an_application_moved_to_the_notice_by_hand_needs_an_approved_list(x, switched_on):
    """The application's own gate: whatever path the workflow offers into In Notice."""
    app, = recommended(x)
    frappe.db.set_value("Incubation Application", app.name, "notice_result", "Pending")  # the transition's condition
    frappe.db.commit()
    with pytest.raises(OversightError, match=CITE_LIST):
        act(x.w.staff, app, "Publish Notice")
    frappe.db.rollback()
    assert frappe.db.get_value("Incubation Application", app.name, "workflow_state") == "Recommended"


def test_only_recommended_applications_of_the_center_go_on_a_list(x):
    draft = x.w.apply(org=make_org(x.w.center, x.w.community))
    with pytest.raises(OversightError, match="四（二）3"):
        new_list(x, [draft])
    frappe.db.rollback()


def test_switched_off_the_notice_follows_the_panel_without_a_list(x):
    set_switch(0)
    app, = recommended(x)
    notice = x.w.notice([app], "2025-09-30")
    frappe.db.commit()
    assert frappe.db.get_value("Incubation Application", app.name, "workflow_state") == "Admitted"
    assert frappe.db.get_value("Public Notice", notice.name, "docstatus") == 1
    assert not frappe.get_all("Admission List Item", filters={"application": app.name})


# ------------------------------------------------------------------ R-EVAL-CONFIRM


def test_the_incubation_work_evaluation_is_first_reviewed_then_confirmed(x):
    doc = as_user(x.w.staff, lambda: frappe.get_doc(
        {"doctype": EVAL, "service_center": x.w.center, "evaluation_year": 2026, "evaluation_date": "2026-12-01",
         "summary": "年度综合绩效评估",
         "items": [{"organization": x.w.org, "score": 88, "grade": "Good", "remarks": "运行规范"}]}).insert())
    frappe.db.commit()
    refused(call(x, x.other_staff, "GET", f"/api/resource/{EVAL}/{doc.name}"))
    refused(action(x, x.bsu, EVAL, doc.name, "Submit for First Review"))  # the center submits
    ok(action(x, x.w.staff, EVAL, doc.name, "Submit for First Review"))
    refused(action(x, x.lgo, EVAL, doc.name, "Confirm Results"))  # not before the first review
    refused(action(x, x.lgo, EVAL, doc.name, "Pass First Review"))
    refused(action(x, x.other_bsu, EVAL, doc.name, "Pass First Review"))
    ok(action(x, x.bsu, EVAL, doc.name, "Pass First Review"))
    refused(action(x, x.bsu, EVAL, doc.name, "Confirm Results"))
    refused(action(x, x.w.head, EVAL, doc.name, "Confirm Results"))
    ok(action(x, x.lgo, EVAL, doc.name, "Confirm Results"))
    s = stored(EVAL, doc.name, "workflow_state", "submitted_by", "first_reviewed_by", "confirmed_by", "confirmed_on")
    assert (s.workflow_state, s.submitted_by, s.first_reviewed_by, s.confirmed_by) == (
        "Results Confirmed", x.w.staff, x.bsu, x.lgo)
    assert s.confirmed_on
    # a client never writes who confirmed (R-X-SYSTEM)
    r = call(x, x.w.staff, "PUT", f"/api/resource/{EVAL}/{doc.name}", json={"confirmed_by": x.w.staff})
    assert r.status_code >= 400
    assert stored(EVAL, doc.name, "confirmed_by").confirmed_by == x.lgo


def test_the_evaluation_gates_hold_when_the_workflow_is_loosened(x):
    doc = as_user(x.w.staff, lambda: frappe.get_doc(
        {"doctype": EVAL, "service_center": x.w.center, "evaluation_year": 2025,
         "items": [{"organization": x.w.org, "score": 70, "grade": "Pass"}]}).insert())
    frappe.db.commit()
    try:
        wf = frappe.get_doc("Workflow", EVAL_WF)
        for t in wf.transitions:
            t.condition = None
        wf.append("transitions", {"state": "Submitted", "action": "Confirm Results", "next_state": "Results Confirmed",
                                  "allowed": "Leading Group Office", "allow_self_approval": 1})
        wf.append("transitions", {"state": "Submitted", "action": "Pass First Review", "next_state": "First Reviewed",
                                  "allowed": "Leading Group Office", "allow_self_approval": 1})
        wf.save()
        frappe.db.commit()
        act(x.w.staff, doc, "Submit for First Review")
        frappe.db.commit()
        with pytest.raises(OversightError, match=f"认定须在业务主管单位初审之后进行.*{CITE_EVAL}"):
            act(x.lgo, doc, "Confirm Results")
        frappe.db.rollback()
        with pytest.raises(OversightError, match="初审只能由业务主管单位进行"):
            act(x.lgo, doc, "Pass First Review")
        frappe.db.rollback()
    finally:
        frappe.db.rollback()
        reset_workflow(EVAL_WF)
        frappe.db.commit()
    with pytest.raises(WorkflowTransitionError):  # the shipped workflow offers no shortcut either
        act(x.lgo, doc, "Confirm Results")
    frappe.db.rollback()
