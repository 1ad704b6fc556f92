"""Try it with one command (issue 17 §4): ``bench --site SITE sfh-demo --orgs 200`` fills the
site with the demo data set and prints a sign-in account for every role; signed in over HTTP as
each printed account, that role's first page is not empty; ``--remove`` deletes exactly what the
demo made (records and accounts) and nothing else.

The test runs the command through ``bench`` (the app's ``commands`` hook) with a seed of its own,
so its centers, organizations and accounts are its own and other tests' records stay untouched.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import time

import frappe
import pytest

import requests
from factory import make_center, make_community, make_user, retrying
from factory import web_session as _web_session

BENCH = os.environ.get("SFH_BENCH")
URL = os.environ.get("SFH_URL")
ORGS = 200
#: every DocType the demo writes to, with the test's own idea of the demo's names
DEMO_DOCTYPES = (
    "Service Center", "Community", "Annual Target", "Community Social Organization", "Organization Member",
    "Incubation Application", "Incubation Agreement", "Venture Project", "Periodic Evaluation", "Consultation",
    "Incubation Activity", "Incubation Activity Participant", "Public Notice", "Public Notice Item", "Review Panel",
    "Review Panel Member", "Organization Filing", "SFH Volunteer", "Volunteer Activity", "Volunteer Service Record",
    "Center Staff Member",
    # issue 18 §2: the history
    "Notice Objection", "Exit Assessment", "Exit Assessor", "Exit Assessment Indicator", "Exit Assessment Score",
    "Honor Certificate", "Follow Up Service", "SFH Volunteer Points Entry", "Hub Membership",
    "Secretary General Meeting", "Secretary General Meeting Attendee", "Brand Evaluation", "Version",
)

pytestmark = pytest.mark.skipif(not (BENCH and URL), reason="needs the bench (SFH_BENCH) and the web server (SFH_URL)")


def bench(*args: str, timeout: int = 600) -> tuple[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(["bench", "--site", frappe.local.site, *args], cwd=BENCH, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.stdout, time.perf_counter() - t0


def parse_accounts(out: str) -> tuple[str, list[dict]]:
    """The printed table: a header ``login role open scope`` at fixed columns, one line per account."""
    password = re.search(r"password for all: (\S+)\)", out).group(1)
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("login") and " role " in line)
    cols = [lines[head].index(c) for c in ("role", "open", "scope")]
    rows = []
    for line in lines[head + 1:]:
        if "@" not in line.split(" ")[0]:
            break
        rows.append({"login": line[:cols[0]].strip(), "role": line[cols[0]:cols[1]].strip(),
                     "open": line[cols[1]:cols[2]].strip(), "scope": line[cols[2]:].strip()})
    return password, rows


def demo_rows(seed: int) -> dict[str, int]:
    return {dt: frappe.db.sql(f"select count(*) from `tab{dt}` where name like %s", (f"DEMO-%-{seed}-%",))[0][0]
            for dt in DEMO_DOCTYPES}


def patiently(fn, *args, **kwargs):
    """The dev server reloads when anyone edits the app: retry a request it dropped meanwhile."""
    for i in range(10):
        try:
            return fn(*args, **kwargs)
        except requests.ConnectionError:
            if i == 9:
                raise
            time.sleep(3)


def web_session(url: str, user: str, password: str):
    return patiently(_web_session, url, user, password)


def get(session, path: str):
    return patiently(session.get, f"{URL}{path}", timeout=60)


def call(session, method: str, **data):
    r = patiently(session.post, f"{URL}/api/method/{method}",
                     data={k: json.dumps(v) if not isinstance(v, str) else v for k, v in data.items()}, timeout=120)
    assert r.status_code == 200, (method, r.status_code, r.text[:500])
    return r.json()["message"]


def report_rows(session, report: str, filters: dict | None = None) -> list:
    result = call(session, "frappe.desk.query_report.run", report_name=report, filters=filters or {})
    return [row for row in result["result"] if isinstance(row, dict) and not row.get("is_total_row")]


def test_demo_command_fills_every_roles_pages_and_removes_itself():
    seed = random.randint(5000, 9999)
    while frappe.db.exists("Service Center", f"DEMO-CTR-{seed}-001"):
        seed += 1
    # neighbours the removal must leave alone: another center with a user, and a look-alike of another
    # seed (seed·10: its names start like this seed's) with its account
    center = make_center()
    community = make_community(center)
    frappe.db.commit()
    user = retrying(make_user, ["Center Staff"], centers=[center])
    twin = f"DEMO-CTR-{seed}0-001"
    frappe.get_doc({"doctype": "Service Center", "center_name": twin, "township": "演示街道"}).insert()
    frappe.db.commit()
    twin_user = f"demo-staff-{seed}0@sfh-demo.example"
    retrying(lambda: frappe.get_doc({"doctype": "User", "email": twin_user, "first_name": "twin",
                                     "send_welcome_email": 0}).insert(ignore_permissions=True))
    frappe.db.commit()
    users_before = set(frappe.get_all("User", pluck="name"))
    try:
        check_demo(seed, users_before, center, community, user, twin, twin_user)
    finally:
        frappe.db.rollback()
        if frappe.db.exists("User", twin_user):
            frappe.delete_doc("User", twin_user, force=True, ignore_permissions=True)
        frappe.db.delete("Service Center", {"name": twin})
        frappe.db.commit()


def check_demo(seed, users_before, center, community, user, twin, twin_user):
    try:
        out, seconds = bench("sfh-demo", "--orgs", str(ORGS), "--seed", str(seed))
        print(f"sfh-demo --orgs {ORGS}: {seconds:.1f} s")
        assert seconds < 180, f"the demo took {seconds:.0f} s"
        password, accounts = parse_accounts(out)
        frappe.db.rollback()  # see the command's commits
        by_role: dict[str, list[dict]] = {}
        for row in accounts:
            by_role.setdefault(row["role"], []).append(row)
        centers = [f"DEMO-CTR-{seed}-{c + 1:03d}" for c in range(2)]  # one per 1,000 organizations, at least two
        # two staff users and the head of every center (issue 18 §2), and one of each other role
        assert sorted(r["scope"] for r in by_role["Center Staff"]) == sorted(centers * 2)
        assert sorted(r["scope"] for r in by_role["Center Head"]) == centers
        for role in ("Review Panel Member", "Township Leader", "Business Supervisory Unit", "Leading Group Office",
                     "Community Worker", "Organization Representative", "Volunteer"):
            assert by_role.get(role), f"no {role} account printed"
        assert all(r["login"] not in users_before for r in accounts)

        for row in by_role["Center Staff"] + by_role["Center Head"]:
            s = web_session(URL, row["login"], password)
            rows = report_rows(s, "Incubation Pipeline")
            assert sum(r.get("total") or 0 for r in rows) > 0, row
            # the workspace's card "Organizations in Incubation": its own center's organizations only
            n = call(s, "frappe.client.get_count", doctype="Community Social Organization",
                     filters=[["incubation_status", "in", ["Admitted", "Incubating"]]])
            assert n > 0, row
            listed = call(s, "frappe.client.get_list", doctype="Community Social Organization",
                          fields=["service_center"], limit_page_length=0)
            assert {r["service_center"] for r in listed} == {row["scope"]}, row
        for role, report in (("Township Leader", "Incubation Pipeline"),
                             ("Business Supervisory Unit", "Party Organization Coverage"),
                             ("Leading Group Office", "Party Organization Coverage")):
            s = web_session(URL, by_role[role][0]["login"], password)
            assert report_rows(s, report), role
        reviewer = by_role["Review Panel Member"][0]
        s = web_session(URL, reviewer["login"], password)
        apps = call(s, "frappe.client.get_list", doctype="Incubation Application",
                    filters={"workflow_state": "Panel Review"}, fields=["name", "review_panel"], limit_page_length=0)
        panels = {p.parent for p in frappe.get_all("Review Panel Member", filters={"user": reviewer["login"]},
                                                   fields=["parent"])}
        assert apps and panels and {a["review_panel"] for a in apps} <= panels | {None}
        assert any(a["review_panel"] in panels for a in apps)
        worker = by_role["Community Worker"][0]
        s = web_session(URL, worker["login"], password)
        filings = call(s, "frappe.client.get_list", doctype="Organization Filing",
                       filters={"workflow_state": "Residents' Committee Review"}, fields=["name", "community"],
                       limit_page_length=0)
        assert filings and {f["community"] for f in filings} == {worker["scope"]}
        assert get(s, "/community-apply/new").status_code == 200
        for rep in by_role["Organization Representative"]:
            s = web_session(URL, rep["login"], password)
            page = get(s, "/my-incubation")
            assert page.status_code == 200 and rep["scope"] in page.text, rep
        vol = by_role["Volunteer"][0]
        s = web_session(URL, vol["login"], password)
        page = get(s, "/my-volunteer-hours")
        titles = frappe.get_all("Volunteer Activity", filters={"name": ("like", f"DEMO-VA-{seed}-001-%")},
                                pluck="activity_title")
        assert page.status_code == 200 and any(t in page.text for t in titles), page.text[:500]
        assert demo_rows(seed)["Organization Filing"] and demo_rows(seed)["Public Notice"]
    finally:
        out, _ = bench("sfh-demo", "--remove", "--seed", str(seed))
        frappe.db.rollback()
    assert not any(demo_rows(seed).values()), demo_rows(seed)
    left = [u for u in frappe.get_all("User", filters={"name": ("like", "demo-%@sfh-demo.example")}, pluck="name")
            if re.fullmatch(rf"demo-[a-z]+-{seed}(-\d+)?@sfh-demo\.example", u)]
    assert not left
    assert not frappe.get_all("User Permission", filters={"user": ("like", f"demo-%-{seed}%@sfh-demo.example")})
    assert frappe.db.exists("Service Center", center) and frappe.db.exists("Community", community)
    assert frappe.db.exists("Service Center", twin)
    assert frappe.db.exists("User", user) and frappe.db.exists("User", twin_user)
    assert frappe.db.exists("User Permission", {"user": user, "for_value": center})
