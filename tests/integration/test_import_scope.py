"""Issue 14 §4, §5 (R-SCOPE, R-PRIV, R-X-IMPORT): a center's representatives and import files
stay the center's own – over HTTP, as real users (API tokens).

* Staff of center X who invite, for X's organization, the e-mail of center Y's representative
  are refused with a message naming no one; Y's representative keeps exactly its User
  Permissions and still reads its organization.  Someone who holds both centers may move it.
* Center X's Data Import (a roster with resident ID numbers) gives nothing to a representative
  or to staff of another center, nor to its own creator once moved to another center: not
  Frappe's preview (with X's import, or with one's own import and X's file URL, or through
  ``run_doc_method``), not the file (``/private/files/…``, ``frappe.client.get_list``/``get``,
  REST), not the import (list, form), its status, log or errored rows; naming X's file in an
  Attach field of one's own record is refused.  X's staff who made it still use all of it.
* A refused ``add_tag`` answers 403 (Frappe's own answers 500).

Each guard was shown to fail once without its code (see the README's section).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import time

import frappe
import pytest
import requests
from factory import allow_many_users, api_token, as_user, make_center, make_org, make_resident_id, make_user, uid
from test_data_import import MEMBER, filled_template, h, run_import

URL = os.environ.get("SFH_URL")
ORG = "Community Social Organization"
DI = "frappe.core.doctype.data_import.data_import"
pytestmark = pytest.mark.skipif(not URL, reason="needs SFH_URL (the site's web server)")


class Client:
    """One user's HTTP client (API token)."""

    def __init__(self, user: str):
        self.user = user
        self.session = requests.Session()
        self.session.headers.update({"Host": frappe.local.site, "Accept": "application/json"})
        self.session.headers["Authorization"] = api_token(user)

    def send(self, method: str, path: str, **kw) -> requests.Response:
        for attempt in range(20):  # a development server restarts when a file changes
            try:
                return self.session.request(method, f"{URL}{path}", timeout=60, allow_redirects=False, **kw)
            except requests.ConnectionError:
                if attempt == 19:
                    raise
                time.sleep(1)

    def get(self, path: str, **kw) -> requests.Response:
        return self.send("GET", path, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.send("POST", path, **kw)

    def put(self, path: str, **kw) -> requests.Response:
        return self.send("PUT", path, **kw)

    def method(self, _method: str, **data) -> requests.Response:
        return self.post(f"/api/method/{_method}", json=data)


def user_permissions(user: str) -> list[tuple]:
    return sorted(
        frappe.get_all(
            "User Permission",
            filters={"user": user},
            fields=["allow", "for_value", "apply_to_all_doctypes", "applicable_for", "is_default", "hide_descendants"],
            as_list=True,
        )
    )


def attach_file(user: str, doctype: str, name: str, content: bytes, field: str | None = None) -> str:
    def go():
        f = frappe.get_doc(
            {
                "doctype": "File",
                "file_name": f"导入-{uid()}.xlsx",
                "content": content,
                "is_private": 1,
                "attached_to_doctype": doctype,
                "attached_to_name": name,
                "attached_to_field": field,
            }
        ).insert()
        return f.file_url

    return as_user(user, go)


@pytest.fixture(scope="module")
def w():
    allow_many_users()
    for attempt in range(5):  # other suites write Users on the same site: a deadlock is retried
        try:
            return build_world()
        except frappe.QueryDeadlockError:
            frappe.db.rollback()
            if attempt == 4:
                raise


def build_world():
    w = frappe._dict()
    w.x, w.y = make_center(), make_center()
    w.org_x, w.org_y, w.org_y2 = make_org(w.x), make_org(w.y), make_org(w.y)
    w.staff_x = make_user(["Center Staff"], centers=[w.x])
    w.staff_y = make_user(["Center Staff"], centers=[w.y])
    w.moved = make_user(["Center Staff"], centers=[w.x])  # later moved to center Y
    w.both = make_user(["Center Head"], centers=[w.x, w.y])
    w.rep_x = make_user(["Organization Representative"], orgs=[w.org_x])
    w.rep_y = make_user(["Organization Representative"], orgs=[w.org_y])
    w.rep_move = make_user(["Organization Representative"], orgs=[w.org_y2])

    # center X's roster import: a good row and a refused one, each with a resident ID number
    w.name_mark, w.id_good = f"导入标记{uid()}", make_resident_id(datetime.date(1979, 4, 5))
    w.id_bad = make_resident_id(datetime.date(1981, 7, 8))
    w.id_bad = w.id_bad[:-1] + ("0" if w.id_bad[-1] != "0" else "1")  # wrong check digit: refused row
    w.content = filled_template(
        MEMBER,
        w.staff_x,
        [
            {h(MEMBER, "organization"): w.org_x, h(MEMBER, "member_name"): w.name_mark, h(MEMBER, "resident_id"): w.id_good},
            {h(MEMBER, "organization"): w.org_x, h(MEMBER, "member_name"): f"{w.name_mark}乙", h(MEMBER, "resident_id"): w.id_bad},
        ],
    )
    status, refused, made, w.di_x = run_import(MEMBER, w.staff_x, w.content)
    assert status == "Partial Success" and len(made) == 1 and refused, (status, refused)
    w.url_x = frappe.db.get_value("Data Import", w.di_x, "import_file")
    w.file_x = frappe.db.get_value("File", {"file_url": w.url_x, "attached_to_name": w.di_x}, "name")
    assert w.url_x.startswith("/private/files/") and w.file_x
    assert frappe.db.get_value("Data Import", w.di_x, "service_center") == w.x  # set from the staff's center

    # an import the moved staff member made while in center X; then moved to center Y
    w.di_m = as_user(w.moved, lambda: frappe.get_doc(
        {"doctype": "Data Import", "reference_doctype": MEMBER, "import_type": "Insert New Records"}).insert().name)
    w.content_m = filled_template(  # other content: Frappe gives a file of the same content the same URL
        MEMBER, w.moved,
        [{h(MEMBER, "organization"): w.org_x, h(MEMBER, "member_name"): f"{w.name_mark}丙", h(MEMBER, "resident_id"): w.id_good}],
    )
    w.url_m = attach_file(w.moved, "Data Import", w.di_m, w.content_m, "import_file")
    as_user(w.moved, lambda: frappe.get_doc("Data Import", w.di_m).update({"import_file": w.url_m}).save())
    for name in frappe.get_all("User Permission", filters={"user": w.moved, "allow": "Service Center"}, pluck="name"):
        frappe.delete_doc("User Permission", name, ignore_permissions=True)
    frappe.get_doc({"doctype": "User Permission", "user": w.moved, "allow": "Service Center", "for_value": w.y,
                    "apply_to_all_doctypes": 1}).insert(ignore_permissions=True)

    # staff of Y's own import (its own, readable) – to name X's file through it
    w.di_y = as_user(w.staff_y, lambda: frappe.get_doc(
        {"doctype": "Data Import", "reference_doctype": MEMBER, "import_type": "Insert New Records"}).insert().name)
    frappe.db.commit()  # users, tokens, records reach the web server
    w.c = {u: Client(getattr(w, u)) for u in ("staff_x", "staff_y", "moved", "both", "rep_x", "rep_y", "rep_move")}
    frappe.db.commit()
    return w


def marks(w) -> tuple[str, ...]:
    """What X's import file holds or says: nobody outside may see any of it."""
    return (w.name_mark, w.id_good, w.id_bad, w.url_x, w.url_m, w.file_x, w.di_x)


def assert_nothing(r: requests.Response, w, label: str, *statuses: int):
    assert r.status_code < 500, (label, r.status_code, r.text[:300])
    if statuses:
        assert r.status_code in statuses, (label, r.status_code, r.text[:300])
    body = readable(r)
    # what the request named itself (a record's name, a URL) may come back in the refusal
    sent = requests.utils.unquote(r.request.url) + readable_text(r.request.body)
    leaked = [m for m in marks(w) if m and m in body and m not in sent]
    assert not leaked, (label, leaked, [body[max(0, body.index(m) - 300): body.index(m) + 60] for m in leaked])
    assert r.content[:2] != b"PK", (label, "an xlsx came back")


OUTSIDERS = ("staff_y", "rep_y", "rep_x", "moved")


def readable_text(raw) -> str:
    """Text with JSON's \\uXXXX escapes undone, at any depth (server messages are JSON in JSON)."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else (raw or "")
    return re.sub(r"\\+u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def readable(r: requests.Response) -> str:
    return readable_text(r.content)


# ============================================================ representatives (§4)


def test_staff_cannot_take_another_centers_representative(w):
    before = user_permissions(w.rep_y)
    roles = sorted(frappe.get_roles(w.rep_y))
    r = w.c["staff_x"].method("shuangfuhua_app.portal.representatives.invite_representative",
                              organization=w.org_x, email=w.rep_y)
    assert r.status_code == 403, (r.status_code, r.text[:300])
    text = readable(r)
    assert "另一组织的代表" in text  # the Chinese message …
    for secret in (w.org_y, w.y):  # … naming neither the other organization nor its center
        assert secret not in text
    frappe.db.rollback()
    assert user_permissions(w.rep_y) == before  # exactly the access it had
    assert sorted(frappe.get_roles(w.rep_y)) == roles
    assert not frappe.db.exists("Comment", {"reference_name": w.org_x, "content": ("like", f"%{w.rep_y}%")})
    rep = w.c["rep_y"]
    assert rep.get(f"/api/resource/{ORG}/{w.org_y}").status_code == 200  # still reads its organization
    assert rep.get(f"/api/resource/{ORG}/{w.org_x}").status_code == 403  # and not X's


def test_who_holds_both_centers_may_move_a_representative(w):
    r = w.c["both"].method("shuangfuhua_app.portal.representatives.invite_representative",
                           organization=w.org_x, email=w.rep_move)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["message"]["relinked_from"] == [w.org_y2]
    frappe.db.rollback()
    assert [p[:2] for p in user_permissions(w.rep_move)] == [(ORG, w.org_x)]


def test_a_second_organization_is_refused_without_naming_the_first(w):
    with pytest.raises(frappe.ValidationError) as e:
        frappe.get_doc({"doctype": "User Permission", "user": w.rep_y, "allow": ORG, "for_value": w.org_x}).insert(
            ignore_permissions=True
        )
    assert "只能关联一个组织" in str(e.value) and w.org_y not in str(e.value)
    frappe.db.rollback()


# ============================================================ Data Import (§5)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_preview_of_another_centers_import_gives_nothing(w, who):
    c = w.c[who]
    assert_nothing(c.method(f"{DI}.get_preview_from_template", data_import=w.di_x, import_file=w.url_x), w,
                   "preview of X's import", 403)
    assert_nothing(c.method(f"{DI}.get_preview_from_template", data_import=w.di_m, import_file=w.url_m), w,
                   "preview of the moved staff's import", 403)
    assert_nothing(c.method("run_doc_method", dt="Data Import", dn=w.di_x, method="get_preview_from_template",
                            args=json.dumps({"import_file": w.url_x})), w, "run_doc_method on X's import", 403)
    # a document posted whole, claiming to be one's own, with X's file
    fake = {"doctype": "Data Import", "name": f"new-data-import-{uid()}", "__islocal": 1, "owner": c.user,
            "reference_doctype": MEMBER, "import_type": "Insert New Records", "import_file": w.url_x,
            "service_center": w.y}
    assert_nothing(c.method("run_doc_method", docs=json.dumps(fake), method="get_preview_from_template",
                            args=json.dumps({"import_file": w.url_x})), w, "run_doc_method with a posted import")


def test_own_import_with_another_centers_file_gives_nothing(w):
    c = w.c["staff_y"]
    assert_nothing(c.method(f"{DI}.get_preview_from_template", data_import=w.di_y, import_file=w.url_x), w,
                   "own import, X's file", 403)
    assert_nothing(c.method("run_doc_method", dt="Data Import", dn=w.di_y, method="get_preview_from_template",
                            args=json.dumps({"import_file": w.url_x})), w, "run_doc_method, own import, X's file", 403)
    # naming X's file as one's own import file: refused, and no File of it is made for Y's import
    r = c.put(f"/api/resource/Data Import/{w.di_y}", json={"import_file": w.url_x})
    assert_nothing(r, w, "own import given X's file", 403)
    frappe.db.rollback()
    assert not frappe.db.exists("File", {"file_url": w.url_x, "attached_to_name": w.di_y})
    assert c.get(w.url_x).status_code == 403


def test_another_centers_file_cannot_be_attached_to_ones_own_record(w):
    """Frappe gives a record a File of its own for any private URL in an Attach field: through
    it, X's import file would download.  Staff of Y (Award and Honor) and Y's representative
    (Venture Project) are refused."""
    cases = (
        ("staff_y", "Award and Honor", {"honor_name": f"奖项{uid()}", "organization": w.org_y, "honor_level": "District",
                                        "certificate": w.url_x}),
        ("rep_y", "Venture Project", {"project_name": f"项目{uid()}", "organization": w.org_y,
                                      "project_field": "Volunteer Service", "application_file": w.url_x}),
    )
    for who, doctype, doc in cases:
        r = w.c[who].post(f"/api/resource/{doctype}", json=doc)
        assert_nothing(r, w, f"{who}: {doctype} with X's file", 403)
        assert "不能附加您无权读取的文件" in readable(r), readable(r)[:300]
        frappe.db.rollback()
        assert frappe.db.count("File", {"file_url": w.url_x}) == 1, doctype
        assert w.c[who].get(w.url_x).status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_import_file_gives_nothing(w, who):
    c = w.c[who]
    for url, content in ((w.url_x, w.content), (w.url_m, w.content_m)):
        r = c.get(url)
        assert r.status_code == 403 and r.content != content, (who, url, r.status_code)
    filters = json.dumps([["File", "attached_to_doctype", "=", "Data Import"]])
    for doctype_filters in (filters, json.dumps({"file_url": w.url_x}), json.dumps({"file_url": w.url_m})):
        r = c.method("frappe.client.get_list", doctype="File", fields=["name", "file_url", "file_name"],
                     filters=doctype_filters, limit_page_length=0)
        assert_nothing(r, w, "File list")
    r = c.get("/api/resource/File", params={"fields": json.dumps(["name", "file_url", "attached_to_name"]),
                                           "limit_page_length": 0})
    assert_nothing(r, w, "REST File list")
    for name in (w.file_x, frappe.db.get_value("File", {"file_url": w.url_m}, "name")):
        assert_nothing(c.get(f"/api/resource/File/{name}"), w, "REST File", 403, 404)
        assert_nothing(c.method("frappe.client.get", doctype="File", name=name), w, "client.get File", 403, 404)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_the_import_its_status_and_log_give_nothing(w, who):
    c = w.c[who]
    for di in (w.di_x, w.di_m):
        assert_nothing(c.get(f"/api/resource/Data Import/{di}"), w, "REST Data Import", 403)
        assert_nothing(c.method("frappe.client.get", doctype="Data Import", name=di), w, "client.get Data Import", 403)
        for method, arg in (("get_import_status", "data_import_name"), ("get_import_logs", "data_import"),
                            ("download_import_log", "data_import_name"), ("download_errored_template", "data_import_name")):
            assert_nothing(c.method(f"{DI}.{method}", **{arg: di}), w, method, 403)
        assert_nothing(c.method(f"{DI}.form_start_import", data_import=di), w, "form_start_import", 403)
    r = c.method("frappe.client.get_list", doctype="Data Import", fields=["name", "import_file"], limit_page_length=0)
    assert_nothing(r, w, "Data Import list")
    frappe.db.rollback()
    assert frappe.db.get_value("Data Import", w.di_x, "status") == "Partial Success"  # not restarted by an outsider


def test_the_center_that_imported_still_uses_its_import(w):
    c = w.c["staff_x"]
    r = c.method(f"{DI}.get_preview_from_template", data_import=w.di_x, import_file=w.url_x)
    assert r.status_code == 200 and w.name_mark in readable(r) and w.id_good in r.text, r.text[:300]
    r = c.get(w.url_x)
    assert r.status_code == 200 and r.content == w.content
    r = c.method("frappe.client.get_list", doctype="File", fields=["file_url"], filters=json.dumps({"file_url": w.url_x}))
    assert [f["file_url"] for f in r.json()["message"]] == [w.url_x]
    assert c.get(f"/api/resource/Data Import/{w.di_x}").json()["data"]["service_center"] == w.x
    r = c.method("frappe.client.get_list", doctype="Data Import", fields=["name"], limit_page_length=0)
    assert w.di_x in [d["name"] for d in r.json()["message"]]
    r = c.method(f"{DI}.get_import_status", data_import_name=w.di_x)
    assert r.status_code == 200 and r.json()["message"]["success"] == 1 and r.json()["message"]["failed"] == 1
    r = c.method(f"{DI}.get_import_logs", data_import=w.di_x)
    assert r.status_code == 200 and len(r.json()["message"]) == 2
    r = c.method(f"{DI}.download_errored_template", data_import_name=w.di_x)
    assert r.status_code == 200 and w.id_bad in r.content.decode("utf-8", "replace")


def test_frappes_export_template_stays_in_scope(w):
    """Data Import's "Download Template" with records (Frappe's export, wrapped): X's staff get
    X's roster, staff of Y get the header only."""
    fields = json.dumps({MEMBER: ["name", "member_name", "resident_id"]})
    filters = json.dumps({"organization": w.org_x})
    for who, sees in (("staff_x", True), ("staff_y", False)):
        r = w.c[who].method(f"{DI}.download_template", doctype=MEMBER, export_fields=fields,
                            export_records="by_filter", export_filters=filters, file_type="CSV")
        assert r.status_code == 200, (who, r.text[:300])
        assert (w.id_good in r.text) == sees and (w.name_mark in r.text) == sees, (who, r.text[:300])


def test_an_import_belongs_to_one_of_the_users_centers(w):
    """Staff may not claim another center for an import, nor change its center."""
    r = w.c["staff_y"].post("/api/resource/Data Import", json={"reference_doctype": MEMBER,
                                                              "import_type": "Insert New Records", "service_center": w.x})
    assert r.status_code == 403, r.text[:300]
    r = w.c["staff_y"].put(f"/api/resource/Data Import/{w.di_y}", json={"service_center": w.x})
    assert r.status_code in (403, 417), r.text[:300]
    frappe.db.rollback()
    assert frappe.db.get_value("Data Import", w.di_y, "service_center") == w.y


# ============================================================ add_tag (§5, last line)


def test_a_refused_tag_is_a_403_and_changes_nothing(w):
    tag = f"标签{uid()}"
    before = frappe.db.get_value(ORG, w.org_x, "_user_tags")
    for who in ("staff_y", "rep_y"):
        r = w.c[who].method("frappe.desk.doctype.tag.tag.add_tag", tag=tag, dt=ORG, dn=w.org_x)
        assert r.status_code == 403, (who, r.status_code, r.text[:200])
        r = w.c[who].method("frappe.desk.doctype.tag.tag.add_tags", tags=json.dumps([tag]), dt=ORG,
                            docs=json.dumps([w.org_x]))
        assert r.status_code == 403, (who, r.status_code, r.text[:200])
        r = w.c[who].method("frappe.desk.doctype.tag.tag.remove_tag", tag=tag, dt=ORG, dn=w.org_x)
        assert r.status_code == 403, (who, r.status_code, r.text[:200])
    frappe.db.rollback()
    assert frappe.db.get_value(ORG, w.org_x, "_user_tags") == before
    assert not frappe.db.exists("Tag", tag)
    r = w.c["staff_x"].method("frappe.desk.doctype.tag.tag.add_tag", tag=tag, dt=ORG, dn=w.org_x)
    assert r.status_code == 200, r.text[:300]
    frappe.db.rollback()
    assert tag in (frappe.db.get_value(ORG, w.org_x, "_user_tags") or "")
