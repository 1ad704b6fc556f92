"""Issue 4 §4 "Report and ask", §3 (trainings, evaluations, awards on My Incubation) and §2
(R-6.1.2: the community applies for a filed organization): portal Web Forms save with
permissions bypassed, so every record must still land on the representative's own
organization, keep the fields only the center writes, and lock once the center took it up."""

from __future__ import annotations

import datetime
import os

import frappe
import pytest

from factory import World, allow_many_users, application_doc, as_user, make_org, make_user, web_session
from factory import web_form_save as form_save
from shuangfuhua_app.portal import dashboard, forms
from shuangfuhua_app.standard.activities import ACTIVITY_TYPES
from shuangfuhua_app.utils import today

URL = os.environ.get("SFH_URL")
needs_server = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")
REP = "Organization Representative"


def days(n: int) -> str:
    return str(today() + datetime.timedelta(days=n))


@pytest.fixture(scope="module")
def w():
    allow_many_users()
    world = World()
    world.other = World()  # another center, its organization and representative
    world.org_b = make_org(world.center, world.community)  # same center, another organization
    world.rep_b = make_user([REP], orgs=[world.org_b])
    frappe.db.commit()
    return world


# ------------------------------------------------------------------ consultation (R-7.4 §7.4.4)


def test_question_is_pinned_to_own_org_answered_in_desk_and_read_on_the_portal(w):
    doc = form_save(w.rep, "consultation-question", {
        "doctype": "Consultation", "subject": "年检材料", "topic": "Annual Inspection and Evaluation",
        "question": "年检需要准备哪些材料？", "organization": w.other.org})
    assert (doc.organization, doc.service_center) == (w.org, w.center)
    assert doc.consult_channel == "Online" and doc.consultation_status == "Awaiting Answer" and doc.asked_on
    # the center answers in Desk: who and when are recorded, and the response time
    frappe.set_user(w.staff)
    staff_doc = frappe.get_doc("Consultation", doc.name)
    staff_doc.answer = "<p>请准备年度工作报告和财务报表。</p>"
    staff_doc.save()
    frappe.set_user("Administrator")
    frappe.db.commit()
    answered = frappe.get_doc("Consultation", doc.name)
    assert answered.consultation_status == "Answered" and answered.answered_by == w.staff
    assert answered.answered_on and answered.response_hours is not None and answered.response_hours >= 0
    page = as_user(w.rep, dashboard.my_reports)
    (mine,) = [c for c in page["consultations"] if c.name == doc.name]
    assert mine.answered and mine.answer_text == "请准备年度工作报告和财务报表。"
    # the question is closed once answered; B's page does not show it
    with pytest.raises(frappe.PermissionError):
        form_save(w.rep, "consultation-question", {"doctype": "Consultation", "name": doc.name, "subject": "改",
                                                   "question": "改", "topic": "Other Topic"})
    frappe.db.rollback()
    assert doc.name not in [c.name for c in as_user(w.rep_b, dashboard.my_reports)["consultations"]]


def test_representative_cannot_answer_its_own_question_or_backdate_it(w):
    """A form that carried the center's fields (or a saved record with ignore_permissions)
    still cannot set them: the guard resets higher permlevels and the fixed fields."""
    def insert():
        return frappe.get_doc({
            "doctype": "Consultation", "subject": "自问自答", "question": "?", "answer": "自己答的",
            "asked_on": "2020-01-01 08:00:00", "consult_channel": "In Person", "answered_by": w.rep,
        }).insert(ignore_permissions=True)

    doc = as_user(w.rep, insert)
    assert not doc.answer and not doc.answered_by and doc.consultation_status == "Awaiting Answer"
    assert doc.consult_channel == "Online" and str(doc.asked_on)[:4] != "2020"
    assert doc.organization == w.org
    frappe.db.rollback()


# ------------------------------------------------------------------ major events (R-7.5.1 §7.5.1.2)


def test_major_event_report_before_the_event_only(w):
    data = {"doctype": "Major Event Report", "event_title": "社区邻里节", "event_place": "社区广场",
            "expected_participants": 300, "event_description": "邻里节游园活动", "safety_plan": "安保志愿者20名"}
    doc = form_save(w.rep, "major-event-report", dict(data, event_date=days(3), organization=w.org_b))
    assert (doc.organization, doc.service_center, doc.report_status) == (w.org, w.center, "Reported")
    with pytest.raises(frappe.ValidationError, match="7.5.1.2"):
        form_save(w.rep, "major-event-report", dict(data, event_date=str(today())))
    frappe.db.rollback()
    # the center acknowledges it: the organization can no longer change the report
    frappe.set_user(w.staff)
    staff_doc = frappe.get_doc("Major Event Report", doc.name)
    staff_doc.report_status = "Acknowledged"
    staff_doc.center_comment = "请做好安全预案"
    staff_doc.save()
    frappe.set_user("Administrator")
    frappe.db.commit()
    with pytest.raises(frappe.PermissionError):
        form_save(w.rep, "major-event-report", dict(data, name=doc.name, event_date=days(3), event_title="改名"))
    frappe.db.rollback()
    (mine,) = [e for e in as_user(w.rep, dashboard.my_reports)["events"] if e.name == doc.name]
    assert mine.center_comment == "请做好安全预案"


# ------------------------------------------------------------------ venture projects (R-7.4 §7.4.5)


def test_venture_project_the_representative_cannot_grant_itself_money(w):
    data = {"doctype": "Venture Project", "project_name": "邻里守望", "project_field": "Neighborhood Mutual Aid",
            "budget": 20000, "objectives": "建立楼道互助小组",
            "milestones": [{"milestone": "招募志愿者", "due_date": days(30), "milestone_status": "Planned"}]}
    doc = form_save(w.rep, "venture-project", dict(data, organization=w.other.org, granted_amount=20000,
                                                   workflow_state="In Execution"))
    assert (doc.organization, doc.service_center) == (w.org, w.center)
    assert not doc.granted_amount and doc.workflow_state == "Project Application" and len(doc.milestones) == 1

    def forged():
        return frappe.get_doc(dict(data, milestones=[], granted_amount=20000, coaching_notes="自评优秀",
                                   evaluation_result="Excellent")).insert(ignore_permissions=True)

    forged_doc = as_user(w.rep, forged)
    assert not forged_doc.granted_amount and not forged_doc.coaching_notes and not forged_doc.evaluation_result
    frappe.db.rollback()
    # submitted for coaching: with the center, no longer editable from the portal
    assert as_user(w.rep, lambda: forms.submit_record("Venture Project", doc.name))["workflow_state"] == "Initial Coaching"
    frappe.db.commit()
    with pytest.raises(frappe.PermissionError):
        form_save(w.rep, "venture-project", dict(data, name=doc.name, budget=50000))
    frappe.db.rollback()
    assert frappe.db.get_value("Venture Project", doc.name, "budget") == 20000
    # B's project can't be submitted or saved by A
    theirs = form_save(w.rep_b, "venture-project", dict(data, project_name="B的项目"))
    with pytest.raises(frappe.PermissionError):
        as_user(w.rep, lambda: forms.submit_record("Venture Project", theirs.name))
    with pytest.raises(frappe.PermissionError):
        form_save(w.rep, "venture-project", dict(data, name=theirs.name, project_name="篡改"))
    frappe.db.rollback()
    assert frappe.db.get_value("Venture Project", theirs.name, "project_name") == "B的项目"


# ------------------------------------------------------------------ activity reports


def test_activity_and_project_reports(w):
    data = {"doctype": "Activity Report", "report_type": "Activity Report", "activity_title": "敬老助餐",
            "activity_date": days(-2), "place": "社区食堂", "participant_count": 25, "content": "为独居老人送餐"}
    doc = form_save(w.rep, "activity-report", dict(data, organization=w.org_b))
    assert (doc.organization, doc.service_center, doc.report_status) == (w.org, w.center, "Reported")
    assert doc.reported_on and str(doc.reported_on) == str(today())
    with pytest.raises(frappe.ValidationError, match="活动日期不能晚于报告日期"):
        form_save(w.rep, "activity-report", dict(data, activity_date=days(2)))
    frappe.db.rollback()
    # progress reports are about the organization's own project, while it is carried out
    project = form_save(w.rep, "venture-project", {"doctype": "Venture Project", "project_name": "助餐项目",
                                                    "project_field": "Hardship Assistance", "budget": 1000})
    report = dict(data, report_type="Project Progress Report", venture_project=project.name)
    with pytest.raises(frappe.ValidationError, match="项目实施期间"):
        form_save(w.rep, "activity-report", report)
    frappe.db.rollback()
    frappe.db.set_value("Venture Project", project.name, "workflow_state", "In Execution")
    theirs = form_save(w.rep_b, "venture-project", {"doctype": "Venture Project", "project_name": "B项目",
                                                    "project_field": "Hardship Assistance", "budget": 1000})
    frappe.db.set_value("Venture Project", theirs.name, "workflow_state", "In Execution")
    frappe.db.commit()
    progress = form_save(w.rep, "activity-report", report)
    assert progress.venture_project == project.name and progress.organization == w.org
    with pytest.raises(frappe.PermissionError):
        form_save(w.rep, "activity-report", dict(report, venture_project=theirs.name))
    frappe.db.rollback()
    names = [r.name for r in as_user(w.rep, dashboard.my_reports)["reports"]]
    assert doc.name in names and progress.name in names
    assert not {doc.name, progress.name} & {r.name for r in as_user(w.rep_b, dashboard.my_reports)["reports"]}


# ------------------------------------------------------------------ my incubation (issue 4 §3)


def test_my_incubation_shows_upcoming_trainings_evaluations_and_awards(w):
    def activity(title, activity_type, day, orgs):
        return frappe.get_doc({
            "doctype": "Incubation Activity", "activity_title": title, "block": ACTIVITY_TYPES[activity_type][1],
            "activity_type": activity_type, "service_center": w.center, "activity_date": day, "class_hours": 2,
            "place": "中心会议室", "organizations": [{"organization": o} for o in orgs],
        }).insert()

    frappe.set_user(w.staff)
    try:
        upcoming = activity("负责人培训", "Leader and Backbone Training", days(5), [w.org, w.org_b])
        activity("往期培训", "Leader and Backbone Training", days(-5), [w.org])
        activity("考察见学", "Exchange Visit", days(6), [w.org])  # not a training
        activity("B的培训", "General Training", days(7), [w.org_b])  # not for A
        evaluation = frappe.get_doc({
            "doctype": "Periodic Evaluation", "organization": w.org, "evaluation_type": "Credit Evaluation",
            "evaluation_year": today().year, "evaluation_date": str(today()), "credit_status": "Good Standing",
            "result_summary": "信用良好"}).insert()
        award = frappe.get_doc({"doctype": "Award and Honor", "honor_name": "优秀社区社会组织", "organization": w.org,
                                "honor_level": "District", "awarding_body": "区民政局", "awarded_on": str(today())}).insert()
        frappe.get_doc({"doctype": "Award and Honor", "honor_name": "B的荣誉", "organization": w.org_b,
                        "honor_level": "District", "awarded_on": str(today())}).insert()
    finally:
        frappe.set_user("Administrator")
    frappe.db.commit()
    page = as_user(w.rep, dashboard.my_incubation)
    assert [t.name for t in page["trainings"]] == [upcoming.name]
    assert set(page["trainings"][0]) == {"name", "activity_title", "activity_type", "activity_date", "start_time",
                                         "end_time", "place", "type_label", "date_cn", "time"}  # no participants
    assert [e.name for e in page["evaluations"]] == [evaluation.name] and page["evaluations"][0].credit_label
    assert [a.name for a in page["awards"]] == [award.name]


# ------------------------------------------------------------------ through the community


def test_community_user_applies_for_a_filed_organization_of_its_community(w):
    worker = make_user(["Community Worker"], communities=[w.community])
    filed = make_org(w.center, w.community, "Filed")
    registered = make_org(w.center, w.community, "Registered")
    elsewhere = make_org(w.other.center, w.other.community, "Filed")
    frappe.db.commit()
    data = {k: v for k, v in application_doc(filed).items() if k != "doctype"}
    data["doctype"] = "Incubation Application"
    doc = form_save(worker, "community-application", dict(data, channel="Direct"))
    assert (doc.organization, doc.channel, doc.community, doc.service_center) == (filed, "Via Community", w.community, w.center)
    with pytest.raises(frappe.ValidationError, match="6.1.2"):
        form_save(worker, "community-application", dict(data, organization=registered))
    frappe.db.rollback()
    with pytest.raises(frappe.PermissionError):
        form_save(worker, "community-application", dict(data, organization=elsewhere))
    frappe.db.rollback()
    assert not frappe.db.exists("Incubation Application", {"organization": ("in", [registered, elsewhere])})
    page = as_user(worker, dashboard.my_incubation)
    assert [a.name for a in page["community"]["applications"]] == [doc.name]
    assert page["community"]["applications"][0].action == "Submit"
    assert as_user(worker, lambda: forms.submit_record("Incubation Application", doc.name))["workflow_state"] == "Submitted"
    # a representative cannot use the community's form for another organization
    with pytest.raises(frappe.PermissionError):
        form_save(w.rep, "community-application", dict(data, organization=filed))
    frappe.db.rollback()


# ------------------------------------------------------------------ pages over HTTP


@needs_server
def test_report_pages_over_http(w):
    session = web_session(URL, w.rep)
    r = session.get(f"{URL}/my-reports", timeout=30)
    assert r.status_code == 200 and "报告与咨询" in r.text and "我要咨询" in r.text
    r = session.get(f"{URL}/my-incubation", timeout=30)
    assert r.status_code == 200 and "近期培训" in r.text and "/my-reports" in r.text
    for route, text in (("ask", "向服务中心咨询"), ("event-report", "重大活动事项"), ("venture", "公益微创投"),
                        ("activity-report", "活动报告")):
        r = session.get(f"{URL}/{route}/new", timeout=30)
        assert r.status_code == 200 and text in r.text, route
    r = web_session(URL).get(f"{URL}/my-reports", timeout=30, allow_redirects=False)
    assert r.status_code in (301, 302) and "/login" in r.headers["Location"]
