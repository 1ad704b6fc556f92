"""Issue 17 §1 on a real site, as the real roles over HTTP: the volunteers' duties of
《培育发展社区社会组织十条措施》第六条 – points redeemed against the center's catalogue with a
ledger row for every movement and a balance never below zero (R-VOL-REDEEM), the integrity
record (R-VOL-CREDIT), needs matched with volunteers (R-VOL-MATCH) – and resource needs and
offers matched by the center ([HZ2019] 三（四）, [10M] 第五条, R-RESOURCE)."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

import frappe
import pytest
import requests
from factory import World, api_token, make_user, retrying, uid, web_session

URL = os.environ.get("SFH_URL", "http://127.0.0.1:8000")
POINTS_PER_HOUR = 1  # [10M] 第六条 time bank as the app documents it: one point per hour


def fresh():
    frappe.db.rollback()


class Client:
    """A real user of the site talking REST with their API token."""

    def __init__(self, user: str):
        self.user = user
        self.token = retrying(api_token, user)
        frappe.db.commit()

    def req(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": self.token, "Host": frappe.local.site, "Accept": "application/json"}
        return requests.request(method, f"{URL}{path}", headers=headers, timeout=120, **kw)

    def insert(self, doc: dict) -> requests.Response:
        return self.req("POST", f"/api/resource/{quote(doc['doctype'])}", json=doc)

    def update(self, doctype: str, name: str, values: dict) -> requests.Response:
        return self.req("PUT", f"/api/resource/{quote(doctype)}/{quote(name)}", json=values)

    def get(self, doctype: str, name: str) -> requests.Response:
        return self.req("GET", f"/api/resource/{quote(doctype)}/{quote(name)}")

    def names(self, doctype: str, filters=None) -> list[str]:
        r = self.req("GET", f"/api/resource/{quote(doctype)}",
                     params={"filters": json.dumps(filters or {}), "limit_page_length": 0})
        assert r.status_code == 200, r.text[:300]
        return [d["name"] for d in r.json()["data"]]

    def call(self, method: str, **kw) -> requests.Response:
        return self.req("POST", f"/api/method/{method}", json=kw)

    def ok(self, r: requests.Response) -> dict:
        assert r.status_code == 200, (r.status_code, messages(r) or r.text[:500])
        data = r.json()
        return data.get("data") or data.get("message")


def messages(r: requests.Response) -> str:
    try:
        data = r.json()
    except ValueError:
        return ""
    out = []
    for m in json.loads(data.get("_server_messages") or "[]"):
        try:
            out.append(json.loads(m).get("message", ""))
        except ValueError:
            out.append(m)
    return "\n".join(out)


def assert_refused(r: requests.Response, *parts: str, status: int = 417) -> str:
    assert r.status_code == status, (r.status_code, r.text[:500])
    text = messages(r)
    assert all(p in text for p in parts), (parts, text[:500])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text[:300]
    return text


def page_post(session, method: str, **kw) -> requests.Response:
    """What a button of /my-volunteer-hours posts (the browser's session, its CSRF token)."""
    page = session.get(f"{URL}/my-volunteer-hours", timeout=60).text
    token = page.split('csrf_token = "', 1)[1].split('"', 1)[0] if 'csrf_token = "' in page else ""
    return session.post(f"{URL}/api/method/{method}", data=kw, headers={"X-Frappe-CSRF-Token": token}, timeout=60)


@pytest.fixture(scope="module")
def worlds():
    return retrying(World), retrying(World)


@pytest.fixture(scope="module")
def people(worlds):
    w, other = worlds
    vol_user, vol2_user = retrying(make_user, []), retrying(make_user, [])
    frappe.db.commit()
    staff, other_staff = Client(w.staff), Client(other.staff)
    vol = staff.ok(staff.insert({
        "doctype": "SFH Volunteer", "volunteer_name": f"志愿者{uid(3)}", "service_center": w.center,
        "community": w.community, "registered_on": "2025-01-01", "user": vol_user,
        "skills": "助老陪伴、心理疏导", "availability": "Any Time",
    }))["name"]
    vol2 = staff.ok(staff.insert({
        "doctype": "SFH Volunteer", "volunteer_name": f"志愿者{uid(3)}", "service_center": w.center,
        "community": w.community, "registered_on": "2025-01-01", "user": vol2_user,
        "skills": "法律咨询", "availability": "Weekends",
    }))["name"]
    return {"w": w, "other": other, "staff": staff, "other_staff": other_staff, "vol": vol, "vol2": vol2,
            "vol_user": vol_user, "vol2_user": vol2_user}


def ledger(volunteer: str) -> list[dict]:
    fresh()
    return frappe.get_all("SFH Volunteer Points Entry", filters={"volunteer": volunteer},
                          fields=["entry_type", "points", "balance_after"], order_by="creation asc")


# ================================================================ R-VOL-REDEEM: 服务积分兑换


def test_points_earned_redeemed_adjusted_and_never_below_zero(people):
    p = people
    staff, other_staff, w = p["staff"], p["other_staff"], p["w"]
    # the catalogue: bad input refused in Chinese
    assert_refused(staff.insert({"doctype": "SFH Points Catalogue Item", "item_name": "零分", "service_center": w.center,
                                 "points": 0, "stock": 1}), "兑换所需积分应大于0", "第六条")
    assert_refused(staff.insert({"doctype": "SFH Points Catalogue Item", "item_name": "负库存", "service_center": w.center,
                                 "points": 2, "stock": -1}), "库存数量")
    item = staff.ok(staff.insert({"doctype": "SFH Points Catalogue Item", "item_name": "爱心米面油", "service_center": w.center,
                                  "points": 3, "stock": 2}))["name"]
    # points earned by service: 4 hours
    hours = 4
    act = staff.ok(staff.insert({"doctype": "Volunteer Activity", "activity_title": "助老陪伴", "service_center": w.center,
                                 "activity_date": "2025-06-01", "records": [{"volunteer": p["vol"], "hours": hours}]}))
    balance = hours * POINTS_PER_HOUR
    assert [(e.entry_type, e.points) for e in ledger(p["vol"])] == [("Earned", balance)]

    # the volunteer redeems on the portal
    session = web_session(URL, p["vol_user"])
    r = page_post(session, "shuangfuhua_app.volunteer_duties.redeem", catalogue_item=item, quantity=1)
    assert r.status_code == 200, messages(r) or r.text[:300]
    balance -= 3
    fresh()
    assert frappe.db.get_value("SFH Points Catalogue Item", item, "stock") == 1
    assert frappe.db.get_value("SFH Volunteer", p["vol"], "points_balance") == balance
    # the second one would take the balance below zero: refused, nothing moves
    r = page_post(session, "shuangfuhua_app.volunteer_duties.redeem", catalogue_item=item, quantity=1)
    assert_refused(r, "积分余额不足", "第六条")
    assert_refused(staff.insert({"doctype": "SFH Points Redemption", "volunteer": p["vol"], "catalogue_item": item,
                                 "quantity": 1}), "积分余额不足")
    fresh()
    assert frappe.db.get_value("SFH Points Catalogue Item", item, "stock") == 1
    # a correction of hours that would take the balance below zero is refused (1 - 2 < 0)
    rec = act["records"][0]
    r = staff.update("Volunteer Activity", act["name"], {"records": [{**rec, "hours": 2}]})
    assert_refused(r, "积分余额不足")
    # staff adjust with a reason; without one, or below zero, refused
    assert_refused(staff.call("shuangfuhua_app.volunteer_duties.adjust_points", volunteer=p["vol"], points=5, note=""), "原因")
    assert_refused(staff.call("shuangfuhua_app.volunteer_duties.adjust_points", volunteer=p["vol"], points=-(balance + 1),
                              note="更正"), "积分余额不足")
    staff.ok(staff.call("shuangfuhua_app.volunteer_duties.adjust_points", volunteer=p["vol"], points=5, note="补录春节活动"))
    balance += 5
    # a correction of hours that the balance allows books the difference as a new Earned row
    staff.ok(staff.update("Volunteer Activity", act["name"], {"records": [{**rec, "hours": 2}]}))
    balance -= 2 * POINTS_PER_HOUR
    rows = ledger(p["vol"])
    assert [(e.entry_type, e.points) for e in rows] == [("Earned", 4), ("Redeemed", -3), ("Adjusted", 5), ("Earned", -2)]
    assert all(e.balance_after >= 0 for e in rows) and rows[-1].balance_after == balance
    assert sum(e.points for e in rows) == balance
    # a client can neither write a ledger row nor set the balance
    r = staff.insert({"doctype": "SFH Volunteer Points Entry", "volunteer": p["vol"], "entry_type": "Adjusted", "points": 100})
    assert r.status_code in (403, 417), r.text[:300]
    staff.update("SFH Volunteer", p["vol"], {"points_balance": 999})
    fresh()
    assert frappe.db.get_value("SFH Volunteer", p["vol"], "points_balance") == balance
    # the balance on the volunteer's page
    page = session.get(f"{URL}/my-volunteer-hours", timeout=60).text
    assert 'id="sfh-points-balance">' + frappe.utils.fmt_money(balance, 1) in page and "爱心米面油" in page
    # scope: another center's staff see nothing and move nothing
    assert other_staff.names("SFH Volunteer Points Entry", {"volunteer": p["vol"]}) == []
    assert other_staff.names("SFH Points Redemption", {"volunteer": p["vol"]}) == []
    assert item not in other_staff.names("SFH Points Catalogue Item")
    assert other_staff.call("shuangfuhua_app.volunteer_duties.adjust_points", volunteer=p["vol"], points=1,
                            note="x").status_code == 403
    r = other_staff.insert({"doctype": "SFH Points Redemption", "volunteer": p["vol"], "catalogue_item": item, "quantity": 1})
    assert r.status_code == 403, r.text[:300]
    assert ledger(p["vol"])[-1].balance_after == balance


# ================================================================ R-VOL-CREDIT: 诚信记载


def test_integrity_record_by_staff_with_summary_on_the_volunteer(people):
    import datetime

    p = people
    staff, other_staff, w = p["staff"], p["other_staff"], p["w"]
    today = datetime.date.today()
    base = {"doctype": "SFH Volunteer Integrity Entry", "volunteer": p["vol2"]}
    assert_refused(staff.insert({**base, "entry_type": "Complaint", "entry_date": str(today + datetime.timedelta(days=2)),
                                 "note": "态度问题"}), "不能晚于今天", "第六条")
    assert_refused(staff.insert({**base, "entry_type": "Complaint", "entry_date": "2024-12-31", "note": "早于注册"}),
                   "早于该志愿者的注册日期")
    assert_refused(staff.insert({**base, "entry_type": "No-show", "entry_date": str(today), "note": "  "}), "具体情况")
    entries = [("Commendation", "服务认真，居民来信表扬"), ("Commendation", "重阳节活动表现突出"), ("Complaint", "迟到一小时")]
    names = [staff.ok(staff.insert({**base, "entry_type": t, "entry_date": str(today), "note": n}))["name"] for t, n in entries]
    fresh()
    doc = frappe.db.get_value("SFH Volunteer Integrity Entry", names[0], ["recorded_by", "service_center"], as_dict=True)
    assert doc.recorded_by == w.staff and doc.service_center == w.center
    expected = {"Commendation": 2, "Complaint": 1, "No-show": 0}
    vol = staff.ok(staff.get("SFH Volunteer", p["vol2"]))
    assert (vol["commendation_count"], vol["complaint_count"], vol["no_show_count"]) == (2, 1, 0)
    assert vol["integrity_summary"] == "，".join(
        f"{label}{expected[k]}次" for k, label in (("Commendation", "表扬"), ("Complaint", "投诉"), ("No-show", "爽约")))
    # the recorder and the counts are the app's: a client's values do not stay
    staff.update("SFH Volunteer", p["vol2"], {"complaint_count": 0, "integrity_summary": "无"})
    fresh()
    assert frappe.db.get_value("SFH Volunteer", p["vol2"], "complaint_count") == 1
    # the volunteer reads no one's record through REST; another center's staff see nothing
    assert other_staff.names("SFH Volunteer Integrity Entry", {"volunteer": p["vol2"]}) == []
    r = other_staff.insert({**base, "entry_type": "Complaint", "entry_date": str(today), "note": "越权"})
    assert r.status_code == 403, r.text[:300]
    assert other_staff.get("SFH Volunteer Integrity Entry", names[2]).status_code == 403
