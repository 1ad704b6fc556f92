"""Issue 7 §5 (R-INPUT, R-6.1): bad input is refused with a 4xx and a Chinese message naming
the field, over REST as an organization's representative and through the portal's Web
Forms – and nothing is stored or altered. An organization has at most one open application."""

from __future__ import annotations

import datetime
import json
import os

import frappe
import pytest
import requests

from factory import (
    World,
    allow_many_users,
    api_token,
    application_doc,
    make_center,
    make_community,
    make_org,
    make_user,
    web_form_save,
)
from shuangfuhua_app.exceptions import InvalidInputError, OpenApplicationError
from shuangfuhua_app.utils import today

URL = os.environ.get("SFH_URL")
needs_server = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")
APP = "Incubation Application"
EVENT = "Major Event Report"
ACCEPT = "/api/method/frappe.website.doctype.web_form.web_form.accept"


@pytest.fixture(scope="module")
def world():
    allow_many_users()
    w = World()
    frappe.db.commit()
    return w


class Rep:
    """A fresh organization of the world's center and its representative (with an API token)."""

    def __init__(self, world: World):
        for attempt in range(3):  # Frappe's User.validate locks a global default: other
            try:  # processes creating users at the same moment can deadlock it
                self.org = make_org(world.center, world.community)
                self.user = make_user(["Organization Representative"], orgs=[self.org])
                self.token = api_token(self.user)
                frappe.db.commit()
                return
            except frappe.QueryDeadlockError:
                frappe.db.rollback()
                if attempt == 2:
                    raise

    def call(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": self.token, "Host": frappe.local.site, "Accept": "application/json"}
        return requests.request(method, f"{URL}{path}", headers=headers, timeout=120, **kw)

    def applications(self) -> list[str]:
        fresh()
        return frappe.get_all(APP, filters={"organization": self.org}, pluck="name")


@pytest.fixture
def rep(world):
    return Rep(world)


def fresh():
    """Read what the web server committed (end this process's transaction snapshot)."""
    frappe.db.rollback()


def messages(r: requests.Response) -> str:
    data = r.json()
    out = []
    for m in json.loads(data.get("_server_messages") or "[]"):
        try:
            out.append(json.loads(m).get("message", ""))
        except ValueError:
            out.append(m)
    return "\n".join(out)


def label(fieldname: str, doctype: str = APP) -> str:
    """The field's label as the site shows it (zh)."""
    return frappe._(frappe.get_meta(doctype).get_label(fieldname), context=doctype)


def assert_refused(r: requests.Response, *parts: str) -> str:
    """4xx (417: frappe.ValidationError), a Chinese message containing ``parts``."""
    assert r.status_code == 417, (r.status_code, r.text[:500])
    text = messages(r)
    assert all(p in text for p in parts), (parts, text[:500])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text[:300]
    assert r.json().get("exc_type") in ("InvalidInputError", "OpenApplicationError"), r.json().get("exc_type")
    return text


def app_data(org: str, **extra) -> dict:
    data = application_doc(org)
    data.pop("doctype")
    data.update(extra)
    return data


def event_data(org: str, **extra) -> dict:
    return {
        "organization": org,
        "event_title": "社区邻里节",
        "event_place": "社区广场",
        "event_description": "邻里节活动，预计300人参加",
        "event_date": str(today() + datetime.timedelta(days=5)),
        **extra,
    }


# ============================================================ REST: new records


@needs_server
@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("member_count", "abc", "不是整数"),  # was stored as 0
        ("founded_date", "2026-02-30", "不是有效日期"),  # was silently dropped
        ("main_activities", "活" * 200_000, "内容过长"),  # was a 500 database error
        ("volunteer_count", "12.5", "不是整数"),  # would be cut to 12
        ("channel", "Bogus", "不是可选项"),  # reached the controller's lookup (500)
        ("head_name", "名" * 141, "最多可填写140个字符"),
        ("party_org_established", "yesterday", "不是有效日期"),
    ],
)
def test_rest_refuses_a_bad_value_of_a_new_application(rep, field, value, expected):
    r = rep.call("POST", f"/api/resource/{APP}", json=app_data(rep.org, **{field: value}))
    text = assert_refused(r, label(field), expected)
    assert len(text) < 2000  # the 200,000 characters are not echoed back
    assert rep.applications() == []


@needs_server
def test_rest_refuses_a_bad_date_in_a_child_row(rep):
    data = app_data(rep.org)
    data["party_members"][1]["joined_party_date"] = "2025-02-30"
    r = rep.call("POST", f"/api/resource/{APP}", json=data)
    assert_refused(r, label("party_members"), "第2行", label("joined_party_date", "Application Party Member"), "2025-02-30")
    assert rep.applications() == []


@needs_server
def test_rest_refuses_an_event_date_the_app_cannot_read(rep):
    """"yesterday" reached the controller's date code: a 500 (Invalid isoformat string)."""
    for value in ("yesterday", "2026-02-30", "2026/03/01"):
        r = rep.call("POST", f"/api/resource/{EVENT}", json=event_data(rep.org, event_date=value))
        assert_refused(r, label("event_date", EVENT), value)
    r = rep.call("POST", f"/api/resource/{EVENT}", json=event_data(rep.org, expected_participants="三百"))
    assert_refused(r, label("expected_participants", EVENT), "三百")
    fresh()
    assert frappe.get_all(EVENT, filters={"organization": rep.org}) == []


@needs_server
def test_rest_stores_good_values_exactly(rep):
    """Control: a good application goes through and is stored as sent."""
    data = app_data(rep.org, member_count="15", party_org_established="2024-02-29")
    r = rep.call("POST", f"/api/resource/{APP}", json=data)
    assert r.status_code == 200, r.text[:500]
    name = r.json()["data"]["name"]
    fresh()
    stored = frappe.db.get_value(APP, name, ["member_count", "party_org_established"], as_dict=True)
    assert stored.member_count == 15 and stored.party_org_established == datetime.date(2024, 2, 29)


@needs_server
def test_rest_keeps_what_the_applicant_corrects_over_the_organizations_record(rep):
    """Nothing lost: the fields taken from the organization only when empty (founded date,
    head, address) keep what the applicant sends; the center and community stay pinned."""
    frappe.db.set_value("Community Social Organization", rep.org, {"head_name": "旧负责人", "address": "旧地址"})
    elsewhere = make_center()
    other_community = make_community(elsewhere)
    frappe.db.commit()
    data = app_data(rep.org, head_name="新负责人", address="幸福路1号", founded_date="2020-05-04",
                    service_center=elsewhere, community=other_community)
    r = rep.call("POST", f"/api/resource/{APP}", json=data)
    assert r.status_code == 200, r.text[:500]
    fresh()
    stored = frappe.db.get_value(APP, r.json()["data"]["name"],
                                 ["head_name", "address", "founded_date", "service_center", "community"], as_dict=True)
    org = frappe.db.get_value("Community Social Organization", rep.org, ["service_center", "community"], as_dict=True)
    assert (stored.head_name, stored.address, stored.founded_date) == ("新负责人", "幸福路1号", datetime.date(2020, 5, 4))
    assert (stored.service_center, stored.community) == (org.service_center, org.community)


# ============================================================ REST: changes to a stored record


@needs_server
@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("member_count", "十二", "不是整数"),
        ("founded_date", "2025-02-29", "不是有效日期"),
        ("main_activities", "a" * 70_000, "内容过长"),
        ("needs", ["活动场地"], "不能是列表或对象"),
    ],
)
def test_rest_refuses_a_bad_change_and_keeps_the_record(rep, field, value, expected):
    r = rep.call("POST", f"/api/resource/{APP}", json=app_data(rep.org, party_org_established="2020-05-04"))
    assert r.status_code == 200, r.text[:500]
    name = r.json()["data"]["name"]
    r = rep.call("PUT", f"/api/resource/{APP}/{name}", json={"founded_date": "2019-03-01"})
    assert r.status_code == 200, r.text[:500]
    fresh()
    before = frappe.get_doc(APP, name).as_dict()
    r = rep.call("PUT", f"/api/resource/{APP}/{name}", json={field: value})
    assert_refused(r, label(field), expected)
    fresh()
    after = frappe.get_doc(APP, name).as_dict()
    for key in ("modified", "member_count", "founded_date", "main_activities", "needs",
                "party_org_established"):
        assert after[key] == before[key], key
    assert after.founded_date == datetime.date(2019, 3, 1)


# ============================================================ R-6.1: one open application


@needs_server
def test_a_second_open_application_is_refused_naming_the_open_one(world, rep):
    r = rep.call("POST", f"/api/resource/{APP}", json=app_data(rep.org))
    assert r.status_code == 200, r.text[:500]
    first = r.json()["data"]["name"]
    for _ in range(3):
        r = rep.call("POST", f"/api/resource/{APP}", json=app_data(rep.org))
        assert_refused(r, first, frappe._("Draft"), "第6.1条")
    assert rep.applications() == [first]
    # once it is decided (not admitted) the organization may apply again
    frappe.db.set_value(APP, first, {"workflow_state": "Not Admitted", "docstatus": 1})
    frappe.db.commit()
    r = rep.call("POST", f"/api/resource/{APP}", json=app_data(rep.org))
    assert r.status_code == 200, r.text[:500]
    assert len(rep.applications()) == 2


def test_staff_cannot_enter_a_second_open_application_either(world):
    org = make_org(world.center, world.community)
    first = world.apply(org=org)
    frappe.db.commit()
    frappe.set_user(world.staff)
    try:
        with pytest.raises(OpenApplicationError, match=first.name):
            frappe.get_doc(application_doc(org)).insert()
    finally:
        frappe.set_user("Administrator")
        frappe.db.rollback()
    # an admitted application is still open until the agreement is signed (§6.4)
    frappe.db.set_value(APP, first.name, {"workflow_state": "Admitted", "docstatus": 1})
    with pytest.raises(OpenApplicationError):
        frappe.get_doc(application_doc(org)).insert()
    frappe.db.rollback()


# ============================================================ the portal's Web Forms


def form_data(org: str, **extra) -> dict:
    return dict(app_data(org), doctype=APP, **extra)


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("member_count", "abc", "不是整数"),
        ("founded_date", "2026-02-30", "不是有效日期"),
        ("main_activities", "活" * 200_000, "内容过长"),
    ],
)
def test_web_form_refuses_bad_values(rep, field, value, expected):
    with pytest.raises(InvalidInputError) as refused:
        web_form_save(rep.user, "incubation-application", form_data(rep.org, **{field: value}))
    frappe.db.rollback()
    assert label(field) in str(refused.value) and expected in str(refused.value)
    assert rep.applications() == []
    # a stored draft is not altered by a bad save either
    doc = web_form_save(
        rep.user, "incubation-application", form_data(rep.org, party_org_established="2021-06-01")
    )
    with pytest.raises(InvalidInputError):
        web_form_save(rep.user, "incubation-application", form_data(rep.org, name=doc.name, **{field: value}))
    frappe.db.rollback()
    stored = frappe.get_doc(APP, doc.name)
    assert str(stored.modified) == str(doc.modified) and stored.member_count == 12
    assert stored.party_org_established == datetime.date(2021, 6, 1)
    assert stored.main_activities == doc.main_activities


def test_web_form_refuses_an_event_date_the_app_cannot_read(rep):
    with pytest.raises(InvalidInputError, match="yesterday"):
        data = dict(event_data(rep.org, event_date="yesterday"), doctype=EVENT)
        web_form_save(rep.user, "major-event-report", data)
    frappe.db.rollback()
    assert frappe.get_all(EVENT, filters={"organization": rep.org}) == []


def test_web_form_refuses_a_second_open_application(rep):
    first = web_form_save(rep.user, "incubation-application", form_data(rep.org))
    with pytest.raises(OpenApplicationError, match=first.name):
        web_form_save(rep.user, "incubation-application", form_data(rep.org))
    frappe.db.rollback()
    assert rep.applications() == [first.name]


@needs_server
def test_web_form_over_http_answers_417_in_chinese(rep):
    data = json.dumps(form_data(rep.org, founded_date="2026-02-30"))
    r = rep.call("POST", ACCEPT, data={"web_form": "incubation-application", "data": data})
    assert_refused(r, label("founded_date"), "2026-02-30", "不是有效日期")
    data = json.dumps(dict(event_data(rep.org, event_date="yesterday"), doctype=EVENT))
    r = rep.call("POST", ACCEPT, data={"web_form": "major-event-report", "data": data})
    assert_refused(r, label("event_date", EVENT), "yesterday")
    assert rep.applications() == []
