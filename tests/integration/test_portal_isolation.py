"""Isolation by construction (issue 4 §6, R-SCOPE, R-PRIV): organization A's representative
tries every route against organization B's records – application, agreement, objection,
attachments, and its consultation, major-event report, venture project and activity report
(§4) – (same center, so the center scope can't help) and every attempt must be refused.  The same routes on A's own records succeed, so
the matrix can fail."""

from __future__ import annotations

import json
import os

import frappe
import pytest
import requests

from factory import World, allow_many_users, api_token, make_org, make_user, uid, web_session
from shuangfuhua_app.permissions import SCOPE_FIELDS

URL = os.environ.get("SFH_URL")
pytestmark = pytest.mark.skipif(not URL, reason="no web server (SFH_URL) for the isolation matrix")

REP = "Organization Representative"


def _records(world: World, org: str, rep: str, tag: str) -> dict:
    """An admitted application with an agreement, a draft application, an objection and
    private attachments of ``org``, each carrying a secret marker."""
    secret = f"SECRET-{tag}-{uid(8)}"
    admitted = world.apply(org=org, as_user=rep, main_activities=f"{secret} 活动")
    world.to_recommended(admitted)
    notice = world.notice([admitted], "2025-09-30")  # ended: processed on publishing -> Admitted
    frappe.set_user(world.staff)
    agreement = frappe.get_doc(
        {"doctype": "Incubation Agreement", "application": admitted.name, "start_date": "2025-10-14",
         "signed_on": "2025-10-14", "party_a_signatory": "李主任", "party_b_signatory": f"{secret}签字人"}
    ).insert()
    agreement.submit()
    frappe.set_user("Administrator")
    draft = world.apply(org=org, as_user=rep, needs=f"{secret} 需求")
    objection = frappe.get_doc(
        {"doctype": "Notice Objection", "public_notice": notice.name, "application": admitted.name,
         "received_on": "2025-10-09 10:00:00", "channel": "Phone", "objector_name": f"{secret}异议人",
         "contact_phone": "13900001111", "content": f"{secret} 异议内容", "status": "Dismissed",
         "handling_note": "经核实不属实"}
    ).insert(ignore_permissions=True)
    files = {}
    for doctype, name, field in (("Incubation Application", draft.name, "charter"), ("Incubation Agreement", agreement.name, "signed_scan")):
        f = frappe.get_doc(
            {"doctype": "File", "file_name": f"{tag}-{field}-{uid()}.txt", "is_private": 1, "content": f"{secret} 文件",
             "attached_to_doctype": doctype, "attached_to_name": name, "attached_to_field": field}
        ).insert(ignore_permissions=True)
        frappe.db.set_value(doctype, name, field, f.file_url)
        files[doctype] = f
    reports = _reports(world, org, rep, secret)
    frappe.db.commit()
    return {"secret": secret, "application": admitted, "draft": draft, "agreement": agreement,
            "objection": objection, "notice": notice, "files": files, "org": org, "reports": reports}


#: issue 4 §4 "Report and ask": doctype -> the Web Form that files it
REPORT_FORMS = {
    "Consultation": "consultation-question",
    "Major Event Report": "major-event-report",
    "Venture Project": "venture-project",
    "Activity Report": "activity-report",
}


def _reports(world: World, org: str, rep: str, secret: str) -> dict:
    """The organization's consultation (answered by the center), major-event report,
    venture project and activity report, filed as its representative, each with the marker."""
    from shuangfuhua_app.utils import today

    frappe.set_user(rep)
    try:
        docs = {
            "Consultation": {"subject": f"{secret} 咨询", "question": f"{secret} 问题", "topic": "Other Topic"},
            "Major Event Report": {"event_title": f"{secret} 活动", "event_date": "2099-12-31",
                                   "event_description": f"{secret} 活动说明"},
            "Venture Project": {"project_name": f"{secret} 项目", "project_field": "Volunteer Service", "budget": 5000,
                                "objectives": f"{secret} 目标"},
            "Activity Report": {"activity_title": f"{secret} 活动报告", "activity_date": str(today()),
                                "content": f"{secret} 活动内容"},
        }
        out = {dt: frappe.get_doc({"doctype": dt, "organization": org, **values}).insert() for dt, values in docs.items()}
    finally:
        frappe.set_user("Administrator")
    frappe.set_user(world.staff)
    try:
        answered = frappe.get_doc("Consultation", out["Consultation"].name)
        answered.answer = f"{secret} 中心答复"
        answered.save()
    finally:
        frappe.set_user("Administrator")
    return out


@pytest.fixture(scope="module")
def matrix():
    allow_many_users()
    world = World()
    org_b = make_org(world.center, world.community)
    rep_b = make_user([REP], orgs=[org_b])
    a = _records(world, world.org, world.rep, "A")
    b = _records(world, org_b, rep_b, "B")
    token = api_token(world.rep)
    frappe.db.commit()
    session = web_session(URL, world.rep)
    return {"world": world, "a": a, "b": b, "token": token, "session": session}


class Prober:
    """Sends requests as A's representative two ways (API token, browser session cookie)."""

    def __init__(self, token: str, session: requests.Session):
        self.host = frappe.local.site
        self.token = token
        self.session = session
        self.count = 0
        self.failures: list[str] = []
        self.statuses: dict[int, int] = {}

    def _send(self, how: str, method: str, path: str, **kw) -> requests.Response:
        self.count += 1
        if how == "token":
            headers = {"Authorization": self.token, "Host": self.host, "Accept": "application/json"}
            return requests.request(method, f"{URL}{path}", headers=headers, timeout=30, allow_redirects=False, **kw)
        return self.session.request(method, f"{URL}{path}", headers={"Accept": "application/json"}, timeout=30,
                                    allow_redirects=False, **kw)

    def refused(self, label: str, method: str, path: str, secrets: list[str], **kw):
        """Refused = an error status, or a success that carries none of the target's data."""
        for how in ("token", "session"):
            r = self._send(how, method, path, **kw)
            self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
            leaked = [s for s in secrets if s in r.text]
            if r.status_code < 400 and leaked:
                self.failures.append(f"{label} [{how}] -> {r.status_code} leaked {leaked}")
            elif r.status_code in (301, 302) and "/login" not in r.headers.get("Location", "/login"):
                self.failures.append(f"{label} [{how}] -> redirected to {r.headers.get('Location')}")

    def allowed(self, label: str, method: str, path: str, expect: str, **kw):
        for how in ("token", "session"):
            r = self._send(how, method, path, **kw)
            assert r.status_code == 200 and expect in r.text, f"control {label} [{how}]: {r.status_code} {r.text[:200]}"


def record_routes(doctype: str, name: str) -> list[tuple[str, str, str, dict]]:
    """Every generic route by which a record can be read or changed."""
    q = json.dumps
    flt = q([[doctype, "name", "=", name]])
    return [
        ("REST get", "GET", f"/api/resource/{doctype}/{name}", {}),
        ("REST list", "GET", f"/api/resource/{doctype}", {"params": {"filters": flt, "fields": q(["*"])}}),
        ("REST update", "PUT", f"/api/resource/{doctype}/{name}", {"json": {"needs": "x"}}),
        ("REST delete", "DELETE", f"/api/resource/{doctype}/{name}", {}),
        ("client.get", "GET", "/api/method/frappe.client.get", {"params": {"doctype": doctype, "name": name}}),
        ("client.get_value", "GET", "/api/method/frappe.client.get_value",
         {"params": {"doctype": doctype, "filters": q({"name": name}), "fieldname": q(["*"])}}),
        ("client.get_list", "GET", "/api/method/frappe.client.get_list",
         {"params": {"doctype": doctype, "filters": flt, "fields": q(["*"])}}),
        ("client.set_value", "POST", "/api/method/frappe.client.set_value",
         {"data": {"doctype": doctype, "name": name, "fieldname": "modified_by", "value": "Administrator"}}),
        ("desk getdoc", "GET", "/api/method/frappe.desk.form.load.getdoc", {"params": {"doctype": doctype, "name": name}}),
        ("desk docinfo", "GET", "/api/method/frappe.desk.form.load.get_docinfo", {"params": {"doctype": doctype, "name": name}}),
        ("reportview", "GET", "/api/method/frappe.desk.reportview.get",
         {"params": {"doctype": doctype, "filters": flt, "fields": q([f"`tab{doctype}`.*"])}}),
        ("portal list", "GET", "/api/method/frappe.www.list.get_list_data", {"params": {"doctype": doctype}}),
        ("print view", "GET", "/printview", {"params": {"doctype": doctype, "name": name, "trigger_print": "0"}}),
        ("print html", "GET", "/api/method/frappe.www.printview.get_html_and_style",
         {"params": {"doc": doctype, "name": name, "print_format": "Standard"}}),
        ("pdf", "GET", "/api/method/frappe.utils.print_format.download_pdf", {"params": {"doctype": doctype, "name": name}}),
    ]


def test_org_a_cannot_reach_anything_of_org_b(matrix):
    a, b = matrix["a"], matrix["b"]
    probe = Prober(matrix["token"], matrix["session"])
    secrets = [b["secret"]]

    # controls: the same routes work on A's own records (the matrix can fail)
    probe.allowed("own application", "GET", f"/api/resource/Incubation Application/{a['draft'].name}", a["secret"])
    probe.allowed("own agreement print", "GET", "/printview", a["secret"],
                  params={"doctype": "Incubation Agreement", "name": a["agreement"].name, "trigger_print": "0"})
    probe.allowed("own file", "GET", a["files"]["Incubation Application"].file_url, a["secret"])
    probe.allowed("own web form", "GET", f"/apply/{a['draft'].name}/edit", a["draft"].name)
    for doctype, doc in a["reports"].items():
        route = frappe.db.get_value("Web Form", REPORT_FORMS[doctype], "route")
        probe.allowed(f"own {doctype}", "GET", f"/api/resource/{doctype}/{doc.name}", a["secret"])
        probe.allowed(f"own {doctype} web form", "GET", f"/{route}/{doc.name}/edit", doc.name)
    probe.allowed("own answer on Report and Ask", "GET", "/my-reports", f"{a['secret']} 中心答复")

    targets = [
        ("Incubation Application", b["application"].name),
        ("Incubation Application", b["draft"].name),
        ("Incubation Agreement", b["agreement"].name),
        ("Notice Objection", b["objection"].name),
        ("Community Social Organization", b["org"]),
    ] + [("File", f.name) for f in b["files"].values()] + [(doc.doctype, doc.name) for doc in b["reports"].values()]
    for doctype, name in targets:
        for label, method, path, kw in record_routes(doctype, name):
            probe.refused(f"{doctype} {name}: {label}", method, path, secrets + ([name] if method == "GET" and label not in ("portal list",) else []), **kw)

    # web form routes of B's applications (view, edit, ?name=, the form's data loader, saving over it)
    for app in (b["application"], b["draft"]):
        for path, kw in (
            (f"/apply/{app.name}", {}),
            (f"/apply/{app.name}/edit", {}),
            ("/apply", {"params": {"name": app.name}}),
            ("/apply/new", {"params": {"name": app.name}}),
            ("/api/method/frappe.website.doctype.web_form.web_form.get_form_data",
             {"params": {"doctype": "Incubation Application", "docname": app.name, "web_form_name": "incubation-application"}}),
        ):
            probe.refused(f"web form {path}", "GET", path, secrets, **kw)
        probe.refused(
            f"web form save over {app.name}", "POST", "/api/method/frappe.website.doctype.web_form.web_form.accept",
            secrets, data={"web_form": "incubation-application",
                           "data": json.dumps({"name": app.name, "doctype": "Incubation Application", "needs": "篡改",
                                               "main_activities": "篡改"})},
        )
    # web form routes of B's reports, questions and projects (issue 4 §4)
    for doctype, doc in b["reports"].items():
        form = REPORT_FORMS[doctype]
        route = frappe.db.get_value("Web Form", form, "route")
        for path, kw in (
            (f"/{route}/{doc.name}", {}),
            (f"/{route}/{doc.name}/edit", {}),
            (f"/{route}/new", {"params": {"name": doc.name}}),
            ("/api/method/frappe.website.doctype.web_form.web_form.get_form_data",
             {"params": {"doctype": doctype, "docname": doc.name, "web_form_name": form}}),
        ):
            probe.refused(f"web form {path}", "GET", path, secrets, **kw)
        forged = {"name": doc.name, "doctype": doctype, "subject": "篡改", "question": "篡改", "event_title": "篡改",
                  "event_description": "篡改", "event_date": "2099-12-30", "project_name": "篡改",
                  "project_field": "Volunteer Service", "activity_title": "篡改", "content": "篡改",
                  "activity_date": "2020-01-01", "report_type": "Activity Report"}
        probe.refused(f"web form save over {doc.name}", "POST", "/api/method/frappe.website.doctype.web_form.web_form.accept",
                      secrets, data={"web_form": form, "data": json.dumps(forged)})
    probe.refused("Report and Ask page", "GET", "/my-reports", secrets)
    probe.refused("My Incubation page", "GET", "/my-incubation", secrets)
    frappe.db.rollback()
    for doc in b["reports"].values():
        assert frappe.db.get_value(doc.doctype, doc.name, "modified_by") != matrix["world"].rep, doc.name
    assert "篡改" not in (frappe.db.get_value("Incubation Application", b["draft"].name, "needs") or "")
    assert frappe.db.get_value("Incubation Application", b["draft"].name, "modified_by") != matrix["world"].rep

    # private file downloads and the file records
    for f in b["files"].values():
        probe.refused(f"download {f.file_url}", "GET", f.file_url, secrets)
        probe.refused(f"download {f.file_url} as attachment", "GET", "/api/method/frappe.utils.file_manager.download_file",
                      secrets, params={"file_url": f.file_url})
    # history and comments of B's records
    for doctype, name in targets[:4] + [(doc.doctype, doc.name) for doc in b["reports"].values()]:
        probe.refused(f"versions of {name}", "GET", "/api/resource/Version", secrets,
                      params={"filters": json.dumps([["docname", "=", name]]), "fields": '["*"]'})
        probe.refused(f"comments of {name}", "GET", "/api/resource/Comment", secrets,
                      params={"filters": json.dumps([["reference_name", "=", name]]), "fields": '["*"]'})
        probe.refused(f"search for {name}", "GET", "/api/method/frappe.desk.search.search_link", secrets,
                      params={"doctype": doctype, "txt": name})

    # every scoped record type (including the incubation ones when installed): A's lists hold A's records only
    for doctype, fields in SCOPE_FIELDS.items():
        if not frappe.db.exists("DocType", doctype):
            continue
        org_field = fields.get("org")
        for how in ("token", "session"):
            r = probe._send(how, "GET", f"/api/resource/{doctype}", params={"fields": json.dumps(["*"]), "limit_page_length": 0})
            if r.status_code >= 400:
                continue
            rows = r.json().get("data", [])
            if org_field:
                outside = [row.get("name") for row in rows if row.get(org_field) not in (None, a["org"])]
                if outside:
                    probe.failures.append(f"list {doctype} [{how}] shows other organizations' records {outside}")
            if b["secret"] in r.text:
                probe.failures.append(f"list {doctype} [{how}] leaks B")

    print(f"\nisolation matrix: {probe.count} attempts as {a['org']}'s representative against {b['org']}; "
          f"{len(probe.failures)} not refused; responses by status {dict(sorted(probe.statuses.items()))}")
    assert not probe.failures, "\n".join(probe.failures)
    assert probe.count >= 450  # 522 with the report, question, project and activity-report routes
