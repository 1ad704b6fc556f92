"""Issue 18 §4 on a real site: the public list pages stay cheap – /notices shows the current
notices, then the past ones 20 to a page (``?page=N`` with previous/next links), and one request
costs the same number of SQL queries whether it shows 10 notices or 45 (the items of all the
notices shown are read with one query, not one per notice); /org-notices is paginated too.

The expected pages are computed here from the table by SQL (published = submitted; past = the
notice ended before today, R-6.3), never by the app's functions."""

from __future__ import annotations

import datetime
import math
import os
import re

import frappe
import pytest
from frappe.utils import getdate, nowdate

from factory import count_queries, get_again, make_center, retrying, uid, web_session

URL = os.environ.get("SFH_URL")
needs_server = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")
NOTICE = "Public Notice"
PER_PAGE = 20
N = 45
CARD = re.compile(r'data-notice="([^"]+)"')


def _build():
    """45 published notices of one center, ended long ago (each with two items), and one that is
    open today – written straight to the tables (the notice's own workflow is tested elsewhere)."""
    center = make_center()
    tag = uid()
    names = []
    start = datetime.date(2001, 1, 1)

    def notice(name, s, e):
        frappe.get_doc({
            "doctype": NOTICE, "name": name, "title": f"分页测试公示 {name}", "service_center": center,
            "start_date": s, "end_date": e, "working_days": 5, "docstatus": 1, "notice_status": "Ended",
        }).db_insert()
        for idx in (1, 2):
            frappe.get_doc({
                "doctype": "Public Notice Item", "name": f"{name}-{idx}", "parent": name, "parenttype": NOTICE,
                "parentfield": "items", "idx": idx, "application": f"APP-{name}-{idx}",
                "org_name": f"分页测试组织{name}-{idx}", "org_type": "Filed", "service_field": "Other",
            }).db_insert()

    for i in range(N):
        name = f"SFH-NTC-PG{tag}-{i:02d}"
        s = start + datetime.timedelta(days=7 * i)
        notice(name, s, s + datetime.timedelta(days=6))
        names.append(name)
    today = getdate(nowdate())
    current = f"SFH-NTC-PG{tag}-CUR"
    notice(current, today - datetime.timedelta(days=1), today + datetime.timedelta(days=6))
    frappe.db.commit()
    return frappe._dict(center=center, names=names, current=current)


@pytest.fixture(scope="module")
def notices():
    return retrying(_build)


def get(session, path, **params):
    """GET, again when the auto-reloading dev server restarts under the request."""
    return get_again(session, f"{URL}{path}", **params)


def expected():
    """(current, past) names in page order, by SQL: published, ended before today or not."""
    today = getdate(nowdate())
    rows = frappe.db.sql(
        "select name, end_date < %s from `tabPublic Notice` where docstatus = 1 order by start_date desc, name desc",
        today,
    )
    return [n for n, ended in rows if not ended], [n for n, ended in rows if ended]


def render_notices(page):
    """One request's work of /notices: the page's get_context (data and body)."""
    from shuangfuhua_app.www import notices as page_module

    frappe.form_dict = frappe._dict(page=page)
    try:
        return page_module.get_context(frappe._dict())
    finally:
        frappe.form_dict = frappe._dict()


@needs_server
def test_notices_current_first_then_past_twenty_to_a_page(notices):
    current, past = expected()
    assert notices.current in current and set(notices.names) <= set(past)
    pages = math.ceil(len(past) / PER_PAGE)
    assert pages >= 3
    guest = web_session(URL)
    seen = []
    for page in range(1, pages + 1):
        r = get(guest, "/notices", page=page)
        assert r.status_code == 200
        cards = list(dict.fromkeys(CARD.findall(r.text)))  # a card names its notice once
        want = (current if page == 1 else []) + past[(page - 1) * PER_PAGE : page * PER_PAGE]
        assert cards == want, (page, cards[:3], want[:3])
        assert ('href="?page=%d"' % (page + 1) in r.text) == (page < pages)
        assert ('href="?page=%d"' % (page - 1) in r.text) == (page > 1)
        seen += [c for c in cards if c in notices.names]
        if page == 1:
            assert "分页测试组织" + notices.current + "-1" in r.text  # its items are shown
    # every one of the 45 exactly once, oldest last; the last page holds the rest (45 - 40 of ours
    # when the site has no other past notice)
    assert seen == sorted(notices.names, reverse=True)
    last = get(guest, "/notices", page=pages).text
    assert notices.names[0] in last and len(set(CARD.findall(last))) == len(past) - (pages - 1) * PER_PAGE
    # a page past the end shows the last one, not an empty page or an error
    assert get(guest, "/notices", page=pages + 5).status_code == 200
    assert get(guest, "/notices", page="x").status_code == 200


def test_notices_cost_the_same_queries_for_10_or_45_notices(notices):
    from shuangfuhua_app.portal.notices import published_notices

    few = count_queries(published_notices, 1, 10)
    many = count_queries(published_notices, 1, N)
    assert len(published_notices(1, N)["past"]) == N  # 45 shown at once
    assert few == many, (few, many)
    # the page as requested: page 1 (current + 20 past) costs what a page of 5 does
    _, past = expected()
    last = math.ceil(len(past) / PER_PAGE)
    first_page, last_page = count_queries(render_notices, 1), count_queries(render_notices, last)
    assert first_page == last_page, (first_page, last_page)
    assert first_page <= 6, first_page


def test_org_notices_are_paginated_without_per_row_queries(notices):
    from shuangfuhua_app.filing import public_notices

    a = count_queries(public_notices, None, 1, 5)
    b = count_queries(public_notices, None, 1, 50)
    assert a == b and a <= 6, (a, b)
    data = public_notices(None, 1, 1)
    assert len(data["filings"]) <= 1 and len(data["terminations"]) <= 1
    assert data["pages"] == max(1, data["totals"]["filings"], data["totals"]["terminations"])


@needs_server
def test_org_notices_page_opens(notices):
    guest = web_session(URL)
    for page in (1, 2, 99):
        r = get(guest, "/org-notices", page=page)
        assert r.status_code == 200 and 'id="sfh-org-notices"' in r.text
