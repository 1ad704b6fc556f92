"""Issue 9: the Script Reports' figures against hand-computed expectations on a small scripted
data set (one center X with two organizations), run through Frappe's own report route
(``frappe.desk.query_report.run``) as X's staff, X's township leader (no Party roles, no
granted amounts: R-PRIV, permlevels), the district's leading group office, and staff of
another center, who see none of it (R-SCOPE)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import frappe
import pytest
from frappe.desk.query_report import run as run_report

from factory import act, application_doc, make_center, make_community, make_org, make_user, uid

Y = 2025
ORG = "Community Social Organization"


def as_user(user, fn, *args, **kwargs):
    frappe.set_user(user)
    try:
        return fn(*args, **kwargs)
    finally:
        frappe.set_user("Administrator")


def person(staff, org, name, **roles):
    doc = {"doctype": "Organization Member", "organization": org, "member_name": name, **roles}
    return as_user(staff, lambda: frappe.get_doc(doc).insert()).name


def activity(center, staff, activity_type, day, hours, roster, block="Talent Cultivation"):
    def create():
        doc = frappe.get_doc(
            {
                "doctype": "Incubation Activity",
                "activity_title": f"{activity_type}-{uid()}",
                "block": block,
                "activity_type": activity_type,
                "service_center": center,
                "activity_date": day,
                "class_hours": hours,
            }
        )
        for org, role in roster:
            doc.add_participants_from_roster(org, role)
        return doc.insert()

    return as_user(staff, create)


def evaluation(staff, org, scores):
    return as_user(
        staff,
        lambda: frappe.get_doc(
            {"doctype": "Periodic Evaluation", "organization": org, "evaluation_type": "Annual Service Evaluation",
             "evaluation_year": Y, "rater_scores": scores}
        ).insert(),
    )


@pytest.fixture(scope="module")
def x():
    center = make_center()
    community = make_community(center)
    staff = make_user(["Center Staff"], centers=[center])
    head = make_user(["Center Head"], centers=[center])
    leader = make_user(["Township Leader"], centers=[center])
    office = make_user(["Leading Group Office"])
    other_center = make_center()
    outsider = make_user(["Center Staff"], centers=[other_center])
    a, b = make_org(center, community), make_org(center, community)
    frappe.db.set_value(ORG, b, "party_org_form", "Party Liaison")

    # A: 3 party members, no branch (R-7.1.2 gap); head = secretary (一肩挑); one reserve with a plan
    p = SimpleNamespace()
    p.a_sec = person(staff, a, "甲书记", is_head=1, is_party_secretary=1, is_party_member=1, is_party_affairs_worker=1)
    p.a_pm = [person(staff, a, f"甲党员{i}", is_party_member=1) for i in (2, 3)]
    p.a_res = person(staff, a, "甲储备", is_reserve=1, training_plan="<p>跟岗学习</p>")
    # B: 1 party member (its secretary) with a liaison; the head is another person; a business leader
    p.b_head = person(staff, b, "乙负责人", is_head=1, is_business_leader=1)
    p.b_sec = person(staff, b, "乙书记", is_party_secretary=1, is_party_member=1)

    activity(center, staff, "Talent Training", f"{Y}-03-10", 6, [(a, "is_party_affairs_worker"), (b, "is_business_leader")])
    activity(center, staff, "Basic Training", f"{Y}-04-10", 4, [(a, "is_party_affairs_worker"), (a, "is_reserve")],
             block="Capacity Building")
    activity(center, staff, "Centralized Rotation", f"{Y}-06-20", 3, [(a, "is_party_member")])

    def project(org, field, budget):
        doc = as_user(staff, lambda: frappe.get_doc(
            {"doctype": "Venture Project", "organization": org, "project_name": f"项目-{uid()}", "project_field": field,
             "budget": budget, "objectives": "服务居民"}).insert())
        frappe.db.set_value("Venture Project", doc.name, {"application_date": f"{Y}-05-01", "granted_amount": budget / 2})

    project(a, "Volunteer Service", 8000)
    project(a, "Volunteer Service", 5000)
    project(b, "Dispute Mediation", 3000)

    evaluation(staff, a, [
        {"rater_party": "Township Leader", "independent_operation": 90, "party_org_building": 80,
         "projects_undertaken": 70, "resident_satisfaction": 95},
        {"rater_party": "Expert", "independent_operation": 80, "party_org_building": 90, "projects_undertaken": 80},
    ])
    evaluation(staff, b, [
        {"rater_party": "Township Leader", "independent_operation": 70, "party_org_building": 60,
         "projects_undertaken": 50, "resident_satisfaction": 85},
    ])
    as_user(head, lambda: frappe.get_doc(
        {"doctype": "Annual Target", "service_center": center, "target_year": Y, "incubated": 6, "filed": 15,
         "trainings": 10, "trainee_person_times": 500, "consultations": 20, "projects": 12, "upgraded": 6,
         "brand_orgs": 2}).insert())

    app = as_user(staff, lambda: frappe.get_doc(application_doc(a)).insert())
    act(staff, app, "Submit")
    for org in (a, b):
        frappe.db.set_value(ORG, org, "incubation_status", "Incubating")
    frappe.db.commit()
    return SimpleNamespace(center=center, community=community, staff=staff, head=head, leader=leader, office=office,
                           outsider=outsider, a=a, b=b, p=p, app=app)


def report(user, name, **filters):
    if frappe.db.get_value("Report", name, "prepared_report"):
        return prepared(user, name, filters)
    out = as_user(user, run_report, name, filters)
    return out["result"], out


def prepared(user, name, filters):
    """A Prepared Report (issue 9 §6) as Desk runs it: queued by the user, generated by the
    background job as that user (inline here: no worker runs), read back through Frappe's
    report route – which must now answer from the prepared result, in the user's scope."""
    from frappe.core.doctype.prepared_report.prepared_report import generate_report, make_prepared_report

    queued = as_user(user, make_prepared_report, name, filters)
    as_user(user, generate_report, queued["name"])
    out = as_user(user, run_report, name, filters)
    assert out.get("prepared_report") and out["doc"].name == queued["name"] and out["doc"].status == "Completed"
    return out["result"], out


# ---------------------------------------------------------------------------- party coverage


def test_party_coverage(x):
    rows, _ = report(x.staff, "Party Organization Coverage", service_center=x.center)
    assert rows == [{
        "service_center": x.center, "orgs": 2, "party_members": 4, "with_party_members": 2, "branch": 0,
        "instructor_or_liaison": 1, "gap_branch": 1, "gap_instructor": 0, "with_secretary": 2, "one_shoulder": 1,
        "one_shoulder_rate": 50.0,
    }]
    assert report(x.leader, "Party Organization Coverage")[0] == rows  # the leader's scope is X
    assert report(x.staff, "Party Organization Coverage", community=x.community)[0] == rows
    assert report(x.outsider, "Party Organization Coverage")[0] == []


# ---------------------------------------------------------------------------- training quotas


def _training(user, center):
    rows, out = report(user, "Training Hours and Reserve Talent", service_center=center, year=Y)
    return {(r["member"], r["measure"]): (r["figure"], r["required"], r["gap"], r["ok"]) for r in rows}, out


def test_training_hours_per_person(x):
    figures, out = _training(x.staff, x.center)
    hours, trainings, rotation = frappe._("Class Hours"), frappe._("Trainings"), frappe._("Centralized Rotation")
    # 甲书记: 6 + 4 + the rotation's 3 (a training too) = 13 of 18; 乙负责人: 6 of 18
    assert figures[(x.p.a_sec, hours)] == (13, 18, 5, 0)
    assert figures[(x.p.b_head, hours)] == (6, 18, 12, 0)
    assert figures[(x.p.a_res, trainings)] == (1, 5, 4, 0)
    # rotation: A's three party members attended it, B's secretary did not
    assert figures[(x.p.a_sec, rotation)][3] == 1 and figures[(x.p.a_pm[0], rotation)][3] == 1
    assert figures[(x.p.b_sec, rotation)] == (0, 1, 1, 0)
    assert len(figures) == 7
    summary = {s["label"]: s["value"] for s in out["report_summary"]}
    assert summary[frappe._("Quotas Measured")] == 7 and summary[frappe._("Quotas Not Met")] == 4
    assert summary[frappe._("Organizations with a Secretary")] == 2 and summary[frappe._("Reserve Ratio Met (1:2)")] == 0

    # the township leader reads no Party roles (R-PRIV, issue 14 §5): no rotation rows, nobody named as
    # party member or party affairs worker (甲书记 is one); the hidden quotas still count in the summary
    figures, out = _training(x.leader, x.center)
    assert set(figures) == {(x.p.b_head, hours), (x.p.a_res, trainings)}
    assert "党员" not in frappe.as_json(out["result"]) and "甲书记" not in frappe.as_json(out["result"])
    assert {s["label"]: s["value"] for s in out["report_summary"]} == summary
    assert _training(x.outsider, x.center)[0] == {}
    rows, out = report(x.office, "Training Hours and Reserve Talent", year=Y)  # one center at a time
    assert rows == [] and out["message"]


# ---------------------------------------------------------------------------- venture projects


def test_venture_projects_by_field(x):
    rows, _ = report(x.staff, "Venture Projects by Field", service_center=x.center, from_date=f"{Y}-01-01",
                     to_date=f"{Y}-12-31")
    got = {r["project_field"]: (r["projects"], r["budget"], r["granted"]) for r in rows}
    assert got == {frappe._("Volunteer Service"): (2, 13000, 6500), frappe._("Dispute Mediation"): (1, 3000, 1500)}
    rows, out = report(x.leader, "Venture Projects by Field", service_center=x.center, from_date=f"{Y}-01-01",
                       to_date=f"{Y}-12-31")
    assert all("granted" not in r for r in rows)  # permlevel 2: the center's approval fields
    assert "granted" not in [c["fieldname"] for c in out["columns"]]
    assert report(x.outsider, "Venture Projects by Field", from_date=f"{Y}-01-01", to_date=f"{Y}-12-31")[0] == []


# ---------------------------------------------------------------------------- evaluations


def test_evaluation_results_by_rater_party(x):
    rows, _ = report(x.staff, "Periodic Evaluation Results", service_center=x.center, year=Y)
    got = {r["rater_party"]: r for r in rows}
    leader, expert = got[frappe._("Township Leader")], got[frappe._("Expert")]
    assert (leader["evaluations"], leader["raters"]) == (2, 2)
    assert (leader["independent_operation"], leader["party_org_building"], leader["projects_undertaken"],
            leader["resident_satisfaction"]) == (80, 70, 60, 90)
    assert (expert["raters"], expert["independent_operation"], expert["resident_satisfaction"]) == (1, 80, None)
    assert expert["average"] == pytest.approx(83.33, abs=0.01)
    # [10M] 第一条: the residents' representatives and the units of the area show, with no raters here
    for party in ("Residents' Representative", "Unit of the Area"):
        assert got[frappe._(party)]["raters"] == 0
    assert report(x.outsider, "Periodic Evaluation Results", year=Y)[0] == []


# ---------------------------------------------------------------------------- targets, district


def test_annual_targets_against_actuals(x):
    rows, _ = report(x.head, "Annual Targets vs Actuals", year=Y)
    got = {r["measure"]: (r["target"], r["actual"], r["gap"]) for r in rows if r["service_center"] == x.center}
    # 3 training activities (talent, basic, rotation); 2 + 2 + 3 attended rows; 3 projects applied for in Y
    assert got[frappe._("Trainings Held")] == (10, 3, 7)
    assert got[frappe._("Trainee Person-times")] == (500, 7, 493)
    assert got[frappe._("Venture Projects")] == (12, 3, 9)
    assert got[frappe._("Organizations Incubated")] == (6, 0, 6)
    assert got[frappe._("Brand Organizations")] == (2, 0, 2)
    assert len(got) == 8
    assert report(x.outsider, "Annual Targets vs Actuals", year=Y)[0] == []


def test_district_comparison(x):
    rows, _ = report(x.office, "District Comparison of Centers", from_date=f"{Y}-01-01", to_date=f"{Y}-12-31")
    mine = [r for r in rows if r["service_center"] == x.center]
    assert len(mine) == 1
    r = mine[0]
    assert (r["organizations"], r["in_incubation"], r["trainings"], r["trainee_person_times"], r["projects"]) == (2, 2, 3, 7, 3)
    assert r["budget"] == 16000
    # A: (85 + 85 + 75 + 95) / 4 = 85, B: (70 + 60 + 50 + 85) / 4 = 66.25
    assert r["evaluation_score"] == pytest.approx((85 + 66.25) / 2, abs=0.01)
    assert len(rows) > 1  # the district office compares every center
    own = report(x.staff, "District Comparison of Centers", from_date=f"{Y}-01-01", to_date=f"{Y}-12-31")[0]
    assert [r["service_center"] for r in own] == [x.center]
    assert x.center not in {r["service_center"] for r in report(x.outsider, "District Comparison of Centers")[0]}


# ---------------------------------------------------------------------------- pipeline


def test_pipeline_by_month_and_days_in_state(x):
    today = datetime.date.today()
    span = dict(service_center=x.center, from_date=f"{today.year}-01-01", to_date=f"{today.year}-12-31")
    rows, out = report(x.staff, "Incubation Pipeline", **span)
    assert len(rows) == 1 and rows[0]["month"] == f"{today:%Y-%m}" and rows[0]["total"] == 1
    submitted = [c["fieldname"] for c in out["columns"] if c["label"] == frappe._("Submitted")]
    assert submitted and rows[0][submitted[0]] == 1
    rows, _ = report(x.staff, "Incubation Pipeline", view="Days in Each State", **span)
    got = {r["state"]: (r["now_in_state"], r["stays_ended"]) for r in rows}
    assert got == {frappe._("Draft"): (0, 1), frappe._("Submitted"): (1, 0)}
    assert len(rows) == len(got)  # each state once (the workflow lists a state once per role that acts in it)
    assert report(x.outsider, "Incubation Pipeline", from_date=f"{today.year}-01-01")[0] == []


# ---------------------------------------------------------------------------- semi-annual ledger (R-LEDGER)


def _sheet(wb, title):
    ws = wb[frappe._(title)]
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows[0], rows[1:]


def test_semi_annual_ledger(x):
    import io

    import openpyxl

    from shuangfuhua_app.ledger import build_workbook

    content, counts = as_user(x.staff, build_workbook, x.center, Y, 1)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert {frappe._(t) for t in ("Organization Roster", "People", "Applications", "Activities", "Venture Projects",
                                  "Consultation Records", "Periodic Evaluations", "Awards and Honors")} <= set(wb.sheetnames)
    ws, header, rows = _sheet(wb, "Organization Roster")
    assert ws.freeze_panes == "A2"
    assert frappe._("Organization Name", context=ORG) in header and len(rows) == 2
    assert {r[header.index(frappe._("Organization Name", context=ORG))] for r in rows} == {x.a, x.b}
    _ws, header, rows = _sheet(wb, "People")
    assert len(rows) == 6 and frappe._("Party Member", context="Organization Member") in header
    assert frappe._("Resident ID Number", context="Organization Member") not in header  # never exported
    assert len(_sheet(wb, "Activities")[2]) == 3  # March, April, June of the first half-year
    _ws, header, rows = _sheet(wb, "Venture Projects")
    assert len(rows) == 3 and frappe._("Granted Amount", context="Venture Project") in header
    assert len(_sheet(wb, "Activities")[2]) == 3
    second, _counts = as_user(x.staff, build_workbook, x.center, Y, 2)
    assert len(_sheet(openpyxl.load_workbook(io.BytesIO(second)), "Activities")[2]) == 0

    # the township leader: no Party roles, no phones, no granted amounts (R-PRIV permlevels)
    wb = openpyxl.load_workbook(io.BytesIO(as_user(x.leader, build_workbook, x.center, Y, 1)[0]))
    _ws, header, rows = _sheet(wb, "People")
    assert len(rows) == 6
    assert frappe._("Party Member", context="Organization Member") not in header
    assert frappe._("Phone", context="Organization Member") not in header
    assert frappe._("Granted Amount", context="Venture Project") not in _sheet(wb, "Venture Projects")[1]


def test_ledger_opens_in_libreoffice(x, tmp_path):
    """R-LEDGER: the workbook as the bureau opens it – LibreOffice converts it to PDF with the
    Chinese sheet headers intact; the first page goes to $SFH_ARTIFACTS as a PNG to look at."""
    import os
    import shutil
    import subprocess

    from shuangfuhua_app.ledger import build_workbook

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not (office and shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice or poppler-utils not installed")
    book = tmp_path / "ledger.xlsx"
    book.write_bytes(as_user(x.staff, build_workbook, x.center, Y, 1)[0])
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "ledger.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    for header in (frappe._("Organization Name", context=ORG), frappe._("Service Center", context=ORG)):
        assert header in text, header
    assert x.a in text and x.b in text  # the organization roster's rows, on the second page
    artifacts = os.environ.get("SFH_ARTIFACTS")
    if artifacts:
        os.makedirs(artifacts, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(tmp_path / "ledger.pdf"),
                        os.path.join(artifacts, "ledger")], check=True, timeout=60)


def test_ledger_download_route_respects_scope(x):
    import os

    from factory import web_session

    url = os.environ.get("SFH_URL")
    if not url:
        pytest.skip("SFH_URL not set")
    path = "/api/method/shuangfuhua_app.ledger.export_ledger"
    params = {"service_center": x.center, "year": Y, "half": 1}
    r = web_session(url, x.staff).get(url + path, params=params)
    assert r.status_code == 200, r.text[:300]
    assert r.content[:2] == b"PK" and "xlsx" in r.headers.get("Content-Disposition", "")
    for outsider in (x.outsider, None):
        r = web_session(url, outsider).get(url + path, params=params)
        assert r.status_code in (403, 417) and not r.content.startswith(b"PK")


def test_prepared_result_stays_with_whoever_queued_it(x):
    """District Comparison ships as a Prepared Report: Frappe's routes would hand X's stored
    figures to staff of another center who name it (``prepared_report_name``, also to the
    export route) or its owner (``user=``); ``guarded_routes`` refuses them, over HTTP as Desk
    calls them, while X's staff read and export their own."""
    import json
    import os

    from factory import web_session

    url = os.environ.get("SFH_URL")
    if not url:
        pytest.skip("SFH_URL not set")
    name, period = "District Comparison of Centers", {"from_date": f"{Y}-01-01", "to_date": f"{Y}-12-31"}
    rows, out = report(x.staff, name, **period)
    assert [r["service_center"] for r in rows] == [x.center]
    frappe.db.commit()
    by_name = {"report_name": name, "filters": json.dumps({**period, "prepared_report_name": out["doc"].name})}
    as_owner = {"report_name": name, "filters": json.dumps(period), "user": x.staff}
    run = "/api/method/frappe.desk.query_report.run"

    def text(r):  # JSON escapes the Chinese center name
        try:
            return json.dumps(r.json(), ensure_ascii=False)
        except ValueError:
            return r.text

    # control: X's staff reads its own stored result by name, and exports it (the report's
    # figures go to Excel for the center and its leaders: export on Service Center)
    export = "/api/method/frappe.desk.query_report.export_query"
    export_params = {**by_name, "file_format_type": "CSV", "visible_idx": "[]"}
    own = web_session(url, x.staff)
    r = own.post(url + run, data=by_name)
    assert r.status_code == 200 and x.center in text(r), r.text[:300]
    r = own.post(url + export, data=export_params)
    assert r.status_code == 200 and x.center in text(r), r.text[:300]
    other = web_session(url, x.outsider)
    for path, data in ((run, by_name), (run, as_owner), (export, export_params)):
        r = other.post(url + path, data=data)
        assert r.status_code == 403 and x.center not in text(r), (path, r.status_code, r.text[:300])


def test_counts_go_through_the_users_permissions(x):
    """``frappe.client.get_count`` counts without a permission check in Frappe v15; the app's
    wrapper counts what the user may list – staff of another center count none of X's."""
    import json
    import os

    from factory import web_session

    url = os.environ.get("SFH_URL")
    if not url:
        pytest.skip("SFH_URL not set")
    frappe.db.commit()
    path, mine = "/api/method/frappe.client.get_count", {"service_center": x.center}
    expected = frappe.db.count("Incubation Activity", mine)
    assert expected > 0
    for user, count in ((x.staff, expected), (x.outsider, 0)):
        r = web_session(url, user).get(url + path, params={"doctype": "Incubation Activity", "filters": json.dumps(mine)})
        assert r.status_code == 200 and r.json()["message"] == count, (user, r.text[:300])


# ---------------------------------------------------------------------------- the daily job at scale (R-X-SCALE)


def test_daily_job_hands_overflow_to_background_jobs(x, monkeypatch):
    """More new reminders than one job creates inline go to bounded background jobs; together
    they create exactly the reminders due, once."""
    import shuangfuhua_app.incubation as inc

    rows = [r for r in inc._served_rows() if r.name in (x.a, x.b)]
    assert {r.name for r in rows} == {x.a, x.b}
    monkeypatch.setattr(inc, "_served_rows", lambda: rows)
    monkeypatch.setattr(inc, "follow_up_reminders", lambda as_of: [])
    monkeypatch.setattr(inc, "REMINDER_JOB_SIZE", 2)
    queued = []
    monkeypatch.setattr(inc.frappe, "enqueue", lambda method, **kw: queued.append((method, kw)))
    as_of = datetime.date(Y + 1, 1, 1)
    due = {key for org in (x.a, x.b) for key, *_rest in inc.reminders_for(org, as_of)}
    assert len(due) > 2
    created = inc.send_reminders(as_of)
    assert len(created) == 2 and queued
    assert all(m == "shuangfuhua_app.incubation.create_reminders" and len(kw["reminders"]) <= 2 for m, kw in queued)
    for _method, kw in queued:
        created += inc.create_reminders(kw["reminders"])
    assert set(created) == due and len(created) == len(due)
    queued.clear()
    assert inc.send_reminders(as_of) == [] and not queued
    frappe.db.commit()


# ---------------------------------------------------------------------------- exit levels (R-8.1.1b)


def test_exit_levels_by_year(x):
    """Runs last: it adds two exited organizations to X."""
    levels = {"Excellent": (f"{Y}-10-01", 2), "Up to Standard": (f"{Y}-11-01", 1), "Good": (f"{Y + 1}-03-01", 1)}
    for level, (day, n) in levels.items():
        for _i in range(n):
            org = make_org(x.center, x.community)
            frappe.db.set_value(ORG, org, {"exit_level": level, "exit_date": day, "incubation_status": "Exited"})
    frappe.db.commit()
    rows, out = report(x.leader, "Exit Levels by Year", service_center=x.center)
    keys = {c["label"]: c["fieldname"] for c in out["columns"]}
    got = {r["year"]: {level: r[keys[frappe._(level, context=ORG)]] for level in levels} | {"total": r["total"]}
           for r in rows}
    assert got == {
        str(Y): {"Excellent": 2, "Up to Standard": 1, "Good": 0, "total": 3},
        str(Y + 1): {"Excellent": 0, "Up to Standard": 0, "Good": 1, "total": 1},
    }
    assert report(x.outsider, "Exit Levels by Year")[0] == []


# ---------------------------------------------------------------------------- the center's own compliance (R-4.*)


def test_center_compliance_matrix(x):
    from shuangfuhua_app.center import compliance_rows

    rows, _ = report(x.leader, "Center Compliance Matrix", year=Y)
    expected = as_user(x.leader, compliance_rows, x.center, Y)
    assert [(r["clause"], r["ok"], r["finding"]) for r in rows] == [
        (e["clause"], int(bool(e["ok"])), e["message"]) for e in expected]
    # X recorded no office: §4.1 d is not met; X's own items only
    assert {r["service_center"] for r in rows} == {x.center}
    assert any(r["clause"].startswith("4.1") and not r["ok"] for r in rows)
    assert x.center not in {r["service_center"] for r in report(x.outsider, "Center Compliance Matrix", year=Y)[0]}
