"""Issue 9 §4 (R-X-IMPORT): a center brings its organizations, rosters and past activities from
Excel with Frappe's Data Import and the app's templates (Chinese headers). A real ``.xlsx``
(the downloaded template, filled in with openpyxl) is imported as a center's staff: a bad row
(invalid USCC or resident ID, unknown organization or community, an option that does not
exist, another center's organization) is refused with its row number and a Chinese message,
the good rows are imported – into the staff's center, which staff of another center cannot see."""

from __future__ import annotations

import datetime
import json
import os
import re
from io import BytesIO

import frappe
import openpyxl
import pytest
from factory import (
    allow_many_users,
    as_user,
    make_center,
    make_community,
    make_org,
    make_resident_id,
    make_uscc,
    make_user,
    uid,
    web_session,
)

from shuangfuhua_app.data_import import TEMPLATES, build_template, column_header, download_template

URL = os.environ.get("SFH_URL")
CJK = re.compile(r"[\u4e00-\u9fff]")
ORG, MEMBER, ACTIVITY = "Community Social Organization", "Organization Member", "Incubation Activity"


@pytest.fixture(scope="module")
def world():
    allow_many_users()
    w = frappe._dict()
    w.center = make_center()
    w.community = make_community(w.center)
    w.staff = make_user(["Center Staff"], centers=[w.center])
    w.other_center = make_center()
    w.other_staff = make_user(["Center Staff"], centers=[w.other_center])
    w.other_org = make_org(w.other_center)
    w.leader = make_user(["Township Leader"], centers=[w.center])
    w.key = uid()
    frappe.db.commit()
    return w


def filled_template(doctype: str, user: str, rows: list[dict]) -> bytes:
    """The template as ``user`` downloads it, with ``rows`` (header -> value) written under
    the header row of its first sheet."""
    content = as_user(user, build_template, doctype)
    wb = openpyxl.load_workbook(BytesIO(content))
    sheet = wb.worksheets[0]
    headers = [c.value for c in sheet[1]]
    unknown = {h for row in rows for h in row} - set(headers)
    assert not unknown, unknown
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def run_import(doctype: str, user: str, content: bytes):
    """What Desk does: a new Data Import, the file attached to it, Start Import – as ``user``.
    Returns the status, the refused rows (first row number -> messages), the names made and
    the Data Import."""
    from frappe.core.doctype.data_import.data_import import form_start_import

    def go():
        di = frappe.get_doc({"doctype": "Data Import", "reference_doctype": doctype, "import_type": "Insert New Records"})
        di.insert()
        f = frappe.get_doc(
            {
                "doctype": "File",
                "file_name": f"导入-{uid()}.xlsx",
                "content": content,
                "is_private": 1,
                "attached_to_doctype": "Data Import",
                "attached_to_name": di.name,
                "attached_to_field": "import_file",
            }
        ).insert()
        di.import_file = f.file_url
        di.save()
        frappe.db.commit()
        frappe.flags.in_test = True  # Frappe runs the import job inline (no worker) in tests
        try:
            form_start_import(di.name)
        finally:
            frappe.flags.in_test = False
        return di.name

    name = as_user(user, go)
    logs = frappe.get_all(
        "Data Import Log",
        filters={"data_import": name},
        fields=["success", "docname", "messages", "row_indexes"],
        order_by="log_index",
    )
    refused = {
        json.loads(log.row_indexes)[0]: [m.get("message", "") for m in json.loads(log.messages or "[]")]
        for log in logs
        if not log.success
    }
    made = [log.docname for log in logs if log.success]
    return frappe.db.get_value("Data Import", name, "status"), refused, made, name


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def h(doctype: str, key: str) -> str:
    return column_header(doctype, key)


def assert_refused(refused: dict, row: int, *words: str):
    assert row in refused, (row, refused)
    text = " ".join(refused[row])
    assert re.search(rf"第{row}(–\d+)?行：", text) and CJK.search(text), text
    for word in words:
        assert word in text, (word, text)


def test_templates_have_chinese_headers_that_map_back(world):
    for doctype, keys in TEMPLATES.items():
        content = as_user(world.staff, build_template, doctype)
        wb = openpyxl.load_workbook(BytesIO(content))
        assert wb.active.title == wb.worksheets[0].title  # the sheet Data Import reads
        headers = [c.value for c in wb.worksheets[0][1]]
        assert headers == [column_header(doctype, k) for k in keys]  # staff write permlevel 1
        assert len(set(headers)) == len(headers)
        assert all(CJK.search(x) for x in headers), headers
        assert not any(x.isascii() for x in headers)
        help_text = " ".join(str(c.value or "") for row in wb.worksheets[1].iter_rows() for c in row)
        assert CJK.search(help_text)
    org_help = [[c.value for c in r] for r in openpyxl.load_workbook(BytesIO(as_user(world.staff, build_template, ORG))).worksheets[1].iter_rows()]
    stage = next(r for r in org_help if r[0] == h(ORG, "development_stage"))
    assert all(label in stage[2] for label in ("初创期", "成长期")), stage
    assert h(MEMBER, "resident_id") == "身份证号码" and h(ACTIVITY, "participants.member_name") == "姓名（参加人员）"


def test_template_download_is_for_center_roles(world):
    frappe.set_user(world.leader)
    try:
        with pytest.raises(frappe.PermissionError):
            download_template(ORG)
    finally:
        frappe.set_user("Administrator")
    frappe.local.response = frappe._dict()
    as_user(world.staff, download_template, MEMBER)
    assert frappe.local.response.filename.endswith(".xlsx") and CJK.search(frappe.local.response.filename)
    assert frappe.local.response.filecontent[:2] == b"PK"


def test_import_organizations_roster_and_activities(world):
    k = world.key
    org1, org2 = f"导入测试组织甲-{k}", f"导入测试组织乙-{k}"

    # --- organizations: rows 2 and 3 good, 4–7 bad
    content = filled_template(
        ORG,
        world.staff,
        [
            {
                h(ORG, "org_name"): org1,
                h(ORG, "org_type"): "登记类",
                h(ORG, "uscc"): make_uscc(),
                h(ORG, "founded_date"): datetime.date(2023, 5, 1),
                h(ORG, "service_center"): world.center,
                h(ORG, "community"): world.community,
                h(ORG, "service_field"): "志愿服务",
                h(ORG, "development_stage"): "成长期",
                h(ORG, "head_name"): "张三",
                h(ORG, "member_count"): 15,
            },
            {
                h(ORG, "org_name"): org2,
                h(ORG, "org_type"): "备案类",
                h(ORG, "filing_number"): f"BA-{k}",
                h(ORG, "founded_date"): "2024-01-15",
                h(ORG, "service_center"): world.center,
                h(ORG, "development_stage"): "初创期",
            },
            {  # invalid USCC (check digit)
                h(ORG, "org_name"): f"导入测试组织丙-{k}",
                h(ORG, "org_type"): "登记类",
                h(ORG, "uscc"): wrong_check_digit(make_uscc()),
                h(ORG, "service_center"): world.center,
            },
            {  # a stage that does not exist
                h(ORG, "org_name"): f"导入测试组织丁-{k}",
                h(ORG, "org_type"): "备案类",
                h(ORG, "filing_number"): f"BA-D-{k}",
                h(ORG, "service_center"): world.center,
                h(ORG, "development_stage"): "腾飞期",
            },
            {  # unknown community
                h(ORG, "org_name"): f"导入测试组织戊-{k}",
                h(ORG, "org_type"): "备案类",
                h(ORG, "filing_number"): f"BA-E-{k}",
                h(ORG, "service_center"): world.center,
                h(ORG, "community"): f"没有这个社区-{k}",
            },
            {  # another center
                h(ORG, "org_name"): f"导入测试组织己-{k}",
                h(ORG, "org_type"): "备案类",
                h(ORG, "filing_number"): f"BA-F-{k}",
                h(ORG, "service_center"): world.other_center,
            },
        ],
    )
    # Frappe caches its header map per DocType in the language of whoever built it first: the
    # template's headers must map whatever that was
    from frappe.core.doctype.data_import.importer import get_df_for_column_header

    stage_header = h(ORG, "development_stage")
    frappe.cache.hdel("data_import_column_header_map", ORG)
    frappe.local.lang = "en"
    try:
        assert get_df_for_column_header(ORG, stage_header) is None
    finally:
        frappe.local.lang = "zh"
    status, refused, made, di = run_import(ORG, world.staff, content)
    assert status == "Partial Success", refused
    assert sorted(made) == sorted([org1, org2])
    assert sorted(refused) == [4, 5, 6, 7]
    assert_refused(refused, 4, "统一社会信用代码")
    assert_refused(refused, 5, "发展阶段", "腾飞期", "初创期")
    assert_refused(refused, 6, "所属社区", f"没有这个社区-{k}")
    assert_refused(refused, 7, "所属服务中心", world.other_center)
    # the preview in Desk lists the refused rows in Chinese and does not stop the import
    preview = as_user(world.staff, frappe.get_doc("Data Import", di).get_preview_from_template)
    by_row = {w["row"]: w["message"] for w in preview.warnings if w.get("row")}
    assert "腾飞期" in by_row[5] and all(w.get("type") == "info" for w in preview.warnings), preview.warnings
    doc = frappe.get_doc(ORG, org1)
    assert (doc.org_type, doc.development_stage, doc.service_field, doc.service_center) == (
        "Registered",
        "Growth",
        "Volunteer Service",
        world.center,
    )
    assert str(doc.founded_date) == "2023-05-01"
    assert frappe.db.get_value(ORG, org2, "development_stage") == "Startup"

    # --- roster: rows 2 and 3 good, 4–6 bad
    good_id = make_resident_id(datetime.date(1980, 2, 3))
    bad_id = wrong_check_digit(good_id)
    content = filled_template(
        MEMBER,
        world.staff,
        [
            {
                h(MEMBER, "organization"): org1,
                h(MEMBER, "member_name"): f"张三{k}",
                h(MEMBER, "gender"): "男",
                h(MEMBER, "resident_id"): good_id,
                h(MEMBER, "phone"): "13812345678",
                h(MEMBER, "is_head"): "是",
                h(MEMBER, "is_party_member"): "是",
                h(MEMBER, "is_reserve"): "否",
            },
            {h(MEMBER, "organization"): org1, h(MEMBER, "member_name"): f"李四{k}", h(MEMBER, "is_backbone"): 1},
            {h(MEMBER, "organization"): org1, h(MEMBER, "member_name"): f"王五{k}", h(MEMBER, "resident_id"): bad_id},
            {h(MEMBER, "organization"): f"没有这个组织-{k}", h(MEMBER, "member_name"): f"赵六{k}"},
            {h(MEMBER, "organization"): world.other_org, h(MEMBER, "member_name"): f"钱七{k}"},
        ],
    )
    status, refused, made, _di = run_import(MEMBER, world.staff, content)
    assert status == "Partial Success", refused
    assert len(made) == 2 and sorted(refused) == [4, 5, 6]
    assert_refused(refused, 4, "身份号码")
    assert_refused(refused, 5, "组织名称", f"没有这个组织-{k}")
    assert_refused(refused, 6, "组织名称", world.other_org)
    head = frappe.get_doc(MEMBER, {"member_name": f"张三{k}"})
    assert (head.organization, head.service_center, head.gender, head.resident_id) == (org1, world.center, "Male", good_id)
    assert (head.is_head, head.is_party_member, head.is_reserve) == (1, 1, 0)
    assert frappe.db.get_value(MEMBER, {"member_name": f"李四{k}"}, "is_backbone") == 1
    assert not frappe.db.exists(MEMBER, {"member_name": ("in", [f"王五{k}", f"赵六{k}", f"钱七{k}"])})

    # --- activities: rows 2–3 (two participants) good, 4–5 bad block, 6 good, 7 bad type
    title = f"导入测试活动-{k}"
    content = filled_template(
        ACTIVITY,
        world.staff,
        [
            {
                h(ACTIVITY, "activity_title"): f"{title}-1",
                h(ACTIVITY, "block"): "人才培育",
                h(ACTIVITY, "activity_type"): "负责人和骨干人才培训",
                h(ACTIVITY, "service_center"): world.center,
                h(ACTIVITY, "activity_date"): datetime.date(2024, 5, 20),
                h(ACTIVITY, "class_hours"): 2,
                h(ACTIVITY, "participants.member_name"): f"张三{k}",
                h(ACTIVITY, "participants.organization"): org1,
                h(ACTIVITY, "participants.attended"): "是",
            },
            {
                h(ACTIVITY, "participants.member_name"): f"李四{k}",
                h(ACTIVITY, "participants.organization"): org1,
                h(ACTIVITY, "participants.hours_attended"): 1.5,
            },
            {
                h(ACTIVITY, "activity_title"): f"{title}-2",
                h(ACTIVITY, "block"): "不存在的板块",
                h(ACTIVITY, "activity_type"): "主题党日",
                h(ACTIVITY, "service_center"): world.center,
                h(ACTIVITY, "activity_date"): "2024-06-01",
                h(ACTIVITY, "participants.member_name"): f"张三{k}",
            },
            {h(ACTIVITY, "participants.member_name"): f"李四{k}"},
            {
                h(ACTIVITY, "activity_title"): f"{title}-3",
                h(ACTIVITY, "block"): "党的建设",
                h(ACTIVITY, "activity_type"): "主题党日",
                h(ACTIVITY, "service_center"): world.center,
                h(ACTIVITY, "activity_date"): "2024-07-01",
            },
            {  # an activity type of another block: the controller's own (Chinese) rule
                h(ACTIVITY, "activity_title"): f"{title}-4",
                h(ACTIVITY, "block"): "党的建设",
                h(ACTIVITY, "activity_type"): "沙龙",
                h(ACTIVITY, "service_center"): world.center,
                h(ACTIVITY, "activity_date"): "2024-07-02",
            },
        ],
    )
    status, refused, made, _di = run_import(ACTIVITY, world.staff, content)
    assert status == "Partial Success", refused
    assert len(made) == 2 and sorted(refused) == [4, 7], refused
    assert_refused(refused, 4, "服务板块", "不存在的板块")
    assert_refused(refused, 7, "沙龙")
    first = frappe.get_doc(ACTIVITY, {"activity_title": f"{title}-1"})
    assert first.block == "Talent Cultivation" and first.activity_type == "Leader and Backbone Training"
    assert [(p.member_name, p.organization, p.attended) for p in first.participants] == [
        (f"张三{k}", org1, 1),
        (f"李四{k}", org1, 1),
    ]
    assert first.participants[0].member == head.name  # linked to the roster by name
    assert [r.organization for r in first.organizations] == [org1]
    assert first.attended_count == 2 and first.person_hours == 3.5
    assert not frappe.db.exists(ACTIVITY, {"activity_title": ("in", [f"{title}-2", f"{title}-4"])})

    # --- the imported records are the center's: its staff see them, another center's do not
    for doctype, filters in (
        (ORG, {"name": ("in", [org1, org2])}),
        (MEMBER, {"organization": org1}),
        (ACTIVITY, {"activity_title": ("like", f"{title}%")}),
    ):
        mine = as_user(world.staff, frappe.get_list, doctype, filters=filters, pluck="name")
        theirs = as_user(world.other_staff, frappe.get_list, doctype, filters=filters, pluck="name")
        assert len(mine) == 2 and theirs == [], (doctype, mine, theirs)
    assert not frappe.has_permission(ORG, "read", doc=frappe.get_doc(ORG, org1), user=world.other_staff)
    # …nor their Data Imports (the file may hold resident ID numbers)
    imports = frappe.get_all("Data Import", filters={"owner": world.staff}, pluck="name")
    assert imports and as_user(world.other_staff, frappe.get_list, "Data Import", filters={"name": ("in", imports)}) == []


@pytest.mark.skipif(not URL, reason="no web server (SFH_URL)")
def test_template_download_over_http(world):
    """The list views' button: GET the template as center staff; another role is refused."""
    path = "/api/method/shuangfuhua_app.data_import.download_template"
    r = web_session(URL, world.staff).get(URL + path, params={"doctype": ACTIVITY}, timeout=60)
    assert r.status_code == 200 and r.content[:2] == b"PK", r.text[:300]
    assert ".xlsx" in r.headers.get("Content-Disposition", "")
    headers = [c.value for c in openpyxl.load_workbook(BytesIO(r.content)).worksheets[0][1]]
    assert headers[:3] == ["活动名称", "服务板块", "活动类型"], headers
    r = web_session(URL, world.leader).get(URL + path, params={"doctype": ACTIVITY}, timeout=60)
    assert r.status_code == 403
    meta = web_session(URL, world.staff).get(
        URL + "/api/method/frappe.desk.form.load.getdoctype", params={"doctype": ORG}, timeout=60
    )
    assert "download_template" in meta.text  # the list view's script reaches Desk
