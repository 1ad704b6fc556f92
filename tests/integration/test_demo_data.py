"""Demo data as centers really are (issue 18 §2): ``demo.generate`` gives every center three
years of history – two published notices a quarter for twelve quarters (the current ones on the
guest page /notices), certified and change filings, exit assessments at every level with their
follow-up services and honor certificates, volunteers with service records and points, hubs with
members and quarterly meetings, and ``Version`` rows whose workflow-state chains end in each
application's state – and ``accounts`` two staff users and a head for every center; ``remove``
leaves nothing of the seed behind.

The figures are checked against what the test computes from the rules (quarters, level
thresholds, chains), not against the generator's own bookkeeping.
"""

from __future__ import annotations

import datetime
import json
import os
import time

import frappe
import pytest
import requests

SEED = 41
ORGS = 300
URL = os.environ.get("SFH_URL")
ORG = "Community Social Organization"
APP = "Incubation Application"
LEVELS = ("Not Up to Standard", "Up to Standard", "Good", "Excellent")
#: every DocType the demo writes to, with the names the test expects them to carry
DEMO_TABLES = (
    "Service Center", "Center Staff Member", "Community", "Annual Target", ORG, "Organization Member", APP,
    "Incubation Agreement", "Venture Project", "Periodic Evaluation", "Evaluation Rater Score", "Consultation",
    "Incubation Activity", "Incubation Activity Participant", "Incubation Activity Organization", "Public Notice",
    "Public Notice Item", "Notice Objection", "Review Panel", "Review Panel Member", "Organization Filing",
    "SFH Volunteer", "Volunteer Activity", "Volunteer Service Record", "SFH Volunteer Points Entry",
    "Exit Assessment", "Exit Assessor", "Exit Assessment Indicator", "Exit Assessment Score", "Honor Certificate",
    "Follow Up Service", "Hub Membership", "Secretary General Meeting", "Secretary General Meeting Attendee",
    "Brand Evaluation", "Version",
)


def sql(query: str, *values, as_dict: bool = False):
    return frappe.db.sql(query, values, as_dict=as_dict)


def seed_rows() -> dict[str, int]:
    """Rows named like the seed's (``DEMO-<kind>-41-…``) per table, and Versions about them."""
    like = f"DEMO-%-{SEED}-%"
    out = {dt: sql(f"select count(*) from `tab{dt}` where name like %s", like)[0][0] for dt in DEMO_TABLES}
    out["Version (docname)"] = sql("select count(*) from tabVersion where docname like %s", like)[0][0]
    return {k: v for k, v in out.items() if v}


def get(path: str):
    """GET as a guest; the dev server reloads when anyone edits the app: retry a dropped request."""
    for i in range(10):
        try:
            return requests.get(f"{URL}{path}", timeout=60)
        except requests.ConnectionError:
            if i == 9:
                raise
            time.sleep(3)


def quarter_start(d: datetime.date) -> datetime.date:
    return datetime.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def quarters_back(d: datetime.date, n: int) -> datetime.date:
    y, m = divmod(d.year * 12 + d.month - 1 - 3 * n, 12)
    return datetime.date(y, m + 1, 1)


@pytest.fixture(scope="module")
def demo_set():
    from shuangfuhua_app import demo

    frappe.set_user("Administrator")
    if demo.exists(SEED):
        demo.remove(SEED)
    t0 = time.perf_counter()
    counts = demo.generate(ORGS, SEED, representatives=1)
    print(f"generate({ORGS}, {SEED}): {time.perf_counter() - t0:.1f} s {counts}")
    frappe.db.rollback()
    centers = sql("select name from `tabService Center` where name like %s order by name", f"DEMO-CTR-{SEED}-%")
    try:
        yield {"counts": counts, "centers": [c[0] for c in centers]}
    finally:
        frappe.db.rollback()
        demo.remove(SEED)


def test_notices_two_per_center_and_quarter_for_three_years(demo_set):
    today = datetime.date.today()
    current = quarter_start(today)
    quarters = [quarters_back(current, n) for n in range(11, -1, -1)]
    for center in demo_set["centers"]:
        rows = sql("""select name, start_date, end_date, notice_status, processed_on, docstatus
                      from `tabPublic Notice` where service_center = %s and name like %s""",
                   center, f"DEMO-NTC-{SEED}-%", as_dict=True)
        assert all(r.docstatus == 1 for r in rows)
        per_quarter = {q: sum(quarter_start(r.start_date) == q for r in rows) for q in quarters}
        assert all(per_quarter[q] == 2 for q in quarters[:-1]), (center, per_quarter)
        # the current quarter: the open notice and, once it has ended, the quarter's first one
        assert per_quarter[current] == (2 if (today - current).days >= 30 else per_quarter[current] or 1), per_quarter
        assert not [r for r in rows if r.start_date < quarters[0]]
        items = {}
        for it in sql("""select parent, application, outcome from `tabPublic Notice Item`
                         where parent in %s and parenttype = 'Public Notice'""", [r.name for r in rows],
                      as_dict=True):
            items.setdefault(it.parent, []).append(it)
        for r in rows:
            assert 1 <= len(items.get(r.name, [])) <= 10, (r.name, len(items.get(r.name, [])))
            if r.end_date < today:  # past: processed, each organization admitted or its objection upheld
                assert r.notice_status == "Processed" and r.processed_on, r
                assert r.processed_on.date() > r.end_date and r.processed_on.date() <= today
                assert {i.outcome for i in items[r.name]} <= {"Admitted", "Objection Upheld"}, r
            else:
                assert r.notice_status == "Open" and r.start_date <= today, r
                assert {i.outcome for i in items[r.name]} == {"Pending"}
            for it in items[r.name]:
                app = frappe.db.get_value(APP, it.application, ["workflow_state", "public_notice", "notice_result",
                                                                "service_center"], as_dict=True)
                assert app.public_notice == r.name and app.service_center == center
                expected = {"Admitted": ("Admitted", "No Objection"),
                            "Objection Upheld": ("Not Admitted", "Objection Upheld"),
                            "Pending": ("In Notice", "Pending")}[it.outcome]
                assert (app.workflow_state, app.notice_result) == expected, (it, app)
                if it.outcome == "Objection Upheld":
                    assert frappe.db.exists("Notice Objection", {"public_notice": r.name, "status": "Upheld",
                                                                 "application": it.application})
    n = sql("select count(*) from `tabPublic Notice Item` where name like %s", f"DEMO-NTC-{SEED}-%")[0][0]
    assert n >= 4 * len(demo_set["centers"]) * 23, n  # ~10 each at 1,000 organizations a center; 300 here


def test_current_notices_on_the_guest_page(demo_set):
    if not URL:
        pytest.skip("needs the web server (SFH_URL)")
    today = datetime.date.today()
    current = sql("""select name, title from `tabPublic Notice` where name like %s and docstatus = 1
                     and end_date >= %s""", f"DEMO-NTC-{SEED}-%", today, as_dict=True)
    assert len(current) == len(demo_set["centers"])
    page = get("/notices")
    assert page.status_code == 200
    for notice in current:
        assert f"/notices/{notice.name}" in page.text, notice
        for org in sql("select org_name from `tabPublic Notice Item` where parent = %s", notice.name):
            assert org[0] in page.text
    past = sql("""select name, title from `tabPublic Notice` where name like %s and docstatus = 1
                  and end_date < %s order by start_date limit 1""", f"DEMO-NTC-{SEED}-%", today, as_dict=True)[0]
    one = get(f"/notices/{past.name}")
    assert one.status_code == 200 and past.title in one.text


def test_filings_certified_changed_and_in_review(demo_set):
    today = datetime.date.today()
    rows = sql("""select name, filing_type, organization, workflow_state, certificate_number, certificate_date,
                         previous_filing, submitted_on, service_center
                  from `tabOrganization Filing` where name like %s""", f"DEMO-FIL-{SEED}-%", as_dict=True)
    states = {r.workflow_state for r in rows}
    assert {"Filed", "Residents' Committee Review"} <= states and states & {"Township Review", "Filing Notice"}
    certified = [r for r in rows if r.certificate_number]
    assert certified and all(r.workflow_state == "Filed" and r.certificate_date <= today for r in certified)
    assert all(r.workflow_state != "Filed" or r.certificate_number for r in rows)
    assert len({r.certificate_number for r in certified}) == len(certified)
    changes = [r for r in rows if r.filing_type == "Change Filing"]
    assert changes and all(r.previous_filing for r in changes)
    # the organization's filing number is its latest certificate
    latest = {}
    for r in sorted(certified, key=lambda r: r.certificate_date):
        latest[r.organization] = r.certificate_number
    numbers = dict(sql("select name, filing_number from `tabCommunity Social Organization` where name in %s",
                       list(latest)))
    assert numbers == latest
    # what the annual targets count as filed (R-FILE): new filings certified in the period
    from shuangfuhua_app.reports import center_actuals

    start, end = datetime.date(today.year - 2, 1, 1), today
    actual = center_actuals({}, start, end, ("filed",))
    for center in demo_set["centers"]:
        mine = {r.organization for r in certified if r.filing_type == "New Filing" and r.service_center == center
                and start <= r.certificate_date <= end}
        assert mine and actual[center]["filed"] == len(mine), (center, len(mine), actual.get(center))


def test_exit_assessments_at_every_level(demo_set):
    settings = frappe.get_single("Shuangfuhua Settings")
    bounds = (settings.exit_pass_score, settings.exit_good_score, settings.exit_excellent_score)

    def level(total):  # §8.1.1: thresholds inclusive
        return LEVELS[sum(total >= b for b in bounds)]

    rows = sql("""select e.*, o.exit_level o_level, o.exit_date o_date, o.exit_assessment o_assessment,
                         o.incubation_status o_status, o.honor_certificate o_certificate,
                         g.exit_outcome g_outcome, g.exit_assessment g_assessment, g.end_date g_end
                  from `tabExit Assessment` e join `tabCommunity Social Organization` o on o.name = e.organization
                  join `tabIncubation Agreement` g on g.name = e.incubation_agreement
                  where e.name like %s""", f"DEMO-EXIT-{SEED}-%", as_dict=True)
    assert {r.level for r in rows} == set(LEVELS), {r.level for r in rows}
    for r in rows:
        assert r.docstatus == 1 and r.workflow_state == "Finally Confirmed" and r.first_confirmed_by, r.name
        assert r.level == level(r.total_score), (r.name, r.total_score, r.level)
        points = sql("select sum(points) from `tabExit Assessment Indicator` where parent = %s", r.name)[0][0]
        assert abs(float(points) - r.total_score) < 0.05, r.name
        assert sql("select count(*) from `tabExit Assessor` where parent = %s", r.name)[0][0] >= r.min_assessors
        day = r.final_confirmed_on.date()
        assert r.g_end <= day + datetime.timedelta(days=30) and day <= datetime.date.today()
        assert (r.o_level, r.o_date, r.o_assessment, r.g_assessment) == (r.level, day, r.name, r.name), r.name
        certificate = frappe.db.get_value("Honor Certificate", {"exit_assessment": r.name}, ["name", "level"],
                                          as_dict=True)
        follow_up = frappe.db.get_value("Follow Up Service", {"exit_assessment": r.name}, "start_date")
        if r.level == "Not Up to Standard":  # §8.1.2: the incubation ended, no follow-up, no certificate
            assert (r.o_status, r.g_outcome, r.outcome) == ("Incubation Ended", "Incubation Ended", "End Incubation")
            assert not certificate and not follow_up
        else:  # §8.2 follow-up from the exit; §8.1.3 certificate for Excellent only
            assert (r.o_status, r.g_outcome, r.outcome) == ("Exited", "Exited", "Exit with Follow-up Service")
            assert follow_up == day and r.follow_up_service
            assert bool(certificate) == (r.level == "Excellent"), r.name
            if certificate:
                assert certificate.level == "Excellent" and r.o_certificate == certificate.name == r.honor_certificate
    exited = sql("select count(*) from `tabCommunity Social Organization` where name like %s and "
                 "incubation_status in ('Exited', 'Incubation Ended') and ifnull(exit_assessment, '') = ''",
                 f"DEMO-ORG-{SEED}-%")[0][0]
    assert exited == 0


def test_version_history_chains_end_in_the_current_state(demo_set):
    apps = {r.name: r for r in sql("select name, workflow_state, docstatus, creation, service_center, "
                                   "application_date from `tabIncubation Application` where name like %s",
                                   f"DEMO-APP-{SEED}-%", as_dict=True)}
    chains: dict[str, list] = {}
    for v in sql("""select docname, creation, data from tabVersion where ref_doctype = %s and docname like %s
                    order by creation, name""", APP, f"DEMO-APP-{SEED}-%", as_dict=True):
        changed = json.loads(v.data)["changed"]
        state = [c for c in changed if c[0] == "workflow_state"]
        assert len(state) == 1, v
        chains.setdefault(v.docname, []).append((v.creation, state[0][1], state[0][2],
                                                 any(c[0] == "docstatus" for c in changed)))
    assert set(chains) == set(apps)
    now = frappe.utils.now_datetime()
    durations = set()
    for name, chain in chains.items():
        app = apps[name]
        assert chain[0][1] == "Draft", (name, chain)
        assert all(a[2] == b[1] for a, b in zip(chain, chain[1:])), (name, chain)
        assert chain[-1][2] == app.workflow_state, (name, chain, app.workflow_state)
        assert app.creation <= chain[0][0] and chain[-1][0] <= now, name
        assert app.application_date == app.creation.date()
        assert [c[3] for c in chain] == [False] * (len(chain) - 1) + [app.docstatus == 1], name
        durations |= {(b[0] - a[0]).days for a, b in zip(chain, chain[1:])}
    assert len(durations) > 5 and max(durations) >= 5  # spread over days, not one instant
    # the days-in-state view has these stays to compute (one query of the report per center)
    from shuangfuhua_app.shuangfuhua_app.report.incubation_pipeline.incubation_pipeline import execute

    today = datetime.date.today()
    for center in demo_set["centers"]:
        filters = {"view": "Days in Each State", "service_center": center,
                   "from_date": str(datetime.date(today.year - 4, 1, 1)), "to_date": str(today)}
        _columns, data, *_ = execute(filters)
        assert len({d["state"] for d in data}) == len(data)  # each state once
        mine = [n for n, a in apps.items() if a.service_center == center]
        assert sum(d["now_in_state"] for d in data) == len(mine)
        assert sum(d["stays_ended"] for d in data) == sum(len(chains[n]) for n in mine)
        # each state's ended stays, computed here from the Versions: from entering the state (the
        # application's creation for the first) to the next change
        stays: dict[str, list[float]] = {}
        for n in mine:
            entered = apps[n].creation
            for when, old, _new, _ds in chains[n]:
                stays.setdefault(old, []).append((when - entered).total_seconds() / 86400)
                entered = when
        got = {d["state"]: (d["stays_ended"], d["avg_days"], d["max_days"]) for d in data if d["stays_ended"]}
        assert got == {frappe._(st): (len(v), round(sum(v) / len(v), 1), round(max(v), 1)) for st, v in stays.items()}
    # development stage: Growth and Mature organizations grew there from Startup
    stages = dict(sql("select name, development_stage from `tabCommunity Social Organization` where name like %s",
                      f"DEMO-ORG-{SEED}-%"))
    grown: dict[str, list] = {}
    for docname, data in sql("""select docname, data from tabVersion where ref_doctype = %s and docname like %s
                                order by creation""", ORG, f"DEMO-ORG-{SEED}-%"):
        grown.setdefault(docname, []).extend(c for c in json.loads(data)["changed"] if c[0] == "development_stage")
    assert {o for o, s in stages.items() if s != "Startup"} == set(grown)
    for org, changes in grown.items():
        assert changes[0][1] == "Startup" and changes[-1][2] == stages[org]
        assert all(a[2] == b[1] for a, b in zip(changes, changes[1:]))


def test_volunteers_hubs_and_accounts(demo_set):
    from shuangfuhua_app import demo

    centers = demo_set["centers"]
    today = datetime.date.today()
    for c, center in enumerate(centers):
        vols = sql("select name, total_hours, points, points_balance from `tabSFH Volunteer` "
                   "where service_center = %s and name like %s", center, f"DEMO-VOL-{SEED}-%", as_dict=True)
        assert len(vols) >= 20
        assert sum(v.total_hours > 0 for v in vols) >= 15  # most of them served in the last year
        for v in vols:
            hours, points = sql("select coalesce(sum(hours), 0), coalesce(sum(points), 0) from "
                                "`tabVolunteer Service Record` where volunteer = %s", v.name)[0]
            ledger = sql("select coalesce(sum(points), 0) from `tabSFH Volunteer Points Entry` where volunteer = %s",
                         v.name)[0][0]
            assert (v.total_hours, v.points, v.points_balance) == (hours, points, ledger), v
    hubs = [c for c in centers if frappe.db.exists("Hub Membership", {"service_center": c})]
    assert hubs
    for center in hubs:
        members = sql("select organization, joined_on from `tabHub Membership` where service_center = %s", center)
        assert len(members) >= 10
        dates = [d for (d,) in sql("select meeting_date from `tabSecretary General Meeting` "
                                   "where service_center = %s", center)]
        q = quarter_start(min(j for _o, j in members))
        while quarters_back(q, -1) <= today:  # every completed quarter since the first member joined
            assert any(q <= d < quarters_back(q, -1) for d in dates), (center, q)
            q = quarters_back(q, -1)
    # every center has two staff users, its head and its township's leader (issue 18 §2)
    accounts = demo.accounts(SEED, representatives=1)
    frappe.db.rollback()
    for center in centers:
        for role, n in (("Center Staff", 2), ("Center Head", 1), ("Township Leader", 1)):
            logins = [a["login"] for a in accounts if a["role"] == role and a["scope"] == center]
            assert len(logins) == n, (center, role, logins)
            for login in logins:
                assert role in frappe.get_roles(login)
                assert frappe.db.exists("User Permission", {"user": login, "allow": "Service Center",
                                                            "for_value": center})


def test_remove_leaves_nothing_of_the_seed(demo_set):
    from shuangfuhua_app import demo

    assert seed_rows()["Version"] > 0
    demo.remove(SEED)
    frappe.db.rollback()
    assert not seed_rows(), seed_rows()
    assert not [u for u in frappe.get_all("User", filters={"name": ("like", f"demo-%-{SEED}%")}, pluck="name")
                if demo._is_account(u, SEED)]


def test_districts_each_with_its_leading_group_office(monkeypatch):
    """Issue 18 §2/§5: the demo's centers fall into districts of ``CENTERS_PER_DISTRICT`` and each
    district gets its own leading group office, scoped to that district's centers only. Here a
    district is one center, so the demo's two centers make two districts."""
    from shuangfuhua_app import demo

    seed = SEED + 1
    monkeypatch.setattr(demo, "CENTERS_PER_DISTRICT", 1)
    frappe.set_user("Administrator")
    if demo.exists(seed):
        demo.remove(seed)
    try:
        demo.generate(100, seed, representatives=1)
        accounts = demo.accounts(seed, representatives=1)
        frappe.db.rollback()
        centers = sql("select name, district from `tabService Center` where name like %s order by name",
                      f"DEMO-CTR-{seed}-%")
        assert [d for _c, d in centers] == ["演示区", "演示区2"]
        offices = [a["login"] for a in accounts if a["role"] == "Leading Group Office"]
        assert len(offices) == 2
        for office, (center, _d) in zip(sorted(offices, key=len), centers):  # demo-lgo-S, then demo-lgo-S-2
            scoped = sql("select for_value from `tabUser Permission` where user = %s and allow = 'Service Center'",
                         office)
            assert [c for (c,) in scoped] == [center], office
            frappe.set_user(office)
            try:
                seen = frappe.get_list("Service Center", filters={"name": ("like", f"DEMO-CTR-{seed}-%")},
                                       pluck="name")
            finally:
                frappe.set_user("Administrator")
            assert seen == [center], office
    finally:
        frappe.db.rollback()
        demo.remove(seed)
