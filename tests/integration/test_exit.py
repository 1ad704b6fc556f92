"""Issue 8 (DB3301/T 0346—2021 §8, §9): five organizations admitted through the real
admission flow go through two years of scripted incubation (roster, trainings, a venture
project, evaluations), are assessed at the end of the cycle and confirmed by the business
supervisory unit and the leading group office; each level leads to its consequence. Also:
snapshot semantics, the confirmation gates (also with the workflow loosened in Desk), the
reminders, the documents (PDF → PNG), the public certificate check, R-9 and isolation."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import frappe
import pytest
from frappe.model.workflow import WorkflowTransitionError

from factory import World, act, as_user, make_center, make_org, make_user, uid
from shuangfuhua_app import exit as sfh_exit
from shuangfuhua_app.exceptions import ExitConfirmationError, ExitOutcomeError, StandardRuleError
from shuangfuhua_app.improvement import send_reminders as improvement_reminders
from shuangfuhua_app.setup.workflow_sync import reset_workflow
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.utils import today

START = "2023-06-01"  # agreements start here: the cycle ended on 2025-06-01
END = datetime.date(2025, 6, 1)
W1, W2 = "2023-09-15", "2024-09-15"  # a day in each agreement year
ASSESS, WF = "Exit Assessment", "Exit Assessment Workflow"
ORG = "Community Social Organization"
ARTIFACTS = Path(os.environ.get("SFH_ARTIFACTS") or Path(__file__).resolve().parents[2] / "artifacts")



def insert(user, doc):
    return as_user(user, lambda: frappe.get_doc(doc).insert())


def person(w, org, name, **roles):
    return insert(w.staff, {"doctype": "Organization Member", "organization": org, "member_name": name, **roles}).name


def training(w, title, day, hours, participants):
    """A training (§7.3) attended by the given organizations' roster roles."""

    def create():
        doc = frappe.get_doc({
            "doctype": "Incubation Activity", "activity_title": title, "block": "Talent Cultivation",
            "activity_type": "Talent Training", "service_center": w.center, "activity_date": day, "class_hours": hours,
        })
        for org, role in participants:
            doc.add_participants_from_roster(org, role)
        return doc.insert()

    return as_user(w.staff, create)


def annual_evaluation(w, org, year, score):
    return insert(w.staff, {
        "doctype": "Periodic Evaluation", "organization": org, "evaluation_type": "Annual Service Evaluation",
        "evaluation_year": year, "evaluation_date": f"{year}-12-10",
        "rater_scores": [{"rater_party": p, "independent_operation": score, "party_org_building": score,
                          "projects_undertaken": score, "resident_satisfaction": score}
                         for p in ("Township Leader", "Township Department", "Expert", "Community")],
    }).name


def credit(w, org, status):
    return insert(w.staff, {"doctype": "Periodic Evaluation", "organization": org, "evaluation_type": "Credit Evaluation",
                            "evaluation_year": 2025, "evaluation_date": "2025-03-01", "credit_status": status}).name


def closed_project(w, org, name, score):
    """A venture project (§7.4.5) through its whole workflow, closed with an evaluation score."""
    vp = insert(w.staff, {"doctype": "Venture Project", "organization": org, "project_name": name,
                          "project_field": "Neighborhood Mutual Aid", "application_date": "2024-01-10", "budget": 20000,
                          "milestones": [{"milestone": "招募志愿者", "due_date": "2024-03-01"}]})

    def edit(user, **values):
        def save():
            doc = frappe.get_doc("Venture Project", vp.name)
            doc.update(values)
            return doc.save()
        return as_user(user, save)

    act(w.staff, vp, "Submit for Coaching")
    edit(w.staff, coaching_date="2024-01-20", coaching_notes="细化服务对象", coach=w.staff)
    act(w.staff, vp, "Send for Approval")
    edit(w.head, granted_amount=15000)
    act(w.head, vp, "Approve Project")
    act(w.staff, vp, "Start Closing Evaluation")
    edit(w.staff, evaluation_result="Excellent", evaluation_score=score)
    act(w.staff, vp, "Close Project")
    return vp.name


def admit(w, orgs):
    """The real admission (§6): application, initial review, panel of five, notice in 2023
    (ended), agreement from 1 June 2023 – 24 months (§8.1.1)."""
    apps = [w.apply(org) for org in orgs]
    for app in apps:
        w.to_recommended(app)
    w.notice(apps, "2023-05-04")
    agreements = {}
    for org, app in zip(orgs, apps):
        assert frappe.db.get_value("Incubation Application", app.name, "workflow_state") == "Admitted"

        def sign():
            doc = frappe.get_doc({"doctype": "Incubation Agreement", "application": app.name, "start_date": START,
                                  "signed_on": START, "party_a_signatory": "李主任", "party_b_signatory": "张会长"}).insert()
            doc.submit()
            return doc
        agreement = as_user(w.staff, sign)
        assert agreement.end_date == END
        agreements[org] = agreement.name
    return agreements


@pytest.fixture(scope="module")
def x():
    """A center (World: staff, head, panel) with five admitted organizations, their two
    years of incubation, confirmation users and a private copy of the default template."""
    w = World()
    x = SimpleNamespace(w=w)
    x.a, x.b, x.c, x.d, x.e = w.org, *[make_org(w.center, w.community) for _ in range(4)]
    x.agreements = admit(w, [x.a, x.b, x.c, x.d, x.e])
    x.bsu = make_user(["Business Supervisory Unit"], centers=[w.center], first_name="主管单位")
    x.lgo = make_user(["Leading Group Office"], first_name="领导小组办公室")
    x.other_center = make_center()
    x.other_bsu = make_user(["Business Supervisory Unit"], centers=[x.other_center])
    x.other_staff = make_user(["Center Staff"], centers=[x.other_center])
    x.rep_b = make_user(["Organization Representative"], orgs=[x.b])

    # A and B: a party branch led by the head (also party affairs worker), a business
    # leader, two reserves with plans, two backbones; C: a liaison, three party members,
    # a business leader and one backbone; D and E: only their head
    x.people = {}
    for org in (x.a, x.b):
        frappe.db.set_value(ORG, org, "party_org_form", "Party Branch")
        x.people[org] = {
            "head": person(w, org, "书记", is_head=1, is_party_secretary=1, is_party_member=1, is_party_affairs_worker=1,
                           is_backbone=1),
            "leader": person(w, org, "领军", is_business_leader=1, is_party_member=1, is_backbone=1),
            "pm": person(w, org, "党员", is_party_member=1),
            "r1": person(w, org, "储备甲", is_reserve=1, training_plan="<p>跟岗学习</p>"),
            "r2": person(w, org, "储备乙", is_reserve=1, training_plan="<p>轮岗锻炼</p>"),
        }
    frappe.db.set_value(ORG, x.c, "party_org_form", "Party Liaison")
    x.people[x.c] = {
        "head": person(w, x.c, "丙负责人", is_head=1, is_party_member=1, is_liaison=1),
        "leader": person(w, x.c, "丙领军", is_business_leader=1, is_party_member=1, is_backbone=1),
        "pm": person(w, x.c, "丙党员", is_party_member=1),
    }
    for org in (x.d, x.e):
        person(w, org, "负责人", is_head=1)
    # five trainings of 4 hours in each agreement year, for the leaders and reserves of A, B, C
    x.trainings = []
    for window in (W1, W2):
        day = datetime.date.fromisoformat(window)
        for i in range(5):
            x.trainings.append(training(
                w, f"骨干培训{window[:4]}-{i + 1}", day + datetime.timedelta(days=7 * i), 4,
                [(o, role) for o in (x.a, x.b, x.c)
                 for role in ("is_party_affairs_worker", "is_business_leader", "is_reserve")],
            ).name)
    # an activity outside the cycle does not count
    training(w, "周期外培训", "2025-06-02", 8, [(x.a, "is_business_leader")])
    x.project = closed_project(w, x.a, "邻里守望", 92)
    x.eval_a = annual_evaluation(w, x.a, 2024, 95)
    x.eval_b = annual_evaluation(w, x.b, 2024, 85)
    x.credit_a = credit(w, x.a, "Good Standing")
    credit(w, x.b, "Minor Issues")
    credit(w, x.c, "Good Standing")
    # the center's own copy of the default indicator system (the test changes it)
    default = frappe.get_doc("Exit Assessment Template", sfh_exit.DEFAULT_TEMPLATE_NAME)
    x.template = f"出壳评估测试模板-{uid()}"
    insert(w.head, {"doctype": "Exit Assessment Template", "template_name": x.template,
                    "indicators": [{k: r.get(k) for k in ("indicator", "dimension", "source", "weight", "max_score",
                                                           "clause", "guidance")} for r in default.indicators]})
    frappe.db.commit()
    return x


ASSESSORS = [("张专家", "Expert"), ("李镇领导", "Township Leader"), ("王社区", "Community Head")]


def draft(x, org, template=None):
    return insert(x.w.staff, {
        "doctype": ASSESS, "incubation_agreement": x.agreements[org], "template": template or x.template,
        "assessment_date": str(today()),
        "assessors": [{"assessor_name": n, "category": c} for n, c in ASSESSORS],
    })


def score(x, doc, value, **per_indicator):
    def save():
        d = frappe.get_doc(ASSESS, doc.name)
        for row in d.scores:
            row.score = str(per_indicator.get(row.indicator, value))
        return d.save()
    return as_user(x.w.staff, save)


def rows(doc):
    return {r.indicator: r for r in doc.indicators}


def assessed(x, org, value, **per_indicator):
    doc = score(x, draft(x, org), value, **per_indicator)
    act(x.w.staff, doc, "Submit Assessment")
    return frappe.get_doc(ASSESS, doc.name)


def confirm(x, doc):
    act(x.bsu, doc, "Confirm in the First Instance")
    act(x.lgo, frappe.get_doc(ASSESS, doc.name), "Confirm Finally")
    return frappe.get_doc(ASSESS, doc.name)


# ---------------------------------------------------------------------------- R-8.1.1a reminder


def test_exit_assessment_is_reminded_60_days_before_the_cycle_ends_once(x):
    key = f"R-8.1.1|{x.agreements[x.a]}"
    assert key not in sfh_exit.send_reminders(END - datetime.timedelta(days=61))
    assert key in sfh_exit.send_reminders(END - datetime.timedelta(days=60))
    assert key not in sfh_exit.send_reminders(END - datetime.timedelta(days=59))
    assert key not in sfh_exit.send_reminders(END + datetime.timedelta(days=30))
    # issue 18 §1: the ledger row tells the staff; their day's digest of the job counts it
    row = frappe.db.get_value("SFH Reminder", key, ["assigned_to", "message"], as_dict=True)
    assert row.assigned_to == x.w.staff
    assert "双孵化周期将于2025年6月1日届满（还有60天），请准备出壳能力评估" in row.message
    assert digest_counts(x.w.staff, "exit.send_reminders").get("R-8.1.1a", 0) >= 1
    frappe.db.commit()


# ---------------------------------------------------------------------------- measured from the records


def test_measured_indicators_equal_the_records(x):
    doc = draft(x, x.a)
    r = rows(doc)
    assert doc.workflow_state == "Draft" and doc.organization == x.a and str(doc.agreement_end) == str(END)
    assert len(doc.indicators) == 13 and len(doc.scores) == 3 * 3  # three assessors × three manual indicators
    # §7.3.1: the head (party affairs worker) and the business leader, 5 × 4 hours per agreement year
    hours = json.loads(r["培训课时达标"].figures)
    # R-PRIV: the frozen figures number the party affairs worker (not a business leader)
    head, leader = "第1名", f"人员{x.people[x.a]['leader']}"
    assert [(row["person"], row["year_no"], row["hours"], row["required"]) for row in hours["rows"]] == [
        (head, 1, 20, 18), (head, 2, 20, 18), (leader, 1, 20, 18), (leader, 2, 20, 18),
    ]
    assert head in r["培训课时达标"].basis and "储备甲" not in r["储备人才队伍"].basis  # records, not names (R-PRIV)
    assert x.people[x.a]["head"] not in r["培训课时达标"].basis + r["培训课时达标"].figures
    assert sorted(hours["records"][x.people[x.a]["leader"]]) == sorted(x.trainings)  # not the one after the cycle
    assert r["培训课时达标"].measured and r["培训课时达标"].score == 100
    # §7.3.2: one secretary, two reserves with plans, five trainings each per agreement year
    reserve = json.loads(r["储备人才队伍"].figures)
    assert reserve["parts"] == {"ratio": 1.0, "plan": 1.0, "trainings": 1.0}
    r1, r2 = (f"人员{x.people[x.a][k]}" for k in ("r1", "r2"))
    assert [(row["person"], row["trainings"]) for row in reserve["rows"]] == [(r1, 5), (r1, 5), (r2, 5), (r2, 5)]
    # §7.1.2 branch; team; registration (filed)
    assert r["党组织覆盖"].score == 100 and "已成立党支部" in r["党组织覆盖"].basis
    assert r["团队建设"].score == 100
    assert r["登记备案与依法运行"].score == 100 and "已依法备案" in r["登记备案与依法运行"].basis
    # §7.4.5 the closed project with its evaluation score; [LW2021] project design
    venture = json.loads(r["公益项目承接与成效"].figures)
    assert venture["closed"] == 1 and venture["rows"][0]["name"] == x.project and r["公益项目承接与成效"].score == 92
    assert r["项目设计能力"].score == 100
    # §7.5.2 periodic evaluations
    assert r["年度服务测评"].score == 95 and json.loads(r["年度服务测评"].figures)["evaluation"] == x.eval_a
    assert r["居民（服务对象）满意度"].score == 95
    assert r["诚信状况"].score == 100 and json.loads(r["诚信状况"].figures)["evaluation"] == x.credit_a
    # nothing scored yet: no total, the message names what is missing
    assert doc.total_score == 0 and not doc.level and "尚未对指标" in doc.result_summary
    frappe.delete_doc(ASSESS, doc.name)

    c_doc = draft(x, x.c)
    c = rows(c_doc)
    assert c["党组织覆盖"].score == 50 and "应成立党支部" in c["党组织覆盖"].basis
    assert c["团队建设"].score == 75 and "骨干成员2名以上" in c["团队建设"].basis
    assert c["储备人才队伍"].score == 100 and "不适用" in c["储备人才队伍"].basis
    # no annual service evaluation on record: the assessors score it (and satisfaction)
    assert not c["年度服务测评"].measured and "由评估人员评分" in c["年度服务测评"].basis
    assert {s.indicator for s in c_doc.scores} == {
        "党建活动与“双同步”", "内部治理与制度建设", "督导整改与重大事项报告", "年度服务测评", "居民（服务对象）满意度"}
    frappe.delete_doc(ASSESS, c_doc.name)
    frappe.db.commit()


# ---------------------------------------------------------------------------- snapshot semantics


def test_template_and_threshold_changes_reach_the_next_assessment_not_a_submitted_one(x):
    a = assessed(x, x.a, 95)
    assert a.docstatus == 1 and a.workflow_state == "Assessed"
    assert a.total_score == 97.4 and a.level == "Excellent" and a.excellent_score == 90
    before = {r.indicator: (r.weight, r.score, r.figures) for r in a.indicators}

    settings = frappe.get_single("Shuangfuhua Settings")
    old = settings.exit_excellent_score
    template = frappe.get_doc("Exit Assessment Template", x.template)
    try:
        # Desk: the thresholds and the template's weights change
        settings.exit_excellent_score = 99
        settings.save()
        for row in template.indicators:
            if row.indicator == "登记备案与依法运行":
                row.weight = 6
            if row.indicator == "党组织覆盖":
                row.weight = 12
        as_user(x.w.head, template.save)
        commit_settings()
        a.reload()
        assert (a.total_score, a.level, a.excellent_score) == (97.4, "Excellent", 90)
        assert {r.indicator: (r.weight, r.score, r.figures) for r in a.indicators} == before
        # the next assessment takes them
        nxt = draft(x, x.b)
        assert rows(nxt)["登记备案与依法运行"].weight == 6 and rows(nxt)["党组织覆盖"].weight == 12
        assert nxt.excellent_score == 99
        frappe.delete_doc(ASSESS, nxt.name)
        # a template whose weights do not total 100 is refused (§8.1.1, App. D)
        template.reload()
        template.indicators[0].weight += 1
        with pytest.raises(StandardRuleError, match="权重合计应为100，当前为101"):
            as_user(x.w.head, template.save)
    finally:
        settings.reload()
        settings.exit_excellent_score = old
        settings.save()
        template.reload()
        for row in template.indicators:
            row.weight = {"登记备案与依法运行": 8, "党组织覆盖": 10}.get(row.indicator, row.weight)
        as_user(x.w.head, template.save)
        commit_settings()


def commit_settings():
    """Commit, then drop the cached settings: another process (the web server, a scheduler)
    may have cached the committed values while this transaction was still open."""
    frappe.db.commit()
    frappe.clear_document_cache("Shuangfuhua Settings", "Shuangfuhua Settings")


def test_a_corrected_record_leaves_the_submitted_result_unchanged(x):
    a = frappe.get_doc(ASSESS, frappe.get_all(ASSESS, filters={"organization": x.a, "docstatus": 1}, pluck="name")[0])
    before = {r.indicator: (r.score, r.figures) for r in a.indicators}
    activity = frappe.get_doc("Incubation Activity", x.trainings[0])
    try:
        activity.class_hours = 1  # a correction of the record after the assessment
        as_user(x.w.staff, activity.save)
        frappe.db.commit()
        now = sfh_exit.measure_sources(x.a, START, END)["Class Hours"]
        assert now.score < 100 and now.figures["rows"][0]["hours"] == 17  # the records did change
        a.reload()
        assert {r.indicator: (r.score, r.figures) for r in a.indicators} == before
        assert a.total_score == 97.4
    finally:
        activity.reload()
        activity.class_hours = 4
        as_user(x.w.staff, activity.save)
        frappe.db.commit()


# ---------------------------------------------------------------------------- R-CONFIRM


def test_confirmation_in_order_by_the_right_roles_also_when_the_workflow_is_loosened(x):
    a = frappe.get_doc(ASSESS, frappe.get_all(ASSESS, filters={"organization": x.a, "docstatus": 1}, pluck="name")[0])
    # the final confirmation is not offered before the first-instance one, nor to the wrong role
    with pytest.raises(WorkflowTransitionError):
        act(x.lgo, a, "Confirm Finally")
    with pytest.raises(WorkflowTransitionError):
        act(x.w.staff, a, "Confirm in the First Instance")
    with pytest.raises(frappe.PermissionError):  # another center's supervisory unit
        act(x.other_bsu, a, "Confirm in the First Instance")
    reset_workflow(WF)
    frappe.db.commit()
    try:
        # an administrator loosens the workflow in Desk: a shortcut to the final state for the
        # leading group office, center staff allowed to confirm, the condition removed
        wf = frappe.get_doc("Workflow", WF)
        for t in wf.transitions:
            t.condition = None
            if t.action == "Confirm in the First Instance":
                t.allowed = "Center Staff"
        wf.append("transitions", {"state": "Assessed", "action": "Confirm Finally", "next_state": "Finally Confirmed",
                                  "allowed": "Leading Group Office", "allow_self_approval": 1})
        wf.save()
        frappe.db.commit()
        with pytest.raises(ExitConfirmationError, match="须在“业务主管单位已初审”之后进行"):
            act(x.lgo, a, "Confirm Finally")
        with pytest.raises(ExitConfirmationError, match="只能由业务主管单位进行"):
            act(x.w.staff, a, "Confirm in the First Instance")
        frappe.db.rollback()
        assert frappe.db.get_value(ASSESS, a.name, "workflow_state") == "Assessed"
    finally:
        reset_workflow(WF)
        frappe.db.commit()
    act(x.bsu, a, "Confirm in the First Instance")
    a.reload()
    assert a.workflow_state == "First-instance Confirmed" and a.first_confirmed_by == x.bsu
    # the organization sees nothing before the final confirmation
    assert as_user(x.w.rep, sfh_exit.portal_exit_summary, x.a) == []
    with pytest.raises(frappe.PermissionError):
        as_user(x.w.rep, sfh_exit.download_appraisal, a.name)
    with pytest.raises(WorkflowTransitionError):
        act(x.bsu, a, "Confirm Finally")
    frappe.db.commit()


# ---------------------------------------------------------------------------- consequences


def test_excellent_exits_with_an_honor_certificate_and_follow_up(x):
    a = frappe.get_doc(ASSESS, frappe.get_all(ASSESS, filters={"organization": x.a, "docstatus": 1}, pluck="name")[0])
    act(x.lgo, a, "Confirm Finally")
    a.reload()
    assert a.workflow_state == "Finally Confirmed" and a.final_confirmed_by == x.lgo
    assert a.outcome == "Exit with Follow-up Service" and a.honor_certificate and a.follow_up_service
    cert = frappe.get_doc("Honor Certificate", a.honor_certificate)
    assert cert.name.startswith("SFH-RY-") and cert.status == "Valid" and cert.org_name == frappe.db.get_value(ORG, x.a, "org_name")
    assert cert.verification_url.endswith(f"/certificates/{cert.name}")
    service = frappe.get_doc("Follow Up Service", a.follow_up_service)
    assert service.start_date == today() and service.end_date == sfh_exit.follow_up_end_date(today())
    org = frappe.db.get_value(ORG, x.a, ["incubation_status", "exit_level", "exit_assessment", "honor_certificate",
                                         "follow_up_service"], as_dict=True)
    assert org == {"incubation_status": "Exited", "exit_level": "Excellent", "exit_assessment": a.name,
                   "honor_certificate": cert.name, "follow_up_service": service.name}
    agreement = frappe.db.get_value("Incubation Agreement", x.agreements[x.a], ["exit_assessment", "exit_level",
                                                                               "exit_outcome"], as_dict=True)
    assert agreement == {"exit_assessment": a.name, "exit_level": "Excellent", "exit_outcome": "Exited"}
    # a confirmed result is not returned any more, and the certificate is not issued by hand
    with pytest.raises(WorkflowTransitionError):
        act(x.lgo, a, "Return for Reassessment")
    with pytest.raises(frappe.PermissionError):
        frappe.get_doc({"doctype": "Honor Certificate", "organization": x.a}).insert(ignore_permissions=True)
    x.certificate = cert.name
    frappe.db.commit()


def test_good_and_pass_exit_with_follow_up_and_no_certificate(x):
    b = confirm(x, assessed(x, x.b, 100))
    assert b.total_score == 76 and b.level == "Good"
    c = confirm(x, assessed(x, x.c, 80))
    assert c.total_score == 66.3 and c.level == "Up to Standard"
    for doc, org in ((b, x.b), (c, x.c)):
        assert doc.outcome == "Exit with Follow-up Service" and doc.follow_up_service and not doc.honor_certificate
        assert frappe.db.get_value(ORG, org, "incubation_status") == "Exited"
        assert frappe.db.get_value("Incubation Agreement", x.agreements[org], "exit_outcome") == "Exited"
    # §8.2: at least 12 months, at most 24; the three kinds of service are recorded
    service = frappe.get_doc("Follow Up Service", b.follow_up_service)
    service.end_date = service.start_date + datetime.timedelta(days=200)
    with pytest.raises(StandardRuleError, match="跟踪服务期不少于1年"):
        as_user(x.w.staff, service.save)
    service.reload()
    service.end_date = sfh_exit.follow_up_end_date(service.start_date, months=25)
    with pytest.raises(StandardRuleError, match="跟踪服务期最长2年"):
        as_user(x.w.staff, service.save)
    service.reload()
    service.end_date = sfh_exit.follow_up_end_date(service.start_date, months=18)
    service.append("records", {"service_date": today(), "service_type": "Resource Linking", "content": "对接专家"})
    with pytest.raises(StandardRuleError, match="须注明对接的资源"):
        as_user(x.w.staff, service.save)
    service.reload()
    service.end_date = sfh_exit.follow_up_end_date(service.start_date, months=18)
    service.append("records", {"service_date": today(), "service_type": "Resource Linking", "content": "对接专家",
                               "resource_kind": "Volunteer Team", "partner": "区志愿者协会"})
    as_user(x.w.staff, service.save)
    assert "品牌塑造、协助有关部门服务和监管" in service.coverage
    service.append("records", {"service_date": today(), "service_type": "Brand Building", "content": "品牌项目策划"})
    service.append("records", {"service_date": today(), "service_type": "Joint Supervision", "content": "协助民政年检"})
    as_user(x.w.staff, service.save)
    assert service.coverage.startswith("已开展品牌塑造、资源链接、协助有关部门服务和监管三类跟踪服务")
    frappe.db.commit()


def test_not_up_to_standard_re_signs_or_ends_the_incubation(x):
    d = confirm(x, assessed(x, x.d, 40))
    e = confirm(x, assessed(x, x.e, 40))
    for doc in (d, e):
        assert doc.total_score == 45.5 and doc.level == "Not Up to Standard"
        assert not doc.outcome and not doc.follow_up_service and not doc.honor_certificate
        assert frappe.db.exists("SFH Reminder", f"R-8.1.2|{doc.name}")  # staff are asked to decide
    assert frappe.db.get_value(ORG, x.d, "incubation_status") == "Incubating"
    # gate: exit is not an outcome of 不达标; the leading group office does not decide
    with pytest.raises(frappe.PermissionError):
        as_user(x.lgo, sfh_exit.resign_agreement, d.name)
    # re-sign: a new agreement, a new cycle, linked to the old one
    new = as_user(x.w.staff, sfh_exit.resign_agreement, d.name)
    agreement = frappe.get_doc("Incubation Agreement", new)
    assert agreement.previous_agreement == x.agreements[x.d] and agreement.renewal_assessment == d.name
    assert agreement.start_date == today() and agreement.docstatus == 0
    as_user(x.w.staff, agreement.submit)
    assert agreement.end_date == sfh_exit.follow_up_end_date(today(), months=24)
    old = frappe.db.get_value("Incubation Agreement", x.agreements[x.d], ["exit_outcome", "renewed_by", "exit_level"],
                              as_dict=True)
    assert old == {"exit_outcome": "Re-signed", "renewed_by": new, "exit_level": "Not Up to Standard"}
    assert frappe.db.get_value(ORG, x.d, "incubation_status") == "Incubating"
    with pytest.raises(ExitOutcomeError, match="已经确定"):
        as_user(x.w.staff, sfh_exit.end_incubation, d.name, "重复")
    # a second renewal of the same agreement is refused
    with pytest.raises(StandardRuleError):
        insert(x.w.staff, {"doctype": "Incubation Agreement", "application": agreement.application,
                           "previous_agreement": x.agreements[x.d], "start_date": str(today())})
    # end: recorded on the organization and the agreement
    assert as_user(x.w.staff, sfh_exit.end_incubation, e.name, "组织无法继续运作") == "Incubation Ended"
    e.reload()
    assert e.outcome == "End Incubation" and e.outcome_note == "组织无法继续运作"
    assert frappe.db.get_value("Incubation Agreement", x.agreements[x.e], "exit_outcome") == "Incubation Ended"
    assert frappe.db.get_value(ORG, x.e, "incubation_status") == "Incubation Ended"
    # exited and ended organizations get no more §7 quota reminders
    from shuangfuhua_app.incubation import served_orgs

    served = set(served_orgs())
    assert x.d in served and not {x.a, x.b, x.c, x.e} & served
    frappe.db.commit()


def test_submission_before_the_cycle_ends_and_twice_per_agreement_are_refused(x):
    with pytest.raises(StandardRuleError, match="已有出壳能力评估"):
        draft(x, x.a)
    # the renewed agreement of D runs until 2028: no assessment before that
    renewal = frappe.db.get_value("Incubation Agreement", {"previous_agreement": x.agreements[x.d]}, "name")
    doc = insert(x.w.staff, {"doctype": ASSESS, "incubation_agreement": renewal, "template": x.template,
                             "assessors": [{"assessor_name": n, "category": c} for n, c in ASSESSORS]})
    doc = score(x, doc, 60)
    with pytest.raises(StandardRuleError, match="期满后方可开展出壳能力评估"):
        act(x.w.staff, doc, "Submit Assessment")
    frappe.delete_doc(ASSESS, doc.name)
    frappe.db.commit()


# ---------------------------------------------------------------------------- reminder


def test_follow_up_end_is_reminded_once_and_the_period_ends(x):
    name = frappe.db.get_value(ORG, x.a, "follow_up_service")
    end = frappe.db.get_value("Follow Up Service", name, "end_date")
    key = f"R-8.2|{name}|{end.isoformat()}"
    assert key not in sfh_exit.send_reminders(end - datetime.timedelta(days=31))
    assert key in sfh_exit.send_reminders(end - datetime.timedelta(days=30))
    assert key not in sfh_exit.send_reminders(end - datetime.timedelta(days=10))
    assert frappe.db.get_value("Follow Up Service", name, "service_status") == "Active"
    sfh_exit.send_reminders(end + datetime.timedelta(days=1))
    assert frappe.db.get_value("Follow Up Service", name, "service_status") == "Ended"
    frappe.db.set_value("Follow Up Service", name, "service_status", "Active")
    frappe.db.commit()


# ---------------------------------------------------------------------------- documents


#: pdftotext reports some glyphs of Noto CJK as radicals; NFKC maps the Kangxi ones back, these the rest
RADICALS = str.maketrans({"⻅": "见", "⻓": "长", "⻔": "门", "⻋": "车", "⻢": "马", "⻚": "页", "⻛": "风", "⻜": "飞",
                          "⻉": "贝", "⻘": "青", "⻩": "黄", "⻬": "齐", "⻰": "龙", "⻆": "角", "⻝": "食", "⻨": "麦"})


def _pdf_to_png(pdf: bytes, stem: str) -> tuple[str, Path]:
    import unicodedata

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{stem}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(ARTIFACTS / stem)], check=True)
    return text, path


@pytest.mark.skipif(not (shutil.which("wkhtmltopdf") and shutil.which("pdftoppm")), reason="wkhtmltopdf/poppler missing")
def test_certificate_and_appraisal_render_to_pdf_with_chinese_intact(x, monkeypatch):
    if os.environ.get("SFH_URL"):  # wkhtmltopdf loads the print styles from the running site
        monkeypatch.setitem(frappe.local.conf, "host_name", os.environ["SFH_URL"])
    a = frappe.db.get_value(ORG, x.a, "exit_assessment")
    pdf = frappe.get_print(ASSESS, a, print_format="Exit Appraisal", as_pdf=True)
    text, _ = _pdf_to_png(pdf, "exit-appraisal")
    for phrase in ("社区社会组织出壳鉴定书", "能力评估情况", "培训课时达标", "优秀", "准予出壳", "领导小组办公室认定意见"):
        assert phrase in text.replace(" ", ""), phrase
    pdf = frappe.get_print("Honor Certificate", x.certificate, print_format="Honor Certificate", as_pdf=True)
    text, path = _pdf_to_png(pdf, "honor-certificate")
    flat = text.replace(" ", "")
    assert "荣誉证书" in flat and "优秀" in flat and "扫码核验真伪" in flat
    # (pdftotext loses some Latin digits of the CJK font; the number and the QR code are in the HTML)
    html = frappe.get_print("Honor Certificate", x.certificate, print_format="Honor Certificate")
    assert f"证书编号：{x.certificate}" in html and "<svg" in html and f"/certificates/{x.certificate}" in html
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    width, height = [float(v) for v in info.split("Page size:")[1].split("pts")[0].split("x")]
    assert width > height  # A4 landscape


# ---------------------------------------------------------------------------- R-X-VERIFY


def test_the_public_page_answers_for_a_real_an_unknown_and_a_revoked_number(x):
    url = os.environ.get("SFH_URL")
    if not url:
        pytest.skip("SFH_URL not set")
    import requests

    def page(number):
        r = requests.get(f"{url}/certificates/{number}", headers={"Host": frappe.local.site}, timeout=30)
        assert r.status_code == 200
        return r.text

    org_name = frappe.db.get_value(ORG, x.a, "org_name")
    html = page(x.certificate)
    assert "真实有效" in html and org_name in html and 'data-state="genuine"' in html
    head_phone = frappe.db.get_value("Incubation Application", {"organization": x.a}, "head_phone")
    for private in ("书记", "领军", x.w.staff, x.w.rep) + ((head_phone,) if head_phone else ()):
        assert private not in html
    assert "未查到编号为“SFH-RY-1999-99999”的荣誉证书" in page("SFH-RY-1999-99999")
    assert 'data-state="unknown"' in page("SFH<b>1") and "<b>1" not in page("SFH<b>1")
    cert = frappe.get_doc("Honor Certificate", x.certificate)
    cert.status = "Revoked"
    with pytest.raises(frappe.ValidationError):
        as_user(x.w.head, cert.save)  # a reason is required
    cert.reload()
    cert.status, cert.revoke_reason = "Revoked", "经核查存在违规行为"
    as_user(x.w.head, cert.save)
    frappe.db.commit()
    html = page(x.certificate)
    assert 'data-state="revoked"' in html and "由颁发单位撤销，不再有效" in html
    cert.reload()
    cert.status = "Valid"
    with pytest.raises(StandardRuleError):
        as_user(x.w.head, cert.save)


# ----------------------------------------------------------------------------


def test_feedback_corrective_actions_and_the_yearly_review(x):
    w = x.w
    fb = insert(x.rep_b, {"doctype": "Service Feedback", "organization": x.b, "feedback_type": "Complaint",
                          "subject": "培训通知太晚", "content": "培训通知提前一天才发"})
    assert fb.channel == "Portal" and fb.submitted_by == x.rep_b and fb.feedback_status == "Open"
    insert(x.rep_b, {"doctype": "Service Feedback", "organization": x.b, "feedback_type": "Satisfaction",
                     "rating": "Satisfied"})
    with pytest.raises(StandardRuleError, match="满意度评价须选择满意程度"):
        insert(x.rep_b, {"doctype": "Service Feedback", "organization": x.b, "feedback_type": "Satisfaction"})
    # closing a complaint needs the answer
    doc = frappe.get_doc("Service Feedback", fb.name)
    doc.feedback_status = "Resolved"
    with pytest.raises(StandardRuleError, match="投诉须填写处理答复后方可办结"):
        as_user(w.staff, doc.save)
    doc.reload()
    doc.feedback_status, doc.response = "Resolved", "今后培训通知至少提前一周发出"
    as_user(w.staff, doc.save)
    assert doc.responded_by == w.staff
    # the organization cannot change it any more
    doc.reload()
    doc.content = "改过的内容"
    with pytest.raises(frappe.PermissionError):
        as_user(x.rep_b, doc.save)
    due = today() - datetime.timedelta(days=3)
    action = insert(w.staff, {"doctype": "Corrective Action", "service_center": w.center, "service_feedback": fb.name,
                              "problem": "培训通知发出过晚", "action": "建立培训通知提前一周制度", "owner_user": w.head,
                              "raised_on": str(today() - datetime.timedelta(days=10)), "due_date": str(due)})
    assert action.organization == x.b
    key = f"R-9|{action.name}|{due.isoformat()}"
    assert key in improvement_reminders(today())
    assert key not in improvement_reminders(today())
    assert frappe.db.get_value("SFH Reminder", key, "assigned_to") == w.head
    assert digest_counts(w.head, "improvement.send_reminders").get("R-9", 0) >= 1
    year = today().year
    review = insert(w.head, {"doctype": "Center Annual Review", "service_center": w.center, "review_year": year})
    assert review.complaint_count == 1 and review.complaints_handled == 1 and review.satisfaction_count == 1
    assert review.average_rating == 4 and review.action_count == 1 and review.actions_overdue == 1
    assert [r.corrective_action for r in review.actions] == [action.name] and review.actions[0].overdue
    assert review.exits_excellent == 1 and review.exits_good == 1 and review.exits_pass == 1 and review.exits_fail == 2
    assert "1项整改措施逾期未完成" in review.finding and review.finding.endswith(cite("9"))
    with pytest.raises(StandardRuleError):
        insert(w.head, {"doctype": "Center Annual Review", "service_center": w.center, "review_year": year})
    # completed: listed with its result, frozen when the review is submitted
    a = frappe.get_doc("Corrective Action", action.name)
    a.action_status = "Completed"
    with pytest.raises(StandardRuleError, match="须填写完成日期"):
        as_user(w.head, a.save)
    a.reload()
    a.action_status, a.completed_on, a.result = "Completed", str(today()), "制度已印发执行"
    as_user(w.head, a.save)
    review.reload()
    as_user(w.head, review.save)
    as_user(w.head, review.submit)
    assert review.actions[0].action_status == "Completed" and not review.actions[0].overdue
    frappe.db.commit()


# ---------------------------------------------------------------------------- isolation


def can_read(user, doctype, name):
    return bool(frappe.has_permission(doctype, "read", doc=frappe.get_doc(doctype, name), user=user))


def test_other_centers_and_organizations_do_not_read_exit_records(x):
    a = frappe.db.get_value(ORG, x.a, ["exit_assessment", "honor_certificate", "follow_up_service"], as_dict=True)
    records = {"Exit Assessment": a.exit_assessment, "Honor Certificate": a.honor_certificate,
               "Follow Up Service": a.follow_up_service}
    for doctype, name in records.items():
        assert can_read(x.w.staff, doctype, name) and can_read(x.bsu, doctype, name), doctype
        assert not can_read(x.other_staff, doctype, name), doctype
        assert not can_read(x.other_bsu, doctype, name), doctype
        assert not can_read(x.rep_b, doctype, name), doctype  # another organization's representative
    # the organization itself reads its certificate and follow-up, never the assessment record
    assert can_read(x.w.rep, "Honor Certificate", a.honor_certificate)
    assert can_read(x.w.rep, "Follow Up Service", a.follow_up_service)
    assert not can_read(x.w.rep, "Exit Assessment", a.exit_assessment)
    listed = set(as_user(x.other_staff, frappe.get_list, "Honor Certificate", pluck="name", limit_page_length=0))
    assert a.honor_certificate not in listed
    rows = as_user(x.rep_b, frappe.get_list, "Follow Up Service", pluck="name", limit_page_length=0)
    assert a.follow_up_service not in rows
    # child rows follow their record
    try:
        child = as_user(x.other_staff, frappe.get_list, "Exit Assessment Indicator",
                        filters={"parent": a.exit_assessment}, parent_doctype=ASSESS, fields=["name"])
    except frappe.PermissionError:
        child = []
    assert child == []


# ---------------------------------------------------------------------------- portal


def _host_resolves() -> bool:
    """wkhtmltopdf in the web server loads the print styles from the site's host_name; on a
    dev machine ``*.localhost`` may not resolve outside the browser and curl."""
    import socket
    from urllib.parse import urlparse

    try:
        socket.gethostbyname(urlparse(frappe.utils.get_url()).hostname or "")
        return True
    except OSError:
        return False


def test_the_organization_sees_its_result_and_downloads_its_documents(x, monkeypatch):
    url = os.environ.get("SFH_URL")
    if not url:
        pytest.skip("SFH_URL not set")
    from factory import web_session

    a = frappe.db.get_value(ORG, x.a, ["exit_assessment", "honor_certificate"], as_dict=True)
    rep = web_session(url, x.w.rep)
    page = rep.get(f"{url}/my-incubation", timeout=60).text
    assert 'class="sfh-card sfh-exit-result"' in page and "优秀" in page and a.honor_certificate in page
    downloads = (("download_appraisal", a.exit_assessment), ("download_certificate", a.honor_certificate))
    if _host_resolves():
        for method, name in downloads:
            r = rep.get(f"{url}/api/method/shuangfuhua_app.exit.{method}", params={"name": name}, timeout=120)
            assert r.status_code == 200 and r.content.startswith(b"%PDF"), (method, r.status_code, r.text[:300])
    else:  # the same functions, as the representative, in this process
        monkeypatch.setitem(frappe.local.conf, "host_name", url)
        for method, name in downloads:
            as_user(x.w.rep, getattr(sfh_exit, method), name)
            assert frappe.local.response.filecontent.startswith(b"%PDF") and frappe.local.response.type == "pdf"
            frappe.local.response.pop("filecontent")
    assert rep.get(f"{url}/feedback/new", timeout=60).status_code == 200
    # another organization's representative gets neither the page section nor the files
    other = web_session(url, x.rep_b)
    page = other.get(f"{url}/my-incubation", timeout=60).text
    assert a.exit_assessment not in page and a.honor_certificate not in page
    for method, name in (("download_appraisal", a.exit_assessment), ("download_certificate", a.honor_certificate)):
        r = other.get(f"{url}/api/method/shuangfuhua_app.exit.{method}", params={"name": name}, timeout=60)
        assert r.status_code == 403 and not r.content.startswith(b"%PDF")


def digest_counts(user: str, job: str) -> dict[str, int]:
    """Issue 18 §1: rule -> count of the user's digest ToDo of ``job`` today (one per day and job)."""
    import re

    rows = frappe.db.sql(
        """select description from `tabToDo` where allocated_to = %s and reference_type = 'Service Center'
        and status != 'Cancelled' and description like %s order by creation desc""",
        (user, f"%job={job}%"),
    )
    assert len(rows) <= 1, rows  # one digest per user, day and job
    return {k: int(n) for k, n in re.findall(r"（(R-[0-9A-Za-z.\-]+)）：(\d+)", rows[0][0])} if rows else {}
