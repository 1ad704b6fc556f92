"""Isolation that finds leaks nobody listed (issue 7 §2, R-SCOPE, R-PRIV).

Every text field of every record of organization B – and of B's center Y's records that
belong to no organization, child rows and attachments included – carries a unique marker;
B's personal data (ID numbers, phones) carries unique values.  Then every kind of user
outside that scope calls every route we know of: the generic record routes, every list
route of every DocType of the scope declaration (child tables with ``parent=``, ``File``),
history, comments, assignments, global search, the portal pages and every whitelisted
method of the app.  A marker anywhere in a response body is a leak – whatever the status:
an error message that quotes B's data leaks too.  Markers never stand in record names, so
an error that echoes the name the request sent is not a leak.

Inside Y, reviewers and leaders read B's application but never receive ID numbers, phones
or Party membership (App. C, the roster's Party roles); the organization and the center's
staff do.  Controls show that every user reaches their own records and that the markers do
reach the pages where they belong (the public notice), so the test can fail.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import re
import time
from types import SimpleNamespace

import frappe
import pytest
import requests

from factory import World, allow_many_users, api_token, make_org, make_user, uid
from seeds import build_target, mark, target_records
from shuangfuhua_app.scope import CHILD_SCOPE, SHARED_DOCTYPES, scoped_doctypes

URL = os.environ.get("SFH_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no web server (SFH_URL) for the marker isolation test")
q = json.dumps


class Client:
    """One user's HTTP client: API token (or none, for a guest)."""

    def __init__(self, label: str, user: str | None):
        self.label, self.user = label, user
        self.session = requests.Session()
        self.session.headers.update({"Host": frappe.local.site, "Accept": "application/json"})
        if user:
            self.session.headers["Authorization"] = api_token(user)

    def send(self, method: str, path: str, **kw) -> requests.Response:
        return self.session.request(method, f"{URL}{path}", timeout=60, allow_redirects=False, **kw)


class Sweep:
    """Counts requests and collects leaks: any forbidden string in any response body."""

    def __init__(self):
        self.count = 0
        self.leaks: list[str] = []
        self.statuses: dict[int, int] = {}
        self.server_errors: list[str] = []

    def probe(self, client: Client, forbidden: dict[str, str], label: str, method: str, path: str, **kw):
        r = client.send(method, path, **kw)
        self.count += 1
        self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
        if r.status_code >= 500:
            self.server_errors.append(f"{client.label}: {label} -> {r.status_code}")
        body = r.text
        found = [m for m in set(_MARKER.findall(body)) if m in forbidden]
        found += [v for v in forbidden if not v.startswith("MK") and v in body]
        if found:
            where = sorted({forbidden[m] for m in found})[:3]
            self.leaks.append(f"{client.label}: {label} ({method} {path}) -> {r.status_code} leaked {where}")
        return r

    def control(self, client: Client, label: str, method: str, path: str, expect: str, **kw):
        r = client.send(method, path, **kw)
        self.count += 1
        assert r.status_code == 200 and expect in readable(r), f"control {client.label} {label}: {r.status_code} {r.text[:300]}"
        return r


def readable(r: requests.Response) -> str:
    """The body with JSON's \\u escapes undone (names are Chinese)."""
    try:
        return json.dumps(r.json(), ensure_ascii=False)
    except ValueError:
        return r.text


_MARKER = re.compile(r"MK[A-Z0-9]{4}\d{5}")


# ---------------------------------------------------------------------------- world


@pytest.fixture(scope="module")
def world():
    allow_many_users()
    for attempt in range(3):  # a shared development site may deadlock with other writers; CI has none
        try:
            return _world()
        except frappe.QueryDeadlockError:
            frappe.db.rollback()
            if attempt == 2:
                raise


def _world():
    run = uid(4).upper()
    y = World()  # center Y: its own organization is A (same center and community as B)
    org_b = make_org(y.center, y.community)
    rep_b = make_user(["Organization Representative"], orgs=[org_b])
    target = build_target(y, org_b, rep_b)
    x = World()  # another center
    own_x = x.apply()  # a record each user of X must reach (control)
    frappe.db.commit()
    users = {
        "rep of another org (same center)": y.rep,
        "rep linked to nothing": make_user(["Organization Representative"]),
        "staff of another center": x.staff,
        "head of another center": x.head,
        "township leader of another center": make_user(["Township Leader"], centers=[x.center]),
        "supervisory unit of another center": make_user(["Business Supervisory Unit"], centers=[x.center]),
        "leading group office of another district": make_user(["Leading Group Office"], centers=[x.center]),
        "community worker of another center": make_user(["Community Worker"], communities=[x.community]),
        "reviewer of another center": make_user(["Review Panel Member"], centers=[x.center]),
        "guest": None,
    }
    inside = {
        "reviewer of the same center": make_user(["Review Panel Member"], centers=[y.center]),
        "township leader of the same center": make_user(["Township Leader"], centers=[y.center]),
        "supervisory unit of the same center": make_user(["Business Supervisory Unit"], centers=[y.center]),
    }
    w = SimpleNamespace(
        run=run, x=x, y=y, org_b=org_b, rep_b=rep_b, target=target, own_x=own_x,
        clients={label: Client(label, user) for label, user in users.items()},
        inside={label: Client(label, user) for label, user in inside.items()},
    )
    frappe.db.commit()  # users, permissions and API keys reach the web server
    w.records = target_records(org_b, y.center)
    w.marks = mark(w.records, run)
    return w


def test_every_scoped_doctype_is_seeded(world):
    """A DocType added to the scope declaration needs a seed in seeds.py (else it goes unprobed)."""
    of_someone = {d for d in scoped_doctypes() if not set(CHILD_SCOPE.get(d, ())) <= set(SHARED_DOCTYPES) or d not in CHILD_SCOPE}
    missing = sorted(d for d in of_someone if frappe.db.table_exists(d) and not world.records.get(d))
    assert not missing, f"no record of {missing} for organization B / center Y: add a seed to tests/integration/seeds.py"
    assert len(world.marks.secret) > 100 and world.marks.pii and world.marks.political and world.marks.public


# ---------------------------------------------------------------------------- routes


def record_routes(doctype: str, name: str) -> list[tuple[str, str, str, dict]]:
    flt = q([[doctype, "name", "=", name]])
    return [
        ("REST get", "GET", f"/api/resource/{doctype}/{name}", {}),
        ("REST update", "PUT", f"/api/resource/{doctype}/{name}", {"json": {"modified_by": "Administrator"}}),
        ("REST delete", "DELETE", f"/api/resource/{doctype}/{name}", {}),
        ("client.get", "GET", "/api/method/frappe.client.get", {"params": {"doctype": doctype, "name": name}}),
        ("client.get_value", "GET", "/api/method/frappe.client.get_value",
         {"params": {"doctype": doctype, "filters": q({"name": name}), "fieldname": q(["*"])}}),
        ("client.set_value", "POST", "/api/method/frappe.client.set_value",
         {"data": {"doctype": doctype, "name": name, "fieldname": "modified_by", "value": "Administrator"}}),
        ("desk getdoc", "GET", "/api/method/frappe.desk.form.load.getdoc", {"params": {"doctype": doctype, "name": name}}),
        ("desk docinfo", "GET", "/api/method/frappe.desk.form.load.get_docinfo",
         {"params": {"doctype": doctype, "name": name}}),
        ("reportview one", "GET", "/api/method/frappe.desk.reportview.get",
         {"params": {"doctype": doctype, "filters": flt, "fields": q([f"`tab{doctype}`.*"])}}),
        ("linked docs", "GET", "/api/method/frappe.desk.form.linked_with.get",
         {"params": {"doctype": doctype, "docname": name}}),
        ("print view", "GET", "/printview", {"params": {"doctype": doctype, "name": name, "trigger_print": "0"}}),
        ("print html", "GET", "/api/method/frappe.www.printview.get_html_and_style",
         {"params": {"doc": doctype, "name": name, "print_format": "Standard"}}),
        ("pdf", "GET", "/api/method/frappe.utils.print_format.download_pdf", {"params": {"doctype": doctype, "name": name}}),
    ]


def list_routes(doctype: str) -> list[tuple[str, str, str, dict]]:
    every = q(["*"])
    routes = [
        ("REST list", "GET", f"/api/resource/{doctype}", {"params": {"fields": every, "limit_page_length": 0}}),
        ("client.get_list", "GET", "/api/method/frappe.client.get_list",
         {"params": {"doctype": doctype, "fields": every, "limit_page_length": 0}}),
        ("reportview", "GET", "/api/method/frappe.desk.reportview.get",
         {"params": {"doctype": doctype, "fields": q([f"`tab{doctype}`.*"]), "page_length": 10000}}),
        ("export csv", "POST", "/api/method/frappe.desk.reportview.export_query",
         {"data": {"doctype": doctype, "file_format_type": "CSV", "fields": q([f"`tab{doctype}`.*"]),
                   "title": doctype}}),
        ("search_link", "GET", "/api/method/frappe.desk.search.search_link",
         {"params": {"doctype": doctype, "txt": "", "page_length": 1000}}),
        ("search_widget", "GET", "/api/method/frappe.desk.search.search_widget",
         {"params": {"doctype": doctype, "txt": "MK", "page_length": 1000}}),
        ("group-by count", "GET", "/api/method/frappe.desk.listview.get_group_by_count",
         {"params": {"doctype": doctype, "current_filters": "[]", "field": "owner"}}),
    ]
    if doctype in CHILD_SCOPE:  # Frappe answers these for child tables without the parent's rows (issue 7 §1)
        for parent in CHILD_SCOPE[doctype]:
            routes += [
                (f"REST list parent={parent}", "GET", f"/api/resource/{doctype}",
                 {"params": {"parent": parent, "fields": every, "limit_page_length": 0}}),
                (f"client.get_list parent={parent}", "GET", "/api/method/frappe.client.get_list",
                 {"params": {"doctype": doctype, "parent": parent, "fields": every, "limit_page_length": 0}}),
                (f"client.get_value parent={parent}", "GET", "/api/method/frappe.client.get_value",
                 {"params": {"doctype": doctype, "parent": parent, "filters": q({"parenttype": parent}),
                             "fieldname": every}}),
                (f"client.get_count parent={parent}", "GET", "/api/method/frappe.client.get_count",
                 {"params": {"doctype": doctype, "parent": parent}}),
            ]
    return routes


def portal_routes(world) -> list[tuple[str, str, str, dict]]:
    recs = world.target.records
    routes = [(f"page {p}", "GET", p, {}) for p in ("/my-incubation", "/my-reports", "/apply/list", "/notices", "/me")]
    for app in (recs["application"], recs["draft"]):
        routes += [
            (f"web form /apply/{app.name}", "GET", f"/apply/{app.name}", {}),
            ("web form data", "GET", "/api/method/frappe.website.doctype.web_form.web_form.get_form_data",
             {"params": {"doctype": "Incubation Application", "docname": app.name,
                         "web_form_name": "incubation-application"}}),
        ]
    for f in recs["files"].values():
        routes += [(f"download {f.file_url}", "GET", f.file_url, {}),
                   ("download_file", "GET", "/api/method/frappe.utils.file_manager.download_file",
                    {"params": {"file_url": f.file_url}})]
    return routes


def history_routes(world) -> list[tuple[str, str, str, dict]]:
    names = sorted({n for doctype, ns in world.records.items() if doctype not in CHILD_SCOPE for n in ns})
    every = q(["*"])
    out = []
    for doctype, field in (("Version", "docname"), ("Comment", "reference_name"), ("ToDo", "reference_name"),
                           ("Activity Log", "reference_name"), ("Communication", "reference_name")):
        out.append((f"{doctype} of B", "GET", f"/api/resource/{doctype}",
                    {"params": {"filters": q([[field, "in", names]]), "fields": every, "limit_page_length": 0}}))
        out.append((f"{doctype} all", "GET", f"/api/resource/{doctype}", {"params": {"fields": every, "limit_page_length": 0}}))
    out += [
        ("global search", "GET", "/api/method/frappe.utils.global_search.search",
         {"params": {"text": f"MK{world.run}", "limit": 500}}),
        ("global search web", "GET", "/api/method/frappe.utils.global_search.web_search",
         {"params": {"text": f"MK{world.run}", "limit": 500}}),
        ("awesome bar", "GET", "/api/method/frappe.desk.search.search_widget",
         {"params": {"doctype": "Incubation Application", "txt": f"MK{world.run}"}}),
        ("notifications", "GET", "/api/method/frappe.desk.doctype.notification_log.notification_log.get_notification_logs", {}),
    ]
    return out


def app_methods() -> list[tuple[str, inspect.Signature]]:
    """Every whitelisted function of the app (imported so that their decorators register)."""
    import shuangfuhua_app

    for info in pkgutil.walk_packages(shuangfuhua_app.__path__, "shuangfuhua_app."):
        if ".tests" in info.name or info.name.endswith(".hooks") or ".test_" in info.name:
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # a module that only imports inside a request (e.g. www pages)
            continue
    found = []
    for fn in frappe.whitelisted:
        module = getattr(fn, "__module__", "") or ""
        if module.startswith("shuangfuhua_app") and "." not in fn.__qualname__:
            found.append((f"{module}.{fn.__name__}", inspect.signature(fn)))
    return sorted(found, key=lambda m: m[0])


def method_routes(world) -> list[tuple[str, str, str, dict]]:
    recs = world.target.records
    guesses = {
        "organization": world.org_b, "org": world.org_b, "name": recs["draft"].name, "docname": recs["draft"].name,
        "application": recs["application"].name, "agreement": recs["agreement"].name, "notice": recs["notice"].name,
        "doctype": "Incubation Application", "email": f"probe-{uid()}@sfh-test.example", "year": 2025,
    }
    routes = []
    for path, signature in app_methods():
        args = {}
        for param in signature.parameters.values():
            if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
                continue
            args[param.name] = guesses.get(param.name, world.org_b)
        routes.append((f"method {path}", "POST", f"/api/method/{path}", {"data": args}))
        for doctype in ("Venture Project", "Consultation"):
            if "doctype" in args:
                name = recs["reports"][doctype].name
                routes.append((f"method {path} {doctype}", "POST", f"/api/method/{path}",
                               {"data": {**args, "doctype": doctype, "name": name}}))
    # a document method on the caller's own record, pointed at B (bulk roster import)
    routes.append(("run_doc_method roster of B", "POST", "/api/method/run_doc_method",
                   {"data": {"method": "add_participants_from_roster", "args": q({"organization": world.org_b}),
                             "docs": q({"doctype": "Incubation Activity", "activity_title": "x", "block": "Party Building",
                                        "activity_type": "Party Member Education", "service_center": world.x.center,
                                        "activity_date": "2025-06-10", "__islocal": 1, "name": "new-incubation-activity-1"})}}))
    return routes


def all_routes(world) -> list[tuple[str, str, str, dict]]:
    routes = []
    for doctype, names in world.records.items():
        if doctype in CHILD_SCOPE:
            continue
        for name in names[:2]:
            routes += [(f"{doctype} {name}: {label}", m, p, kw) for label, m, p, kw in record_routes(doctype, name)]
    for doctype in sorted(scoped_doctypes() | {"File"}):
        if frappe.db.table_exists(doctype):
            routes += [(f"{doctype}: {label}", m, p, kw) for label, m, p, kw in list_routes(doctype)]
    return routes + portal_routes(world) + history_routes(world) + method_routes(world)


# ---------------------------------------------------------------------------- tests


def _controls(world, sweep: Sweep):
    c, x = world.clients, world.x
    for label in ("staff of another center", "head of another center"):
        sweep.control(c[label], "own application", "GET", f"/api/resource/Incubation Application/{world.own_x.name}",
                      world.own_x.name)
    for label in ("township leader of another center", "supervisory unit of another center",
                  "leading group office of another district", "community worker of another center",
                  "reviewer of another center"):
        sweep.control(c[label], "own organization", "GET", f"/api/resource/Community Social Organization/{x.org}", x.org)
    sweep.control(c["rep of another org (same center)"], "own organization", "GET",
                  f"/api/resource/Community Social Organization/{world.y.org}", world.y.org)
    sweep.control(c["rep linked to nothing"], "logged in", "GET", "/api/method/frappe.auth.get_logged_user", "@sfh-test")
    public = next(iter(world.marks.public))
    sweep.control(c["guest"], "the public notice shows what it publishes", "GET", "/notices", public)


def test_nobody_outside_reaches_organization_b_or_center_y(world):
    sweep = Sweep()
    _controls(world, sweep)
    forbidden = {**world.marks.secret, **world.marks.political, **world.marks.pii}
    routes = all_routes(world)
    only = os.environ.get("SFH_MARKER_ONLY")  # e.g. "staff" while debugging one kind of user
    clients = [c for label, c in world.clients.items() if not only or only in label]
    for client in clients:
        started, before = time.monotonic(), sweep.count
        for label, method, path, kw in routes:
            sweep.probe(client, forbidden, label, method, path, **kw)
        print(f"  {client.label}: {sweep.count - before} requests in {time.monotonic() - started:.0f} s", flush=True)
    frappe.db.rollback()
    frappe.cache.delete_keys("rl:")  # the objection form's rate limit was hit on purpose
    # nothing was changed by the attempts either
    changed = frappe.get_all("Incubation Application", filters={"organization": world.org_b, "modified_by": ("!=", "Administrator")},
                             pluck="name", ignore_permissions=True)
    changed = [n for n in changed if frappe.db.get_value("Incubation Application", n, "modified_by") in
               {c.user for c in world.clients.values() if c.user}]
    print(f"\nmarker isolation: {sweep.count} requests as {len(world.clients)} outsiders over {len(routes)} routes; "
          f"{len(world.marks.secret) + len(world.marks.political)} markers, {len(world.marks.pii)} personal values; "
          f"{len(sweep.leaks)} leaks; statuses {dict(sorted(sweep.statuses.items()))}")
    if sweep.server_errors:
        print("server errors (not leaks):\n  " + "\n  ".join(sweep.server_errors[:20]))
    assert not sweep.leaks, f"{len(sweep.leaks)} leaks:\n" + "\n".join(sweep.leaks[:60])
    assert not changed, changed
    assert sweep.count >= (1500 if not only else 1)


def test_inside_the_center_personal_data_and_party_membership_stay_with_staff(world):
    """R-PRIV (issue 7 §3): reviewers, leaders and the supervisory unit of Y read B's
    application and roster, but never ID numbers, phones or who is a Party member."""
    sweep = Sweep()
    recs = world.target.records
    app = recs["application"].name
    marker_of = {v: k for k, v in world.marks.secret.items()}
    main_activities = marker_of[f"Incubation Application {app}.main_activities"]
    for client in world.inside.values():
        sweep.control(client, "B's application", "GET", f"/api/resource/Incubation Application/{app}", main_activities)
    forbidden = {**world.marks.political, **world.marks.pii}
    routes = []
    for doctype in ("Incubation Application", "Organization Member", "Incubation Activity", "Notice Objection"):
        for name in world.records.get(doctype, [])[:2]:
            routes += [(f"{doctype} {name}: {label}", m, p, kw) for label, m, p, kw in record_routes(doctype, name)
                       if m == "GET"]
        routes += [(f"{doctype}: {label}", m, p, kw) for label, m, p, kw in list_routes(doctype)]
    for child in ("Application Party Member", "Incubation Activity Participant"):
        routes += [(f"{child}: {label}", m, p, kw) for label, m, p, kw in list_routes(child)]
    for client in world.inside.values():
        for label, method, path, kw in routes:
            sweep.probe(client, forbidden, label, method, path, **kw)
    # the center's staff and the organization itself do read them (the check can fail)
    draft = recs["draft"].name
    row = frappe.get_all("Application Party Member", filters={"parent": draft}, pluck="name", ignore_permissions=True)[0]
    member_marker = {v: k for k, v in world.marks.political.items()}[f"Application Party Member {row}.member_name"]
    resident_id = {v: k for k, v in world.marks.pii.items()}[f"Application Party Member {row}.resident_id"]
    readers = (Client("staff of Y", world.y.staff), Client("representative of B", world.rep_b))
    frappe.db.commit()
    for client in readers:
        r = sweep.control(client, "App. C", "GET", f"/api/resource/Incubation Application/{draft}", member_marker)
        assert resident_id in r.text, client.label
    print(f"\npersonal data inside the center: {sweep.count} requests as {len(world.inside)} users; "
          f"{len(sweep.leaks)} leaks")
    assert not sweep.leaks, "\n".join(sweep.leaks[:60])



# ---------------------------------------------------------------------------- filter oracles (issue 14 §5)


def _fields_above_permlevel(doctype: str, user: str) -> list[str] | None:
    """The fields of ``doctype`` at a permlevel none of the user's roles reads (from the
    DocType's own permission rows); ``None`` when the user reads no record of it at all."""
    from frappe.model import no_value_fields, table_fields

    meta = frappe.get_meta(doctype)
    roles = set(frappe.get_roles(user))
    levels = {p.permlevel or 0 for p in meta.permissions if p.role in roles and p.read}
    if 0 not in levels:
        return None
    return [df.fieldname for df in meta.fields
            if (df.permlevel or 0) not in levels and (df.fieldtype not in no_value_fields or df.fieldtype in table_fields)]


def test_inside_the_center_nobody_filters_sorts_or_groups_by_what_they_may_not_read(world):
    """R-PRIV (issue 14 §5): for every record DocType of the scope declaration and every field
    above the permlevel of a reviewer, township leader or supervisory unit of Y, a count
    filtered by it, a report view sorted by it and a group-by count on it are refused (403);
    a 500 fails the test as much as a leak does."""
    from shuangfuhua_app.scope import SCOPE_FIELDS

    sweep = Sweep()
    forbidden = {**world.marks.political, **world.marks.pii}
    not_refused = []
    probed = 0
    for client in world.inside.values():
        for doctype in sorted(SCOPE_FIELDS):
            if not frappe.db.table_exists(doctype):
                continue
            hidden = _fields_above_permlevel(doctype, client.user)
            for field in hidden or []:
                probed += 1
                for label, path, params in (
                    ("count filtered", "/api/method/frappe.client.get_count",
                     {"doctype": doctype, "filters": q([[doctype, field, "is", "set"]])}),
                    ("report view sorted", "/api/method/frappe.desk.reportview.get",
                     {"doctype": doctype, "fields": q([f"`tab{doctype}`.`name`"]), "order_by": f"`tab{doctype}`.`{field}` desc"}),
                    ("group-by count", "/api/method/frappe.desk.listview.get_group_by_count",
                     {"doctype": doctype, "current_filters": "[]", "field": field}),
                ):
                    r = sweep.probe(client, forbidden, f"{doctype}.{field}: {label}", "GET", path, params=params)
                    if r.status_code != 403:
                        not_refused.append(f"{client.label}: {doctype}.{field} {label} -> {r.status_code} {r.text[:120]}")
    print(f"\nfilter oracles: {sweep.count} requests over {probed} hidden fields; {len(sweep.leaks)} leaks, "
          f"{len(sweep.server_errors)} server errors, {len(not_refused)} not refused")
    assert probed >= 10, "no field above these readers' permlevel was found: the sweep proves nothing"
    assert not sweep.leaks, "\n".join(sweep.leaks[:60])
    assert not sweep.server_errors, "\n".join(sweep.server_errors[:60])
    assert not not_refused, "\n".join(not_refused[:60])
