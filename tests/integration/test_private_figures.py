"""R-PRIV on the app's own side doors (issue 14 §5, "What to build" 5): township leaders,
supervisory units, the leading group office and reviewers of center X see figures, never
names, of who is a Party member, who holds a Party post (liaison, instructor, party affairs
worker) and who attended a Party activity – in document methods, the compliance panel, the
organization's timeline (reminders become ToDos, Frappe writes their text into an "assigned"
comment and the form's assignments), reports, report exports and the semi-annual ledger –
and never an ID number or phone. X's staff still see all of it.

Every person of the scripted roster has a unique ASCII marker in the name, so a leak is found
by substring search in every response body (whatever its status; a 5xx fails too). Controls:
the same routes as X's staff show the markers, and the leaders do see the business leader (a
post that is not the Party's) – so the searches can fail.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import time
from types import SimpleNamespace

import frappe
import openpyxl
import pytest
import requests

from factory import allow_many_users, api_token, make_center, make_community, make_org, make_resident_id, make_user, uid

URL = os.environ.get("SFH_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no web server (SFH_URL) for the HTTP probes")
ORG = "Community Social Organization"
MEMBER = "Organization Member"
ACTIVITY = "Incubation Activity"
Y = 2025
AS_OF = datetime.date(Y + 1, 1, 5)  # the 4th quarter of Y is complete: everyone is behind on the year
LIMITED = ("leader", "supervisor", "office", "reviewer")
REPORTS = (
    "Incubation Pipeline", "Party Organization Coverage", "Training Hours and Reserve Talent",
    "Venture Projects by Field", "Periodic Evaluation Results", "Annual Targets vs Actuals",
    "Exit Levels by Year", "Center Compliance Matrix",
)


def as_user(user, fn, *args, **kwargs):
    frappe.set_user(user)
    try:
        return fn(*args, **kwargs)
    finally:
        frappe.set_user("Administrator")


@pytest.fixture(scope="module")
def x():
    allow_many_users()
    for attempt in range(3):  # a shared development site may deadlock with other writers; CI has none
        try:
            return _world()
        except frappe.QueryDeadlockError:
            frappe.db.rollback()
            if attempt == 2:
                raise


def _world():
    k = uid(8).upper()
    center = make_center()
    community = make_community(center)
    users = SimpleNamespace(
        staff=make_user(["Center Staff"], centers=[center]),
        leader=make_user(["Township Leader"], centers=[center]),
        supervisor=make_user(["Business Supervisory Unit"], centers=[center]),
        office=make_user(["Leading Group Office"]),
        reviewer=make_user(["Review Panel Member"], centers=[center]),
    )
    org = make_org(center, community)
    frappe.db.set_value(ORG, org, "incubation_status", "Incubating")
    # markers: who is what (Party and its posts restricted; the business leader and the reserve are not)
    m = SimpleNamespace(
        party=f"PFPM{k}", liaison=f"PFLI{k}", instructor=f"PFIN{k}", worker=f"PFPW{k}",
        business=f"PFBL{k}", plain=f"PFOR{k}",
    )
    pid, phone = make_resident_id(), f"139{random.randint(0, 10**8 - 1):08d}"

    def person(name, **roles):
        doc = {"doctype": MEMBER, "organization": org, "member_name": f"张{name}", "role_start_date": f"{Y}-01-01",
               **roles}
        return as_user(users.staff, lambda: frappe.get_doc(doc).insert()).name

    ids = SimpleNamespace(
        party=person(m.party, is_party_member=1, resident_id=pid, phone=phone),
        liaison=person(m.liaison, is_liaison=1),
        instructor=person(m.instructor, is_instructor=1),
        worker=person(m.worker, is_party_affairs_worker=1),
        business=person(m.business, is_business_leader=1),
        plain=person(m.plain),
    )

    def party_activity():
        doc = frappe.get_doc({
            "doctype": ACTIVITY, "activity_title": f"党员教育-{k}", "block": "Party Building",
            "activity_type": "Party Member Education", "service_center": center, "activity_date": f"{Y}-03-10",
            "class_hours": 2,
        })
        for role in ("is_party_member", "is_liaison"):
            doc.add_participants_from_roster(org, role)
        return doc.insert()

    activity = as_user(users.staff, party_activity).name
    # the quota reminders of the 4th quarter, as the daily job writes them (ledger rows and the
    # staff's one digest of the day, issue 18 §1)
    from shuangfuhua_app.incubation import create_reminders, reminders_for

    due = reminders_for(org, AS_OF)
    create_reminders([(key, rule, org, center, period, msg, AS_OF, [users.staff]) for key, rule, period, msg in due])
    keys = {key for key, *_ in due}
    tokens = {user: api_token(user) for user in vars(users).values()}
    assert {f"R-7.3.2c|{ids.party}|{Y}-Q4", f"R-7.3.1a|{ids.worker}|{Y}-Q4", f"R-7.3.1a|{ids.business}|{Y}-Q4"} <= keys
    frappe.db.commit()
    return SimpleNamespace(center=center, org=org, users=users, m=m, ids=ids, pid=pid, phone=phone,
                           activity=activity, k=k, tokens=tokens)


#: every 5xx seen (a server error fails the test as a leak does)
SERVER_ERRORS: list[str] = []


class Client:
    def __init__(self, x, user: str):
        self.session = requests.Session()
        self.session.headers.update({"Host": frappe.local.site, "Accept": "application/json",
                                     "Authorization": x.tokens[user]})

    def send(self, method: str, path: str, **kw) -> requests.Response:
        for attempt in range(5):  # the development server reloads when a file changes
            try:
                r = self.session.request(method, f"{URL}{path}", timeout=120, allow_redirects=False, **kw)
                break
            except requests.ConnectionError:
                if attempt == 4:
                    raise
                time.sleep(3)
        if r.status_code >= 500:
            try:
                where = json.loads(r.json()["exc"])[0].strip().splitlines()[-1]
            except (ValueError, KeyError, IndexError):
                where = r.text[-300:]
            SERVER_ERRORS.append(f"{method} {path} ({kw.get('data', {}).get('report_name', '')}) -> {r.status_code}: {where}")
        return r


def text(r: requests.Response) -> str:
    """Everything a response carries, readable: JSON with its escapes undone, an xlsx's cells."""
    if r.content[:2] == b"PK":
        return workbook_text(r.content)
    try:
        return json.dumps(r.json(), ensure_ascii=False)
    except ValueError:
        return r.text


def workbook_text(content: bytes, skip=None) -> str:
    """Every cell of every sheet; ``skip(sheet_title, header) -> bool`` leaves out a column."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    out = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = rows[0] if rows else ()
        for row in rows:
            out += [str(v) for i, v in enumerate(row)
                    if v is not None and not (skip and i < len(header) and skip(ws.title, header[i]))]
    return "\n".join(out)


def restricted(x) -> dict[str, str]:
    """What a limited reader must never receive: the names of Party members, post holders and
    Party-activity participants, and personal data."""
    return {x.m.party: "party member", x.m.liaison: "liaison", x.m.instructor: "instructor",
            x.m.worker: "party affairs worker", x.pid: "resident ID", x.phone: "phone"}


def leaks(x, body: str) -> list[str]:
    return [what for marker, what in restricted(x).items() if marker in body]


def routes(x) -> list[tuple[str, str, str, dict]]:
    """(label, method, path, kwargs) of every route of this test that shows figures or names."""
    filters = json.dumps({"service_center": x.center, "year": Y, "from_date": f"{Y}-01-01", "to_date": f"{Y}-12-31"})
    out = [
        ("compliance", "GET", "/api/method/shuangfuhua_app.incubation.get_compliance",
         {"params": {"organization": x.org, "year": Y}}),
        ("organization form and timeline", "GET", "/api/method/frappe.desk.form.load.getdoc",
         {"params": {"doctype": ORG, "name": x.org}}),
        ("timeline comments", "GET", "/api/resource/Comment",
         {"params": {"filters": json.dumps({"reference_doctype": ORG, "reference_name": x.org}),
                     "fields": json.dumps(["content"]), "limit_page_length": 0}}),
        ("reminders ledger", "GET", "/api/resource/SFH Reminder",
         {"params": {"filters": json.dumps({"organization": x.org}), "fields": json.dumps(["name", "message"])}}),
        ("party activity form", "GET", "/api/method/frappe.desk.form.load.getdoc",
         {"params": {"doctype": ACTIVITY, "name": x.activity}}),
        ("party activity REST", "GET", f"/api/resource/{ACTIVITY}/{x.activity}", {}),
        ("participants as child columns", "GET", "/api/method/frappe.desk.reportview.get",
         {"params": {"doctype": ACTIVITY, "filters": json.dumps({"name": x.activity}),
                     "fields": json.dumps(["`tabIncubation Activity`.`name`",
                                           "`tabIncubation Activity Participant`.`member_name`",
                                           "`tabIncubation Activity Participant`.`member`"])}}),
        ("party activity print", "GET", "/api/method/frappe.www.printview.get_html_and_style",
         {"params": {"doc": ACTIVITY, "name": x.activity, "print_format": "Standard"}}),
        ("roster record of the liaison", "GET", f"/api/resource/{MEMBER}/{x.ids.liaison}", {}),
        ("add participants from roster", "POST", "/api/method/run_doc_method",
         {"data": {"dt": ACTIVITY, "dn": x.activity, "method": "add_participants_from_roster",
                   "args": json.dumps({"organization": x.org, "role": "is_party_member"})}}),
        ("add participants (everyone)", "POST", "/api/method/run_doc_method",
         {"data": {"dt": ACTIVITY, "dn": x.activity, "method": "add_participants_from_roster",
                   "args": json.dumps({"organization": x.org})}}),
        ("ledger", "GET", "/api/method/shuangfuhua_app.ledger.export_ledger",
         {"params": {"service_center": x.center, "year": Y, "half": 1}}),
        ("training report export", "POST", "/api/method/frappe.desk.query_report.export_query",
         {"data": {"report_name": "Training Hours and Reserve Talent", "filters": filters,
                   "file_format_type": "CSV", "visible_idx": "[]"}}),
    ]
    out += [(f"report {name}", "POST", "/api/method/frappe.desk.query_report.run",
             {"data": {"report_name": name, "filters": filters}}) for name in REPORTS]
    return out


def people_header(content: bytes) -> tuple:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb[frappe._("People")[:31]]
    return next(ws.iter_rows(max_row=1, values_only=True), ())


def party_labels() -> dict[str, str]:
    meta = frappe.get_meta(MEMBER)
    return {f: frappe._(meta.get_label(f), context=MEMBER) for f in PARTY_POST_FIELDS}


def _ledger_names_column(title, header) -> bool:
    """The roster sheet's name column: every person is listed by name there – a name alone
    tells nothing about Party membership (the Party columns are what must be missing)."""
    return title == frappe._("People") and header in (frappe._("Name", context=MEMBER), frappe._("Name"))


PARTY_POST_FIELDS = ("is_party_member", "is_liaison", "is_instructor", "is_party_affairs_worker")


def test_limited_readers_see_figures_not_names(x):
    found = []
    for who in LIMITED:
        client = Client(x, getattr(x.users, who))
        for label, method, path, kw in routes(x):
            r = client.send(method, path, **kw)
            if label == "ledger" and r.status_code == 200:
                body = workbook_text(r.content, skip=_ledger_names_column)
                header = people_header(r.content)
                found += [f"{who}: the ledger's roster has the column {h}" for h in party_labels().values() if h in header]
            elif label.startswith("roster record"):
                # the person's name is roster data (permlevel 0); what must be missing is the Party post
                body = text(r).replace(f"张{x.m.liaison}", "")
                if r.status_code == 200:
                    data = r.json()["data"]
                    # Frappe sends a withheld Check as 0: the liaison's own post (1) must not come through
                    found += [f"{who}: {label} shows {f}={data[f]}" for f in PARTY_POST_FIELDS if data.get(f)]
            else:
                body = text(r)
            found += [f"{who}: {label} -> {r.status_code} leaked the {what}" for what in leaks(x, body)]
            if label.startswith("add participants"):
                assert r.status_code == 403, f"{who}: {label} -> {r.status_code} {r.text[:200]}"
    assert not found, "\n".join(found)



def training_report(user, x) -> dict:
    from frappe.desk.query_report import run

    return as_user(user, run, "Training Hours and Reserve Talent", {"service_center": x.center, "year": Y})


def test_leaders_still_get_the_figures(x):
    """The compliance panel keeps every figure for the leader: the business leader by name,
    the Party member and the party affairs worker as numbered figures (“第1名党员”)."""
    client = Client(x, x.users.leader)
    r = client.send("GET", "/api/method/shuangfuhua_app.incubation.get_compliance",
                    params={"organization": x.org, "year": Y})
    rows = r.json()["message"]["rows"]
    body = text(r)
    assert x.m.business in body and "第1名党员" in body and "第1名党务工作者" in body
    assert sum(1 for row in rows if row["rule"] == "R-7.3.1a") == 2  # the worker's and the business leader's
    # the organization's form and timeline open for the leader and name no Party member or post
    # holder (reminders now go to the staff's daily digest, not onto the organization's timeline)
    r = client.send("GET", "/api/method/frappe.desk.form.load.getdoc", params={"doctype": ORG, "name": x.org})
    assert r.status_code == 200, r.text[:300]
    timeline = text(r)
    assert x.m.party not in timeline and x.m.worker not in timeline
    # the training report counts the hidden quotas in its summary – the same figures as staff's
    # (in the process: the report's own figures; the HTTP route is probed above)
    runs = {who: training_report(user, x) for who, user in (("leader", x.users.leader), ("staff", x.users.staff))}
    summary = {who: {s["label"]: s["value"] for s in out["report_summary"]} for who, out in runs.items()}
    assert summary["leader"] == summary["staff"]
    measured = summary["staff"][frappe._("Quotas Measured")]
    assert measured == 3  # class hours of the worker and of the business leader, rotation of the party member
    assert [r["member_name"] for r in runs["leader"]["result"] if r] == [f"张{x.m.business}"]


def test_center_staff_still_see_names_and_posts(x):
    staff = Client(x, x.users.staff)
    body = text(staff.send("GET", "/api/method/shuangfuhua_app.incubation.get_compliance",
                           params={"organization": x.org, "year": Y}))
    assert x.m.party in body and x.m.worker in body
    body = text(staff.send("GET", "/api/method/frappe.desk.form.load.getdoc",
                           params={"doctype": ACTIVITY, "name": x.activity}))
    assert x.m.party in body and x.m.liaison in body
    r = staff.send("POST", "/api/method/run_doc_method",
                   data={"dt": ACTIVITY, "dn": x.activity, "method": "add_participants_from_roster",
                         "args": json.dumps({"organization": x.org, "role": "is_instructor"})})
    assert r.status_code == 200 and r.json()["message"] == 1 and x.m.instructor in text(r)
    ledger = staff.send("GET", "/api/method/shuangfuhua_app.ledger.export_ledger",
                        params={"service_center": x.center, "year": Y, "half": 1})
    cells = workbook_text(ledger.content)
    header = people_header(ledger.content)
    assert all(h in header for h in party_labels().values()), header
    assert x.phone in cells and x.pid not in cells  # ID numbers are never exported
    out = json.dumps(training_report(x.users.staff, x)["result"], ensure_ascii=False, default=str)
    assert x.m.worker in out and x.m.party in out
    # the reminders ledger (staff only) and the staff's digest name no Party member either
    from digests import digests, per_record_todos

    rows = frappe.get_all("SFH Reminder", filters={"organization": x.org}, fields=["name", "message", "job"])
    assert {f"R-7.3.1a|{x.ids.worker}|{Y}-Q4", f"R-7.3.2c|{x.ids.party}|{Y}-Q4"} <= {r.name for r in rows}
    assert {r.job for r in rows} == {"incubation.send_reminders"}
    digest = [d.description for d in digests(x.users.staff, "incubation.send_reminders")]
    assert len(digest) == 1 and "R-7.3.1a" in digest[0]
    assert per_record_todos(ORG, [x.org]) == 0  # no ToDo on the organization's timeline
    assert not [t for t in [r.message for r in rows] + digest if leaks(x, t)]

def test_no_server_error(x):
    """Runs last of the HTTP tests: every request above answered without a 5xx."""
    assert not SERVER_ERRORS, "\n".join(sorted(set(SERVER_ERRORS)))


def test_patch_unnames_reminders_written_before(x):
    """A site that ran the app before has reminders naming the Party member and the party affairs
    worker, in the ledger, the ToDos and the “assigned” comments on the organization's timeline:
    the patch replaces the names there (and keeps the business leader's)."""
    from shuangfuhua_app.incubation import _remind
    from shuangfuhua_app.patches.party_posts_restricted import unname_reminders

    old = {
        f"R-7.3.2c|{x.ids.party}|{Y - 1}-Q4": ("R-7.3.2c", f"甲组织：党员张{x.m.party}{Y - 1}年参加集中轮训 0/1 次"),
        f"R-7.3.1a|{x.ids.worker}|{Y - 1}-Q4": ("R-7.3.1a", f"甲组织：党务工作者张{x.m.worker}{Y - 1}年培训 0/18 课时"),
        f"R-7.3.1a|{x.ids.business}|{Y - 1}-Q4": ("R-7.3.1a", f"甲组织：业务领军人才张{x.m.business}{Y - 1}年培训 0/18 课时"),
    }
    for key, (rule, message) in old.items():
        assert _remind(key, rule, x.org, x.center, f"{Y - 1}-Q4", message, AS_OF, users=[x.users.staff])
    texts = lambda: (  # noqa: E731
        frappe.get_all("SFH Reminder", filters={"name": ("in", list(old))}, pluck="message")
        + frappe.get_all("ToDo", filters={"reference_type": ORG, "reference_name": x.org}, pluck="description")
        + frappe.get_all("Comment", filters={"reference_doctype": ORG, "reference_name": x.org}, pluck="content")
    )
    assert [t for t in texts() if leaks(x, t)]  # the old texts do name them (the check can fail)
    unname_reminders()
    after = "\n".join(texts())
    assert not leaks(x, after), after
    assert "甲组织：一名党员" in after and "甲组织：一名党务工作者" in after and x.m.business in after
    frappe.db.rollback()
