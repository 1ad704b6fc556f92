"""Issue 16 §4: reports and the exit assessment show the evidence – class hours from confirmed
QR sessions versus typed rows, per center (District Comparison of Centers) and per
organization (the exit assessment's Class Hours indicator: basis and frozen figures).

One organization, two people in the roles of §7.3.1 (a business leader and a party affairs
worker), one training whose sheet of QR sign-ins staff confirm (the real path:
``signin.confirm_sheet`` turns the sign-ins into participant rows with source QR and the hours
of the rule) and one training with typed rows. The expected figures are computed here from the
rows as §7.3.1 words them (time present within the session, rounded down to the half hour,
capped at the activity's hours; a typed row's own hours, else the activity's)."""

from __future__ import annotations

import datetime
import json
import math

import os

import frappe
import pytest
from factory import World, as_user, make_center, make_user, retrying, web_session

from shuangfuhua_app.system_guard import app_writes
from shuangfuhua_app.utils import today

APP, AGREEMENT, ASSESS, MEMBER, ACT = (
    "Incubation Application", "Incubation Agreement", "Exit Assessment", "Organization Member", "Incubation Activity")
QR_DAY, TYPED_DAY = datetime.date(2023, 9, 15), datetime.date(2024, 9, 15)  # one in each agreement year
# two-digit hours: the activity's controller compares the times as text ("9:00:00" > "12:00:00")
START, END, CAP = datetime.time(10, 0), datetime.time(13, 0), 3.0
TYPED_CLASS_HOURS = 4.0
#: who signed in and out of the QR session (times on QR_DAY)
PRESENCE = {"leader": ((10, 10), (12, 50)), "worker": ((9, 50), (11, 20))}
#: the typed rows: the person's hours typed (0: none typed, the activity's hours count)
TYPED = {"leader": 0.0, "worker": 3.5}


def at(day, hm) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(*hm))


def hours_by_rule(signed_in, signed_out) -> float:
    """§7.3.1 as issue 16 words it, independently of standard/attendance.py."""
    begin, end = at(QR_DAY, (START.hour, START.minute)), at(QR_DAY, (END.hour, END.minute))
    seconds = (min(signed_out, end) - max(signed_in, begin)).total_seconds()
    return min(math.floor(seconds / 1800) / 2, CAP) if seconds > 0 else 0.0


def stored(activity) -> tuple:
    """The sums the activity keeps (issue 18 §5: the district figures read them, not its rows)."""
    v = frappe.db.get_value(ACT, activity, ["attended_count", "person_hours", "qr_hours"], as_dict=True)
    return (v.attended_count, v.person_hours, v.qr_hours)


def from_rows(activity) -> tuple:
    """The same sums computed here from the activity's participant rows: attended rows, a row's
    own hours else the activity's class hours, the QR part from rows of source QR."""
    class_hours = frappe.db.get_value(ACT, activity, "class_hours") or 0
    rows = frappe.get_all("Incubation Activity Participant", filters={"parent": activity, "parenttype": ACT},
                          fields=["attended", "hours_attended", "source"])
    attended = [(r.hours_attended or class_hours, r.source) for r in rows if r.attended]
    return (len(attended), sum(h for h, _s in attended), sum(h for h, s in attended if s == "QR"))


def expected():
    qr = {k: hours_by_rule(at(QR_DAY, a), at(QR_DAY, b)) for k, (a, b) in PRESENCE.items()}
    typed = {k: (h or TYPED_CLASS_HOURS) for k, h in TYPED.items()}
    return qr, typed


def foreign_staff() -> str:
    """Staff of another center (center and user in one retried unit: a rollback loses both)."""
    user = make_user(["Center Staff"], centers=[make_center()])
    frappe.db.commit()
    return user


@pytest.fixture(scope="module")
def x():
    return retrying(_world)


def _world():
    w = World()
    app = w.apply(w.org)
    w.to_recommended(app)
    w.notice([app], "2023-05-04")
    assert frappe.db.get_value(APP, app.name, "workflow_state") == "Admitted"

    def sign():
        doc = frappe.get_doc({"doctype": AGREEMENT, "application": app.name, "start_date": "2023-06-01",
                              "signed_on": "2023-06-01", "party_a_signatory": "李主任",
                              "party_b_signatory": "张会长"}).insert()
        doc.submit()
        return doc.name

    agreement = as_user(w.staff, sign)

    def person(name, **roles):
        doc = {"doctype": MEMBER, "organization": w.org, "member_name": name, "role_start_date": "2023-01-01", **roles}
        return as_user(w.staff, lambda: frappe.get_doc(doc).insert()).name

    people = {"leader": person("赵领军", is_business_leader=1), "worker": person("钱党务", is_party_affairs_worker=1)}

    def activity(title, day, hours, start=None, end=None, participants=()):
        doc = {"doctype": ACT, "activity_title": title, "block": "Talent Cultivation", "activity_type": "Talent Training",
               "service_center": w.center, "activity_date": day, "class_hours": hours, "start_time": start,
               "end_time": end, "organizations": [{"organization": w.org}], "participants": list(participants)}
        return as_user(w.staff, lambda: frappe.get_doc(doc).insert()).name

    qr_activity = activity("扫码签到的培训", QR_DAY, CAP, START.isoformat(), END.isoformat())
    # the sign-ins as the phone pages leave them (pending, matched), then staff confirm the sheet
    for key, (a, b) in PRESENCE.items():
        with app_writes():
            frappe.get_doc({
                "doctype": "Activity Sign In", "activity": qr_activity, "service_center": w.center,
                "member": people[key], "organization": w.org, "member_name": "x", "match_status": "Matched",
                "sheet_status": "Pending", "phone_masked": "138****0000", "phone_key": frappe.generate_hash(length=20),
                "signed_in_at": at(QR_DAY, a), "signed_out_at": at(QR_DAY, b),
            }).insert(ignore_permissions=True)
    from shuangfuhua_app.signin import confirm_sheet

    assert as_user(w.staff, lambda: confirm_sheet(qr_activity))["confirmed"] == 2
    typed_activity = activity("手工录入的培训", TYPED_DAY, TYPED_CLASS_HOURS, participants=[
        {"member": people[k], "attended": 1, "hours_attended": h} for k, h in TYPED.items()])

    def assess():
        return frappe.get_doc({
            "doctype": ASSESS, "incubation_agreement": agreement, "assessment_date": str(today()),
            "template": frappe.db.get_single_value("Shuangfuhua Settings", "default_exit_template"),
            "assessors": [{"assessor_name": n, "category": c}
                          for n, c in (("张专家", "Expert"), ("李镇领导", "Township Leader"), ("王社区", "Community Head"))],
        }).insert().name

    assessment = as_user(w.staff, assess)
    frappe.db.commit()
    return frappe._dict(w=w, agreement=agreement, assessment=assessment, people=people, qr_activity=qr_activity,
                        typed_activity=typed_activity)


def test_the_rows_are_as_the_rule_says(x):
    qr, typed = expected()
    rows = frappe.get_all("Incubation Activity Participant", filters={"parent": x.qr_activity},
                          fields=["member", "source", "hours_attended"])
    assert {(r.member, r.source, r.hours_attended) for r in rows} == {
        (x.people[k], "QR", h) for k, h in qr.items()}
    rows = frappe.get_all("Incubation Activity Participant", filters={"parent": x.typed_activity}, fields=["source"])
    assert [r.source for r in rows] == ["Typed", "Typed"]
    # issue 18 §5: after the QR confirmation each activity keeps the sums of its rows
    assert stored(x.qr_activity) == from_rows(x.qr_activity) == (2, sum(qr.values()), sum(qr.values()))
    assert stored(x.typed_activity) == from_rows(x.typed_activity) == (2, sum(typed.values()), 0)


def test_the_exit_assessment_shows_qr_versus_typed_class_hours(x):
    qr, typed = expected()
    want_qr, want_typed = sum(qr.values()), sum(typed.values())
    assert want_qr > 0 and want_typed > 0 and want_qr != want_typed  # the test can tell them apart
    doc = frappe.get_doc(ASSESS, x.assessment)
    row = next(r for r in doc.indicators if r.source == "Class Hours")
    figures = json.loads(row.figures)
    assert (figures["qr_hours"], figures["typed_hours"]) == (want_qr, want_typed), figures
    assert figures["hours"] == want_qr + want_typed
    fmt = lambda v: f"{v:g}"  # noqa: E731
    evidence = f"其中扫码签到确认{fmt(want_qr)}课时，手工录入{fmt(want_typed)}课时"
    assert evidence in row.basis, row.basis
    # per person and agreement year (the QR session in year 1, the typed one in year 2)
    got = sorted((r["year_no"], r["qr_hours"], r["typed_hours"]) for r in figures["rows"])
    assert got == sorted([(1, qr["leader"], 0), (2, 0, typed["leader"]), (1, qr["worker"], 0), (2, 0, typed["worker"])])
    # R-PRIV: the frozen figures number the party affairs worker, as before
    assert x.people["worker"] not in row.figures and x.people["worker"] not in (row.basis or "")
    assert "第1名" in row.figures
    # the live preview says the same
    from shuangfuhua_app.exit import preview_measurements

    preview = {m["source"]: m for m in as_user(x.w.staff, lambda: preview_measurements(x.agreement))}
    assert evidence in preview["Class Hours"]["basis"]


def test_the_district_comparison_shows_the_centers_qr_and_typed_class_hours(x):
    from shuangfuhua_app.shuangfuhua_app.report.district_comparison_of_centers.district_comparison_of_centers import (
        execute,
    )

    qr, typed = expected()
    filters = {"from_date": "2023-01-01", "to_date": "2024-12-31"}
    columns, data, *_ = as_user(x.w.staff, lambda: execute(filters))
    assert {"qr_class_hours", "typed_class_hours"} <= {c["fieldname"] for c in columns}
    row = next(d for d in data if d["service_center"] == x.w.center)
    assert (row["qr_class_hours"], row["typed_class_hours"]) == (sum(qr.values()), sum(typed.values()))
    # the period decides: only the QR session lies in 2023
    _c, data, *_ = as_user(x.w.staff, lambda: execute({"year": 2023}))
    row = next(d for d in data if d["service_center"] == x.w.center)
    assert (row["qr_class_hours"], row["typed_class_hours"]) == (sum(qr.values()), 0)
    # another center's staff do not see this center
    stranger = retrying(foreign_staff)
    _c, data, *_ = as_user(stranger, lambda: execute(filters))
    assert x.w.center not in {d["service_center"] for d in data}


def test_a_typed_edit_keeps_the_activitys_qr_hours(x):
    """Issue 18 §5: staff type over a confirmed QR row (the form's save, REST): the activity's
    stored QR hours and person-hours follow the rows, and so does the district comparison."""
    from shuangfuhua_app.shuangfuhua_app.report.district_comparison_of_centers.district_comparison_of_centers import (
        execute,
    )

    qr, typed = expected()
    worker = x.people["worker"]
    url = os.environ.get("SFH_URL", "http://127.0.0.1:8000")
    s = web_session(url, x.w.staff)
    doc = s.get(f"{url}/api/resource/{ACT}/{x.qr_activity}").json()["data"]
    sign_in = next(p["sign_in"] for p in doc["participants"] if p["member"] == worker)
    rows = [p for p in doc["participants"] if p["member"] != worker]
    rows.append({"member": worker, "attended": 1, "hours_attended": 0})  # typed: the activity's hours count
    r = s.put(f"{url}/api/resource/{ACT}/{x.qr_activity}", json={"participants": rows})
    assert r.status_code == 200, r.text[:300]
    frappe.db.rollback()
    try:
        assert stored(x.qr_activity) == from_rows(x.qr_activity) == (2, qr["leader"] + CAP, qr["leader"])
        _c, data, *_ = as_user(x.w.staff, lambda: execute({"from_date": "2023-01-01", "to_date": "2024-12-31"}))
        row = next(d for d in data if d["service_center"] == x.w.center)
        assert (row["qr_class_hours"], row["typed_class_hours"]) == (qr["leader"], CAP + sum(typed.values()))
    finally:  # the confirmed sign-in back as its QR row, for the other tests
        act = frappe.get_doc(ACT, x.qr_activity)
        act.participants = [p for p in act.participants if p.member != worker]
        act.append("participants", {"member": worker, "sign_in": sign_in, "attended": 1})
        with app_writes():
            act.save(ignore_permissions=True)
        frappe.db.commit()
    assert stored(x.qr_activity) == from_rows(x.qr_activity) == (2, sum(qr.values()), sum(qr.values()))


def test_the_organizations_form_shows_its_qr_and_typed_class_hours(x):
    from shuangfuhua_app.evidence import get_class_hours_evidence

    qr, typed = expected()
    got = as_user(x.w.staff, lambda: get_class_hours_evidence(x.w.org, QR_DAY.year))
    assert (got["qr_hours"], got["typed_hours"]) == (sum(qr.values()), 0)
    got = as_user(x.w.staff, lambda: get_class_hours_evidence(x.w.org, TYPED_DAY.year))
    assert (got["qr_hours"], got["typed_hours"]) == (0, sum(typed.values()))
    assert f"手工录入{sum(typed.values()):g}课时" in got["text"]
    # figures only, for readers of the organization; another center's staff are refused
    stranger = retrying(foreign_staff)
    with pytest.raises(frappe.PermissionError):
        as_user(stranger, lambda: get_class_hours_evidence(x.w.org, QR_DAY.year))
