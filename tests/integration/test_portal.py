"""Issue 4: the public notice page and the organization portal (R-6.1, R-6.3, R-SCOPE, R-PRIV)."""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import time
from pathlib import Path

import frappe
import pytest
import requests
from frappe.website.doctype.web_form.web_form import accept

from factory import (
    allow_many_users,
    World,
    act,
    api_token,
    application_doc,
    make_org,
    make_user,
    objection_challenge,
    open_notice,
    uid,
    web_session,
)
from shuangfuhua_app.portal import dashboard, forms, objection, representatives
from shuangfuhua_app.utils import today

URL = os.environ.get("SFH_URL")
needs_server = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")
OBJECTION = "/api/method/shuangfuhua_app.portal.objection.submit_objection"
RATE_KEY = "rl:shuangfuhua_app.portal.objection.submit_objection"


def messages(r: requests.Response) -> str:
    data = r.json()
    out = []
    for m in json.loads(data.get("_server_messages") or "[]"):
        try:
            out.append(json.loads(m).get("message", ""))
        except ValueError:
            out.append(m)
    return "\n".join(out) + (data.get("exception") or "")


@pytest.fixture(scope="module", autouse=True)
def many_users():
    allow_many_users()


@pytest.fixture(scope="module")
def world():
    w = World()
    frappe.db.commit()
    return w


@pytest.fixture(scope="module")
def other_world():
    """Another center with its own organization and staff."""
    w = World()
    frappe.db.commit()
    return w


@pytest.fixture(scope="module")
def notices(world):
    """An open published notice, an ended one, an upcoming one and an unpublished draft."""
    open_app, ended_app, upcoming_app, draft_app = (world.apply(org=make_org(world.center, world.community)) for _ in range(4))
    for app in (open_app, ended_app, upcoming_app, draft_app):
        world.to_recommended(app)
    later = today() + datetime.timedelta(days=14)  # starts after today, whatever day the suite runs
    result = {
        "open": open_notice(world, [open_app]),
        "ended": world.notice([ended_app], "2025-09-30"),
        "upcoming": world.notice([upcoming_app], later),
        "draft": world.notice([draft_app], later, submit=False),
        "apps": {"open": open_app, "ended": ended_app, "upcoming": upcoming_app, "draft": draft_app},
    }
    frappe.db.commit()
    return result


@pytest.fixture(autouse=True)
def no_rate_limit_carry_over():
    frappe.cache.delete_keys(RATE_KEY)
    yield
    frappe.cache.delete_keys(RATE_KEY)


# ============================================================ public notice page (guest)


@needs_server
def test_guest_sees_published_notices_only_and_no_personal_data(notices):
    guest = web_session(URL)
    r = guest.get(f"{URL}/notices", timeout=30)
    assert r.status_code == 200
    page = r.text
    apps = notices["apps"]
    for key in ("open", "ended", "upcoming"):
        assert apps[key].org_name in page, key
        assert notices[key].name in page
    assert apps["draft"].org_name not in page and notices["draft"].name not in page
    assert "正在公示" in page and "往期公示" in page and "公示期" in page  # Chinese UI
    # R-PRIV: nothing of the members (ID numbers, phones) nor the head's phone on a public page
    for app in apps.values():
        doc = frappe.get_doc(app.doctype, app.name)
        for row in doc.party_members:
            assert row.resident_id not in page and row.phone not in page and row.member_name not in page
    detail = guest.get(f"{URL}/notices/{notices['open'].name}", timeout=30)
    assert detail.status_code == 200 and 'id="sfh-objection"' in detail.text
    assert f"{notices['open'].end_date.year}年" in detail.text
    # the ended and upcoming notices show no form
    for key in ("ended", "upcoming"):
        r = guest.get(f"{URL}/notices/{notices[key].name}", timeout=30)
        assert r.status_code == 200 and 'id="sfh-objection"' not in r.text and "sfh-closed" in r.text
    # an unpublished notice does not exist for the public; the records stay closed to guests
    assert guest.get(f"{URL}/notices/{notices['draft'].name}", timeout=30).status_code == 404
    assert guest.get(f"{URL}/notice/{notices['open'].name}", timeout=30).status_code == 200
    for doctype in ("Public Notice", "Notice Objection", "Incubation Application"):
        r = guest.get(f"{URL}/api/resource/{doctype}", timeout=30)
        assert r.status_code in (401, 403), (doctype, r.status_code)


def post_objection(session, notice, **data):
    token, answer = objection_challenge(notice)
    payload = {
        "notice": notice,
        "objector_name": "张三",
        "contact_phone": "13912345678",
        "content": "该组织实际未在本社区开展活动。",
        "challenge": token,
        "answer": answer,
        "website": "",
    }
    payload.update(data)
    if payload["answer"] == "WRONG":  # a wrong answer to this very challenge (never the right one by chance)
        payload["answer"] = str(int(answer) + 1)
    return session.post(f"{URL}{OBJECTION}", data=payload, headers={"Accept": "application/json"}, timeout=30)


@needs_server
def test_guest_files_an_objection_during_the_notice(notices):
    guest = web_session(URL)
    notice = notices["open"].name
    token, answer = objection_challenge(notice)
    r = post_objection(guest, notice, item="1", contact_email="zhang@example.com", challenge=token, answer=answer)
    assert r.status_code == 200, messages(r)
    reference = r.json()["message"]["reference"]
    frappe.db.rollback()  # see what the web server committed
    doc = frappe.get_doc("Notice Objection", reference)
    assert doc.channel == "Website" and doc.public_notice == notice
    assert doc.application == notices["apps"]["open"].name
    assert doc.contact_phone == "13912345678" and doc.objector_name == "张三" and doc.status == "Pending"
    assert doc.contact_email == "zhang@example.com"
    # the same challenge can't be used twice
    again = post_objection(guest, notice, objector_name="李四", challenge=token, answer=answer)
    assert again.status_code != 200 and "验证答案错误或已过期" in messages(again)


@needs_server
@pytest.mark.parametrize(
    "case, data, expected",
    [
        ("no name", {"objector_name": " "}, "请填写您的姓名"),
        ("no phone", {"contact_phone": ""}, "请填写手机号码"),
        ("bad phone", {"contact_phone": "12345"}, "手机号码应为11位"),
        ("no content", {"content": ""}, "请填写异议内容"),
        ("honeypot", {"website": "http://spam.example"}, "验证答案错误或已过期"),
        ("wrong answer", {"answer": "WRONG"}, "验证答案错误或已过期"),
        ("forged token", {"challenge": "1700000000:3:4:00ff00ff00ff00ff:" + "0" * 32}, "验证答案错误或已过期"),
    ],
)
def test_objection_without_contact_details_or_by_a_script_is_refused(notices, case, data, expected):
    before = frappe.db.count("Notice Objection", {"public_notice": notices["open"].name})
    r = post_objection(web_session(URL), notices["open"].name, **data)
    assert r.status_code == 417, (case, r.status_code, r.text[:300])
    assert expected in messages(r), (case, messages(r))
    frappe.db.rollback()
    assert frappe.db.count("Notice Objection", {"public_notice": notices["open"].name}) == before


@needs_server
def test_two_visitors_shown_the_same_sum_in_the_same_second_both_get_through(notices):
    """Each page view's challenge is its own: one visitor's objection must not spend the
    token of another who was shown the same sum in the same second (the CI flake of stop 21)."""
    notice = notices["open"].name
    issued = int(time.time()) - 10
    tokens = [objection.challenge_token(notice, issued, 3, 4) for _ in range(2)]
    assert tokens[0] != tokens[1]
    for name, token in zip(("张三", "李四"), tokens):
        r = post_objection(web_session(URL), notice, objector_name=name, challenge=token, answer="7")
        assert r.status_code == 200, (name, messages(r))


@needs_server
def test_a_challenge_answered_too_fast_is_refused(notices):
    from factory import objection_challenge as challenge

    token, answer = challenge(notices["open"].name, age=0)
    r = post_objection(web_session(URL), notices["open"].name, challenge=token, answer=answer)
    assert r.status_code == 417 and "验证答案错误或已过期" in messages(r)


@needs_server
@pytest.mark.parametrize("key", ["ended", "upcoming"])
def test_objection_outside_the_notice_period_is_refused(notices, key):
    r = post_objection(web_session(URL), notices[key].name)
    assert r.status_code == 417
    text = messages(r)
    assert "异议仅在公示期内" in text and "第6.3条" in text, text


@needs_server
def test_objection_to_an_unpublished_notice_is_refused(notices):
    r = post_objection(web_session(URL), notices["draft"].name)
    assert r.status_code == 404 and "不存在或尚未发布" in messages(r)


@needs_server
def test_objections_are_rate_limited(notices):
    guest = web_session(URL)
    statuses = [post_objection(guest, notices["open"].name, contact_phone="").status_code for _ in range(objection.OBJECTION_RATE_LIMIT)]
    assert set(statuses) == {417}
    r = post_objection(guest, notices["open"].name)
    assert r.status_code == 429, r.status_code


# ============================================================ representatives


def test_staff_invite_and_relink_a_representative(world):
    other_org = make_org(world.center, world.community)
    email = f"rep-{uid()}@sfh-test.example"
    frappe.set_user(world.staff)
    try:
        mobile = "137" + "".join(random.choices("0123456789", k=8))
        result = representatives.invite_representative(world.org, email, "王代表", mobile)
    finally:
        frappe.set_user("Administrator")
    assert result["created"]
    user = frappe.get_doc("User", email)
    assert user.user_type == "Website User" and "Organization Representative" in frappe.get_roles(email)
    assert user.mobile_no == mobile
    assert representatives.representative_org(email) == world.org
    assert user.send_welcome_email  # Frappe mails the link to set a password (when an email account exists)
    # re-link: the representative moves to the other organization and stays linked to one
    frappe.set_user(world.staff)
    try:
        result = representatives.invite_representative(other_org, email)
    finally:
        frappe.set_user("Administrator")
    assert not result["created"] and result["relinked_from"] == [world.org]
    assert representatives.representative_org(email) == other_org
    assert frappe.db.count("User Permission", {"user": email, "allow": "Community Social Organization"}) == 1
    # a second organization can't be added behind the portal's back
    with pytest.raises(frappe.ValidationError, match="只能关联一个组织"):
        frappe.get_doc(
            {"doctype": "User Permission", "user": email, "allow": "Community Social Organization", "for_value": world.org}
        ).insert(ignore_permissions=True)
    frappe.db.commit()


def test_only_staff_of_the_center_may_invite(world, other_world):
    other = other_world
    for user, exc in ((world.rep, frappe.PermissionError), (other.staff, frappe.PermissionError)):
        frappe.set_user(user)
        try:
            with pytest.raises(exc):
                representatives.invite_representative(world.org, f"x-{uid()}@sfh-test.example")
        finally:
            frappe.set_user("Administrator")
    # staff accounts are never turned into representatives
    frappe.set_user(world.staff)
    try:
        with pytest.raises(frappe.ValidationError, match="工作人员账号"):
            representatives.invite_representative(world.org, other.staff)
    finally:
        frappe.set_user("Administrator")


# ============================================================ applying through the web form


def web_form_save(user: str, data: dict):
    """What the Web Form's Save button posts (frappe.website...web_form.accept), as ``user``."""
    frappe.set_user(user)
    try:
        frappe.flags.in_web_form = False
        doc = accept("incubation-application", json.dumps(data, default=str))
        frappe.db.commit()
        return doc
    finally:
        frappe.flags.in_web_form = False
        frappe.set_user("Administrator")


def app_form_data(**extra) -> dict:
    data = {k: v for k, v in application_doc("ignored").items() if k not in ("doctype", "organization")}
    data.update(doctype="Incubation Application", **extra)
    return data


def test_web_form_applies_for_the_representatives_own_organization_only(world, other_world):
    other = other_world
    # even a forged organization in the post is replaced by nothing else than the rep's own
    doc = web_form_save(world.rep, app_form_data(organization=other.org, head_phone="13811112222"))
    assert doc.organization == world.org and doc.service_center == world.center
    assert doc.workflow_state == "Draft" and len(doc.party_members) == 2
    # a signed-up user not linked to an organization can't apply at all
    stranger = make_user([])
    with pytest.raises(frappe.PermissionError):
        web_form_save(stranger, app_form_data())
    frappe.db.rollback()
    # another organization's application can't be saved through the form
    theirs = other.apply()
    frappe.db.commit()
    with pytest.raises(frappe.PermissionError):
        web_form_save(world.rep, app_form_data(name=theirs.name, needs="篡改"))
    frappe.db.rollback()
    assert frappe.db.get_value(theirs.doctype, theirs.name, "needs") != "篡改"


def test_child_rows_of_another_application_cannot_be_taken_over(world, other_world):
    # fresh organizations: each may hold only one open application
    theirs = other_world.apply(org=make_org(other_world.center, other_world.community))
    rep = make_user(["Organization Representative"], orgs=[make_org(world.center, world.community)])
    frappe.db.commit()
    row = theirs.party_members[0]
    forged = [{"name": row.name, "member_name": "冒名", "membership_status": "Full Member"}]
    # on a new application Frappe names the rows afresh; on an edit the row name would be kept
    mine = web_form_save(rep, app_form_data(party_members=forged))
    assert row.name not in [r.name for r in mine.party_members]
    with pytest.raises(frappe.PermissionError):
        web_form_save(rep, app_form_data(name=mine.name, party_members=forged))
    frappe.db.rollback()
    assert frappe.db.get_value("Application Party Member", row.name, ["parent", "member_name"]) == (theirs.name, row.member_name)


def test_submit_return_fix_resubmit_and_lock(world):
    org = make_org(world.center, world.community)
    rep = make_user(["Organization Representative"], orgs=[org])
    doc = web_form_save(rep, app_form_data())
    frappe.set_user(rep)
    try:
        assert forms.submit_application(doc.name)["workflow_state"] == "Submitted"
    finally:
        frappe.set_user("Administrator")
    # the center returns it with a comment
    frappe.set_user(world.staff)
    staff_doc = frappe.get_doc(doc.doctype, doc.name)
    staff_doc.initial_review_result = "Returned"
    staff_doc.initial_review_comment = "请补充党员的入党时间。"
    staff_doc.save()
    frappe.set_user("Administrator")
    act(world.staff, staff_doc, "Return for Revision")
    frappe.db.commit()
    # the representative sees the comment, fixes and resubmits
    frappe.set_user(rep)
    try:
        page = dashboard.my_incubation()
    finally:
        frappe.set_user("Administrator")
    (mine,) = page["applications"]
    assert mine["state"] == "Returned" and mine["returned_comment"] == "请补充党员的入党时间。" and mine["editable"]
    assert mine["action"] == "Resubmit"
    saved = web_form_save(rep, app_form_data(name=doc.name, needs="活动场地、项目设计培训、党建指导"))
    assert saved.needs.endswith("党建指导")
    frappe.set_user(rep)
    try:
        assert forms.submit_application(doc.name)["workflow_state"] == "Submitted"
        with pytest.raises(frappe.ValidationError):
            forms.submit_application(doc.name)  # already submitted
    finally:
        frappe.set_user("Administrator")
    # the center starts the initial review: the portal can no longer change it
    frappe.set_user(world.staff)
    staff_doc = frappe.get_doc(doc.doctype, doc.name)
    staff_doc.initial_review_result = "Passed"
    staff_doc.save()
    frappe.set_user("Administrator")
    frappe.db.commit()
    with pytest.raises(frappe.PermissionError):
        web_form_save(rep, app_form_data(name=doc.name, needs="审核开始后修改"))
    frappe.db.rollback()
    frappe.set_user(rep)
    try:
        page = dashboard.my_incubation()
    finally:
        frappe.set_user("Administrator")
    (mine,) = page["applications"]
    assert not mine["editable"] and not mine["action"]
    states = [e["state"] for e in mine["timeline"]]
    assert states == ["Draft", "Submitted", "Returned", "Submitted"], states
    assert any(e["comment"] == "请补充党员的入党时间。" for e in mine["timeline"])


@needs_server
def test_portal_pages_over_http(world):
    org = make_org(world.center, world.community)
    rep = make_user(["Organization Representative"], orgs=[org])
    doc = web_form_save(rep, app_form_data())
    session = web_session(URL, rep)
    r = session.get(f"{URL}/my-incubation", timeout=30)
    assert r.status_code == 200 and "我的孵化" in r.text and doc.name in r.text and frappe._("Draft") in r.text
    r = session.get(f"{URL}/apply/{doc.name}/edit", timeout=30)
    assert r.status_code == 200 and 'class="submit-btn' in r.text
    # after the initial review started the form opens read-only
    frappe.db.set_value(doc.doctype, doc.name, {"workflow_state": "Submitted", "initial_review_result": "Passed"})
    frappe.db.commit()
    r = session.get(f"{URL}/apply/{doc.name}/edit", timeout=30)
    assert r.status_code == 200 and 'class="submit-btn' not in r.text
    # a guest is sent to the login page
    r = web_session(URL).get(f"{URL}/my-incubation", timeout=30, allow_redirects=False)
    assert r.status_code in (301, 302) and "/login" in r.headers["Location"]
    # a representative logs in with the mobile number as well
    mobile = "139" + "".join(random.choices("0123456789", k=8))
    frappe.db.set_value("User", rep, "mobile_no", mobile)
    frappe.db.commit()
    r = web_session(URL).post(f"{URL}/api/method/login", data={"usr": mobile, "pwd": "Sfh#test-pass-2026"}, timeout=30)
    assert r.status_code == 200, r.text[:200]


@needs_server
def test_representative_uploads_are_private(world):
    token = api_token(world.rep)
    frappe.db.commit()
    r = requests.post(
        f"{URL}/api/method/upload_file",
        headers={"Authorization": token, "Host": frappe.local.site, "Accept": "application/json"},
        files={"file": ("章程.txt", "我们的章程".encode())},
        data={"is_private": "0"},
        timeout=30,
    )
    assert r.status_code == 200, r.text[:300]
    assert r.json()["message"]["file_url"].startswith("/private/files/")


def test_portal_strings_have_zh_translations():
    """Jinja ``_()`` strings of the portal pages (tier 1 checks Python/JS; these are HTML)."""
    import csv

    root = Path(__file__).resolve().parents[2] / "shuangfuhua_app"
    with (root / "translations" / "zh.csv").open(encoding="utf-8") as f:
        zh = {row[0]: row[1] for row in csv.reader(f) if row}
    found = set()
    for path in (root / "www").glob("*.html"):
        found |= {m.group(2) for m in re.finditer(r"""(?<![\w_])_\(\s*(["'])((?:\\.|(?!\1).)*)\1""", path.read_text("utf-8"))}
    assert len(found) > 30
    assert not sorted(s for s in found if not zh.get(s))
