"""Issue 3, remaining gaps: social-work exam records (R-7.3.5), publicity of excellent
organizations (R-7.4, §7.4.8), reminders of overdue follow-up actions (R-7.5.2, §7.5.2.4) and
the evaluation results for the exit assessment (R-7.5.2) – on a real site, as real users."""

from __future__ import annotations

import datetime

import frappe
import pytest

from factory import make_center, make_org, make_user
from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.incubation import (
    compliance,
    evaluation_results,
    follow_up_reminders,
    get_compliance,
    get_evaluation_results,
    send_reminders,
)
from shuangfuhua_app.standard.clauses import cite
from test_incubation import Center, as_user, person

Y = 2025
EXAM, PUB = "Social Work Exam Record", "Organization Publicity"


def insert(user, doc):
    return as_user(user, lambda: frappe.get_doc(doc).insert())


@pytest.fixture(scope="module")
def w():
    w = Center()
    w.org_b = make_org(w.center, w.community)
    w.rep_b = make_user(["Organization Representative"], orgs=[w.org_b])
    w.other_center = make_center()
    w.other_staff = make_user(["Center Staff"], centers=[w.other_center])
    w.other_rep = make_user(["Organization Representative"], orgs=[make_org(w.other_center)])
    w.m1 = person(w.staff, w.org, "社工甲")
    w.m2 = person(w.staff, w.org, "社工乙")
    w.b1 = person(w.staff, w.org_b, "乙组织成员")
    frappe.db.commit()
    return w


def exam(w, member, level, result, year=Y, org=None, user=None, **support):
    return insert(
        user or w.staff,
        {"doctype": EXAM, "organization": org or w.org, "member": member, "exam_year": year,
         "exam_level": level, "exam_result": result, **support},
    )


# ----------------------------------------------------------------------------


def test_exam_participation_on_the_compliance_record(w):
    exam(w, w.m1, "Assistant Social Worker", "Failed", tutoring=1)
    exam(w, w.m1, "Social Worker", "Passed")
    exam(w, w.m2, "Assistant Social Worker", "Registered", fee_subsidy=1, subsidy_amount=200)
    exam(w, w.m2, "Assistant Social Worker", "Passed", year=Y - 1)  # another year
    (f,) = [f for f in compliance(w.org, Y) if f.rule == "R-7.3.5"]
    assert f.ok and f.applicable and f.figure == 2
    assert f.message == f"{Y}年社工考试报名2人、通过1人，获帮扶2人（考前培训、考试费用补贴）{cite('7.3.5')}"
    data = as_user(w.staff, get_compliance, w.org, Y)
    assert "社工考试报名2人、通过1人" in data["html"]
    assert sum(1 for r in data["rows"] if r["rule"] == "R-7.3.5" and not r["ok"]) == 0  # figures, never a shortfall
    (none,) = [f for f in compliance(w.org_b, Y) if f.rule == "R-7.3.5"]
    assert none.ok and not none.applicable and none.figure == 0


def test_exam_record_rules(w):
    with pytest.raises(frappe.ValidationError, match="不是本组织的人员"):
        exam(w, w.b1, "Social Worker", "Registered")  # B's person on A's record
    with pytest.raises(StandardRuleError, match="考试费用补贴金额不能为负数"):
        exam(w, w.m1, "Social Worker", "Registered", fee_subsidy=1, subsidy_amount=-5)
    doc = exam(w, w.m1, "Senior Social Worker", "Registered", subsidy_amount=300)  # no subsidy ticked
    assert doc.subsidy_amount == 0
    with pytest.raises(frappe.PermissionError):  # the center records; the organization reads
        exam(w, w.m1, "Social Worker", "Registered", user=w.rep)


# ---------------------------------------------------------------------------- publicity


def publicity(w, **extra):
    doc = {"doctype": PUB, "organization": w.org, "publicity_date": f"{Y}-06-01",
           "channel": "WeChat Official Account", "publicity_title": "优秀社区社会组织风采", **extra}
    return insert(w.staff, doc)


def test_publicity_needs_evidence_and_is_read_only_for_the_representative(w):
    with pytest.raises(StandardRuleError, match="宣传佐证"):
        publicity(w)
    with pytest.raises(StandardRuleError, match="http"):
        publicity(w, link="mp.weixin.qq.com/s/abc")
    doc = publicity(w, link="https://mp.weixin.qq.com/s/abc")
    assert doc.service_center == w.center
    frappe.db.commit()
    assert frappe.has_permission(PUB, "read", doc=doc, user=w.rep)
    assert not frappe.has_permission(PUB, "write", doc=doc, user=w.rep)
    frappe.set_user(w.rep)
    try:
        mine = frappe.get_doc(PUB, doc.name)
        mine.publicity_title = "自己改的标题"
        with pytest.raises(frappe.PermissionError):
            mine.save()
    finally:
        frappe.set_user("Administrator")
    assert frappe.db.get_value(PUB, doc.name, "publicity_title") == "优秀社区社会组织风采"


# ---------------------------------------------------------------------------- isolation


def test_other_centers_and_other_organizations_cannot_read(w):
    records = {
        EXAM: frappe.get_all(EXAM, filters={"organization": w.org}, pluck="name", limit=1)[0],
        PUB: frappe.get_all(PUB, filters={"organization": w.org}, pluck="name", limit=1)[0],
    }
    for doctype, name in records.items():
        doc = frappe.get_doc(doctype, name)
        assert frappe.has_permission(doctype, "read", doc=doc, user=w.staff), doctype
        assert frappe.has_permission(doctype, "read", doc=doc, user=w.rep), doctype
        assert name in as_user(w.rep, frappe.get_list, doctype, pluck="name"), doctype
        for outsider in (w.other_staff, w.other_rep, w.rep_b):
            assert not frappe.has_permission(doctype, "read", doc=doc, user=outsider), (doctype, outsider)
            assert name not in as_user(outsider, frappe.get_list, doctype, pluck="name"), (doctype, outsider)


# ---------------------------------------------------------------------------- follow-up


def test_overdue_follow_up_actions_are_reminded_once(w):
    today = frappe.utils.getdate()
    past, later = today - datetime.timedelta(days=3), today + datetime.timedelta(days=30)
    ev = insert(
        w.staff,
        {"doctype": "Periodic Evaluation", "organization": w.org, "evaluation_type": "Credit Evaluation",
         "evaluation_year": Y, "credit_status": "Minor Issues", "result_summary": "年检材料逾期",
         "follow_up_actions": [
             {"action": "补交年检材料", "owner_user": w.head, "due_date": past, "action_status": "Planned"},
             {"action": "完善财务制度", "due_date": past, "action_status": "Delayed"},  # no owner -> staff
             {"action": "已整改事项", "owner_user": w.head, "due_date": past, "action_status": "Completed"},
             {"action": "未到期事项", "owner_user": w.head, "due_date": later},
         ]},
    )
    visit = insert(
        w.staff,
        {"doctype": "Mentoring Visit", "organization": w.org, "visit_date": past, "findings": "制度未上墙",
         "follow_up_actions": [{"action": "制度上墙", "due_date": past - datetime.timedelta(days=1)}]},
    )
    rows = {r.action: r.name for r in ev.follow_up_actions + visit.follow_up_actions}
    mine = lambda keys: {k for k in keys if k.split("|")[1] in rows.values()}  # noqa: E731

    created = mine(follow_up_reminders(today))
    expected = {
        f"R-7.5.2-follow-up|{rows['补交年检材料']}|{past}",
        f"R-7.5.2-follow-up|{rows['完善财务制度']}|{past}",
        f"R-7.5.2-follow-up|{rows['制度上墙']}|{past - datetime.timedelta(days=1)}",
    }
    assert created == expected
    # issue 18 §1: one ledger row per action and due date, telling its owner (else the staff);
    # no ToDo per record – the recipients' one digest of the day's job counts the rows
    from digests import assert_digest_matches_ledger, ledger_row, per_record_todos, recipients, run_daily_job

    rows_by_action = {a: ledger_row(f"R-7.5.2-follow-up|{rows[a]}|{d}") for a, d in
                      (("补交年检材料", past), ("完善财务制度", past), ("制度上墙", past - datetime.timedelta(days=1)))}
    assert recipients(rows_by_action["补交年检材料"]) == {w.head}  # the action's owner
    assert recipients(rows_by_action["完善财务制度"]) == {w.staff}  # no owner: the center's staff
    assert recipients(rows_by_action["制度上墙"]) == {w.staff}
    assert {r.job for r in rows_by_action.values()} == {"incubation.send_reminders"}
    msg = rows_by_action["补交年检材料"].message
    assert "补交年检材料" in msg and f"{Y}年" in msg and msg.endswith(cite("7.5.2.4"))
    assert "制度上墙" in rows_by_action["制度上墙"].message
    assert per_record_todos("Periodic Evaluation", [ev.name]) == per_record_todos("Mentoring Visit", [visit.name]) == 0
    # the daily job runs again (twice): no duplicates; its digests count the rows
    assert mine(run_daily_job(send_reminders, today)) == set()
    assert mine(run_daily_job(send_reminders, today + datetime.timedelta(days=1))) == set()
    assert frappe.db.count("SFH Reminder", {"name": ("like", "R-7.5.2-follow-up|%"),
                                            "organization": w.org, "period": ("in", [str(past), str(past - datetime.timedelta(days=1))])}) == 3
    for user in (w.head, w.staff):
        assert_digest_matches_ledger(user, "incubation.send_reminders", rule="R-7.5.2")
    assert per_record_todos("Periodic Evaluation", [ev.name]) == per_record_todos("Mentoring Visit", [visit.name]) == 0
    # the due date moves and passes again: reminded again, once; completed: never again
    frappe.db.set_value("Follow Up Action", rows["补交年检材料"], "due_date", today - datetime.timedelta(days=1))
    frappe.db.set_value("Follow Up Action", rows["完善财务制度"], "action_status", "Completed")
    frappe.db.set_value("Follow Up Action", rows["完善财务制度"], "due_date", today - datetime.timedelta(days=2))
    again = mine(follow_up_reminders(today))
    assert again == {f"R-7.5.2-follow-up|{rows['补交年检材料']}|{today - datetime.timedelta(days=1)}"}
    assert mine(follow_up_reminders(today)) == set()
    frappe.db.commit()


def _overdue_actions(w, n, past):
    """``n`` evaluations and ``n`` mentoring visits of ``w.org``, each with one overdue action."""
    names = set()
    for i in range(n):
        ev = insert(w.staff, {"doctype": "Periodic Evaluation", "organization": w.org,
                              "evaluation_type": "Credit Evaluation", "evaluation_year": Y - 1 - i,
                              "credit_status": "Minor Issues", "result_summary": "逾期",
                              "follow_up_actions": [{"action": f"整改{n}-{i}", "due_date": past}]})
        visit = insert(w.staff, {"doctype": "Mentoring Visit", "organization": w.org, "visit_date": past,
                                 "findings": "待改进", "follow_up_actions": [{"action": f"上墙{n}-{i}", "due_date": past}]})
        names |= {ev.follow_up_actions[0].name, visit.follow_up_actions[0].name}
    return names


def test_follow_up_reminders_cost_the_same_for_two_or_ten_actions(w):
    """Issue 18 §1: the ledger already given is read once and the new rows are written
    set-based, the evaluations behind the actions named by one query – not queries per action."""
    today = frappe.utils.getdate()
    past = today - datetime.timedelta(days=2)
    follow_up_reminders(today)  # whatever earlier tests left overdue is reminded: the ledger has it
    frappe.db.commit()
    costs = []
    for n in (1, 1, 5):  # the first round warms the caches of the rows written
        names = _overdue_actions(w, n, past)
        frappe.db.commit()
        sql, count = frappe.db.sql, [0]

        def counting(*a, **kw):
            count[0] += 1
            return sql(*a, **kw)

        frappe.db.sql = counting
        try:
            created = follow_up_reminders(today)
        finally:
            frappe.db.sql = sql
        assert {k.split("|")[1] for k in created} == names  # each new action once, nothing else
        messages = frappe.get_all("SFH Reminder", filters={"name": ("in", created)}, pluck="message")
        assert sum(f"{Y - 1}年" in m for m in messages) == 1  # the evaluation named by its year
        costs.append(count[0])
        frappe.db.commit()
    assert costs[1] == costs[2], costs


# ---------------------------------------------------------------------------- exit feed


def test_evaluation_results_for_the_exit_assessment(w):
    def annual(year, score):
        return insert(
            w.staff,
            {"doctype": "Periodic Evaluation", "organization": w.org_b, "evaluation_type": "Annual Service Evaluation",
             "evaluation_year": year, "evaluation_date": f"{year}-12-15",
             "rater_scores": [{"rater_party": p, "independent_operation": score, "party_org_building": score,
                               "projects_undertaken": score, "resident_satisfaction": score}
                              for p in ("Township Leader", "Township Department", "Expert", "Community")],
             "follow_up_actions": [{"action": "加强项目管理", "due_date": f"{year + 1}-03-01"}]},
        )

    annual(Y, 88)
    annual(Y - 1, 72)  # entered later, but for an earlier year
    for day, status in ((f"{Y}-03-01", "Good Standing"), (f"{Y}-10-01", "Minor Issues")):
        insert(w.staff, {"doctype": "Periodic Evaluation", "organization": w.org_b, "evaluation_type": "Credit Evaluation",
                         "evaluation_year": Y, "evaluation_date": day, "credit_status": status})
    project = insert(w.staff, {"doctype": "Periodic Evaluation", "organization": w.org_b,
                               "evaluation_type": "Project Evaluation", "evaluation_year": Y,
                               "result_summary": "结项评估良好"})
    frappe.db.commit()

    fresh = make_org(w.center, w.community)  # no evaluation yet
    results = evaluation_results([w.org_b, fresh])
    b = results[w.org_b]
    assert (b["annual"]["evaluation_year"], b["annual"]["overall_score"]) == (Y, 88)
    assert b["annual"]["avg_resident_satisfaction"] == 88
    assert b["credit"]["credit_status"] == "Minor Issues" and b["credit"]["credit_status_label"] == "存在轻微问题"
    assert [p["name"] for p in b["projects"]] == [project.name]
    assert b["open_follow_ups"] == 2
    assert b["message"].startswith(f"{Y}年度服务测评平均分88，诚信测评为存在轻微问题") and b["message"].endswith(cite("7.5.2.4"))
    empty = results[fresh]
    assert empty["annual"] is None and empty["credit"] is None and empty["projects"] == []
    assert w.org_b in evaluation_results()  # every organization with an evaluation
    # the organization's own representative may read it; another organization's may not
    assert as_user(w.rep_b, get_evaluation_results, w.org_b)["annual"]["overall_score"] == 88
    with pytest.raises(frappe.PermissionError):
        as_user(w.rep, get_evaluation_results, w.org_b)
    with pytest.raises(frappe.PermissionError):
        as_user(w.other_staff, get_evaluation_results, w.org_b)
