"""Issue 3 (DB3301/T 0346—2021 §7): a scripted year of activities for three organizations,
their compliance figures, the reminders (idempotent), the venture-project workflow and
isolation of the incubation records."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace

import frappe
import pytest
from frappe.model.workflow import WorkflowTransitionError

from factory import act, as_user, make_center, make_community, make_org, make_resident_id, make_user
from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.incubation import compliance, get_compliance, reminders_for, send_reminders
from shuangfuhua_app.setup.workflow_sync import reset_workflow
from shuangfuhua_app.standard.clauses import cite

Y = 2025  # a finished year: the quotas are measured in full
AS_OF = datetime.date(Y + 1, 1, 1)  # the scheduler's first run after the year
ORG = "Community Social Organization"
C712, C731, C732 = cite("7.1.2"), cite("7.3.1"), cite("7.3.2")



class Center:
    """A center with one staff user, its head and one organization with its representative
    (Frappe throttles user creation, so no review panel here)."""

    def __init__(self):
        self.center = make_center()
        self.community = make_community(self.center)
        self.staff = make_user(["Center Staff"], centers=[self.center])
        self.head = make_user(["Center Head"], centers=[self.center])
        self.org = make_org(self.center, self.community)
        self.rep = make_user(["Organization Representative"], orgs=[self.org])


def person(staff, org, name, **roles):
    doc = {"doctype": "Organization Member", "organization": org, "member_name": name, **roles}
    return as_user(staff, lambda: frappe.get_doc(doc).insert()).name


def activity(w, title, activity_type, block, day, hours, orgs=(), roster=()):
    """Staff enter an activity; participants come from the organizations' rosters in bulk."""

    def create():
        doc = frappe.get_doc(
            {
                "doctype": "Incubation Activity",
                "activity_title": title,
                "block": block,
                "activity_type": activity_type,
                "service_center": w.center,
                "activity_date": day,
                "class_hours": hours,
                "organizations": [{"organization": o} for o in orgs],
            }
        )
        for org, role in roster:
            doc.add_participants_from_roster(org, role)
        return doc.insert()

    return as_user(w.staff, create)


@pytest.fixture(scope="module")
def year():
    w = Center()
    a, b, c = w.org, make_org(w.center, w.community), make_org(w.center, w.community)
    frappe.db.set_value(ORG, a, "party_org_form", "Party Branch")
    frappe.db.set_value(ORG, c, "party_org_form", "Party Liaison")
    p = SimpleNamespace()
    # A: compliant – head is also secretary (一肩挑), 3 party members with a branch, 2 reserves
    p.a_head = person(
        w.staff, a, "甲书记", is_head=1, is_party_secretary=1, is_party_member=1, is_party_affairs_worker=1,
        resident_id=make_resident_id(), phone="13812345678",
    )
    p.a_pm = [person(w.staff, a, f"甲党员{i}", is_party_member=1) for i in (2, 3)]
    p.a_res = [
        person(w.staff, a, f"甲储备{i}", is_reserve=1, training_plan="<p>每季度参加培训并跟岗学习</p>") for i in (1, 2)
    ]
    # B: short on class hours – a business leader with 12 of 18 hours; a party affairs worker since 15 July
    p.b_lead = person(w.staff, b, "乙领军", is_head=1, is_business_leader=1)
    p.b_new = person(w.staff, b, "乙新任", is_party_affairs_worker=1, role_start_date=f"{Y}-07-15")
    p.b_pm = person(w.staff, b, "乙党员", is_party_member=1, is_liaison=1)
    # C: 4 party members and no branch; no regular study in December
    p.c_pm = [person(w.staff, c, f"丙党员{i}", is_party_member=1, is_liaison=int(i == 1)) for i in (1, 2, 3, 4)]

    for month in range(1, 13):
        roster = [(a, "is_party_affairs_worker")]
        if month <= 5:
            roster.append((a, "is_reserve"))
        if month <= 8:
            roster.append((b, "is_business_leader"))
        orgs = [a, b] + ([c] if month != 12 else [])
        activity(w, f"{month}月常态化学习", "Regular Study", "Talent Cultivation", f"{Y}-{month:02d}-10", 1.5, orgs, roster)
    rotation = activity(
        w, "党员集中轮训", "Centralized Rotation", "Talent Cultivation", f"{Y}-06-20", 3, (),
        [(a, "is_party_member"), (b, "is_party_member"), (c, "is_party_member")],
    )
    # activities of other years do not count (year boundary)
    activity(w, "上年培训", "Talent Training", "Talent Cultivation", f"{Y - 1}-12-31", 6, (), [(b, "is_business_leader")])
    activity(w, "次年培训", "Talent Training", "Talent Cultivation", f"{Y + 1}-01-01", 6, (), [(b, "is_business_leader")])
    # A's annual service evaluation of the year was done (four parties)
    evaluation = as_user(
        w.staff,
        lambda: frappe.get_doc(
            {
                "doctype": "Periodic Evaluation",
                "organization": a,
                "evaluation_type": "Annual Service Evaluation",
                "evaluation_year": Y,
                "rater_scores": [
                    {"rater_party": "Township Leader", "independent_operation": 90, "party_org_building": 80,
                     "projects_undertaken": 70, "resident_satisfaction": 95},
                    {"rater_party": "Township Department", "independent_operation": 80, "party_org_building": 90,
                     "projects_undertaken": 75, "resident_satisfaction": 85},
                    {"rater_party": "Expert", "independent_operation": 85, "party_org_building": 85,
                     "projects_undertaken": 80},
                    {"rater_party": "Community", "independent_operation": 85, "party_org_building": 85,
                     "projects_undertaken": 75, "resident_satisfaction": 90},
                ],
            }
        ).insert(),
    )
    frappe.db.commit()
    rep_b = make_user(["Organization Representative"], orgs=[b])
    frappe.db.commit()
    return SimpleNamespace(w=w, a=a, b=b, c=c, p=p, rotation=rotation, evaluation=evaluation, rep_b=rep_b)


def by_rule(findings, rule, subject=None):
    return [f for f in findings if f.rule == rule and (subject is None or subject in f.message)]


# ---------------------------------------------------------------------------- compliance


def test_compliant_organization_meets_every_quota(year):
    findings = compliance(year.a, Y)
    assert {f.rule for f in findings} == {
        "R-7.1.2", "R-7.2", "R-7.3.1b", "R-7.3.1a", "R-7.3.2a", "R-7.3.2b", "R-7.3.2c", "R-7.3.5"
    }
    assert all(f.ok for f in findings), [f.message for f in findings if not f.ok]
    (hours,) = by_rule(findings, "R-7.3.1a")
    assert (hours.figure, hours.required, hours.gap) == (21, 18, 0)  # 12 × 1.5 + 3
    assert hours.message == f"党务工作者甲书记{Y}年培训 21/18 课时，已达标{C731}"
    (ratio,) = by_rule(findings, "R-7.3.2a")
    assert (ratio.figure, ratio.required) == (2, 2)
    assert [(f.figure, f.required) for f in by_rule(findings, "R-7.3.2b")] == [(5, 5), (5, 5)]
    rotation = [f for f in by_rule(findings, "R-7.3.2c") if "集中轮训" in f.message]
    assert len(rotation) == 3 and all(f.figure == 1 for f in rotation)
    (study,) = [f for f in by_rule(findings, "R-7.3.2c") if "常态化学习" in f.message]
    assert (study.figure, study.required, study.gap) == (12, 12, 0)
    (shoulder,) = by_rule(findings, "R-7.3.1b")
    assert shoulder.ok and shoulder.applicable and "已实现“一肩挑”" in shoulder.message


def test_organization_short_on_class_hours(year):
    findings = compliance(year.b, Y)
    failing = [f for f in findings if not f.ok]
    assert [f.rule for f in failing] == ["R-7.3.1a", "R-7.3.1a"]
    lead, new = failing
    assert (lead.figure, lead.required, lead.gap) == (12, 18, 6)  # 8 × 1.5; Dec 2024 and Jan 2026 not counted
    assert lead.message == f"业务领军人才乙领军{Y}年培训 12/18 课时，差6课时{C731}"
    # pro-rated: in role from 15 July -> Aug–Dec, 5 whole months -> 18 × 5 / 12 = 7.5
    assert (new.figure, new.required, new.gap) == (0, 7.5, 7.5)
    assert "按5个整月折算" in new.message and new.message.endswith(C731)
    (party,) = by_rule(findings, "R-7.1.2")
    assert party.ok and party.figure == 1  # one party member and a liaison
    assert not by_rule(findings, "R-7.3.2a")[0].applicable  # no secretary


def test_organization_with_four_party_members_and_no_branch(year):
    findings = compliance(year.c, Y)
    failing = [f for f in findings if not f.ok]
    assert [f.rule for f in failing] == ["R-7.1.2", "R-7.3.2c"]
    party, study = failing
    assert party.message == f"党员3名及以上应成立党支部，当前党员4名、未建支部{C712}"
    assert (study.figure, study.required, study.gap) == (11, 12, 1)
    assert f"{Y}年12月未开展" in study.message and study.message.endswith(C732)


def test_compliance_on_the_form_as_staff_and_own_representative(year):
    data = as_user(year.w.staff, get_compliance, year.b, Y)
    assert data["year"] == Y and "12/18" in data["html"] and "第7.3.1条" in data["html"]
    assert sum(1 for r in data["rows"] if not r["ok"]) == 2
    rep_b = year.rep_b
    assert as_user(rep_b, get_compliance, year.b, Y)["rows"]
    with pytest.raises(frappe.PermissionError):
        as_user(rep_b, get_compliance, year.a, Y)


def test_annual_service_evaluation_is_averaged_per_dimension(year):
    ev = frappe.get_doc("Periodic Evaluation", year.evaluation.name)
    assert (ev.avg_independent_operation, ev.avg_party_org_building, ev.avg_projects_undertaken) == (85, 85, 75)
    assert ev.avg_resident_satisfaction == 90  # the expert gave no score for it: (95 + 85 + 90) / 3
    assert ev.overall_score == 83.75
    assert "已有四方" in ev.rater_check


# ---------------------------------------------------------------------------- reminders


def our_keys(year, keys):
    ours = {year.a, year.b, year.c, year.p.a_head, year.p.b_lead, year.p.b_new, year.p.b_pm,
            *year.p.a_pm, *year.p.a_res, *year.p.c_pm}
    return {k for k in keys if k.split("|")[1] in ours}


def ledger(year):
    """The ledger rows of the three organizations (issue 18 §1: one per organization, rule and period)."""
    return frappe.get_all(
        "SFH Reminder",
        filters={"organization": ("in", [year.a, year.b, year.c])},
        fields=["name", "organization", "assigned_to", "message", "job"],
    )


def test_reminders_once_and_only_once(year):
    from digests import assert_digest_matches_ledger, digest_counts, per_record_todos, run_daily_job

    expected = {
        f"R-7.3.1a|{year.p.b_lead}|{Y}-Q4",
        f"R-7.3.1a|{year.p.b_new}|{Y}-Q4",
        f"R-7.5.2|{year.b}|{Y}",
        f"R-7.1.2|{year.c}|{Y + 1}-01",
        f"R-7.3.2c-study|{year.c}|{Y}-12",
        f"R-7.5.2|{year.c}|{Y}",
    }
    assert our_keys(year, run_daily_job(send_reminders, AS_OF)) == expected
    created = ledger(year)
    assert {r.name for r in created} == expected  # one row per organization, rule and period
    assert {r.assigned_to for r in created} == {year.w.staff}  # the center's staff user
    assert {r.job for r in created} == {"incubation.send_reminders"}
    assert not [r for r in created if r.organization == year.a]
    assert any("12/18 课时" in r.message and r.organization == year.b for r in created)
    # issue 18 §1: no ToDo per organization; the staff user's ONE digest of the day counts the rows
    assert per_record_todos(ORG, [year.a, year.b, year.c]) == 0
    counts = assert_digest_matches_ledger(year.w.staff, "incubation.send_reminders")
    assert sum(counts.values()) == len(expected)  # a fresh center: only our organizations' rows
    # the scheduler runs again (same day, and the next day): nothing new, the digest unchanged
    assert our_keys(year, run_daily_job(send_reminders, AS_OF)) == set()
    assert our_keys(year, run_daily_job(send_reminders, AS_OF + datetime.timedelta(days=1))) == set()
    assert len(ledger(year)) == len(expected)
    assert digest_counts(year.w.staff, "incubation.send_reminders") == counts
    frappe.db.commit()


def test_quarterly_reminder_follows_the_pro_rated_pace(year):
    # end of Q2: 6 × 1.5 = 9 hours = 18 × 6 / 12 – on pace; end of Q3: 12 < 13.5 – behind
    q2 = {k for k, *_ in reminders_for(year.b, datetime.date(Y, 7, 1))}
    q3 = {k for k, *_ in reminders_for(year.b, datetime.date(Y, 10, 1))}
    assert f"R-7.3.1a|{year.p.b_lead}|{Y}-Q2" not in q2
    assert f"R-7.3.1a|{year.p.b_lead}|{Y}-Q3" in q3
    # 15 July joiner: Q3 expects 18 × 2 / 12 = 3 hours (Aug, Sep)
    assert f"R-7.3.1a|{year.p.b_new}|{Y}-Q3" in q3 and f"R-7.3.1a|{year.p.b_new}|{Y}-Q2" not in q2


# ---------------------------------------------------------------------------- activities


def test_bulk_add_from_roster_skips_people_already_listed(year):
    doc = frappe.get_doc("Incubation Activity", year.rotation.name)
    assert doc.attended_count == 8 and doc.person_hours == 24  # 3 + 1 + 4 party members × 3 hours
    frappe.set_user(year.w.staff)
    try:
        assert doc.add_participants_from_roster(year.c, "is_party_member") == 0
        assert doc.add_participants_from_roster(year.c) == 0  # all of C are party members
        assert doc.add_participants_from_roster(year.a) == 2  # A's two reserves
    finally:
        frappe.set_user("Administrator")
    assert {r.organization for r in doc.organizations} == {year.a, year.b, year.c}


def test_activity_type_must_belong_to_its_block(year):
    with pytest.raises(StandardRuleError, match="扶持激励"):
        activity(year.w, "沙龙", "Salon", "Party Building", f"{Y}-05-05", 2, [year.a])
    doc = activity(year.w, "品牌培训", "Brand Training", "Capacity Building", f"{Y}-05-05", 2, [year.a])
    assert "初创期" in doc.track_note and "第7.2.1条" in doc.track_note  # flag, not a block


# ---------------------------------------------------------------------------- support & supervision


def test_online_consultation_answered_with_response_time(year):
    w = year.w
    q = as_user(
        w.rep,
        lambda: frappe.get_doc(
            {"doctype": "Consultation", "organization": w.org, "subject": "年检", "question": "年检材料有哪些？",
             "answer": "<p>自己写的答复</p>"}
        ).insert(),
    )
    assert q.consultation_status == "Awaiting Answer" and not q.answer  # permlevel 2: not the org's to write
    frappe.set_user(w.staff)
    try:
        doc = frappe.get_doc("Consultation", q.name)
        doc.answer = "<p>年度工作报告、财务报表</p>"
        doc.save()
    finally:
        frappe.set_user("Administrator")
    assert doc.consultation_status == "Answered" and doc.answered_by == w.staff
    assert doc.response_hours is not None and doc.response_hours >= 0


def test_major_event_report_before_the_event(year):
    w = year.w
    today = frappe.utils.getdate()

    def report(day):
        return frappe.get_doc(
            {"doctype": "Major Event Report", "organization": w.org, "event_title": "社区大型义诊",
             "event_date": day, "event_description": "邀请医院开展义诊，预计300人"}
        ).insert()

    with pytest.raises(StandardRuleError, match="活动开展前报告"):
        as_user(w.rep, report, today)
    assert as_user(w.rep, report, today + datetime.timedelta(days=3)).reported_on == today


# ---------------------------------------------------------------------------- venture projects

WF = "Venture Project Workflow"


def test_venture_project_workflow(year):
    w = year.w
    vp = as_user(
        w.rep,
        lambda: frappe.get_doc(
            {"doctype": "Venture Project", "organization": w.org, "project_name": "邻里守望", "project_field":
             "Neighborhood Mutual Aid", "budget": 20000, "granted_amount": 20000,
             "milestones": [{"milestone": "招募志愿者", "due_date": f"{Y}-03-01"}]}
        ).insert(),
    )
    assert vp.workflow_state == "Project Application" and not vp.granted_amount  # permlevel 2
    act(w.rep, vp, "Submit for Coaching")
    # R-7.5.1 (§7.5.1.5): no approval before the initial coaching is recorded
    with pytest.raises(WorkflowTransitionError):
        act(w.staff, vp, "Send for Approval")

    def edit(user, **values):
        frappe.set_user(user)
        try:
            doc = frappe.get_doc("Venture Project", vp.name)
            doc.update(values)
            return doc.save()
        finally:
            frappe.set_user("Administrator")

    edit(w.staff, coaching_date=f"{Y}-02-01", coaching_notes="细化服务对象和预算", coach=w.staff)
    act(w.staff, vp, "Send for Approval")
    with pytest.raises(StandardRuleError, match="超过项目预算"):
        edit(w.head, granted_amount=25000)
    with pytest.raises(WorkflowTransitionError):
        act(w.head, vp, "Approve Project")  # nothing granted yet
    edit(w.head, granted_amount=15000)
    act(w.head, vp, "Approve Project")
    act(w.staff, vp, "Start Closing Evaluation")
    edit(w.staff, evaluation_result="Good", evaluation_score=86)
    act(w.staff, vp, "Close Project")
    doc = frappe.get_doc("Venture Project", vp.name)
    assert doc.workflow_state == "Project Closed" and doc.approved_on and doc.closed_on
    assert doc.granted_amount == 15000


def test_venture_workflow_desk_edit_survives_migrate():
    reset_workflow(WF)
    frappe.db.commit()
    try:
        wf = frappe.get_doc("Workflow", WF)
        for t in wf.transitions:
            if t.action == "Close Project":
                t.allowed = "Center Head"
        wf.save()
        frappe.db.commit()
        for fn in frappe.get_hooks("after_migrate", app_name="shuangfuhua_app"):
            frappe.get_attr(fn)()
        assert frappe.db.get_value("SFH Workflow Sync", WF, "admin_edited") == 1
        allowed = {t.allowed for t in frappe.get_doc("Workflow", WF).transitions if t.action == "Close Project"}
        assert allowed == {"Center Head"}
    finally:
        reset_workflow(WF)
        frappe.db.commit()
    allowed = {t.allowed for t in frappe.get_doc("Workflow", WF).transitions if t.action == "Close Project"}
    assert allowed == {"Center Staff", "Center Head"}


# ---------------------------------------------------------------------------- isolation


def can_read(user, doctype, name):
    return bool(frappe.has_permission(doctype, "read", doc=frappe.get_doc(doctype, name), user=user))


def listed(user, doctype):
    try:
        return set(as_user(user, frappe.get_list, doctype, pluck="name", limit_page_length=0))
    except frappe.PermissionError:
        return set()  # no role permission on the DocType at all


def test_other_centers_and_other_organizations_cannot_read(year):
    other = SimpleNamespace(center=make_center())
    other.staff = make_user(["Center Staff"], centers=[other.center])
    other.rep = make_user(["Organization Representative"], orgs=[make_org(other.center)])
    rep_b = year.rep_b
    records = {
        "Organization Member": year.p.a_head,
        "Incubation Activity": year.rotation.name,
        "Periodic Evaluation": year.evaluation.name,
    }
    for extra in ("Consultation", "Venture Project", "Major Event Report"):
        records[extra] = frappe.get_all(extra, filters={"organization": year.a}, pluck="name", limit=1)[0]
    frappe.db.commit()
    for doctype, name in records.items():
        assert can_read(year.w.staff, doctype, name), doctype
        assert not can_read(other.staff, doctype, name), doctype
        assert name not in listed(other.staff, doctype), doctype
        assert not can_read(other.rep, doctype, name), doctype
        assert not can_read(rep_b, doctype, name), doctype  # same center, another organization
        assert name not in listed(rep_b, doctype), doctype
    # the organization's own representative reads its people, not the center's activity records
    assert can_read(year.w.rep, "Organization Member", year.p.a_head)
    assert not can_read(year.w.rep, "Incubation Activity", year.rotation.name)
    assert listed(rep_b, "Organization Member") == {year.p.b_lead, year.p.b_new, year.p.b_pm}
    # R-PRIV: a township leader of the center reads the person but not the ID number and phone
    leader = make_user(["Township Leader"], centers=[year.w.center])
    frappe.set_user(leader)
    try:
        doc = frappe.get_doc("Organization Member", year.p.a_head)
        doc.apply_fieldlevel_read_permissions()
        assert doc.member_name and not doc.get("resident_id") and not doc.get("phone")
    finally:
        frappe.set_user("Administrator")
    frappe.set_user(year.w.staff)
    try:
        doc = frappe.get_doc("Organization Member", year.p.a_head)
        doc.apply_fieldlevel_read_permissions()
        assert doc.get("resident_id") and doc.get("phone") == "13812345678"
    finally:
        frappe.set_user("Administrator")
    assert json.loads(json.dumps(get_compliance(year.a, Y)))["rows"]


def test_a_morning_session_from_nine_to_twelve_is_accepted_and_an_inverted_one_refused():
    """Start and end are compared as times: text would put "9:00:00" after "12:00:00"."""
    from factory import retrying

    w = retrying(Center)

    def make(start, end):
        return frappe.get_doc({
            "doctype": "Incubation Activity", "activity_title": "上午培训", "block": "Talent Cultivation",
            "activity_type": "Talent Training", "service_center": w.center, "activity_date": "2026-03-02",
            "class_hours": 3, "start_time": start, "end_time": end,
        }).insert()

    assert as_user(w.staff, lambda: make("9:00:00", "12:00:00")).name
    with pytest.raises(frappe.ValidationError):
        as_user(w.staff, lambda: make("12:00:00", "9:30:00"))
    frappe.db.rollback()
