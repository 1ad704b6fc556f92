"""Issue 15 §5–6 on a real site: the shipped notifications fire once on their event, in Chinese,
to exactly the users who may read the record (R-SCOPE) – e-mail (Email Queue) and system
notification (Notification Log); a role-addressed notification made in Desk stays within the
record's center; a center's Desk edit of a shipped notification survives the app's sync.

Two centers X and Y with the same roles each; in X a second organization with its own
representative.  "In scope" is computed here from the rule (User Permissions on the record's
center / organization / community, or a district role without any), never by the app."""

from __future__ import annotations

import datetime
import json
import re
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import frappe
import pytest
from factory import World, act, as_user, make_org, make_user, uid

from shuangfuhua_app.notifications import reset_notification, sync_notifications
from shuangfuhua_app.setup.shipped_sync import LEDGER, ledger_key

FOLDER = Path(__file__).resolve().parents[2] / "shuangfuhua_app" / "shuangfuhua_app" / "shipped_notification"
SHIPPED = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in FOLDER.glob("*.json")}
CJK = re.compile(r"[\u4e00-\u9fff]")
APP = "Incubation Application"
ASSESS = "Exit Assessment"
LEVEL_ZH = {"Not Up to Standard": "不达标", "Up to Standard": "达标", "Good": "良好", "Excellent": "优秀"}
ALLOW = {"center": "Service Center", "org": "Community Social Organization", "community": "Community"}


# ------------------------------------------------------------------ capture


SENDER = "notify-test@sfh-test.example"
MAIL_CONF = {"mail_server": "localhost", "auto_email_id": SENDER, "mute_emails": 1}


@contextmanager
def delivered():
    """Frappe's own switches, in this process only: the Notification Log job runs inline (no
    worker, as in test_data_import) and e-mail goes through an outgoing account of the site
    config (``mail_server``), muted: queued, never sent."""
    in_test, mute = frappe.flags.in_test, frappe.flags.mute_emails
    saved = {k: frappe.local.conf.get(k) for k in MAIL_CONF}
    frappe.flags.in_test = frappe.flags.mute_emails = True
    frappe.local.conf.update(MAIL_CONF)
    frappe.local.outgoing_email_account = {}
    try:
        yield
    finally:
        frappe.flags.in_test, frappe.flags.mute_emails = in_test, mute
        frappe.local.conf.update(saved)
        frappe.local.outgoing_email_account = {}


def prefix(slug: str) -> str:
    """The fixed Chinese part of a shipped subject (before its first Jinja field)."""
    return SHIPPED[slug]["subject"].split("{{")[0]


def logs(doctype: str, name: str, slug: str) -> list[frappe._dict]:
    return frappe.get_all(
        "Notification Log",
        filters={"document_type": doctype, "document_name": name, "subject": ("like", prefix(slug) + "%")},
        fields=["for_user", "subject", "email_content"],
    )


def mails(doctype: str, name: str, slug: str) -> list[set[str]]:
    """One entry per e-mail queued for the record by this notification: its recipients."""
    out = []
    for comm in frappe.get_all(
        "Communication",
        filters={"reference_doctype": doctype, "reference_name": name, "subject": ("like", prefix(slug) + "%"),
                 "communication_type": "Automated Message"},
        pluck="name",
    ):
        for queue in frappe.get_all("Email Queue", filters={"communication": comm}, pluck="name"):
            out.append(set(frappe.get_all("Email Queue Recipient", filters={"parent": queue}, pluck="recipient")))
    return out


def check(doctype: str, name: str, slug: str, users: set[str], times: int = 1) -> None:
    """The notification ``slug`` on the record: ``times`` system notifications to each of
    exactly ``users``, in Chinese, and ``times`` e-mails to exactly their addresses."""
    rows = logs(doctype, name, slug)
    got = {}
    for row in rows:
        got[row.for_user] = got.get(row.for_user, 0) + 1
        assert CJK.search(row.subject) and CJK.search(row.email_content or ""), row
    assert got == {u: times for u in users}, (slug, got, users)
    queued = mails(doctype, name, slug)
    emails = {frappe.db.get_value("User", u, "email") for u in users}
    assert len(queued) == (times if users else 0), (slug, queued)
    for recipients in queued:
        assert recipients == emails, (slug, recipients, emails)


def in_scope(doc, role: str) -> set[str]:
    """Enabled holders of ``role`` who may read ``doc`` by the rule: a User Permission on its
    center, organization or community, or (district roles) none of the three kinds at all."""
    fields = {"center": "service_center", "org": "organization", "community": "community"}
    if doc.doctype == "Community Social Organization":
        fields["org"] = "name"
    holders = set(frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent"))
    holders = {u for u in holders if frappe.db.get_value("User", u, "enabled") and u not in ("Administrator", "Guest")}
    out = set()
    for user in holders:
        perms = frappe.get_all("User Permission", filters={"user": user, "allow": ("in", list(ALLOW.values()))},
                               fields=["allow", "for_value"])
        mine = {(p.allow, p.for_value) for p in perms}
        reach = {(ALLOW[k], doc.get(f)) for k, f in fields.items() if doc.get(f)}
        roles = set(frappe.get_roles(user))
        district = bool(roles & {"System Manager", "Leading Group Office"}) and not perms
        if mine & reach or "System Manager" in roles or district:
            out.add(user)
    return out


# ------------------------------------------------------------------ world


def other_center() -> SimpleNamespace:
    """Center Y: the same roles as X's, none of X's records."""
    from factory import make_center, make_community

    y = SimpleNamespace(center=make_center())
    y.community = make_community(y.center)
    y.staff = make_user(["Center Staff"], centers=[y.center])
    y.head = make_user(["Center Head"], centers=[y.center])
    y.org = make_org(y.center, y.community)
    y.rep = make_user(["Organization Representative"], orgs=[y.org])
    y.reviewers = {"Expert": make_user(["Review Panel Member"], centers=[y.center])}
    return y


@pytest.fixture(scope="module")
def n():
    from factory import retrying  # shared-site deadlocks while several suites create users

    yield retrying(build)
    # the e-mails this module queued are never to be sent by the site's worker
    queued = frappe.get_all("Email Queue", filters={"sender": ("like", f"%{SENDER}%")}, pluck="name")
    if queued:
        frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
        frappe.db.delete("Email Queue", {"name": ("in", queued)})
    frappe.db.commit()


def build():
    x, y = World(), other_center()  # the panel gives its members the center's User Permission
    n = SimpleNamespace(x=x, y=y)
    n.org2 = make_org(x.center, x.community)
    n.rep2 = make_user(["Organization Representative"], orgs=[n.org2])
    n.bsu = make_user(["Business Supervisory Unit"], centers=[x.center])
    n.bsu_y = make_user(["Business Supervisory Unit"], centers=[y.center])
    n.lgo = make_user(["Leading Group Office"])
    n.lgo_y = make_user(["Leading Group Office"], centers=[y.center])  # a district office of Y only
    n.reviewer_x_off_panel = make_user(["Review Panel Member"], centers=[x.center])
    frappe.db.commit()
    return n


def fresh_org(n):
    """Another organization of X with its representative (committed)."""
    from factory import retrying

    def make():
        org = make_org(n.x.center, n.x.community)
        rep = make_user(["Organization Representative"], orgs=[org])
        frappe.db.commit()
        return org, rep

    return retrying(make)


def staff_edit(user, doc, **values):
    def save():
        d = frappe.get_doc(doc.doctype, doc.name)
        d.update(values)
        return d.save()

    return as_user(user, save)


# ------------------------------------------------------------------ the admission


def test_admission_notifications_reach_exactly_the_readers(n):
    x = n.x
    with delivered():
        app = x.apply()
        act(x.rep, app, "Submit")
        check(APP, app.name, "application_submitted", {x.staff})
        assert in_scope(app, "Center Staff") == {x.staff}  # Y's staff hold the role too
        staff_edit(x.staff, app, initial_review_result="Returned", initial_review_comment="请补充成员名册")
        act(x.staff, app, "Return for Revision")
        check(APP, app.name, "application_returned", {x.rep})
        assert "请补充成员名册" in logs(APP, app.name, "application_returned")[0].email_content
        assert in_scope(app, "Organization Representative") == {x.rep}  # not n.rep2, not Y's
        act(x.rep, frappe.get_doc(APP, app.name), "Resubmit")
        check(APP, app.name, "application_submitted", {x.staff}, times=2)  # once per submission

        x.to_panel(app)  # initial review passed, then the panel assigned
        panel = set(x.reviewers.values())
        check(APP, app.name, "panel_assigned", panel)
        check(APP, app.name, "panel_review_started", set())
        for reviewer in x.reviewers.values():
            x.review(app, reviewer)
        act(x.staff, app, "Recommend Admission")
        from factory import last_working_day_up_to_today

        x.notice([frappe.get_doc(APP, app.name)], last_working_day_up_to_today())
        check(APP, app.name, "application_in_notice", {x.rep})
        check(APP, app.name, "application_admitted", set())

        # another organization, through a notice that has ended: admitted, then its agreement drafted
        org, rep = fresh_org(n)
        other = x.apply(org=org, as_user=rep)
        x.to_recommended(other)
        x.notice([frappe.get_doc(APP, other.name)], "2023-05-04")
        assert frappe.db.get_value(APP, other.name, "workflow_state") == "Admitted"
        check(APP, other.name, "application_in_notice", {rep})
        check(APP, other.name, "application_admitted", {rep})
        agreement = as_user(x.staff, lambda: frappe.get_doc(
            {"doctype": "Incubation Agreement", "application": other.name, "start_date": "2023-06-01"}).insert())
        check("Incubation Agreement", agreement.name, "agreement_ready", {rep})

        # not accepted at the initial review
        org3, rep3 = fresh_org(n)
        refused = x.apply(org=org3, as_user=rep3)
        act(rep3, refused, "Submit")
        staff_edit(x.staff, refused, initial_review_result="Not Accepted", initial_review_comment="不属于社区社会组织")
        act(x.staff, refused, "Not Accept")
        check(APP, refused.name, "application_not_admitted", {rep3})
        assert "不属于社区社会组织" in logs(APP, refused.name, "application_not_admitted")[0].email_content
    frappe.db.commit()


def test_objection_reaches_the_centers_staff_only(n):
    x = n.x
    app = x.apply(org=fresh_org(n)[0], as_user=x.staff)
    from factory import open_notice

    with delivered():
        notice = open_notice(x, [app])
        objection = frappe.get_doc({
            "doctype": "Notice Objection", "public_notice": notice.name, "application": app.name,
            "objector_name": "居民甲", "contact_phone": "13900001111", "content": "负责人信息不实",
            "received_on": f"{notice.start_date} 10:00:00"}).insert(ignore_permissions=True)
        check("Notice Objection", objection.name, "objection_received", {x.staff})
    frappe.db.commit()


# ------------------------------------------------------------------ the organization's own records


def test_consultation_event_report_and_venture_project(n):
    x = n.x
    with delivered():
        question = as_user(x.rep, lambda: frappe.get_doc(
            {"doctype": "Consultation", "organization": x.org, "subject": f"年检材料-{uid()}",
             "question": "年检需要哪些材料？"}).insert())
        staff_edit(x.staff, question, answer="<p>请准备年度工作报告和财务报表。</p>")
        check("Consultation", question.name, "consultation_answered", {x.rep})
        assert "年度工作报告" in logs("Consultation", question.name, "consultation_answered")[0].email_content

        report = as_user(x.rep, lambda: frappe.get_doc(
            {"doctype": "Major Event Report", "organization": x.org, "event_title": f"邻里节-{uid()}",
             "event_date": str(datetime.date.today() + datetime.timedelta(days=20)),
             "event_description": "社区邻里节，预计200人参加"}).insert())
        staff_edit(x.staff, report, report_status="Acknowledged", center_comment="注意安全预案")
        check("Major Event Report", report.name, "major_event_acknowledged", {x.rep})

        project = as_user(x.rep, lambda: frappe.get_doc(
            {"doctype": "Venture Project", "organization": x.org, "project_name": f"助老-{uid()}",
             "project_field": "Volunteer Service", "budget": 20000}).insert())
        act(x.rep, project, "Submit for Coaching")
        act(x.staff, project, "Return for Revision")
        check("Venture Project", project.name, "venture_returned", {x.rep})
        act(x.rep, project, "Submit for Coaching")
        staff_edit(x.staff, project, coaching_date=str(datetime.date.today()), coaching_notes="细化服务对象")
        act(x.staff, project, "Send for Approval")
        staff_edit(x.head, project, granted_amount=15000)
        act(x.head, project, "Approve Project")
        check("Venture Project", project.name, "venture_approved", {x.rep})
        check("Venture Project", project.name, "venture_returned", {x.rep})  # still once
    frappe.db.commit()


# ------------------------------------------------------------------ exit (§8)


def test_exit_confirmation_chain_and_result(n):
    from test_exit import admit, rows  # noqa: F401  (the real admission and agreement of test_exit)

    from shuangfuhua_app import exit as sfh_exit

    x = n.x
    org_a, rep_a = fresh_org(n)
    org_b, rep_b = fresh_org(n)
    agreements = admit(x, [org_a, org_b])
    template = sfh_exit.DEFAULT_TEMPLATE_NAME

    def assessed(org):
        doc = as_user(x.staff, lambda: frappe.get_doc({
            "doctype": ASSESS, "incubation_agreement": agreements[org], "template": template,
            "assessment_date": str(datetime.date.today()),
            "assessors": [{"assessor_name": a, "category": c} for a, c in
                          (("张专家", "Expert"), ("李镇领导", "Township Leader"), ("王社区", "Community Head"))],
        }).insert())

        def score():
            d = frappe.get_doc(ASSESS, doc.name)
            for row in d.scores:
                row.score = "95"
            return d.save()

        as_user(x.staff, score)
        act(x.staff, doc, "Submit Assessment")
        return frappe.get_doc(ASSESS, doc.name)

    with delivered():
        a = assessed(org_a)
        check(ASSESS, a.name, "exit_awaits_first_confirmation", {n.bsu})
        act(n.bsu, a, "Confirm in the First Instance")
        lgo = in_scope(a, "Leading Group Office")
        assert n.lgo in lgo and n.lgo_y not in lgo
        check(ASSESS, a.name, "exit_awaits_final_confirmation", lgo)
        act(n.lgo, frappe.get_doc(ASSESS, a.name), "Confirm Finally")
        a = frappe.get_doc(ASSESS, a.name)
        org = "Community Social Organization"
        check(org, org_a, "exit_result_confirmed", {rep_a})
        content = logs(org, org_a, "exit_result_confirmed")[0].email_content
        assert LEVEL_ZH[a.level] in content
        if a.honor_certificate:
            assert f"/certificates/{a.honor_certificate}" in content

        b = assessed(org_b)
        act(n.bsu, b, "Return for Reassessment")
        check(ASSESS, b.name, "exit_assessment_returned", {x.staff, x.head})
        check(org, org_b, "exit_result_confirmed", set())
    frappe.db.commit()


# ------------------------------------------------------------------ filing and termination (R-FILE, R-EXIT-ORG)


def test_filing_and_termination(n):
    from shuangfuhua_app.filing import FILING, TERMINATION, issue_certificate
    from shuangfuhua_app.utils import today

    x = n.x
    from factory import retrying

    org, rep = fresh_org(n)
    worker = retrying(make_user, ["Community Worker"], communities=[x.community])
    leader = retrying(make_user, ["Township Leader"], centers=[x.center])
    frappe.db.commit()
    with delivered():
        filing = as_user(rep, lambda: frappe.get_doc({
            "doctype": FILING, "filing_type": "New Filing", "organization": org, "filed_name": f"守望队-{uid()}",
            "head_name": "张队长", "head_phone": "13812345678", "service_scope": "助餐、陪伴",
            "address": "社区活动室", "activity_area": "本社区", "member_count": 15}).insert())
        act(rep, filing, "Submit for Filing")
        staff_edit(worker, filing, committee_opinion="章程缺少议事规则")
        act(worker, filing, "Return for Revision")
        check(FILING, filing.name, "filing_returned", {rep})
        act(rep, filing, "Resubmit")
        act(worker, filing, "Pass Initial Review")
        act(leader, filing, "Approve Filing")
        check(FILING, filing.name, "filing_approved", {rep})
        frappe.db.set_value(FILING, filing.name, "notice_end", today() - datetime.timedelta(days=1))
        number = as_user(leader, issue_certificate, filing.name)
        check(FILING, filing.name, "filing_certificate", {rep})
        assert number in logs(FILING, filing.name, "filing_certificate")[0].email_content

        term = as_user(rep, lambda: frappe.get_doc({
            "doctype": TERMINATION, "organization": org, "reason": "宗旨已完成", "meeting_date": str(today()),
            "members_total": 15, "members_present": 12, "votes_for": 11, "votes_against": 1}).insert())
        act(rep, term, "Apply to the Residents' Committee")
        act(worker, term, "Forward to the Township")
        act(leader, term, "Approve Termination")
        check(TERMINATION, term.name, "termination_approved", {rep})
    frappe.db.commit()


# ------------------------------------------------------------------ made in Desk, addressed to a role


def test_a_role_addressed_notification_made_in_desk_stays_in_its_center(n):
    """Frappe would send it to every Center Staff of the site; center Y's users get nothing."""
    x, y = n.x, n.y
    name = f"测试：新申请提醒-{uid()}"
    frappe.get_doc({
        "doctype": "Notification", "name": name, "subject": f"新申请（{name}）：{{{{ doc.org_name }}}}",
        "document_type": APP, "event": "Value Change", "value_changed": "workflow_state",
        "condition": 'doc.workflow_state == "Submitted"', "channel": "Email", "send_system_notification": 1,
        "message": "<p>{{ doc.org_name }} 提交了入驻申请。</p>",
        "recipients": [{"receiver_by_role": "Center Staff"}, {"receiver_by_role": "Center Head"}],
    }).insert()
    frappe.db.commit()
    frappe.cache.hdel("notifications", APP)  # another process may have cached the list meanwhile
    try:
        with delivered():
            app = x.apply(org=fresh_org(n)[0], as_user=x.staff)
            act(x.staff, app, "Submit")
        got = set(frappe.get_all("Notification Log", filters={"document_name": app.name, "subject": ("like", f"新申请（{name}%")},
                                 pluck="for_user"))
        assert got == {x.staff, x.head}
        y_users = {y.staff, y.head, y.rep, *y.reviewers.values(), n.bsu_y, n.lgo_y}
        assert not got & y_users
        comm = frappe.get_all("Communication", filters={"reference_name": app.name, "subject": ("like", f"新申请（{name}%")},
                              fields=["recipients"])
        assert len(comm) == 1 and y.staff not in comm[0].recipients and x.staff in comm[0].recipients
    finally:
        frappe.delete_doc("Notification", name, force=True)
        frappe.db.commit()


# ------------------------------------------------------------------ Desk edits survive the app's sync


def test_a_desk_edit_of_a_shipped_notification_survives_sync_and_update(n):
    edited, untouched, deleted = (SHIPPED[s]["name"] for s in ("application_admitted", "agreement_ready", "venture_returned"))
    try:
        # a center edits the text and switches another one off, in Desk
        doc = frappe.get_doc("Notification", edited)
        doc.message = "<p>中心改写的通知：{{ doc.org_name }} 准予入驻。</p>"
        doc.save()
        frappe.db.commit()
        result = sync_notifications()
        assert result[ "application_admitted"] == "kept-edited"
        assert frappe.db.get_value("Notification", edited, "message").startswith("<p>中心改写的通知")
        # an app update ships a changed file: the edited one stays, an untouched one follows the app
        for name in (edited, untouched):
            frappe.db.set_value(LEDGER, ledger_key("Notification", name), "file_hash", "an-older-file", update_modified=False)
        frappe.db.set_value("Notification", untouched, "message", "旧版本的文字", update_modified=False)
        result = sync_notifications()
        assert result["application_admitted"] == "kept-edited" and result["agreement_ready"] == "updated"
        assert frappe.db.get_value("Notification", edited, "message").startswith("<p>中心改写的通知")
        assert frappe.db.get_value("Notification", untouched, "message") == SHIPPED["agreement_ready"]["message"]
        # the sync the app's after_migrate runs keeps it too; a deleted one is not brought back
        frappe.delete_doc("Notification", deleted, force=True)
        from shuangfuhua_app.setup import install

        install.sync_notifications()
        assert frappe.db.get_value("Notification", edited, "message").startswith("<p>中心改写的通知")
        assert not frappe.db.exists("Notification", deleted)
        assert sync_notifications()["venture_returned"] == "kept-deleted"
    finally:
        assert reset_notification(edited) == "inserted"
        assert reset_notification(deleted) == "inserted"
        frappe.db.commit()
    assert frappe.db.get_value("Notification", edited, "message") == SHIPPED["application_admitted"]["message"]
    assert sync_notifications()["application_admitted"] == "unchanged"


# ------------------------------------------------------------------ the Lingwu chain (R-LIST, R-EVAL-CONFIRM)


def test_lingwu_lists_and_evaluations_reach_the_supervisory_unit_then_the_office(n):
    """[LW2021] 四（二）3–4 / 四（一）4–5: the supervisory unit of the list's center is told when
    a list (an evaluation) awaits its first review, the leading group office when it awaits
    approval (confirmation) – nobody of center Y."""
    from factory import retrying

    x = n.x

    def recommended():
        app = x.to_recommended(x.apply(org=make_org(x.center, x.community)))
        frappe.db.commit()
        return app

    app = retrying(recommended)
    with delivered():
        lst = as_user(x.staff, lambda: frappe.get_doc({
            "doctype": "Admission List", "title": "通知测试名单", "service_center": x.center,
            "items": [{"application": app.name}]}).insert())
        act(x.staff, lst, "Submit for First Review")
        bsu = in_scope(lst, "Business Supervisory Unit")
        assert n.bsu in bsu and n.bsu_y not in bsu
        check("Admission List", lst.name, "admission_list_awaits_first_review", bsu)
        check("Admission List", lst.name, "admission_list_awaits_approval", set())
        act(n.bsu, frappe.get_doc("Admission List", lst.name), "Pass First Review")
        lgo = in_scope(lst, "Leading Group Office")
        assert n.lgo in lgo and n.lgo_y not in lgo
        check("Admission List", lst.name, "admission_list_awaits_approval", lgo)

        year = 2000 + frappe.db.count("Incubation Work Evaluation")  # one evaluation per center and year
        ev = as_user(x.staff, lambda: frappe.get_doc({
            "doctype": "Incubation Work Evaluation", "service_center": x.center, "evaluation_year": year,
            "items": [{"organization": app.organization, "score": 88, "grade": "Good"}]}).insert())
        act(x.staff, ev, "Submit for First Review")
        check("Incubation Work Evaluation", ev.name, "work_evaluation_awaits_first_review", bsu)
        act(n.bsu, frappe.get_doc("Incubation Work Evaluation", ev.name), "Pass First Review")
        check("Incubation Work Evaluation", ev.name, "work_evaluation_awaits_confirmation", lgo)
    frappe.db.commit()
