"""Issue 18 §4 on a real site: the organizations' portal pages stay cheap as the years add rows –
/my-incubation, /my-reports, /my-volunteer-hours and /volunteer-needs show 20 rows of each list
that grows per page (``?page=N``), and one request costs the same number of SQL queries whether
the organization has 5 or 45 applications, agreements, evaluations, awards, exit results,
questions, reports, projects, resource needs, service records, points entries or needs – on
page 1 as on the last page. Another organization's rows never appear (R-SCOPE).

The rows are written straight to the tables (their workflows are tested elsewhere); the expected
pages are computed here by SQL, never by the app's functions. Queries are counted as
tests/integration/test_pagination.py counts them (``frappe.db.sql`` in this process, caches warm)."""

from __future__ import annotations

import collections
import datetime
import json
import math
import os
import re

import frappe
import pytest

from factory import count_queries as factory_count_queries
from factory import (allow_many_users, get_again, make_center, make_community, make_org, make_user, retrying, uid,
                     web_session)

URL = os.environ.get("SFH_URL")
needs_server = pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")
REP = "Organization Representative"
PER_PAGE = 20
FEW, MANY = 5, 45
APP = "Incubation Application"
BASE = datetime.datetime(2001, 1, 1, 9, 0, 0)


# ------------------------------------------------------------------ helpers


LOG: list[str] = []


def count_queries(fn, *args, **kwargs) -> int:
    """The SQL statements ``fn`` sends (in this process), once its caches are warm – the fewest of
    five runs (other processes on a shared site clearing Frappe's caches add meta, workflow and
    defaults reads to a run)."""
    return min(_count_queries(fn, *args, **kwargs) for _ in range(5))


def _count_queries(fn, *args, **kwargs) -> int:
    return factory_count_queries(fn, *args, log=LOG, **kwargs)


def render(module: str, user: str, page) -> dict:
    """One request's work of a www page as ``user``: its get_context (data and body)."""
    import importlib

    page_module = importlib.import_module(f"shuangfuhua_app.www.{module}")
    frappe.set_user(user)
    frappe.form_dict = frappe._dict(page=page) if page is not None else frappe._dict()
    try:
        return page_module.get_context(frappe._dict())
    finally:
        frappe.form_dict = frappe._dict()
        frappe.set_user("Administrator")


def cards(html: str, cls: str) -> list[str]:
    return re.findall(r'class="sfh-card %s"[^>]*data-name="([^"]+)"' % re.escape(cls), html)


def names(sql: str, *args) -> list[str]:
    return [r[0] for r in frappe.db.sql(sql, args)]


def page_of(rows: list, page: int) -> list:
    return rows[(page - 1) * PER_PAGE : page * PER_PAGE]


def insert(doctype: str, name: str, i: int, **fields):
    """A row straight into the table, created ``i`` hours after BASE (a fixed order)."""
    on = BASE + datetime.timedelta(hours=i)
    frappe.get_doc({"doctype": doctype, "name": name, "creation": on, "modified": on, "owner": "Administrator",
                    **fields}).db_insert()
    return name


def get(session, path, **params):
    """GET, again when the auto-reloading dev server restarts under the request."""
    return get_again(session, f"{URL}{path}", **params)


# ------------------------------------------------------------------ the organizations


def _world():
    allow_many_users()
    center = make_center()
    community = make_community(center)
    w = frappe._dict(center=center, community=community, tag=uid())
    w.org, w.org_b = make_org(center, community), make_org(center, community)
    w.rep, w.rep_b = make_user([REP], orgs=[w.org]), make_user([REP], orgs=[w.org_b])
    frappe.db.commit()
    return w


@pytest.fixture(scope="module")
def w():
    return retrying(_world)


def add_incubation_rows(w, org: str, start: int, stop: int, mark: str, community: str | None = None):
    """Rows ``start``..``stop``-1 of every list of /my-incubation for ``org``: an application with
    a Version (its timeline), an agreement, an evaluation, an award and a finally confirmed exit
    assessment with its honor certificate and follow-up service (two service records)."""
    scope = {"organization": org, "service_center": w.center}
    for i in range(start, stop):
        key = f"{w.tag}{mark}{i:02d}"
        app = insert(APP, f"PG-APP-{key}", i, community=community or w.community, workflow_state="Submitted", docstatus=0,
                     application_date=(BASE + datetime.timedelta(days=i)).date(), main_activities="分页", needs="分页",
                     **scope)
        insert("Version", f"PG-VER-{key}", i, ref_doctype=APP, docname=app,
               data=json.dumps({"changed": [["workflow_state", "Draft", "Submitted"]]}))
        insert("Incubation Agreement", f"PG-AGR-{key}", i, application=app, docstatus=1, cycle_months=24,
               start_date=(BASE + datetime.timedelta(days=i)).date(), community=w.community, **scope)
        insert("Periodic Evaluation", f"PG-EVAL-{key}", i, evaluation_type="Annual", evaluation_year=2001 + i,
               evaluation_date=(BASE + datetime.timedelta(days=i)).date(), **scope)
        insert("Award and Honor", f"PG-AWD-{key}", i, honor_name=f"分页荣誉{key}", honor_level="District",
               awarded_on=(BASE + datetime.timedelta(days=i)).date(), **scope)
        cert = insert("Honor Certificate", f"PG-CERT-{key}", i, status="Valid",
                      issue_date=(BASE + datetime.timedelta(days=i)).date(), **scope)
        fus = insert("Follow Up Service", f"PG-FUS-{key}", i, service_status="In Service",
                     start_date=BASE.date(), end_date=(BASE + datetime.timedelta(days=400)).date(), **scope)
        for idx in (1, 2):
            insert("Follow Up Service Record", f"PG-FUR-{key}-{idx}", i, parent=fus, parenttype="Follow Up Service",
                   parentfield="records", idx=idx, service_date=BASE.date(), service_type="Visit",
                   content=f"回访{key}-{idx}")
        insert("Exit Assessment", f"PG-EXIT-{key}", i, docstatus=1, workflow_state="Finally Confirmed", level="Good",
               total_score=80, final_confirmed_on=(BASE + datetime.timedelta(days=i)).date(), honor_certificate=cert,
               follow_up_service=fus, incubation_agreement=f"PG-AGR-{key}",
               assessment_date=(BASE + datetime.timedelta(days=i)).date(), **scope)
    frappe.db.commit()


def add_report_rows(w, org: str, start: int, stop: int, mark: str):
    """Rows ``start``..``stop``-1 of every list of /my-reports for ``org``: a question, a major
    event report, a venture project, an activity report and a resource need with a match."""
    scope = {"organization": org, "service_center": w.center}
    for i in range(start, stop):
        key = f"{w.tag}{mark}{i:02d}"
        day = (BASE + datetime.timedelta(days=i)).date()
        insert("Consultation", f"PG-CON-{key}", i, subject=f"分页问题{key}", question="？", asked_on=day,
               consultation_status="Awaiting Answer", **scope)
        insert("Major Event Report", f"PG-MER-{key}", i, event_title=f"分页事件{key}", event_date=day,
               event_description="分页", report_status="Reported", **scope)
        insert("Venture Project", f"PG-VP-{key}", i, project_name=f"分页项目{key}", project_field="Other",
               workflow_state="Project Application", **scope)
        insert("Activity Report", f"PG-AR-{key}", i, activity_title=f"分页活动{key}", activity_date=day,
               content="分页", report_status="Reported", **scope)
        need = insert("SFH Resource Need", f"PG-RN-{key}", i, kind="Venue", needed_by=day, description=f"分页需求{key}",
                      status="Open", **scope)
        insert("SFH Resource Match", f"PG-RM-{key}", i, need=need, offer=f"PG-OFFER-{key}", organization=org,
               provider_name=f"分页提供方{key}", matched_on=day)
    frappe.db.commit()


# ------------------------------------------------------------------ /my-incubation

INCUBATION_LISTS = {  # card class -> SQL of the organization's rows in page order
    "sfh-application": f"select name from `tab{APP}` where organization=%s and docstatus!=2 order by creation desc, name desc",
    "sfh-agreement": None,  # the agreement card names no data-name; checked by its number in the text
    "sfh-evaluation": "select name from `tabPeriodic Evaluation` where organization=%s"
                      " order by evaluation_date desc, creation desc, name desc",
    "sfh-award": "select name from `tabAward and Honor` where organization=%s order by awarded_on desc, creation desc, name desc",
    "sfh-exit-result": "select name from `tabExit Assessment` where organization=%s and docstatus=1"
                       " and workflow_state='Finally Confirmed' order by final_confirmed_on desc, name desc",
}
AGREEMENTS = ("select name from `tabIncubation Agreement` where organization=%s and docstatus=1"
              " order by start_date desc, name desc")


def check_incubation_page(w, page: int, pages: int, html: str, other: list[str]):
    for cls, sql in INCUBATION_LISTS.items():
        if sql:
            assert cards(html, cls) == page_of(names(sql, w.org), page), (cls, page)
    agreements = names(AGREEMENTS, w.org)
    shown = [a for a in agreements if f"{a}</h3>" in html]
    assert shown == page_of(agreements, page), page
    assert ('href="?page=%d"' % (page + 1) in html) == (page < pages)
    assert ('href="?page=%d"' % (page - 1) in html) == (page > 1)
    assert not [n for n in other if n in html], page  # R-SCOPE: nothing of organization B


def test_my_incubation_pages_cost_the_same_queries_for_5_or_45_of_every_list(w):
    add_incubation_rows(w, w.org_b, 0, 3, "B")  # another organization of the same center
    other = names(f"select name from `tab{APP}` where organization=%s", w.org_b) + [
        n for (n,) in frappe.db.sql("select name from `tabExit Assessment` where organization=%s", w.org_b)]
    pages = pages_cost_the_same(w, "my_incubation", add_incubation_rows, check_incubation_page, other)
    # the timeline of an application on the last page still comes from its Version history
    (app,) = [a for a in render("my_incubation", w.rep, pages).applications if a["name"].endswith("A00")]
    assert [e["state"] for e in app["timeline"]] == ["Draft", "Submitted"]
    assert len(render("my_incubation", w.rep, pages).exit_results[-1]["follow_up"]["records"]) == 2
    # out of range: the last page, not an error
    assert render("my_incubation", w.rep, pages + 7).page == pages
    assert render("my_incubation", w.rep, "x").page == 1
    # organization B sees its own three and nothing of A
    b = render("my_incubation", w.rep_b, 1)
    assert cards(b.sfh_body, "sfh-application") == names(INCUBATION_LISTS["sfh-application"], w.org_b)
    assert len(cards(b.sfh_body, "sfh-application")) == 3 and w.org not in b.sfh_body


def test_the_community_sees_its_applications_a_page_at_a_time(w):
    """R-6.1.2: a community's worker lists the applications of its community's organizations."""
    community, elsewhere = make_community(w.center), make_community(w.center)
    org, org_c = make_org(w.center, community), make_org(w.center, elsewhere)
    worker = make_user(["Community Worker"], communities=[community])
    frappe.db.commit()
    add_incubation_rows(w, org_c, 0, 3, "C", community=elsewhere)
    add_incubation_rows(w, org, 0, FEW, "W", community=community)
    few = count_queries(render, "my_incubation", worker, 1)
    add_incubation_rows(w, org, FEW, MANY, "W", community=community)
    pages = math.ceil(MANY / PER_PAGE)
    many, last = count_queries(render, "my_incubation", worker, 1), count_queries(render, "my_incubation", worker, pages)
    assert few == many == last, (few, many, last, collections.Counter(LOG).most_common(5))
    rows = names(f"select name from `tab{APP}` where community=%s and docstatus!=2 order by creation desc, name desc",
                 community)
    theirs = names(f"select name from `tab{APP}` where community=%s", elsewhere)
    assert len(rows) == MANY and len(theirs) == 3
    for page in range(1, pages + 1):
        html = render("my_incubation", worker, page).sfh_body
        assert cards(html, "sfh-application") == page_of(rows, page), page
        assert ('href="?page=%d"' % (page + 1) in html) == (page < pages)
        assert not [n for n in theirs if n in html]


# ------------------------------------------------------------------ /my-reports

REPORT_LISTS = {
    "sfh-consultation": "select name from `tabConsultation` where organization=%s order by asked_on desc, creation desc, name desc",
    "sfh-event": "select name from `tabMajor Event Report` where organization=%s"
                 " order by event_date desc, creation desc, name desc",
    "sfh-project": "select name from `tabVenture Project` where organization=%s order by creation desc, name desc",
    "sfh-report": "select name from `tabActivity Report` where organization=%s"
                  " order by activity_date desc, creation desc, name desc",
    "sfh-resource-need": "select name from `tabSFH Resource Need` where organization=%s order by creation desc, name desc",
}


def check_reports_page(w, page: int, pages: int, html: str, other: list[str]):
    for cls, sql in REPORT_LISTS.items():
        assert cards(html, cls) == page_of(names(sql, w.org), page), (cls, page)
    assert ('href="?page=%d"' % (page + 1) in html) == (page < pages)
    assert ('href="?page=%d"' % (page - 1) in html) == (page > 1)
    assert not [n for n in other if n in html], page


def pages_cost_the_same(w, page_name, add_rows, check_page, other) -> int:
    """FEW then MANY rows of the representative's organization: the same query count for page 1
    with FEW and MANY rows and for the last page; every page shows its slice and none of
    ``other`` (another organization's rows). Returns the number of pages."""
    add_rows(w, w.org, 0, FEW, "A")
    few = count_queries(render, page_name, w.rep, 1)
    check_page(w, 1, 1, render(page_name, w.rep, 1).sfh_body, other)
    add_rows(w, w.org, FEW, MANY, "A")
    pages = math.ceil(MANY / PER_PAGE)
    many = count_queries(render, page_name, w.rep, 1)
    last = count_queries(render, page_name, w.rep, pages)
    assert few == many == last, (few, many, last, collections.Counter(LOG).most_common(5))
    for page in range(1, pages + 1):
        ctx = render(page_name, w.rep, page)
        assert (ctx.page, ctx.pages) == (page, pages)
        check_page(w, page, pages, ctx.sfh_body, other)
    return pages


def test_my_reports_pages_cost_the_same_queries_for_5_or_45_of_every_list(w):
    add_report_rows(w, w.org_b, 0, 3, "B")
    other = [n for sql in REPORT_LISTS.values() for n in names(sql, w.org_b)]
    pages = pages_cost_the_same(w, "my_reports", add_report_rows, check_reports_page, other)
    # each need shows its own match (read with one query for the page)
    html = render("my_reports", w.rep, pages).sfh_body
    assert f"分页提供方{w.tag}A00" in html and f"分页提供方{w.tag}B00" not in html
    b = render("my_reports", w.rep_b, 1)
    assert cards(b.sfh_body, "sfh-consultation") == names(REPORT_LISTS["sfh-consultation"], w.org_b)


# ------------------------------------------------------------------ over HTTP


@needs_server
def test_portal_pages_link_their_pages_over_http(w):
    session = web_session(URL, w.rep)
    for path, cls, sql in (("/my-incubation", "sfh-application", INCUBATION_LISTS["sfh-application"]),
                           ("/my-reports", "sfh-consultation", REPORT_LISTS["sfh-consultation"])):
        rows = names(sql, w.org)
        pages = math.ceil(len(rows) / PER_PAGE)
        if pages < 2:
            pytest.skip("run with the tests above (they make the rows)")
        for page in (1, pages):
            r = get(session, path, page=page)
            assert r.status_code == 200
            assert cards(r.text, cls) == page_of(rows, page), (path, page)
            assert ('href="?page=%d"' % (page + 1) in r.text) == (page < pages)


# ------------------------------------------------------------------ /my-volunteer-hours and /volunteer-needs

VOL, ACT, NEED = "SFH Volunteer", "Volunteer Activity", "SFH Volunteer Need"
RECORDS = (f"select r.name from `tabVolunteer Service Record` r join `tab{ACT}` a on a.name = r.parent"
           f" where r.parenttype = '{ACT}' and r.volunteer = %s order by a.activity_date desc, a.name desc, r.idx asc")
LEDGER = "select name from `tabSFH Volunteer Points Entry` where volunteer = %s order by creation desc, name desc"
NEEDS = f"select name from `tab{NEED}` where organization = %s order by need_date desc, name desc"


def _volunteers(w):
    w.vol_user, w.vol_user_b = make_user([]), make_user([])
    w.vol = insert(VOL, f"PG-VOL-{w.tag}A", 0, volunteer_name="分页志愿者甲", service_center=w.center, user=w.vol_user,
                   registered_on=BASE.date(), volunteer_status="Active", availability="Any Time", skills="陪伴")
    w.vol_b = insert(VOL, f"PG-VOL-{w.tag}B", 0, volunteer_name="分页志愿者乙", service_center=w.center,
                     user=w.vol_user_b, registered_on=BASE.date(), volunteer_status="Active", availability="Any Time")
    frappe.db.commit()


def add_volunteer_rows(w, start: int, stop: int):
    """Rows ``start``..``stop``-1: an activity where both volunteers served (a record each), a
    points entry of each, an open need of the center (from tomorrow on) that volunteer A took, and a
    need posted by each organization."""
    from frappe.utils import add_days, nowdate

    for i in range(start, stop):
        key = f"{w.tag}{i:02d}"
        day = (BASE + datetime.timedelta(days=i)).date()
        act = insert(ACT, f"PG-VA-{key}", i, activity_title=f"分页志愿活动{key}", service_center=w.center, activity_date=day)
        for idx, vol in ((1, w.vol), (2, w.vol_b)):
            insert("Volunteer Service Record", f"PG-VSR-{key}-{idx}", i, parent=act, parenttype=ACT,
                   parentfield="records", idx=idx, volunteer=vol, hours=2, points=2)
            insert("SFH Volunteer Points Entry", f"PG-VPE-{key}-{idx}", i, volunteer=vol, service_center=w.center,
                   entry_type="Earned", posting_date=day, points=2, balance_after=2 * (i + 1))
        need = insert(NEED, f"PG-VN-{key}", i, need_title=f"分页开放需求{key}", service_center=w.center, skill="陪伴",
                      need_date=add_days(nowdate(), 1 + i), start_time="09:00:00", end_time="10:00:00",
                      volunteers_needed=3, accepted_count=1, need_status="Open", organization=w.org)
        insert("SFH Volunteer Need Acceptance", f"PG-VNA-{key}", i, parent=need, parenttype=NEED,
               parentfield="acceptances", idx=1, volunteer=w.vol, acceptance_status="Accepted")
        insert(NEED, f"PG-VNB-{key}", i, need_title=f"分页乙需求{key}", service_center=w.center, skill="陪伴",
               need_date=day, start_time="09:00:00", end_time="10:00:00", volunteers_needed=1,
               need_status="Closed", organization=w.org_b)
    frappe.db.commit()


def test_my_volunteer_hours_and_volunteer_needs_cost_the_same_queries_for_5_or_45(w):
    _volunteers(w)
    add_volunteer_rows(w, 0, FEW)
    few = {m: count_queries(render, m, u, 1) for m, u in (("my_volunteer_hours", w.vol_user), ("volunteer_needs", w.rep))}
    add_volunteer_rows(w, FEW, MANY)
    pages = math.ceil(MANY / PER_PAGE)
    for module, user in (("my_volunteer_hours", w.vol_user), ("volunteer_needs", w.rep)):
        many, last = count_queries(render, module, user, 1), count_queries(render, module, user, pages)
        assert few[module] == many == last, (module, few[module], many, last, collections.Counter(LOG).most_common(5))
    records, ledger = names(RECORDS, w.vol), names(LEDGER, w.vol)
    needs, needs_b = names(NEEDS, w.org), names(NEEDS, w.org_b)
    theirs = set(names(RECORDS, w.vol_b) + names(LEDGER, w.vol_b) + needs_b)
    assert len(records) == len(ledger) == len(needs) == MANY and len(theirs) == 3 * MANY
    for page in range(1, pages + 1):
        ctx = render("my_volunteer_hours", w.vol_user, page)
        assert (ctx.page, ctx.pages) == (page, pages)
        assert [r.name for r in ctx.records] == page_of(records, page)
        assert [e.name for e in ctx.ledger] == page_of(ledger, page)
        assert not theirs & ({r.name for r in ctx.records} | {e.name for e in ctx.ledger})
        ctx = render("volunteer_needs", w.rep, page)
        assert [n.name for n in ctx.needs] == page_of(needs, page) and not theirs & {n.name for n in ctx.needs}
    # the open needs volunteer A took are still marked as taken (one query for all of them)
    opened = render("my_volunteer_hours", w.vol_user, 1).open_needs
    assert {n["name"] for n in opened} >= {f"PG-VN-{w.tag}{i:02d}" for i in range(MANY)}
    assert all(n["accepted"] for n in opened if n["name"].startswith(f"PG-VN-{w.tag}"))
    # B's representative sees B's needs only
    assert [n.name for n in render("volunteer_needs", w.rep_b, 1).needs] == page_of(needs_b, 1)


@needs_server
def test_volunteer_pages_link_their_pages_over_http(w):
    if not w.get("vol_user"):
        pytest.skip("run with the test above (it makes the rows)")
    pages = math.ceil(MANY / PER_PAGE)
    for user, path, cls, rows in ((w.vol_user, "/my-volunteer-hours", "sfh-volunteer-record", names(RECORDS, w.vol)),
                                  (w.rep, "/volunteer-needs", "sfh-need", names(NEEDS, w.org))):
        session = web_session(URL, user)
        for page in (1, pages):
            r = get(session, path, page=page)
            assert r.status_code == 200
            shown = re.findall(r'class="sfh-card %s" data-(?:name|need)="([^"]+)"' % cls, r.text)
            assert shown == page_of(rows, page), (path, page)
            assert ('href="?page=%d"' % (page + 1) in r.text) == (page < pages)
