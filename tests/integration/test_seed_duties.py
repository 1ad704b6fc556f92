"""Issue 17 §1 – the seeds' remaining duties (helper duties-a), as the real roles over HTTP:

* [10M] 第一条 (R-RATERS): satisfaction raters 村（社区）"两委", 居（村）民代表, 辖区单位 on the
  periodic evaluation and in the Periodic Evaluation Results report;
* [LW2021] 四（三）4 (R-OPER-SUMMARY): the operator's quarterly operations summary, once per
  quarter, reminded once per quarter;
* [HZ2019] 三（三） (R-ILLEGAL): reports of suspected illegal organizations, staff entry and a
  public form with the objection form's guards;
* [10M] 第二条 (R-REG-STEER): registration steering of larger filed organizations.

Figures are computed here from the rule, never with the app's own functions."""

from __future__ import annotations

import datetime
import json
import os
import urllib.parse

import frappe
import pytest
import requests

from factory import as_user, api_token, make_center, make_org, make_user, retrying, uid

URL = os.environ.get("SFH_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")


def fresh():
    frappe.db.rollback()


class Client:
    def __init__(self, user: str):
        self.user = user
        self.token = retrying(lambda: (api_token(user), frappe.db.commit())[0])

    def call(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": self.token, "Host": frappe.local.site, "Accept": "application/json"}
        return requests.request(method, f"{URL}{path}", headers=headers, timeout=120, **kw)

    def insert(self, doc: dict) -> requests.Response:
        doctype = doc["doctype"]
        return self.call("POST", f"/api/resource/{urllib.parse.quote(doctype)}", json=doc)

    def get(self, doctype: str, name: str) -> requests.Response:
        return self.call("GET", f"/api/resource/{urllib.parse.quote(doctype)}/{urllib.parse.quote(name)}")

    def names(self, doctype: str, **filters) -> list[str]:
        r = self.call("GET", f"/api/resource/{urllib.parse.quote(doctype)}",
                      params={"filters": json.dumps(filters), "limit_page_length": 0})
        assert r.status_code == 200, r.text[:300]
        return [d["name"] for d in r.json()["data"]]

    def report(self, name: str, filters: dict) -> dict:
        r = self.call("POST", "/api/method/frappe.desk.query_report.run",
                      json={"report_name": name, "filters": filters})
        assert r.status_code == 200, r.text[:500]
        return r.json()["message"]


def messages(r: requests.Response) -> str:
    data = r.json()
    out = []
    for m in json.loads(data.get("_server_messages") or "[]"):
        try:
            out.append(json.loads(m).get("message", ""))
        except ValueError:
            out.append(m)
    return "\n".join(out) + str(data.get("exception") or "")


def assert_refused_in_chinese(r: requests.Response, *parts: str) -> str:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    text = messages(r)
    assert all(p in text for p in parts), (parts, text[:500])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text[:300]
    return text


class Center:
    """A center with a head and a staff user, each with an API client."""

    def __init__(self):
        def build():
            center = make_center()
            head = make_user(["Center Head"], centers=[center])
            staff = make_user(["Center Staff"], centers=[center])
            frappe.db.commit()
            return center, head, staff

        self.center, self.head_user, self.staff_user = retrying(build)
        self.head, self.staff = Client(self.head_user), Client(self.staff_user)


@pytest.fixture(scope="module")
def ours():
    return Center()


@pytest.fixture(scope="module")
def other():
    return Center()


# ====================================================================== [10M] 第一条 rater parties

SIX = ("Township Leader", "Township Department", "Expert", "Community", "Residents' Representative", "Unit of the Area")


def test_satisfaction_raters_of_the_ten_measures(ours, other):
    org = retrying(lambda: (make_org(ours.center), frappe.db.commit())[0])
    year = 2025  # the center is fresh: only this evaluation is in its scope
    scores = {  # party -> resident satisfaction (0 = not scored); the other dimensions 80
        "Township Leader": 70, "Township Department": 75, "Expert": 90, "Community": 88,
        "Residents' Representative": 93, "Unit of the Area": 0,
    }
    rows = [{"rater_party": p, "rater_name": f"测评人{i}", "independent_operation": 80, "party_org_building": 80,
             "projects_undertaken": 80, "resident_satisfaction": s} for i, (p, s) in enumerate(scores.items())]
    rows.append({"rater_party": "Residents' Representative", "rater_name": "第二位居民代表", "independent_operation": 60,
                 "party_org_building": 60, "projects_undertaken": 60, "resident_satisfaction": 81})
    r = ours.staff.insert({"doctype": "Periodic Evaluation", "organization": org, "evaluation_type": "Annual Service Evaluation",
                           "evaluation_year": year, "evaluation_date": f"{year}-12-01", "rater_scores": rows})
    assert r.status_code == 200, r.text[:500]
    ev = r.json()["data"]
    # [10M] 第一条: the 辖区单位 gave no satisfaction score -> flagged; the four parties of §7.5.2.2 are there
    assert "缺少：辖区单位" in ev["rater_check"] and "十条措施》第一条" in ev["rater_check"]
    assert "年度服务测评已有四方测评人员" in ev["rater_check"]
    expected_sat = round((70 + 75 + 90 + 88 + 93 + 81) / 6, 2)
    assert ev["avg_resident_satisfaction"] == pytest.approx(expected_sat)

    # an option the form does not offer is refused in Chinese
    bad = dict(rows[0], rater_party="Neighbour")
    r = ours.staff.insert({"doctype": "Periodic Evaluation", "organization": org, "evaluation_type": "Annual Service Evaluation",
                           "evaluation_year": year, "rater_scores": [bad]})
    assert_refused_in_chinese(r)

    # the report shows every party, the new ones with their own figures
    filters = {"year": year, "evaluation_type": "Annual Service Evaluation"}
    result = ours.staff.report("Periodic Evaluation Results", filters)
    by_party = {row["rater_party"]: row for row in result["result"] if isinstance(row, dict)}
    zh = {"Residents' Representative": "居（村）民代表", "Unit of the Area": "辖区单位"}
    reps = by_party[zh["Residents' Representative"]]
    assert reps["raters"] == 2 and reps["resident_satisfaction"] == pytest.approx((93 + 81) / 2)
    assert reps["independent_operation"] == pytest.approx((80 + 60) / 2)
    unit = by_party[zh["Unit of the Area"]]
    assert unit["raters"] == 1 and unit["resident_satisfaction"] is None  # 0 = not scored
    assert len([p for p in by_party]) == len(SIX)

    # another center's staff: the evaluation is not theirs, the report shows no raters
    assert other.staff.get("Periodic Evaluation", ev["name"]).status_code in (403, 404)
    theirs = other.staff.report("Periodic Evaluation Results", filters)
    assert all(row["raters"] == 0 for row in theirs["result"] if isinstance(row, dict))


# ====================================================================== [LW2021] 四（三）4 quarterly summary

SUMMARY = "Operator Quarterly Summary"


def agreement(c: Center) -> str:
    doc = {"doctype": "Operating Agreement", "service_center": c.center, "operator_name": f"某社工服务中心-{uid(4)}",
           "start_date": "2024-10-01", "end_date": "2027-09-30", "registered_on": "2015-05-01",
           "evaluation_grade": "AAAA", "operator_is_local": 0}
    r = c.head.insert(doc)
    assert r.status_code == 200, r.text[:500]
    return r.json()["data"]["name"]


def summary(agreement_name: str, year: int, quarter: str, **extra) -> dict:
    return {"doctype": SUMMARY, "operating_agreement": agreement_name, "report_year": year, "report_quarter": quarter,
            "services_delivered": "场地、财务托管、能力建设共12次", "organizations_incubated": "3家",
            "activities": "培训4场", "problems": "志愿者不足", "next_quarter_plan": "开展公益创投", **extra}


def test_quarterly_operations_summary_once_per_quarter_and_reminded(ours, other):
    from shuangfuhua_app.center import send_reminders

    a = agreement(ours)
    # the due date is system-set: a client's value is refused
    assert_refused_in_chinese(ours.staff.insert(summary(a, 2024, "Q4", due_date="2099-01-01")), "由系统自动记录")
    r = ours.staff.insert(summary(a, 2024, "Q4", service_center=other.center))
    assert r.status_code == 200, r.text[:500]
    doc = r.json()["data"]
    # the center comes from the agreement, the due date from the rule: 15 days after the quarter (settings)
    due_days = frappe.db.get_single_value("Shuangfuhua Settings", "operator_report_due_days") or 15
    assert doc["service_center"] == ours.center
    assert doc["due_date"] == str(datetime.date(2024, 12, 31) + datetime.timedelta(days=int(due_days)))
    # once per quarter and agreement
    r = ours.staff.insert(summary(a, 2024, "Q4"))
    assert_refused_in_chinese(r, "2024年第4季度的孵化基地运行情况总结已经提交", "每季度只提交一份", "四（三）4")
    # outside the term, and without the next quarter's plan: refused in Chinese
    assert_refused_in_chinese(ours.staff.insert(summary(a, 2024, "Q2")))
    assert_refused_in_chinese(ours.staff.insert(summary(a, 2025, "Q1", next_quarter_plan="")))
    # another center's staff: sees nothing, cannot file for this agreement
    assert other.staff.names(SUMMARY, operating_agreement=a) == []
    assert other.staff.get(SUMMARY, doc["name"]).status_code in (403, 404)
    assert other.staff.insert(summary(a, 2025, "Q2")).status_code in (403, 417)

    # the reminder: Q1 2025 is due 15 days after 31 March; reminded once, to the center's staff
    fresh()
    as_of = datetime.date(2025, 3, 31) + datetime.timedelta(days=int(due_days) + 1)
    key = f"R-OPER-summary|{a}|2025-Q1"
    assert key in send_reminders(as_of)
    assert key not in send_reminders(as_of) and key not in send_reminders(as_of + datetime.timedelta(days=1))
    frappe.db.commit()
    row = frappe.get_doc("SFH Reminder", key)  # the ledger of reminders (ToDo or daily digest from it)
    assert row.rule == "R-OPER-SUMMARY" and row.service_center == ours.center
    assert row.assigned_to == ours.staff_user
    assert "2025年第1季度孵化基地运行情况总结未提交" in row.message
    assert row.message.endswith("（《灵武市社会组织孵化基地运营管理方案》四（三）4）")
    # the summary of Q1 arrives: Q1 is not reminded again; Q2 only after its own due date
    assert ours.staff.insert(summary(a, 2025, "Q1")).status_code == 200
    fresh()
    q2_due = datetime.date(2025, 6, 30) + datetime.timedelta(days=int(due_days))
    assert not [k for k in send_reminders(q2_due) if k.startswith(f"R-OPER-summary|{a}|")]
    assert f"R-OPER-summary|{a}|2025-Q2" in send_reminders(q2_due + datetime.timedelta(days=1))
    frappe.db.commit()


# ====================================================================== [HZ2019] 三（三） illegal organizations

ILLEGAL = "Illegal Organization Report"
SUBMIT = "/api/method/shuangfuhua_app.portal.illegal_report.submit_report"
RATE_KEY = "rl:shuangfuhua_app.portal.illegal_report.submit_report"


@pytest.fixture
def no_rate_limit_carry_over():
    frappe.cache.delete_keys(RATE_KEY)
    yield
    frappe.cache.delete_keys(RATE_KEY)


def guest_post(data: dict) -> requests.Response:
    from factory import web_session

    return web_session(URL).post(f"{URL}{SUBMIT}", data=data, headers={"Accept": "application/json"}, timeout=60)


def public_report(center: str, **extra) -> dict:
    return {"service_center": center, "reported_org_name": f"某某老乡联谊会-{uid(4)}", "place": "某小区会所",
            "activity_description": "未经登记，以联谊会名义向居民收取会费并组织活动", "reporter_name": "张三",
            "reporter_contact": "13800001234", **extra}


def test_public_illegal_organization_form_and_its_guards(ours, other, no_rate_limit_carry_over):
    from factory import objection_challenge, web_session
    from shuangfuhua_app.portal.illegal_report import SUBJECT

    # the page: Chinese, lists the centers, shows nothing of any report
    fresh()
    earlier = frappe.get_all(ILLEGAL, pluck="reported_org_name", limit=5)
    page = web_session(URL).get(f"{URL}/report-illegal-org", timeout=60)
    assert page.status_code == 200 and "举报涉嫌非法社会组织" in page.text and 'name="viewport"' in page.text
    assert ours.center in page.text
    assert not any(n and n in page.text for n in earlier)

    # no challenge, a wrong answer, the honeypot: refused in Chinese, nothing stored
    data = public_report(ours.center)
    assert_refused_in_chinese(guest_post(data), "验证")
    token, answer = objection_challenge(SUBJECT)
    assert_refused_in_chinese(guest_post(dict(data, challenge=token, answer=str(int(answer) + 1))), "验证")
    assert_refused_in_chinese(guest_post(dict(data, challenge=token, answer=answer, website="http://spam")))
    # bad input: no description
    token, answer = objection_challenge(SUBJECT)
    assert_refused_in_chinese(guest_post(dict(data, challenge=token, answer=answer, activity_description=" ")),
                              "活动情况", "三（三）")
    fresh()
    assert not frappe.db.exists(ILLEGAL, {"reported_org_name": data["reported_org_name"]})
    # a person: taken in, the answer names only its reference
    token, answer = objection_challenge(SUBJECT)
    r = guest_post(dict(data, challenge=token, answer=answer))
    assert r.status_code == 200, r.text[:500]
    reference = r.json()["message"]["reference"]
    assert set(r.json()["message"]) == {"reference", "message"}
    # the same challenge once only
    frappe.cache.delete_keys(RATE_KEY)
    assert_refused_in_chinese(guest_post(dict(data, challenge=token, answer=answer)), "验证")
    # the objection form's hourly limit per IP: the sixth post of the hour is refused (429)
    statuses = [guest_post(dict(data, challenge="x")).status_code for _ in range(4)]
    assert set(statuses) == {417}
    assert guest_post(dict(data, challenge="x")).status_code == 429
    fresh()
    doc = frappe.get_doc(ILLEGAL, reference)
    assert doc.channel == "Website" and doc.status == "Received" and doc.received_on and doc.service_center == ours.center
    assert doc.reporter_contact == "13800001234"

    # another center's staff: not in their list, not readable
    assert reference not in other.staff.names(ILLEGAL)
    assert other.staff.get(ILLEGAL, reference).status_code in (403, 404)
    # our staff read it, the reporter's contact included (permlevel 1)
    r = ours.staff.get(ILLEGAL, reference)
    assert r.status_code == 200 and r.json()["data"]["reporter_contact"] == "13800001234"


def test_staff_handle_and_hand_on_with_server_dates(ours, other):
    today_ = frappe.utils.today()
    r = ours.staff.insert({"doctype": ILLEGAL, "service_center": ours.center, "reported_org_name": f"某研究会-{uid(4)}",
                           "activity_description": "以研究会名义举办收费培训", "place": "某街道"})
    assert r.status_code == 200, r.text[:500]
    doc = r.json()["data"]
    assert doc["channel"] == "Staff Entry" and doc["status"] == "Received" and doc["received_on"]
    name = doc["name"]

    def move(**values):
        return ours.staff.call("PUT", f"/api/resource/{urllib.parse.quote(ILLEGAL)}/{name}", json=values)

    # dates are the server's: a typed one is refused
    assert_refused_in_chinese(move(status="Verified", verified_on="2020-01-01"), "由系统自动记录")
    # no skipping a step
    assert_refused_in_chinese(move(status="Handed On", handed_on_to="上城区民政局"), "只能改为", "三（三）")
    r = move(status="Verified", verification_notes="实地走访核实")
    assert r.status_code == 200 and r.json()["data"]["verified_on"] == today_
    # handing on names the authority
    assert_refused_in_chinese(move(status="Handed On"), "民政部门（登记管理机关）")
    r = move(status="Handed On", handed_on_to="上城区民政局")
    assert r.status_code == 200 and r.json()["data"]["handed_on_on"] == today_
    assert r.json()["data"]["handled_by"] == ours.staff_user
    assert_refused_in_chinese(move(status="Closed"), "处理结果")
    r = move(status="Closed", outcome="民政局已立案调查并取缔")
    assert r.status_code == 200 and r.json()["data"]["closed_on"] == today_
    # nothing reopens it
    assert_refused_in_chinese(move(status="Verified"), "线索已办结")
    # another center's staff cannot touch it; an invalid status is refused in Chinese
    assert other.staff.call("PUT", f"/api/resource/{urllib.parse.quote(ILLEGAL)}/{name}",
                            json={"outcome": "x"}).status_code in (403, 404)
    assert_refused_in_chinese(ours.staff.insert({"doctype": ILLEGAL, "service_center": ours.center,
                                                 "reported_org_name": "某会", "activity_description": "x",
                                                 "status": "Lost"}))


# ====================================================================== [10M] 第二条 registration steering

STEER = "Registration Steering"


def filed_org(center: str, members: int, activities: int, funds: float) -> str:
    """A filed organization with ``members`` current members, ``activities`` activity reports
    dated within the last 12 months (and one older), ``funds`` yuan granted this year."""
    def build():
        org = make_org(center)
        for i in range(members):
            frappe.get_doc({"doctype": "Organization Member", "organization": org, "member_name": f"成员{i}",
                            "member_status": "Current Member"}).insert()
        frappe.get_doc({"doctype": "Organization Member", "organization": org, "member_name": "已退出成员",
                        "member_status": "Former Member"}).insert()
        for days in [*(3 + 30 * i for i in range(activities)), 400]:
            frappe.get_doc({"doctype": "Activity Report", "organization": org, "report_type": "Activity Report",
                            "activity_title": f"活动{days}", "activity_date": frappe.utils.add_days(frappe.utils.nowdate(), -days),
                            "place": "社区", "participant_count": 10, "content": "服务居民"}).insert()
        if funds:
            vp = frappe.get_doc({"doctype": "Venture Project", "organization": org, "project_name": f"项目{uid(3)}",
                                 "project_field": "Volunteer Service", "budget": funds, "objectives": "服务居民",
                                 "milestones": [{"milestone": "启动", "due_date": frappe.utils.nowdate()}]}).insert()
            frappe.db.set_value("Venture Project", vp.name, {"granted_amount": funds, "approved_on": frappe.utils.nowdate()})
        frappe.db.commit()
        return org

    return retrying(build)


def test_registration_steering_candidates_mark_follow_up_outcome(ours, other):
    s = frappe.get_cached_doc("Shuangfuhua Settings")
    need_m, need_a, need_f = int(s.steering_min_members), int(s.steering_min_activities), float(s.steering_min_funds)
    big = filed_org(ours.center, need_m, need_a, need_f)
    small = filed_org(ours.center, need_m - 1, need_a, need_f)
    registered = retrying(lambda: (make_org(ours.center, org_type="Registered"), frappe.db.commit())[0])

    # the list: the organization meeting all three thresholds, the smaller one only with "show all"
    rows = {r["organization"]: r for r in ours.staff.report("Registration Steering Candidates", {})["result"]
            if isinstance(r, dict)}
    assert big in rows and small not in rows and registered not in rows
    assert (rows[big]["members"], rows[big]["activities"], rows[big]["funds"]) == (need_m, need_a, need_f)
    rows = {r["organization"]: r for r in ours.staff.report("Registration Steering Candidates", {"show_all": 1})["result"]
            if isinstance(r, dict)}
    assert rows[small]["meets"] == 0 and rows[small]["members"] == need_m - 1 and rows[big]["meets"] == 1
    # another center's staff see none of them
    theirs = other.staff.report("Registration Steering Candidates", {"show_all": 1})["result"]
    assert not {big, small} & {r["organization"] for r in theirs if isinstance(r, dict)}

    # mark: the server stamps the day, who, the figures then and the check
    assert_refused_in_chinese(ours.staff.insert({"doctype": STEER, "organization": big, "marked_on": "2020-01-01"}),
                              "由系统自动记录")
    r = ours.staff.insert({"doctype": STEER, "organization": big})
    assert r.status_code == 200, r.text[:500]
    doc = r.json()["data"]
    assert doc["marked_on"] == frappe.utils.nowdate() and doc["marked_by"] == ours.staff_user
    assert (doc["members_at_marking"], doc["activities_at_marking"], doc["funds_at_marking"]) == (need_m, need_a, need_f)
    assert "建议引导登记" in doc["criteria_check"] and doc["criteria_check"].endswith("第二条）")
    name = doc["name"]
    # one open record per organization; only filed organizations
    assert_refused_in_chinese(ours.staff.insert({"doctype": STEER, "organization": big}), name)
    assert_refused_in_chinese(ours.staff.insert({"doctype": STEER, "organization": registered}), "已备案")
    # follow up: a future date is refused, today's note is kept
    url = f"/api/resource/{urllib.parse.quote(STEER)}/{name}"
    future = frappe.utils.add_days(frappe.utils.nowdate(), 3)
    assert_refused_in_chinese(ours.staff.call("PUT", url, json={"follow_ups": [{"follow_up_on": future, "note": "电话"}]}),
                              "跟进日期")
    r = ours.staff.call("PUT", url, json={"follow_ups": [{"follow_up_on": frappe.utils.nowdate(), "note": "上门介绍登记条件"}]})
    assert r.status_code == 200 and len(r.json()["data"]["follow_ups"]) == 1
    # the outcome: stamped, then final
    r = ours.staff.call("PUT", url, json={"outcome": "Registered", "outcome_note": "已在区民政局登记"})
    assert r.status_code == 200 and r.json()["data"]["outcome_on"] == frappe.utils.nowdate()
    assert_refused_in_chinese(ours.staff.call("PUT", url, json={"outcome": "Declined"}), "不能修改")
    # the list shows the outcome; another center's staff cannot read the record
    rows = {r["organization"]: r for r in ours.staff.report("Registration Steering Candidates", {})["result"]
            if isinstance(r, dict)}
    assert rows[big]["steering"] == name and rows[big]["outcome"] == "已登记"
    assert other.staff.get(STEER, name).status_code in (403, 404)
    assert name not in other.staff.names(STEER)
