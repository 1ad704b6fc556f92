"""R-RESOURCE ([HZ2019] 三（四） "整合供需信息……为供需双方牵线搭桥", [10M] 第五条) on a real site, as
the real roles over HTTP: a representative posts its organization's resource needs (never another
organization's), the center's staff enter offers, ask which offers fit a need, connect a need
with an offer and record the outcome, which the organization reads on /my-reports; another
center's staff and representatives see none of it; bad input is refused in Chinese; who matched
and when is the server's."""

from __future__ import annotations

import datetime
import json
import os
from urllib.parse import quote

import frappe
import pytest
import requests
from factory import World, api_token, retrying, uid, web_form_save, web_session

URL = os.environ.get("SFH_URL", "http://127.0.0.1:8000")
NEED, OFFER, MATCH = "SFH Resource Need", "SFH Resource Offer", "SFH Resource Match"
TODAY = datetime.date.today()
NEEDED_BY = TODAY + datetime.timedelta(days=30)


class Client:
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

    def names(self, doctype: str) -> set[str]:
        r = self.req("GET", f"/api/resource/{quote(doctype)}", params={"limit_page_length": 0})
        assert r.status_code in (200, 403), r.text[:300]
        return {d["name"] for d in r.json().get("data") or []} if r.status_code == 200 else set()

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
    return "\n".join(out) or str(data.get("exception") or "")


def refused(r: requests.Response, *parts: str, status: int = 417) -> str:
    assert r.status_code == status, (r.status_code, r.text[:500])
    text = messages(r)
    assert all(p in text for p in parts), (parts, text[:500])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text[:300]
    return text


def fits(need: dict, offer: dict) -> bool:
    """The rule as the seeds read ([HZ2019] 三（四）): same center, same kind, still available on
    the day the need is needed by (no end date: open-ended) – computed here, not by the app."""
    until = offer.get("available_until")
    return (
        offer["service_center"] == need["service_center"]
        and offer["kind"] == need["kind"]
        and (not until or datetime.date.fromisoformat(until) >= datetime.date.fromisoformat(need["needed_by"]))
    )


@pytest.fixture(scope="module")
def s():
    w, other = retrying(World), retrying(World)
    frappe.db.commit()
    staff, other_staff = Client(w.staff), Client(other.staff)
    rep, other_rep = Client(w.rep), Client(other.rep)
    days = lambda n: str(TODAY + datetime.timedelta(days=n))  # noqa: E731
    offers = {}
    for key, center, kind, until in (
        ("open_venue", w.center, "Venue", None),
        ("late_venue", w.center, "Venue", days(60)),
        ("same_day_venue", w.center, "Venue", str(NEEDED_BY)),
        ("early_venue", w.center, "Venue", days(10)),
        ("funds", w.center, "Funds", None),
    ):
        offers[key] = staff.ok(staff.insert({
            "doctype": OFFER, "service_center": center, "provider_type": "Enterprise", "provider_name": f"企业{uid(3)}",
            "kind": kind, "available_until": until, "description": "会议室每周可借用两次", "contact": "李经理 13800000000",
        }))
    offers["other_center"] = other_staff.ok(other_staff.insert({
        "doctype": OFFER, "service_center": other.center, "provider_type": "Foundation", "provider_name": f"基金会{uid(3)}",
        "kind": "Venue",
    }))
    return {"w": w, "other": other, "staff": staff, "other_staff": other_staff, "rep": rep, "other_rep": other_rep,
            "offers": offers, "state": {}}


def need_doc(org: str, **kw) -> dict:
    return {"doctype": NEED, "organization": org, "kind": "Venue", "description": "每月一次的助老活动需要一间活动室",
            "quantity": "一间，约30人", "needed_by": str(NEEDED_BY), **kw}


def test_representative_posts_a_need_for_its_own_organization_only(s):
    w, other, rep = s["w"], s["other"], s["rep"]
    refused(rep.insert(need_doc(other.org)), status=403)  # for another organization: refused
    mine = rep.ok(rep.insert(need_doc(w.org, status="Closed")))
    assert mine["organization"] == w.org and mine["service_center"] == w.center
    assert mine["status"] == "Open" and mine["channel"] == "Portal" and mine["posted_by"] == w.rep
    # the portal's Web Form: the organization named is pinned to the representative's own
    form = {k: v for k, v in need_doc(other.org, kind="Funds", status="Matched").items() if k != "doctype"}
    via_form = web_form_save(w.rep, "resource-need", form)
    assert via_form.organization == w.org and via_form.status == "Open"
    s["state"]["need"], s["state"]["funds_need"] = mine["name"], via_form.name


def test_bad_input_is_refused_in_chinese(s):
    w, rep, staff = s["w"], s["rep"], s["staff"]
    refused(rep.insert(need_doc(w.org, needed_by=str(TODAY - datetime.timedelta(days=1)))), "不能早于今天", "三（四）")
    refused(rep.insert(need_doc(w.org, description="   ")))
    refused(staff.insert({"doctype": OFFER, "service_center": w.center, "provider_type": "Enterprise",
                          "provider_name": "  ", "kind": "Venue"}))
    # the client never writes who posted
    refused(rep.insert(need_doc(w.org, posted_by=w.staff)))


def test_suggest_offers_returns_exactly_the_fitting_ones(s):
    staff, need = s["staff"], s["state"]["need"]
    need_row = staff.ok(staff.get(NEED, need))
    expected = {o["name"] for o in s["offers"].values() if fits(need_row, o)}
    assert expected == {s["offers"][k]["name"] for k in ("open_venue", "late_venue", "same_day_venue")}  # the data set
    got = staff.ok(staff.call("shuangfuhua_app.resources.suggest_offers", need=need))
    assert {o["name"] for o in got} == expected
    assert all("contact" not in o for o in got)
    refused(s["other_staff"].call("shuangfuhua_app.resources.suggest_offers", need=need), status=403)
    refused(s["rep"].call("shuangfuhua_app.resources.suggest_offers", need=need), status=403)


def test_staff_record_a_match_and_its_outcome(s):
    w, staff, need, offers = s["w"], s["staff"], s["state"]["need"], s["offers"]
    # a non-fitting offer (ends before the need's day; another kind) is refused
    refused(staff.insert({"doctype": MATCH, "need": need, "offer": offers["early_venue"]["name"]}), "早于需求的截止日期")
    refused(staff.insert({"doctype": MATCH, "need": need, "offer": offers["funds"]["name"]}), "不一致")
    # another center's offer: outside the staff's scope
    r = staff.insert({"doctype": MATCH, "need": need, "offer": offers["other_center"]["name"]})
    assert r.status_code in (403, 417), r.text[:300]
    # who matched and when is the server's
    refused(staff.insert({"doctype": MATCH, "need": need, "offer": offers["open_venue"]["name"], "matched_by": w.head}))
    refused(staff.insert({"doctype": MATCH, "need": need, "offer": offers["open_venue"]["name"],
                          "matched_on": "2020-01-01"}))
    match = staff.ok(staff.insert({"doctype": MATCH, "need": need, "offer": offers["open_venue"]["name"]}))
    assert match["matched_by"] == w.staff and match["matched_on"] == str(TODAY)
    assert match["service_center"] == w.center and match["organization"] == w.org
    assert staff.ok(staff.get(NEED, need))["status"] == "Matched"
    refused(staff.update(MATCH, match["name"], {"matched_by": w.head}))
    refused(staff.update(MATCH, match["name"], {"outcome": "Agreed"}), "日期")
    refused(staff.update(MATCH, match["name"], {"outcome": "Agreed", "outcome_date": str(TODAY + datetime.timedelta(days=1))}),
            "不能晚于今天")
    done = staff.ok(staff.update(MATCH, match["name"], {"outcome": "Agreed", "outcome_date": str(TODAY),
                                                       "note": "每周二下午使用会议室"}))
    assert done["outcome"] == "Agreed"
    s["state"]["match"] = match["name"]


def test_the_representative_sees_the_outcome_and_can_no_longer_change_the_need(s):
    w, rep, need = s["w"], s["rep"], s["state"]["need"]
    page = web_session(URL, w.rep).get(f"{URL}/my-reports", timeout=60)
    assert page.status_code == 200
    card = page.text.split(f'data-name="{need}"', 1)[1].split('class="sfh-card', 1)[0]
    assert 'data-outcome="Agreed"' in card and "已达成合作" in card and "已对接" in card
    assert "13800000000" not in page.text  # the provider's contact is the center's
    refused(rep.update(NEED, need, {"description": "改成两间"}), "不能再修改", status=403)
    refused(rep.get(MATCH, s["state"]["match"]), status=403)
    refused(rep.get(OFFER, s["offers"]["open_venue"]["name"]), status=403)
    # the other need (nothing matched yet) is still the organization's to change
    rep.ok(rep.update(NEED, s["state"]["funds_need"], {"quantity": "5000元"}))


def test_another_center_sees_nothing(s):
    other_staff, other_rep = s["other_staff"], s["other_rep"]
    need, match, offer = s["state"]["need"], s["state"]["match"], s["offers"]["open_venue"]["name"]
    assert need not in other_staff.names(NEED) and need not in other_rep.names(NEED)
    assert offer not in other_staff.names(OFFER) and match not in other_staff.names(MATCH)
    for client in (other_staff, other_rep):
        refused(client.get(NEED, need), status=403)
    refused(other_staff.get(OFFER, offer), status=403)
    refused(other_staff.get(MATCH, match), status=403)
    refused(other_staff.update(MATCH, match, {"note": "篡改"}), status=403)
    page = web_session(URL, s["other"].rep).get(f"{URL}/my-reports", timeout=60).text
    assert need not in page
