"""Issue 15 §1–4 and issue 14 §8 on a real site: the app moves records by the site workflow's
transition, not by an action's name; "open/closed" from the states' meanings; daily jobs go on
past a broken record; reset_workflow with records in removed states; termination closes
everything and the organization is reminded of nothing afterwards.

The edited-workflow tests rename every action of every shipped workflow (Workflow Action
Master renamed, and the transitions of two workflows edited to new actions), add a state
with a new role between two shipped ones, and loosen two workflows in Desk – then drive the
records over HTTP as the real roles. The workflows are restored (reset_workflow) at the end.
"""

from __future__ import annotations

import datetime
import json
import os

import frappe
import pytest
from factory import World, as_user, last_working_day_up_to_today, make_user, uid, web_session
from factory import act as _act

from shuangfuhua_app.setup.workflow_sync import reset_workflow, shipped_workflow_files
from shuangfuhua_app.utils import today
from shuangfuhua_app.workflow_paths import clear_meanings_cache

URL = os.environ.get("SFH_URL")
APP, NOTICE, AGREEMENT = "Incubation Application", "Public Notice", "Incubation Agreement"
ASSESS, FILING, TERMINATION, ORG = "Exit Assessment", "Organization Filing", "Organization Termination", "Community Social Organization"
APP_WF, EXIT_WF, FILING_WF = "Incubation Application Workflow", "Exit Assessment Workflow", "Organization Filing Workflow"
START = "2023-06-01"  # agreements signed on this day: the 24-month cycle ended on 2025-06-01
NEW_STATE, NEW_ROLE = "法务审核", "SFH Legal Reviewer"

#: what every shipped action is called after the edits (the test checks each is renamed)
RENAMED = {
    "Submit": "提交申请", "Resubmit": "重新提交", "Pass Initial Review": "初审通过", "Return for Revision": "退回修改",
    "Not Accept": "不予受理", "Recommend Admission": "推荐入驻", "Reject at Review": "评审不通过",
    "Publish Notice": "发布公示", "Admit after Notice": "公示期满准予入驻", "Uphold Objection": "异议成立不予入驻",
    "Submit Assessment": "提交评估结果", "Confirm in the First Instance": "主管单位初审确认",
    "Confirm Finally": "领导小组办公室认定", "Return for Reassessment": "退回重评",
    "Submit for Filing": "提交备案申请", "Approve Filing": "同意备案", "Refuse Filing": "不予备案",
    "Issue Certificate": "颁发备案证书", "Apply to the Residents' Committee": "向居委会申请注销",
    "Forward to the Township": "报街道审核", "Approve Termination": "批准注销", "Refuse Termination": "不予注销",
    "Submit for Coaching": "提交辅导", "Send for Approval": "报送审批", "Approve Project": "批准立项",
    "Do Not Approve": "不予立项", "Start Closing Evaluation": "开始结项评估", "Close Project": "结项",
    "Back to Execution": "退回执行",
    # the Lingwu chain's workflows (issue 15 §7)
    "Submit for First Review": "报送初审", "Pass First Review": "主管单位初审通过", "Return": "退回",
    "Approve List": "审定入驻名单", "Confirm Results": "认定评估结果",
}
#: workflows whose transitions are edited one by one (the others: their masters are renamed)
EDIT_TRANSITIONS = ("Organization Filing Workflow", "Organization Termination Workflow")


def shipped() -> dict[str, dict]:
    return {d["name"]: d for d in (json.loads(p.read_text()) for p in shipped_workflow_files())}


def restore() -> None:
    frappe.set_user("Administrator")
    for name in shipped():
        reset_workflow(name)
    frappe.db.commit()
    frappe.clear_cache()
    clear_meanings_cache()


# ---------------------------------------------------------------------------- HTTP as a user


class Http:
    def __init__(self, user: str):
        self.user, self.s = user, web_session(URL, user)

    def call(self, method: str, **data):
        return self.s.post(f"{URL}/api/method/{method}", json=data, timeout=120)

    def act(self, doctype: str, name: str, action: str):
        return self.call("frappe.model.workflow.apply_workflow", doc={"doctype": doctype, "name": name}, action=action)

    def insert(self, doc: dict):
        return self.s.post(f"{URL}/api/resource/{doc['doctype']}", json=doc, timeout=120)

    def update(self, doctype: str, name: str, **values):
        return self.s.put(f"{URL}/api/resource/{doctype}/{name}", json=values, timeout=120)


def messages(r) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text
    out = [str(body.get("exception") or "")]
    for m in json.loads(body.get("_server_messages") or "[]"):
        try:
            out.append(str(json.loads(m).get("message", "")))
        except (ValueError, AttributeError):
            out.append(str(m))
    return " ".join(out)


def ok(r):
    assert r.status_code == 200, (r.status_code, messages(r)[:800])
    return r.json()


def refused(r, *words: str, status: int = 417) -> str:
    text = messages(r)
    assert r.status_code == status, (r.status_code, text[:800])
    for w in words:
        assert w in text, (w, text[:800])
    return text


def state(doctype: str, name: str) -> str:
    frappe.db.rollback()  # read what the web requests committed
    return frappe.db.get_value(doctype, name, "workflow_state")


# ---------------------------------------------------------------------------- records


def admitted_2023(w: World, org: str) -> str:
    """The real admission on the shipped workflow (notice in 2023, agreement from June 2023):
    returns the signed agreement, whose cycle has ended."""
    app = w.apply(org)
    w.to_recommended(app)
    w.notice([app], "2023-05-04")
    assert frappe.db.get_value(APP, app.name, "workflow_state") == "Admitted"

    def sign():
        doc = frappe.get_doc({"doctype": AGREEMENT, "application": app.name, "start_date": START, "signed_on": START,
                              "party_a_signatory": "李主任", "party_b_signatory": "张会长"}).insert()
        doc.submit()
        return doc.name

    return as_user(w.staff, sign)


def draft_assessment(w: World, agreement: str) -> str:
    def create():
        doc = frappe.get_doc({
            "doctype": ASSESS, "incubation_agreement": agreement, "assessment_date": str(today()),
            "template": frappe.db.get_single_value("Shuangfuhua Settings", "default_exit_template"),
            "assessors": [{"assessor_name": n, "category": c}
                          for n, c in (("张专家", "Expert"), ("李镇领导", "Township Leader"), ("王社区", "Community Head"))],
        }).insert()
        for row in doc.scores:
            row.score = "60"
        doc.save()
        return doc.name

    return as_user(w.staff, create)


def new_filing(w: World) -> str:
    doc = {"doctype": FILING, "filing_type": "New Filing", "organization": w.org, "filed_name": f"邻里守望队-{uid()}",
           "head_name": "张队长", "head_phone": "13812345678", "service_scope": "为社区老人提供助餐服务",
           "address": "某某社区活动室", "activity_area": "某某社区", "member_count": 15}
    return as_user(w.rep, lambda: frappe.get_doc(doc).insert().name)


def voted_termination(w: World) -> str:
    doc = {"doctype": TERMINATION, "organization": w.org, "reason": "组织宗旨已完成", "meeting_date": str(today()),
           "members_total": 15, "members_present": 12, "votes_for": 11, "votes_against": 1}
    return as_user(w.rep, lambda: frappe.get_doc(doc).insert().name)


# ---------------------------------------------------------------------------- the edited workflows


def edit_workflows() -> None:
    """As an administrator would in Desk: every action renamed, a state with a new role
    between "Submitted" and "Panel Review", and two shortcuts that loosen the workflow."""
    data = shipped()
    for old, new in RENAMED.items():
        if not frappe.db.exists("Workflow Action Master", new):
            frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": new}).insert()
    # the transitions of two workflows edited one by one (Workflow → transitions → action)
    for name in EDIT_TRANSITIONS:
        wf = frappe.get_doc("Workflow", name)
        for t in wf.transitions:
            t.action = RENAMED[t.action]
        wf.save()
    # the other actions renamed in the Workflow Action Master (Frappe renames the links)
    for name, d in data.items():
        if name in EDIT_TRANSITIONS:
            continue
        for old in {t["action"] for t in d["transitions"]}:
            if frappe.db.exists("Workflow Action Master", old):
                frappe.rename_doc("Workflow Action Master", old, RENAMED[old], force=True, merge=True)
    frappe.clear_cache()
    # a new role and state between two shipped ones
    if not frappe.db.exists("Role", NEW_ROLE):
        frappe.get_doc({"doctype": "Role", "role_name": NEW_ROLE, "desk_access": 1}).insert()
    if not frappe.db.exists("Workflow State", NEW_STATE):
        frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": NEW_STATE}).insert()
    from frappe.permissions import add_permission, update_permission_property

    add_permission(APP, NEW_ROLE, 0)
    update_permission_property(APP, NEW_ROLE, 0, "write", 1)
    wf = frappe.get_doc("Workflow", APP_WF)
    for t in wf.transitions:
        if t.state == "Submitted" and t.next_state == "Panel Review":
            t.next_state = NEW_STATE
    wf.append("states", {"state": NEW_STATE, "doc_status": "0", "allow_edit": NEW_ROLE})
    wf.append("states", {"state": NEW_STATE, "doc_status": "0", "allow_edit": "Center Staff"})
    wf.append("transitions", {"state": NEW_STATE, "action": "法务审核通过", "next_state": "Panel Review",
                              "allowed": NEW_ROLE, "allow_self_approval": 1})
    if not frappe.db.exists("Workflow Action Master", "法务审核通过"):
        frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": "法务审核通过"}).insert()
    wf.save()
    # loosened in Desk: a shortcut past the first-instance confirmation, and past the notice
    wf = frappe.get_doc("Workflow", EXIT_WF)
    wf.append("transitions", {"state": "Assessed", "action": RENAMED["Confirm Finally"], "next_state": "Finally Confirmed",
                              "allowed": "Leading Group Office", "allow_self_approval": 1})
    wf.save()
    wf = frappe.get_doc("Workflow", FILING_WF)
    wf.append("transitions", {"state": "Township Review", "action": RENAMED["Issue Certificate"], "next_state": "Filed",
                              "allowed": "Township Leader", "allow_self_approval": 1})
    wf.save()
    frappe.db.commit()
    frappe.clear_cache()
    clear_meanings_cache()
    # every shipped action is gone from every workflow
    for name in data:
        actions = {t.action for t in frappe.get_doc("Workflow", name).transitions}
        assert not actions & set(RENAMED), (name, actions & set(RENAMED))


@pytest.fixture(scope="module")
def x():
    if not URL:
        pytest.skip("needs SFH_URL (the site's web server)")
    restore()
    w = World()
    ns = frappe._dict(w=w)
    ns.worker = make_user(["Community Worker"], communities=[w.community])
    ns.leader = make_user(["Township Leader"], centers=[w.center])
    ns.bsu = make_user(["Business Supervisory Unit"], centers=[w.center])
    ns.lgo = make_user(["Leading Group Office"])
    if not frappe.db.exists("Role", NEW_ROLE):  # a role a center creates in Desk
        frappe.get_doc({"doctype": "Role", "role_name": NEW_ROLE, "desk_access": 1}).insert()
    ns.legal = make_user([NEW_ROLE], centers=[w.center])
    # an organization admitted in 2023 on the shipped workflow, for its exit
    from factory import make_org

    ns.exit_org = make_org(w.center, w.community)
    ns.exit_agreement = admitted_2023(w, ns.exit_org)
    frappe.db.commit()
    try:
        edit_workflows()
        yield ns
    finally:
        restore()


def test_an_application_from_draft_to_signed_agreement_with_the_standards_gates(x):
    w = x.w
    staff, rep, legal = Http(w.staff), Http(w.rep), Http(x.legal)
    app = as_user(w.rep, lambda: frappe.get_doc(__import__("factory").application_doc(w.org)).insert().name)
    frappe.db.commit()
    # the shipped action's name is no longer a valid action …
    refused(rep.act(APP, app, "Submit"), "不是有效的工作流程操作")
    # … and the portal's button says what the site calls the step today
    page = rep.s.get(f"{URL}/my-incubation", timeout=60).text
    assert RENAMED["Submit"] in page and ">Submit<" not in page and ">提交<" not in page
    # … the portal's submit finds the transition to "Submitted" whatever it is called
    assert ok(rep.call("shuangfuhua_app.portal.forms.submit_application", name=app))["message"]["workflow_state"] == "Submitted"
    ok(staff.update(APP, app, initial_review_result="Passed", initial_review_comment="材料齐全"))
    ok(staff.act(APP, app, RENAMED["Pass Initial Review"]))
    assert state(APP, app) == NEW_STATE
    # the staff may not take the new role's step
    refused(staff.act(APP, app, "法务审核通过"), "不是有效的工作流程操作")
    # holds on the added transition, which has no condition: the initial review is
    # taken back while the application waits in the added state – the panel review is refused
    ok(staff.update(APP, app, initial_review_result="Returned", initial_review_comment="补充材料"))
    refused(legal.act(APP, app, "法务审核通过"), "6.2.1")
    assert state(APP, app) == NEW_STATE
    ok(staff.update(APP, app, initial_review_result="Passed", initial_review_comment="材料齐全"))
    ok(legal.act(APP, app, "法务审核通过"))
    assert state(APP, app) == "Panel Review"
    ok(staff.update(APP, app, review_panel=w.panel.name,
                    review_template=frappe.db.get_single_value("Shuangfuhua Settings", "default_review_template")))
    # a notice lists only recommended applications
    notice = {"doctype": NOTICE, "title": "入驻名单公示", "service_center": w.center,
              "start_date": str(last_working_day_up_to_today()), "items": [{"application": app}], "docstatus": 1}
    refused(staff.insert(notice), "6.3")
    frappe.db.rollback()  # see what the web requests committed
    for reviewer in w.reviewers.values():
        w.review(frappe.get_doc(APP, app), reviewer)
    frappe.db.commit()
    ok(staff.act(APP, app, RENAMED["Recommend Admission"]))
    assert state(APP, app) == "Recommended"
    # publishing the notice takes the transition to "In Notice" (renamed 发布公示)
    notice_name = ok(staff.insert(notice))["data"]["name"]
    assert state(APP, app) == "In Notice"
    # no agreement while the notice runs
    agreement = {"doctype": AGREEMENT, "application": app, "start_date": str(today()), "signed_on": str(today()),
                 "party_a_signatory": "李主任", "party_b_signatory": "张会长", "docstatus": 1}
    refused(staff.insert(agreement))
    assert not frappe.db.exists(AGREEMENT, {"application": app, "docstatus": 1})
    # the notice ends; the daily job admits through the transition renamed 公示期满准予入驻
    calendar = __import__("shuangfuhua_app.utils", fromlist=["get_work_calendar"]).get_work_calendar()
    end = today() - datetime.timedelta(days=1)
    while not calendar.is_working_day(end):
        end -= datetime.timedelta(days=1)
    frappe.db.set_value(NOTICE, notice_name, {"start_date": end - datetime.timedelta(days=10), "end_date": end})
    frappe.db.set_value(APP, app, "notice_end_date", end)
    frappe.db.commit()
    from shuangfuhua_app.admission import process_ended_notices

    assert process_ended_notices()[notice_name] == "Processed"
    frappe.db.commit()
    assert state(APP, app) == "Admitted"
    signed = ok(staff.insert(agreement))["data"]
    assert signed["docstatus"] == 1 and signed["application"] == app


def test_an_exit_to_its_final_confirmation_with_r_confirm_on_the_loosened_workflow(x):
    w = x.w
    assessment = draft_assessment(w, x.exit_agreement)
    frappe.db.commit()
    staff, bsu, lgo = Http(w.staff), Http(x.bsu), Http(x.lgo)
    refused(staff.act(ASSESS, assessment, "Submit Assessment"), "不是有效的工作流程操作")
    ok(staff.act(ASSESS, assessment, RENAMED["Submit Assessment"]))
    assert state(ASSESS, assessment) == "Assessed"
    # R-CONFIRM: the shortcut added in Desk does not skip the supervisory unit
    refused(lgo.act(ASSESS, assessment, RENAMED["Confirm Finally"]), "业务主管单位")
    assert state(ASSESS, assessment) == "Assessed"
    ok(bsu.act(ASSESS, assessment, RENAMED["Confirm in the First Instance"]))
    ok(lgo.act(ASSESS, assessment, RENAMED["Confirm Finally"]))
    frappe.db.rollback()
    doc = frappe.get_doc(ASSESS, assessment)
    assert doc.workflow_state == "Finally Confirmed"
    assert doc.first_confirmed_by == x.bsu and doc.final_confirmed_by == x.lgo


def test_a_filing_to_its_certificate_with_r_file_on_the_loosened_workflow(x):
    w = x.w
    filing = new_filing(w)
    frappe.db.commit()
    rep, worker, leader = Http(w.rep), Http(x.worker), Http(x.leader)
    ok(rep.call("shuangfuhua_app.portal.forms.submit_record", doctype=FILING, name=filing))
    assert state(FILING, filing) == "Residents' Committee Review"
    ok(worker.act(FILING, filing, RENAMED["Pass Initial Review"]))
    assert state(FILING, filing) == "Township Review"
    # R-FILE: the shortcut to "Filed" added in Desk does not skip the approval and its notice
    refused(leader.act(FILING, filing, RENAMED["Issue Certificate"]), "街道")
    assert state(FILING, filing) == "Township Review"
    ok(leader.act(FILING, filing, RENAMED["Approve Filing"]))
    assert state(FILING, filing) == "Filing Notice"
    refused(leader.call("shuangfuhua_app.filing.issue_certificate", filing=filing), "公示")
    frappe.db.set_value(FILING, filing, "notice_end", today() - datetime.timedelta(days=1))
    frappe.db.commit()
    number = ok(leader.call("shuangfuhua_app.filing.issue_certificate", filing=filing))["message"]
    assert state(FILING, filing) == "Filed"
    assert frappe.db.get_value(FILING, filing, "certificate_number") == number


def test_a_termination_to_its_approval(x):
    w = x.w
    term = voted_termination(w)
    frappe.db.commit()
    rep, worker, leader = Http(w.rep), Http(x.worker), Http(x.leader)
    refused(rep.act(TERMINATION, term, "Apply to the Residents' Committee"), "不是有效的工作流程操作")
    ok(rep.act(TERMINATION, term, RENAMED["Apply to the Residents' Committee"]))
    # the township cannot decide before the residents' committee forwarded it
    refused(leader.act(TERMINATION, term, RENAMED["Approve Termination"]), "不是有效的工作流程操作")
    ok(worker.act(TERMINATION, term, RENAMED["Forward to the Township"]))
    ok(leader.act(TERMINATION, term, RENAMED["Approve Termination"]))
    assert state(TERMINATION, term) == "Terminated"
    assert frappe.db.get_value(TERMINATION, term, "closure_log")


def test_a_transition_missing_on_the_site_is_named(x):
    """The app's own step finds no path: the message names the transition (from → to)."""
    w = x.w
    wf = frappe.get_doc("Workflow", APP_WF)
    wf.transitions = [t for t in wf.transitions if not (t.state == "Draft" and t.next_state == "Submitted")]
    wf.save()
    frappe.db.commit()
    try:
        app = as_user(w.staff, lambda: frappe.get_doc(
            __import__("factory").application_doc(__import__("factory").make_org(w.center, w.community))).insert().name)
        frappe.db.commit()
        text = refused(Http(w.staff).call("shuangfuhua_app.portal.forms.submit_application", name=app))
        assert "没有从“草案”到“已提交”的流转" in text, text
    finally:
        wf = frappe.get_doc("Workflow", APP_WF)
        for action in {"Draft"}:
            for role in ("Organization Representative", "Community Worker", "Center Staff"):
                wf.append("transitions", {"state": action, "action": RENAMED["Submit"], "next_state": "Submitted",
                                          "allowed": role, "allow_self_approval": 1})
        wf.save()
        frappe.db.commit()


# ---------------------------------------------------------------------------- daily job (issue 15 §3)


def test_the_daily_notice_job_goes_on_past_a_broken_record():
    restore()
    w = World()
    from factory import make_org

    orgs = [w.org] + [make_org(w.center, w.community) for _ in range(2)]
    apps = [w.apply(o) for o in orgs]
    for a in apps:
        w.to_recommended(a)
    first = w.notice(apps[:2], "2023-05-04", submit=False)
    second = w.notice(apps[2:], "2023-05-04", submit=False)
    # published while the notice ran, processed by the daily job after it ended
    for n in (first, second):
        frappe.db.set_value(NOTICE, n.name, {"start_date": last_working_day_up_to_today(), "end_date": None})
    frappe.db.commit()
    as_user(w.staff, lambda: frappe.get_doc(NOTICE, first.name).submit())
    as_user(w.staff, lambda: frappe.get_doc(NOTICE, second.name).submit())
    for n in (first, second):
        frappe.db.set_value(NOTICE, n.name, {"start_date": "2023-05-04", "end_date": "2023-05-11"})
    broken = apps[1].name
    # a record the job cannot move: its state was changed by hand behind the workflow
    frappe.db.set_value(APP, broken, "workflow_state", "Recommended")
    frappe.db.commit()
    since = frappe.utils.now_datetime()
    from shuangfuhua_app.admission import process_ended_notices

    result = process_ended_notices()
    frappe.db.commit()
    assert state(APP, apps[0].name) == "Admitted"
    assert state(APP, apps[2].name) == "Admitted"
    assert result[second.name] == "Processed"
    assert result[first.name] == "Ended"  # waits for the broken one, tried again tomorrow
    assert state(APP, broken) == "Recommended"
    logs = frappe.get_all("Error Log", filters={"reference_name": broken, "creation": (">=", since)},
                          fields=["method", "error", "reference_doctype"])
    assert len(logs) == 1, logs
    assert logs[0].reference_doctype == APP and "process_ended_notices" in logs[0].method
    assert "没有从“拟入驻”到“准予入驻”的流转" in logs[0].error, logs[0].error[-600:]


# ---------------------------------------------------------------------------- reset (issue 15 §4)


def test_reset_refuses_while_records_sit_in_removed_states_or_moves_them():
    restore()
    w = World()
    app = w.apply()
    _act(w.rep, app, "Submit")
    wf = frappe.get_doc("Workflow", APP_WF)
    wf.append("states", {"state": NEW_STATE, "doc_status": "0", "allow_edit": "Center Staff"})
    if not frappe.db.exists("Workflow State", NEW_STATE):
        frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": NEW_STATE}).insert()
    wf.save()
    frappe.db.set_value(APP, app.name, "workflow_state", NEW_STATE)
    frappe.db.commit()
    try:
        with pytest.raises(frappe.ValidationError) as refusal:
            reset_workflow(APP_WF)
        assert app.name in str(refusal.value) and NEW_STATE in str(refusal.value)
        frappe.db.rollback()
        assert frappe.db.get_value(APP, app.name, "workflow_state") == NEW_STATE
        assert NEW_STATE in {s.state for s in frappe.get_doc("Workflow", APP_WF).states}  # nothing reset
        with pytest.raises(frappe.ValidationError):
            reset_workflow(APP_WF, move_to="Admitted")  # a submitted state: the draft cannot go there
        frappe.db.rollback()
        assert reset_workflow(APP_WF, move_to="Submitted") == "inserted"
        frappe.db.commit()
        assert frappe.db.get_value(APP, app.name, "workflow_state") == "Submitted"
        assert NEW_STATE not in {s.state for s in frappe.get_doc("Workflow", APP_WF).states}
    finally:
        frappe.db.set_value(APP, app.name, "workflow_state", "Submitted")
        frappe.db.commit()
        restore()


# ---------------------------------------------------------------------------- termination (issue 14 §8)


def daily_jobs() -> None:
    for fn in frappe.get_hooks("scheduler_events", app_name="shuangfuhua_app")["daily"]:
        frappe.get_attr(fn)()
    frappe.db.commit()


def test_termination_closes_everything_and_the_next_daily_run_reminds_nothing():
    restore()
    w = World()
    agreement = admitted_2023(w, w.org)  # its cycle ended: the exit assessment is due
    org = w.org
    leader = make_user(["Township Leader"], centers=[w.center])
    worker = make_user(["Community Worker"], communities=[w.community])
    # what belongs to the organization: an active follow-up service, a hub membership, an
    # open filing with an overdue stage, a venture project, an evaluation whose follow-up
    # action is overdue, ToDos on its records
    follow_up = frappe.get_doc({"doctype": "Follow Up Service", "organization": org, "service_center": w.center,
                                "incubation_agreement": agreement, "start_date": "2025-06-01",
                                "end_date": str(today() + datetime.timedelta(days=20)), "service_status": "Active"})
    follow_up.db_insert()
    hub = as_user(w.staff, lambda: frappe.get_doc({"doctype": "Hub Membership", "organization": org,
                                                   "joined_on": "2024-01-01"}).insert().name)
    filing = new_filing(w)
    _act(w.rep, frappe.get_doc(FILING, filing), "Submit for Filing")
    frappe.db.set_value(FILING, filing, "committee_due", today() - datetime.timedelta(days=3))
    project = as_user(w.rep, lambda: frappe.get_doc({"doctype": "Venture Project", "organization": org,
                                                     "project_name": f"助老项目-{uid()}",
                                                     "project_field": "Volunteer Service"}).insert().name)
    evaluation = as_user(w.staff, lambda: frappe.get_doc({
        "doctype": "Periodic Evaluation", "organization": org, "evaluation_type": "Credit Evaluation",
        "evaluation_year": 2025, "evaluation_date": "2025-03-01", "credit_status": "Good Standing",
        "follow_up_actions": [{"action": "整改财务制度", "due_date": str(today() - datetime.timedelta(days=5)),
                               "action_status": "Planned"}],
    }).insert().name)
    for ref_type, ref_name in ((AGREEMENT, agreement), (FILING, filing), ("Periodic Evaluation", evaluation)):
        frappe.get_doc({"doctype": "ToDo", "allocated_to": w.staff, "description": "跟进", "reference_type": ref_type,
                        "reference_name": ref_name}).insert(ignore_permissions=True)
    frappe.db.commit()

    term = voted_termination(w)
    _act(w.rep, frappe.get_doc(TERMINATION, term), "Apply to the Residents' Committee")
    _act(worker, frappe.get_doc(TERMINATION, term), "Forward to the Township")
    _act(leader, frappe.get_doc(TERMINATION, term), "Approve Termination")
    frappe.db.commit()

    # everything closed, nothing deleted, each listed on the termination
    assert frappe.db.get_value(AGREEMENT, agreement, "exit_outcome") == "Terminated"
    assert frappe.db.get_value("Follow Up Service", follow_up.name, "service_status") == "Ended"
    assert frappe.db.get_value("Hub Membership", hub, ["membership_status", "left_on"]) == ("Left", today())
    assert frappe.db.get_value(FILING, filing, "workflow_state") == "Not Filed"
    assert frappe.db.get_value("Venture Project", project, "workflow_state") == "Project Closed"
    records = {(AGREEMENT, agreement), ("Follow Up Service", follow_up.name), ("Hub Membership", hub), (FILING, filing),
               ("Venture Project", project), ("Periodic Evaluation", evaluation), (ORG, org)}
    for dt, name in records:
        assert frappe.db.exists(dt, name), (dt, name)
    assert not frappe.db.exists("ToDo", {"reference_name": ("in", [n for _dt, n in records]), "status": "Open"})
    log = frappe.db.get_value(TERMINATION, term, "closure_log")
    for name in (agreement, follow_up.name, hub, filing, project):
        assert name in log, (name, log)

    # the next daily run reminds nothing for the organization, of any kind
    before = set(frappe.get_all("SFH Reminder", filters={"organization": org}, pluck="name"))
    todos = frappe.db.count("ToDo", {"status": "Open", "reference_name": ("in", [n for _dt, n in records])})
    daily_jobs()
    assert set(frappe.get_all("SFH Reminder", filters={"organization": org}, pluck="name")) == before
    assert frappe.db.count("ToDo", {"status": "Open", "reference_name": ("in", [n for _dt, n in records])}) == todos == 0
