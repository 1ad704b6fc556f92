"""Issue 16 §1, §2, §4: QR sign-in and sign-out at an incubation activity, over HTTP as the
real staff user and as guests, and in headless Chromium on a phone-sized page.

The session is scheduled around now (today, from up to two hours ago to up to an hour from
now); the attendees' sign-in times are moved back in the database after they signed in (the
only way to be "present" for hours inside a test), and the expected class hours are computed
here from the rule's words: time present within the session, rounded down to the half hour,
capped at the activity's class hours (§7.3.1)."""

from __future__ import annotations

import datetime
import math
import os
import random
import re
import time

import frappe
import pytest
import requests
from frappe.utils import get_datetime, now_datetime
from frappe.utils.password import get_decrypted_password

from factory import PASSWORD, api_token, as_user, make_center, make_community, make_org, make_user, uid
from factory import retrying

URL = os.environ.get("SFH_URL", "http://127.0.0.1:8000")
ACT = "Incubation Activity"
SIGN_IN = "Activity Sign In"
CAP = 2.5  # the activity's class hours
ANSWER_IN = "已登记签到"  # the same answer whoever signs in
EXPIRED = "二维码已过期或无效"

pytestmark = pytest.mark.skipif(not URL, reason="needs SFH_URL")


def _ip() -> str:
    """A client address of its own per guest (Frappe reads X-Forwarded-For), so the rate limit
    of one test does not spill into another."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class Session(requests.Session):
    """The dev server reloads itself when anyone edits a file: retry a refused connection."""

    def request(self, *args, **kwargs):
        for i in range(15):
            try:
                return super().request(*args, **kwargs)
            except requests.exceptions.ConnectionError:
                if i == 14:
                    raise
                time.sleep(2)


def guest(ip: str | None = None) -> requests.Session:
    s = Session()
    s.headers.update({"Host": frappe.local.site, "X-Forwarded-For": ip or _ip(), "Accept": "application/json"})
    return s


def staff_session(token: str) -> requests.Session:
    s = Session()
    s.headers.update({"Host": frappe.local.site, "Authorization": token, "Accept": "application/json"})
    return s


def refusal(r) -> str:
    """The Chinese message of a refused request (decoded)."""
    import json

    try:
        body = r.json()
    except ValueError:
        return r.text
    messages = [json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")]
    return " ".join(messages) + " " + body.get("exception", "")


def hours_by_rule(signed_in, signed_out, start, end, cap=CAP) -> float:
    """§7.3.1 as the issue words it, independently of standard/attendance.py."""
    if not signed_out:
        return 0.0
    seconds = (min(signed_out, end) - max(signed_in, start)).total_seconds()
    if seconds <= 0:
        return 0.0
    return min(math.floor(seconds / 1800) / 2, cap)


def session_around_now():
    now = now_datetime().replace(second=0, microsecond=0)
    midnight = now.replace(hour=0, minute=0)
    start = max(now - datetime.timedelta(hours=2), midnight + datetime.timedelta(minutes=1))
    end = min(now + datetime.timedelta(hours=1), midnight + datetime.timedelta(hours=23, minutes=59))
    return start, end


def make_activity(w, title, day, start, end, orgs, activity_type="Talent Training", participants=()):
    doc = {
        "doctype": ACT,
        "activity_title": title,
        "block": "Talent Cultivation",
        "activity_type": activity_type,
        "service_center": w.center,
        "activity_date": day,
        "start_time": start,
        "end_time": end,
        "class_hours": CAP,
        "organizations": [{"organization": o} for o in orgs],
        "participants": list(participants),
    }
    return as_user(w.staff, lambda: frappe.get_doc(doc).insert()).name


class W:
    pass


@pytest.fixture(scope="module")
def world():
    return retrying(_build_world)


def _build_world():
    w = W()
    w.center = make_center()
    w.community = make_community(w.center)
    w.staff = make_user(["Center Staff"], centers=[w.center])
    w.org = make_org(w.center, w.community)
    other_center = make_center()
    w.foreign_staff = make_user(["Center Staff"], centers=[other_center])

    def person(name, phone, **roles):
        doc = {"doctype": "Organization Member", "organization": w.org, "member_name": name, "phone": phone, **roles}
        return as_user(w.staff, lambda: frappe.get_doc(doc).insert()).name

    w.leader = person("甲领军", "13900000001", is_business_leader=1)
    w.reserve = person("乙储备", "13900000002", is_reserve=1, training_plan="<p>每季度参加一次专业培训</p>")
    w.start, w.end = session_around_now()
    w.day = w.start.date()
    w.activity = make_activity(w, "扫码签到测试培训", w.day, w.start.time(), w.end.time(), [w.org])
    # an earlier training typed by staff: 3 hours for the business leader
    w.typed = make_activity(
        w, "手工录入的培训", w.day, datetime.time(0, 0), datetime.time(0, 1), [w.org],
        participants=[{"member": w.leader, "member_name": "甲领军", "hours_attended": 3, "attended": 1}],
    )
    w.token = api_token(w.staff)
    w.foreign_token = api_token(w.foreign_staff)
    frappe.db.commit()
    return w


def current_token(w, activity=None) -> str:
    r = staff_session(w.token).get(
        f"{URL}/api/method/shuangfuhua_app.signin.get_signin_token", params={"activity": activity or w.activity}
    )
    assert r.status_code == 200, r.text[:500]
    m = r.json()["message"]
    assert m["url"].endswith(f"/signin?t={m['token']}")
    assert "<svg" in m["qr"]
    return m["token"]


def scan(session: requests.Session, token: str, name: str, mobile: str):
    """What a phone does: open the page of the QR code, then post name and number with the
    page's form ticket."""
    page = session.get(f"{URL}/signin", params={"t": token}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    found = re.search(r'name="t" value="([^"]+)"', page.text)
    assert found, "the page of a valid code shows the form"
    return session.post(
        f"{URL}/api/method/shuangfuhua_app.signin.submit", data={"t": found.group(1), "full_name": name, "mobile": mobile}
    )


def rows(w):
    frappe.db.rollback()
    return {
        r.member_name: r
        for r in frappe.get_all(
            SIGN_IN, filters={"activity": w.activity},
            fields=["name", "member", "member_name", "match_status", "sheet_status", "phone_masked",
                    "signed_in_at", "signed_out_at", "hours"],
        )
    }


def compliance_figures(w):
    from shuangfuhua_app.incubation import compliance

    frappe.db.rollback()
    out = {}
    for f in compliance(w.org, w.day.year, reveal=True):
        if f.rule == "R-7.3.1a" and "甲领军" in f.subject:
            out["leader_hours"] = f.figure
        if f.rule == "R-7.3.2b" and "乙储备" in (f.subject or ""):
            out["reserve_trainings"] = f.figure
    return out


def exit_class_hours(w):
    from shuangfuhua_app.exit import measure_sources

    frappe.db.rollback()
    m = measure_sources(w.org, datetime.date(w.day.year, 1, 1), datetime.date(w.day.year, 12, 31))["Class Hours"]
    found = re.search(r"协议年度([\d.]+)/", m.basis)
    assert found, m.basis
    return float(found.group(1))


def test_staff_only_get_the_token(world):
    w = world
    r = guest().get(f"{URL}/api/method/shuangfuhua_app.signin.get_signin_token", params={"activity": w.activity})
    assert r.status_code == 403
    r = staff_session(w.foreign_token).get(
        f"{URL}/api/method/shuangfuhua_app.signin.get_signin_token", params={"activity": w.activity}
    )
    assert r.status_code == 403
    r = guest().get(f"{URL}/activity-signin-screen", params={"activity": w.activity}, allow_redirects=False,
                    headers={"Accept": "text/html"})
    assert r.status_code in (301, 302, 303) and "/login" in r.headers["Location"]


def test_three_attendees_sign_in_and_out_and_staff_confirm(world):
    w = world
    before = compliance_figures(w)
    assert before == {"leader_hours": 3.0, "reserve_trainings": 0}
    assert exit_class_hours(w) == 3.0  # the exit measure of class hours (§8.1.1, §7.3.1)

    token = current_token(w)
    leader, reserve, stranger = guest(), guest(), guest()
    answers = [
        scan(leader, token, "甲领军", "139 0000 0001"),
        scan(reserve, token, "乙储备", "+86 13900000002"),
        scan(reserve, token, "乙储备", "13900000002"),  # the same person scans twice on arrival
        scan(stranger, token, "丙路人", "13700000009"),  # on no roster
    ]
    for r in answers:
        assert r.status_code == 200, r.text[:500]
        body = r.json()["message"]
        assert body["state"] == "signed_in" and ANSWER_IN in body["message"]
        # nothing personal comes back: no number, no name, no roster verdict
        assert set(body) == {"state", "message", "activity", "time"}
        assert "1390000000" not in r.text and "1370000000" not in r.text and "甲领军" not in r.text
    # matched or not, the same words
    assert len({r.json()["message"]["message"] for r in answers}) == 1

    sheet = rows(w)
    assert set(sheet) == {"甲领军", "乙储备", "丙路人"}  # one row per person, the double scan included
    assert (sheet["甲领军"].member, sheet["甲领军"].match_status) == (w.leader, "Matched")
    assert (sheet["乙储备"].member, sheet["乙储备"].match_status) == (w.reserve, "Matched")
    assert (sheet["丙路人"].member, sheet["丙路人"].match_status) == (None, "Unmatched")
    assert sheet["甲领军"].phone_masked == "139****0001"

    # they arrived earlier: move the sign-in times back (the test's clock)
    arrived = {
        "甲领军": w.start - datetime.timedelta(minutes=10),
        "乙储备": w.start + datetime.timedelta(minutes=25),
        "丙路人": w.start + datetime.timedelta(minutes=5),
    }
    for name, moment in arrived.items():
        frappe.db.set_value(SIGN_IN, sheet[name].name, "signed_in_at", moment, update_modified=False)
    frappe.db.commit()

    token = current_token(w)
    for session, name, mobile in ((leader, "甲领军", "13900000001"), (reserve, "乙储备", "13900000002"),
                                  (stranger, "丙路人", "13700000009")):
        r = scan(session, token, name, mobile)
        assert r.status_code == 200 and r.json()["message"]["state"] == "signed_out", r.text[:300]
    # a third scan changes nothing
    first_out = rows(w)["甲领军"].signed_out_at
    r = scan(leader, token, "甲领军", "13900000001")
    assert r.json()["message"]["state"] == "signed_out"
    sheet = rows(w)
    assert sheet["甲领军"].signed_out_at == first_out
    expected = {
        name: hours_by_rule(arrived[name], get_datetime(sheet[name].signed_out_at), w.start, w.end) for name in arrived
    }
    for name in arrived:
        assert sheet[name].hours == expected[name], name
    assert all(sheet[n].sheet_status == "Pending" for n in sheet)
    # nothing counts before staff confirm
    assert compliance_figures(w) == before

    # staff resolve the stranger: a new member of the organization, added to its roster
    newcomer = as_user(w.staff, lambda: frappe.get_doc({
        "doctype": "Organization Member", "organization": w.org, "member_name": "丙路人", "is_backbone": 1,
    }).insert()).name
    frappe.db.commit()
    s = staff_session(w.token)
    r = s.post(f"{URL}/api/method/shuangfuhua_app.signin.resolve_sign_in",
               data={"sign_in": sheet["丙路人"].name, "member": w.leader})
    assert r.status_code == 417  # the leader already has a sign-in here
    r = s.post(f"{URL}/api/method/shuangfuhua_app.signin.resolve_sign_in",
               data={"sign_in": sheet["丙路人"].name, "member": newcomer})
    assert r.status_code == 200, r.text[:500]
    # another center's staff cannot confirm
    r = staff_session(w.foreign_token).post(f"{URL}/api/method/shuangfuhua_app.signin.confirm_sheet",
                                            data={"activity": w.activity})
    assert r.status_code == 403
    r = s.post(f"{URL}/api/method/shuangfuhua_app.signin.confirm_sheet", data={"activity": w.activity})
    assert r.status_code == 200, r.text[:800]
    assert r.json()["message"]["confirmed"] == 3

    frappe.db.rollback()
    doc = frappe.get_doc(ACT, w.activity)
    got = {p.member: (p.source, p.hours_attended, p.attended, bool(p.sign_in)) for p in doc.participants}
    assert got == {
        w.leader: ("QR", expected["甲领军"], int(expected["甲领军"] > 0), True),
        w.reserve: ("QR", expected["乙储备"], int(expected["乙储备"] > 0), True),
        newcomer: ("QR", expected["丙路人"], int(expected["丙路人"] > 0), True),
    }
    typed = frappe.get_doc(ACT, w.typed)
    assert [p.source for p in typed.participants] == ["Typed"]

    after = compliance_figures(w)
    assert after == {
        "leader_hours": 3.0 + expected["甲领军"],
        "reserve_trainings": 1 if expected["乙储备"] > 0 else 0,
    }
    assert exit_class_hours(w) == 3.0 + expected["甲领军"]

    # the evidence in the report: hours from confirmed QR sign-ins beside typed hours
    from shuangfuhua_app.shuangfuhua_app.report.training_hours_and_reserve_talent import (
        training_hours_and_reserve_talent as report,
    )

    result = report.execute({"service_center": w.center, "year": w.day.year})
    line = next(d for d in result[1] if d["member"] == w.leader and d.get("qr_hours") is not None)
    assert (line["qr_hours"], line["typed_hours"]) == (expected["甲领军"], 3.0)
    cards = {c["label"]: c["value"] for c in result[4]}
    assert cards["扫码签到课时"] == sum(expected.values())  # the center's QR hours of the year
    assert cards["手工录入课时"] == 3.0

    # a client cannot claim a QR row nor change its hours
    s_doc = s.get(f"{URL}/api/resource/{ACT}/{w.typed}").json()["data"]
    s_doc["participants"][0]["source"] = "QR"
    r = s.put(f"{URL}/api/resource/{ACT}/{w.typed}", json={"participants": s_doc["participants"]})
    assert r.status_code == 417, r.text[:300]
    q_doc = s.get(f"{URL}/api/resource/{ACT}/{w.activity}").json()["data"]
    for p in q_doc["participants"]:
        p["hours_attended"] = 9
    r = s.put(f"{URL}/api/resource/{ACT}/{w.activity}", json={"participants": q_doc["participants"]})
    assert r.status_code == 200, r.text[:300]
    frappe.db.rollback()
    assert {p.member: p.hours_attended for p in frappe.get_doc(ACT, w.activity).participants} == {
        w.leader: expected["甲领军"], w.reserve: expected["乙储备"], newcomer: expected["丙路人"]}


def test_a_leader_reads_times_and_hours_but_no_name_or_number(world):
    """R-PRIV: the township leader of the center reads the sign-ins (times, hours, status) but
    not the name given nor the masked number (the roster's personal-data level)."""
    w = world
    leader = make_user(["Township Leader"], centers=[w.center])
    token = api_token(leader)
    frappe.db.commit()
    frappe.db.rollback()
    name = frappe.get_all(SIGN_IN, filters={"activity": w.activity}, pluck="name", limit=1)[0]
    r = staff_session(token).get(f"{URL}/api/resource/{SIGN_IN}/{name}")
    assert r.status_code == 200, r.text[:300]
    data = r.json()["data"]
    assert data["activity"] == w.activity and "signed_in_at" in data
    assert not any(data.get(f) for f in ("member", "member_name", "phone_masked", "phone_key"))
    assert "139****" not in r.text and "甲领军" not in r.text and "乙储备" not in r.text


def test_expired_foreign_and_forged_tokens_are_refused(world):
    from shuangfuhua_app.standard.attendance import make_token

    w = world
    current_token(w)  # the activity has its secret
    frappe.db.rollback()
    secret = get_decrypted_password(ACT, w.activity, "sfh_signin_secret")
    old = make_token(secret, w.activity, time.time() - 3 * 60)  # three minutes old
    forged = make_token("not-the-secret", w.activity, time.time())
    for bad in (old, forged, "garbage"):
        page = guest().get(f"{URL}/signin", params={"t": bad}, headers={"Accept": "text/html"})
        assert page.status_code == 200 and EXPIRED in page.text and 'name="t"' not in page.text
        r = guest().post(f"{URL}/api/method/shuangfuhua_app.signin.submit",
                         data={"t": bad, "full_name": "甲领军", "mobile": "13900000001"})
        assert r.status_code == 417 and EXPIRED in refusal(r), r.text[:300]
    # a token of another activity is not one of this: same signature, other name
    other = make_activity(w, "另一场培训", w.day, w.start.time(), w.end.time(), [w.org])
    frappe.db.commit()
    good = current_token(w)
    swapped = other + good[len(w.activity):]
    r = guest().post(f"{URL}/api/method/shuangfuhua_app.signin.submit",
                     data={"t": swapped, "full_name": "甲领军", "mobile": "13900000001"})
    assert r.status_code == 417 and EXPIRED in refusal(r)


def test_sign_in_outside_the_session_time_is_refused(world):
    w = world
    today = now_datetime().date()
    tomorrow = make_activity(w, "明天的培训", today + datetime.timedelta(days=1), "09:00:00", "11:00:00", [w.org])
    yesterday = make_activity(w, "昨天的培训", today - datetime.timedelta(days=1), "09:00:00", "11:00:00", [w.org])
    frappe.db.commit()
    for activity, words in ((tomorrow, "签到尚未开始"), (yesterday, "签到已结束")):
        token = current_token(w, activity)
        r = scan(guest(), token, "甲领军", "13900000001")
        assert r.status_code == 417 and words in refusal(r), r.text[:300]
        frappe.db.rollback()
        assert not frappe.db.exists(SIGN_IN, {"activity": activity})


def test_sign_ins_are_rate_limited_per_client(world):
    from shuangfuhua_app.signin import SIGNIN_RATE_LIMIT

    session = guest()
    codes = [
        session.post(f"{URL}/api/method/shuangfuhua_app.signin.submit", data={"t": "x", "full_name": "某", "mobile": "1"}).status_code
        for _ in range(SIGNIN_RATE_LIMIT + 1)
    ]
    assert codes[:SIGNIN_RATE_LIMIT] == [417] * SIGNIN_RATE_LIMIT
    assert codes[-1] == 429
    # another client is not affected
    r = guest().post(f"{URL}/api/method/shuangfuhua_app.signin.submit", data={"t": "x", "full_name": "某", "mobile": "1"})
    assert r.status_code == 417


# ------------------------------------------------------------------ headless Chromium, phone-sized


@pytest.fixture(scope="module")
def browser_world(world):
    w = world
    w.browser_activity = make_activity(w, "浏览器扫码签到", w.day, w.start.time(), w.end.time(), [w.org])
    frappe.db.commit()
    return w


@pytest.mark.skipif(not (os.environ.get("SFH_URL") and os.path.exists("/usr/bin/chromium")), reason="needs Chromium")
def test_browser_staff_screen_shows_a_qr_code_and_a_phone_signs_in(browser, browser_world):
    from browser import phone, screenshot, site_url

    w = browser_world
    page = phone(browser)
    page.goto(f"{site_url()}/login")
    page.fill("#login_email", w.staff)
    page.fill("#login_password", PASSWORD)
    page.click(".btn-login")
    page.wait_for_load_state("networkidle")
    page.goto(f"{site_url()}/activity-signin-screen?activity={w.browser_activity}")
    page.wait_for_selector("#sfh-qr svg")
    box = page.locator("#sfh-qr svg").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    token = page.get_attribute("#sfh-qr", "data-token")
    assert token and token.startswith(w.browser_activity + ".")
    assert "浏览器扫码签到" in page.inner_text("body")
    screenshot(page, "qrsign-staff-screen")
    page.context.close()

    phone_page = phone(browser)
    phone_page.goto(f"{site_url()}/signin?t={token}")
    phone_page.wait_for_selector("#sfh-signin-form")
    assert "浏览器扫码签到" in phone_page.inner_text("body")
    screenshot(phone_page, "qrsign-guest-form")
    phone_page.fill("#sfh-name", "乙储备")
    phone_page.fill("#sfh-mobile", "139 0000 0002")
    phone_page.click("#sfh-submit")
    phone_page.wait_for_selector("#sfh-result.ok")
    text = phone_page.inner_text("body")
    assert ANSWER_IN in text and "13900000002" not in text and "139 0000 0002" not in text
    screenshot(phone_page, "qrsign-guest-signed-in")
    phone_page.context.close()
    frappe.db.rollback()
    row = frappe.get_all(SIGN_IN, filters={"activity": w.browser_activity}, fields=["member", "match_status"])
    assert row == [{"member": w.reserve, "match_status": "Matched"}]
