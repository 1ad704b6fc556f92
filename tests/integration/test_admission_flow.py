"""Admission (入壳, DB3301/T 0346—2021 §5–§6) end to end on a real site, as the real roles."""

from __future__ import annotations

import datetime

import frappe
import pytest
from frappe.model.workflow import WorkflowTransitionError, get_transitions

from factory import World, act, application_doc, make_org
from shuangfuhua_app.admission import process_ended_notices
from shuangfuhua_app.exceptions import (
    AgreementNotAllowedError,
    InitialReviewGateError,
    InvalidIdentifierError,
    NoticePeriodError,
    SettingsBelowStandardError,
)
from shuangfuhua_app.utils import get_work_calendar, today


@pytest.fixture(scope="module")
def world():
    return World()


def state(app) -> str:
    return frappe.db.get_value("Incubation Application", app.name, "workflow_state")


def test_full_admission_from_draft_to_signed_agreement(world):
    app = world.apply()
    assert state(app) == "Draft"
    assert app.party_member_count == 2
    assert app.party_members[0].birth_date is not None  # taken from the resident ID
    assert frappe.db.get_value("Community Social Organization", world.org, "incubation_status") == "Applying"

    act(world.rep, app, "Submit")
    assert state(app) == "Submitted"
    assert frappe.db.get_value("Incubation Application", app.name, "submitted_by") == world.rep

    world.to_panel(app)
    assert state(app) == "Panel Review"
    for reviewer in world.reviewers.values():
        world.review(app, reviewer, score=85)
    app.reload()
    assert app.review_count == 5
    assert app.average_score == 85
    assert app.panel_decision == "Admit"

    act(world.staff, app, "Recommend Admission")
    assert state(app) == "Recommended"

    # §6.3: a notice starting 2025-09-30 runs across the National Day holiday to 2025-10-13
    notice = world.notice([app], "2025-09-30")
    assert str(notice.end_date) == "2025-10-13"
    # the notice has ended (today is later), so publishing it also processed it
    assert state(app) == "Admitted"
    assert frappe.db.get_value("Incubation Application", app.name, "docstatus") == 1
    assert frappe.db.get_value("Public Notice", notice.name, "notice_status") == "Processed"
    assert frappe.db.get_value("Community Social Organization", world.org, "incubation_status") == "Admitted"

    frappe.set_user(world.staff)
    agreement = frappe.get_doc(
        {"doctype": "Incubation Agreement", "application": app.name, "start_date": "2025-10-14", "signed_on": "2025-10-14",
         "party_a_signatory": "李主任", "party_b_signatory": "张会长"}
    ).insert()
    agreement.submit()
    frappe.set_user("Administrator")
    assert agreement.cycle_months == 24
    assert str(agreement.end_date) == "2027-10-14"  # 24 months on (Civil Code art. 201–202)
    assert frappe.db.get_value("Incubation Application", app.name, "incubation_agreement") == agreement.name
    assert frappe.db.get_value("Community Social Organization", world.org, "incubation_status") == "Incubating"
    # the organization's record takes over what App. B/C declared
    assert frappe.db.get_value("Community Social Organization", world.org, "party_member_count") == 2
    assert frappe.db.get_value("Community Social Organization", world.org, "party_org_form") == "Party Liaison"

    html = frappe.get_print("Incubation Agreement", agreement.name, print_format="Incubation Agreement")
    assert "社区社会组织入驻孵化协议" in html and "2027年10月14日" in html and world.org in html

    # R-AUDIT: every state change is kept
    versions = frappe.get_all("Version", filters={"ref_doctype": "Incubation Application", "docname": app.name})
    assert len(versions) >= 5
    comments = frappe.get_all(
        "Comment", filters={"reference_name": app.name, "comment_type": "Workflow"}, pluck="content"
    )
    assert len(comments) >= 5
    frappe.db.commit()


def test_notice_end_date_respects_make_up_saturday(world):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    notice = world.notice([app], "2026-04-30", submit=False)
    assert str(notice.end_date) == "2026-05-09"  # 2026-05-09 is a make-up workday


def test_notice_end_date_is_computed_not_typed(world):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    notice = world.notice([app], "2025-09-30", submit=False, end_date="2025-10-01")
    assert str(notice.end_date) == "2025-10-13"


def test_notice_shorter_than_the_setting_is_refused(world):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    with pytest.raises(NoticePeriodError, match="公示期不少于5个工作日"):
        world.notice([app], "2025-09-30", submit=False, working_days=3)


def test_settings_cannot_shorten_the_notice_below_the_standard():
    settings = frappe.get_single("Shuangfuhua Settings")
    settings.notice_working_days = 3
    with pytest.raises(SettingsBelowStandardError, match="第6.3条"):
        settings.save()
    frappe.db.rollback()


def test_a_notice_into_an_unknown_year_needs_that_years_schedule(world):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    with pytest.raises(frappe.ValidationError, match="2027"):
        world.notice([app], "2026-12-28", submit=False)
    settings = frappe.get_single("Shuangfuhua Settings")
    settings.append("declared_years", {"year": 2027, "source": "国务院办公厅通知"})
    settings.append("calendar_days", {"date": "2027-01-01", "day_type": "Holiday", "note": "元旦"})
    settings.save()
    try:
        notice = world.notice([app], "2026-12-28", submit=False)
        assert str(notice.end_date) == "2027-01-04"
    finally:
        frappe.db.rollback()
        frappe.clear_document_cache("Shuangfuhua Settings", "Shuangfuhua Settings")


def test_panel_review_before_initial_review_is_refused(world):
    app = world.apply(org=make_org(world.center, world.community))
    act(world.staff, app, "Submit")
    # gate: the transition is not even offered
    frappe.set_user(world.staff)
    actions = [t.action for t in get_transitions(frappe.get_doc(app.doctype, app.name))]
    frappe.set_user("Administrator")
    assert "Pass Initial Review" not in actions
    with pytest.raises(WorkflowTransitionError):
        act(world.staff, app, "Pass Initial Review")
    # and no reviewer can score it
    with pytest.raises(InitialReviewGateError, match="未通过初审的申请不得进入评审"):
        world.review(app, world.reviewers["Expert"])
    assert state(app) == "Submitted"


def test_initial_review_gate_holds_when_the_workflow_is_loosened_in_desk(world):
    """An administrator may edit the workflow; the standard's gate still holds (R-6.2.1)."""
    app = world.apply(org=make_org(world.center, world.community))
    act(world.staff, app, "Submit")
    wf = frappe.get_doc("Workflow", "Incubation Application Workflow")
    for t in wf.transitions:
        if t.action == "Pass Initial Review":
            t.condition = None
    wf.save()
    try:
        with pytest.raises(InitialReviewGateError, match="第6.2.1条"):
            act(world.staff, app, "Pass Initial Review")
    finally:
        frappe.db.rollback()
        frappe.clear_cache()


def test_agreement_before_the_notice_ends_is_refused(world):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    start = get_work_calendar().next_working_day(today(), inclusive=True)
    world.notice([app], start)
    assert state(app) == "In Notice"
    frappe.set_user(world.staff)
    with pytest.raises(AgreementNotAllowedError, match="第6.4条"):
        frappe.get_doc({"doctype": "Incubation Agreement", "application": app.name, "start_date": today()}).insert()
    frappe.set_user("Administrator")
    # the scheduler leaves an open notice alone, however often it runs
    process_ended_notices()
    process_ended_notices()
    assert state(app) == "In Notice"


def test_upheld_objection_refuses_the_agreement_and_rejects_the_application(world, monkeypatch):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    start = get_work_calendar().next_working_day(today(), inclusive=True)
    notice = world.notice([app], start)
    frappe.set_user(world.staff)
    objection = frappe.get_doc(
        {"doctype": "Notice Objection", "public_notice": notice.name, "application": app.name,
         "objector_name": "居民甲", "contact_phone": "13900001111", "content": "该组织负责人信息不实",
         "received_on": f"{start} 10:00:00"}
    ).insert()
    objection.status = "Upheld"
    objection.handling_note = "经核实，负责人信息不实"
    objection.save()
    frappe.set_user("Administrator")
    with pytest.raises(AgreementNotAllowedError):
        frappe.get_doc({"doctype": "Incubation Agreement", "application": app.name, "start_date": today()}).insert()
    # after the notice has ended the daily job rejects it (idempotently)
    end = frappe.db.get_value("Public Notice", notice.name, "end_date")
    later = end + datetime.timedelta(days=1)
    monkeypatch.setattr("shuangfuhua_app.admission.today", lambda: later)
    monkeypatch.setattr(
        "shuangfuhua_app.shuangfuhua_app.doctype.incubation_agreement.incubation_agreement.today", lambda: later
    )
    process_ended_notices()
    process_ended_notices()
    assert state(app) == "Not Admitted"
    with pytest.raises(AgreementNotAllowedError, match="异议经核实成立"):
        frappe.get_doc({"doctype": "Incubation Agreement", "application": app.name, "start_date": today()}).insert()


def test_objection_outside_the_notice_period_is_refused(world):
    app = world.to_recommended(world.apply(org=make_org(world.center, world.community)))
    notice = world.notice([app], "2025-09-30")
    with pytest.raises(NoticePeriodError, match="公示期内"):
        frappe.get_doc(
            {"doctype": "Notice Objection", "public_notice": notice.name, "objector_name": "居民乙",
             "contact_phone": "13900002222", "content": "迟到的异议", "received_on": "2025-10-20 09:00:00"}
        ).insert()


def test_invalid_uscc_is_refused(world):
    with pytest.raises(InvalidIdentifierError, match="统一社会信用代码"):
        frappe.get_doc(
            {"doctype": "Community Social Organization", "org_name": "错误代码组织", "org_type": "Registered",
             "service_center": world.center, "uscc": "91110000600037341X"}
        ).insert()


def test_invalid_resident_id_is_refused(world):
    doc = application_doc(world.org)
    good = doc["party_members"][0]["resident_id"]
    doc["party_members"][0]["resident_id"] = good[:-1] + ("1" if good[-1] != "1" else "2")  # wrong check digit
    frappe.set_user(world.rep)
    try:
        with pytest.raises(InvalidIdentifierError, match="公民身份号码"):
            frappe.get_doc(doc).insert()
    finally:
        frappe.set_user("Administrator")


def test_registered_org_cannot_apply_through_the_community(world):
    org = make_org(world.center, world.community, org_type="Registered")
    with pytest.raises(frappe.ValidationError, match="第6.1.2条"):
        frappe.get_doc(application_doc(org, channel="Via Community")).insert()


def test_filed_org_applies_through_its_community(world):
    worker = __import__("factory").make_user(["Community Worker"], communities=[world.community])
    org = make_org(world.center, world.community)
    app = world.apply(org=org, as_user=worker, channel="Via Community")
    act(worker, app, "Submit")
    assert state(app) == "Submitted"
    assert frappe.db.get_value("Incubation Application", app.name, "channel") == "Via Community"


def test_applicant_cannot_pass_its_own_initial_review(world):
    app = world.apply(org=make_org(world.center, world.community))
    org = app.organization
    rep = __import__("factory").make_user(["Organization Representative"], orgs=[org])
    frappe.set_user(rep)
    doc = frappe.get_doc(app.doctype, app.name)
    doc.initial_review_result = "Passed"
    doc.save()
    frappe.set_user("Administrator")
    # permlevel 2: the applicant's value is dropped
    assert not frappe.db.get_value("Incubation Application", app.name, "initial_review_result")


def test_applicant_cannot_edit_after_initial_review_started(world):
    app = world.apply()
    act(world.rep, app, "Submit")
    frappe.set_user(world.staff)
    doc = frappe.get_doc(app.doctype, app.name)
    doc.initial_review_result = "Returned"
    doc.initial_review_comment = "请补充成员名册"
    doc.save()
    frappe.set_user(world.rep)
    doc = frappe.get_doc(app.doctype, app.name)
    doc.needs = "改了"
    with pytest.raises(frappe.PermissionError):
        doc.save()
    frappe.set_user("Administrator")
    # sent back, fixed and resubmitted
    act(world.staff, app, "Return for Revision")
    frappe.set_user(world.rep)
    doc = frappe.get_doc(app.doctype, app.name)
    doc.needs = "活动场地、项目设计培训、成员名册已补充"
    doc.save()
    frappe.set_user("Administrator")
    act(world.rep, app, "Resubmit")
    assert state(app) == "Submitted"


def test_panel_missing_a_category_is_flagged(world):
    panel = frappe.get_doc(
        {"doctype": "Review Panel", "panel_name": "不完整的评审小组", "service_center": world.center,
         "members": [{"member_name": "专家甲", "category": "Expert"}]}
    ).insert()
    assert not panel.is_complete
    assert "镇街领导" in panel.category_check and "第6.2.2条" in panel.category_check
    assert frappe.db.get_value("Review Panel", world.panel.name, "is_complete") == 1


def test_low_scores_lead_to_rejection(world):
    app = world.to_panel(world.apply(org=make_org(world.center, world.community)))
    for i, reviewer in enumerate(world.reviewers.values()):
        world.review(app, reviewer, score=50, recommendation="Reject" if i < 3 else "Admit")
    app.reload()
    assert app.panel_decision == "Reject"
    with pytest.raises(WorkflowTransitionError):
        act(world.staff, app, "Recommend Admission")
    act(world.staff, app, "Reject at Review")
    assert state(app) == "Not Admitted"


def test_a_reviewer_scores_once_and_only_on_their_panel(world):
    app = world.to_panel(world.apply(org=make_org(world.center, world.community)))
    world.review(app, world.reviewers["Expert"])
    with pytest.raises(frappe.ValidationError, match="已对该申请进行过评审"):
        world.review(app, world.reviewers["Expert"])
    outsider = __import__("factory").make_user(["Review Panel Member"], centers=[world.center])
    with pytest.raises(frappe.ValidationError, match="不是评审小组"):
        world.review(app, outsider)
