"""Issue 16 §3 on a real site: the archive of an organization (R-FILE, [10M] 第二条 档案（一）–（五）)
as one PDF – every item with its records, what is missing listed as missing – scoped to the
reader (R-SCOPE, R-PRIV: a township leader's copy carries no ID number, phone or Party
membership, the center's staff's does; another organization's representative and another
center's staff are refused), and a 200-organization center's zip built as a background job,
readable by the center's staff only."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import time
import unicodedata
import zipfile
from pathlib import Path

import frappe
import pytest
from factory import as_user, make_center, make_community, make_org, make_resident_id, make_user, uid, web_session
from test_exit import RADICALS as _RADICALS
from test_filing import Township, backdate_notice, new_filing, retrying

from shuangfuhua_app import archive
from shuangfuhua_app.filing import FILING, issue_certificate
from shuangfuhua_app.workflow_paths import move

ORG = "Community Social Organization"
ARTIFACTS = Path(os.environ.get("SFH_ARTIFACTS") or Path(__file__).resolve().parents[2] / "artifacts") / "archive"
URL = os.environ.get("SFH_URL")

#: [10M] 第二条: 社区社会组织档案应包含但不限于以下内容 – the five items as the seed words them
SEED_ITEMS = (
    "《社区社会组织章程》及《社区社会组织备案表》",
    "社区社会组织成员花名册",
    "社区社会组织向村(社区)“两委”报告内容、测评结果",
    "社区社会组织信息公开内容",
    "民政部门、街道办事处(乡、镇人民政府)、居(村)委会等部门对该组织处理结果",
)
#: R-PRIV: the roster's Party labels (Party membership and Party posts) a leader must never see
PARTY_LABELS = ("党员身份", "党组织书记", "党建联络员", "党务工作者", "入党积极分子")

#: CJK radicals the PDF's font maps some characters to (NFKC leaves the supplement alone)
RADICALS = {**_RADICALS, ord("⺠"): "民", ord("⻄"): "西", ord("⺟"): "母", ord("⻣"): "骨"}
needs_pdf_tools = pytest.mark.skipif(
    not (shutil.which("wkhtmltopdf") and shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="wkhtmltopdf/poppler missing",
)


def insert(user, doc):
    return as_user(user, lambda: frappe.get_doc(doc).insert())


def flat(text: str) -> str:
    """pdftotext's text without layout: NFKC (full-width brackets become ASCII, radicals the
    ordinary characters) and no whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(RADICALS)
    return re.sub(r"\s+", "", text)


def seed(s: str) -> str:
    return flat(s)


def pdf_text(pdf: bytes, stem: str, pngs: bool = False) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{stem}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if pngs:
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / stem)], check=True)
    return flat(text)


def download(user: str, org: str) -> bytes:
    """What the whitelisted method answers ``user``."""

    def call():
        frappe.local.response = frappe._dict()
        archive.download_archive(org)
        assert frappe.local.response.type == "pdf"
        return frappe.local.response.filecontent

    return as_user(user, call)


@pytest.fixture(scope="module")
def t():
    """An organization with a record of every kind the archive holds, and the readers (built
    again when the shared site deadlocks)."""
    return retrying(_world, attempts=10)


def _world():
    t = Township()  # center, community, staff, head, organization, representative, worker, leader
    w = t.w
    t.ids = [make_resident_id(datetime.date(1975, 4, 2)), make_resident_id(datetime.date(1988, 9, 9))]
    t.phones = ["13912340001", "13912340002"]
    t.head_id = make_resident_id(datetime.date(1969, 1, 23))
    # （一） the charter and the filing form, filed to its certificate
    t.filed_name = f"邻里守望队档案-{uid(4)}"
    filing = new_filing(t, filed_name=t.filed_name, head_id_number=t.head_id,
                        charter="<h1>章程</h1><p>第一条 本组织名称为邻里守望队。</p><img src='http://example.invalid/x.png'>")
    # by the transitions to the states (other suites rename the shipped actions on the shared site)
    for user, state in ((t.rep, "Residents' Committee Review"), (t.worker, "Township Review"), (t.leader, "Filing Notice")):
        as_user(user, move, FILING, filing.name, state)
        frappe.db.commit()
    backdate_notice(filing)
    t.certificate = as_user(t.leader, issue_certificate, filing.name)
    # （二） the roster: a Party secretary with ID number and phone, a business leader
    t.secretary = f"甲书记{uid(3)}"
    t.leader_member = f"乙骨干{uid(3)}"
    insert(w.staff, {"doctype": "Organization Member", "organization": t.org, "member_name": t.secretary,
                     "is_head": 1, "is_party_secretary": 1, "is_party_member": 1, "resident_id": t.ids[0],
                     "phone": t.phones[0], "position": "负责人", "gender": "Female"})
    insert(w.staff, {"doctype": "Organization Member", "organization": t.org, "member_name": t.leader_member,
                     "is_business_leader": 1, "is_party_affairs_worker": 1, "resident_id": t.ids[1],
                     "phone": t.phones[1], "position": "骨干"})
    # （三） a report to the two committees, an evaluation, a satisfaction rating
    t.report = f"敬老助餐活动{uid(3)}"
    insert(t.rep, {"doctype": "Activity Report", "organization": t.org, "report_type": "Activity Report",
                   "activity_title": t.report, "activity_date": str(frappe.utils.add_days(frappe.utils.nowdate(), -3)),
                   "place": "社区食堂", "participant_count": 25, "content": "为独居老人送餐"})
    insert(w.staff, {"doctype": "Periodic Evaluation", "organization": t.org, "evaluation_type": "Annual Service Evaluation",
                     "evaluation_year": 2025, "result_summary": "年度测评总体良好",
                     "rater_scores": [{"rater_party": "Expert", "independent_operation": 80, "party_org_building": 80,
                                       "projects_undertaken": 80, "resident_satisfaction": 90}],
                     "follow_up_actions": [{"action": "完善档案管理", "due_date": "2025-05-01"}]})
    insert(t.rep, {"doctype": "Service Feedback", "organization": t.org, "feedback_type": "Satisfaction",
                   "rating": "Very Satisfied", "content": "居民评价很好"})
    # （四） a disclosure
    t.publicity = f"组织信息公开{uid(3)}"
    insert(w.staff, {"doctype": "Organization Publicity", "organization": t.org, "publicity_date": "2025-06-01",
                     "channel": "Bulletin Board", "publicity_title": t.publicity, "summary": "年度活动公开",
                     "link": "https://mp.weixin.qq.com/s/example"})
    # （五） handling decisions: a mentoring visit, a grade evaluation, a termination request
    insert(w.staff, {"doctype": "Mentoring Visit", "organization": t.org, "visit_date": "2025-05-01",
                     "findings": "督导发现制度未上墙", "follow_up_actions": [{"action": "制度上墙", "due_date": "2025-06-01"}]})
    insert(w.staff, {"doctype": "Grade Evaluation", "organization": t.org, "evaluation_year": 2025,
                     "grade_result": "3A", "grade_note": "等级评估材料齐全"})
    insert(t.rep, {"doctype": "Organization Termination", "organization": t.org, "reason": "拟与邻近组织合并"})
    # outsiders: another organization's representative, another center's staff
    t.other_org = make_org(w.center, w.community)
    t.other_rep = make_user(["Organization Representative"], orgs=[t.other_org])
    t.other_staff = make_user(["Center Staff"], centers=[make_center()])
    frappe.db.commit()
    return t


# ---------------------------------------------------------------------------- one organization


@needs_pdf_tools
def test_archive_pdf_holds_every_item_of_article_2_with_the_records(t):
    start = time.monotonic()
    pdf = download(t.w.staff, t.org)
    took = time.monotonic() - start
    text = pdf_text(pdf, "archive-staff", pngs=True)
    assert (ARTIFACTS / "archive-staff-1.png").exists()
    pages = len(list(ARTIFACTS.glob("archive-staff-*.png")))
    assert pages >= 7, pages  # cover, contents, one page (at least) per item
    # cover: the organization, the center, who downloaded and when
    org_name = frappe.db.get_value(ORG, t.org, "org_name")  # the filed name since the certificate
    assert flat("社区社会组织档案") in text and flat(org_name) in text and flat(t.w.center) in text
    assert flat("下载人") in text and t.w.staff in text and flat(frappe.utils.now_datetime().strftime("%Y年")) in text
    # contents and each item (一)–(五) as the ten measures word it, in order
    assert flat("目录") in text
    positions = []
    for number, heading in zip("一二三四五", SEED_ITEMS):
        marked = seed(f"（{number}）{heading}")
        assert text.count(marked) >= 2, heading  # in the contents and as the item's heading
        positions.append(text.rindex(marked))
    assert positions == sorted(positions)
    # the records of each item
    for value in (t.filed_name, t.certificate, "第一条本组织名称为邻里守望队", t.secretary, t.leader_member,
                  t.report, "年度测评总体良好", "非常满意", "居民评价很好", t.publicity, "督导发现制度未上墙",
                  "制度上墙", "等级评估材料齐全", "拟与邻近组织合并"):
        assert flat(value) in text, value
    # what is missing is listed as missing: the filing has no sealed filing form attached
    assert flat("缺失：盖章的备案表") in text
    assert flat("缺失：成员花名册") not in text and flat("缺失：信息公开内容") not in text
    # the center's staff read the personal data and Party membership
    for private in (*t.ids, *t.phones, t.head_id, "党员身份及党内职务", "党组织书记", "党务工作者"):
        assert flat(private) in text, private
    print(f"archive of one organization: {len(pdf)} bytes, {pages} pages, {took:.1f} s")


def test_the_archive_html_fetches_nothing_and_drops_rich_text_headings(t):
    html = as_user(t.w.staff, archive.render_archive_html, [t.org])
    assert "example.invalid" not in html and "<img" not in html and "<script" not in html
    assert len(re.findall(r"<h1", html)) == 1  # the cover's, not the charter's (the split relies on it)
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)


@needs_pdf_tools
def test_a_township_leaders_copy_holds_no_id_number_phone_or_party_membership(t):
    pdf = download(t.leader, t.org)
    text = pdf_text(pdf, "archive-leader", pngs=True)
    html = as_user(t.leader, archive.render_archive_html, [t.org])
    for private in (*t.ids, *t.phones, t.head_id, "13812345678"):
        assert private not in text and private not in html, private
    for label in PARTY_LABELS:
        assert flat(label) not in text and label not in html, label
    # the leader still reads the archive itself: every item, the roster's names, the records
    for number, heading in zip("一二三四五", SEED_ITEMS):
        assert seed(f"（{number}）{heading}") in text
    for value in (t.secretary, t.leader_member, t.report, t.publicity, "等级评估材料齐全"):
        assert flat(value) in text, value
    # the staff's copy of the same archive carries them (same renderer, other reader)
    staff_html = as_user(t.w.staff, archive.render_archive_html, [t.org])
    assert all(v in staff_html for v in (*t.ids, *t.phones, t.head_id, "党组织书记"))


def test_the_organizations_representative_reads_its_archive_and_outsiders_are_refused(t):
    html = as_user(t.rep, archive.render_archive_html, [t.org])
    assert t.secretary in html and t.ids[0] in html  # its own roster, as on its portal
    for outsider in (t.other_rep, t.other_staff):
        with pytest.raises(frappe.PermissionError):
            download(outsider, t.org)
        with pytest.raises(frappe.PermissionError):
            as_user(outsider, archive.render_archive_html, [t.org])
    with pytest.raises(frappe.PermissionError):
        download(t.w.staff, "没有这个组织")


def _session(user: str):
    for attempt in range(5):  # the dev server restarts when someone edits python
        try:
            return web_session(URL, user)
        except Exception:
            if attempt == 4:
                raise
            time.sleep(3)


def _get(session, path, **params):
    for attempt in range(4):  # the dev server restarts when someone edits python
        try:
            r = session.get(f"{URL}{path}", params=params, timeout=120)
            if r.status_code < 500 or attempt == 3:
                return r
        except Exception:
            if attempt == 3:
                raise
        time.sleep(3)
    return r


@pytest.mark.skipif(not URL, reason="SFH_URL not set")
def test_over_http_the_portal_link_and_the_refusals(t):
    method = "/api/method/shuangfuhua_app.archive.download_archive"
    rep = _session(t.rep)
    page = _get(rep, "/my-incubation")
    assert page.status_code == 200 and 'id="sfh-download-archive"' in page.text
    r = _get(rep, method, organization=t.org)
    assert r.status_code == 200 and r.content.startswith(b"%PDF"), r.text[:300]
    for outsider in (t.other_rep, t.other_staff):
        r = _get(_session(outsider), method, organization=t.org)
        assert r.status_code == 403 and not r.content.startswith(b"%PDF"), (outsider, r.status_code)


# ---------------------------------------------------------------------------- a center's zip


def _bulk_center(n: int):
    """A center with ``n`` organizations (bulk inserts) of one member each, its staff and leader."""
    center = make_center()
    community = make_community(center)
    now = frappe.utils.now()
    base = {"creation": now, "modified": now, "owner": "Administrator", "modified_by": "Administrator", "docstatus": 0}
    orgs = [f"批量档案组织-{uid(8)}" for _ in range(n)]
    frappe.db.bulk_insert(
        ORG,
        fields=["name", "org_name", "org_type", "service_center", "community", "development_stage", "service_field",
                "incubation_status", "filing_number", *base],
        values=[(o, o, "Filed", center, community, "Startup", "Volunteer Service", "Incubating", f"BA-{uid()}",
                 *base.values()) for o in orgs],
    )
    ids = {o: make_resident_id(datetime.date(1980, 1, 1) + datetime.timedelta(days=i)) for i, o in enumerate(orgs)}
    frappe.db.bulk_insert(
        "Organization Member",
        fields=["name", "organization", "org_name", "service_center", "member_name", "member_status", "is_party_member",
                "resident_id", "phone", *base],
        values=[(f"SFH-MEM-T{uid(10)}", o, o, center, f"成员{i}", "Current Member", 1, ids[o], f"1390000{i:04d}",
                 *base.values()) for i, o in enumerate(orgs)],
    )
    staff = make_user(["Center Staff"], centers=[center])
    leader = make_user(["Township Leader"], centers=[center])
    frappe.db.commit()
    return center, orgs, ids, staff, leader


@needs_pdf_tools
def test_a_200_organization_centers_zip_completes_as_a_background_job(t, monkeypatch):
    center, orgs, ids, staff, leader = retrying(_bulk_center, 200, attempts=10)
    queued = []
    real_enqueue = frappe.enqueue

    def enqueue(method, **kwargs):  # the job runs inline, as the worker would run it (as the user)
        queued.append((method, kwargs.get("queue")))
        return real_enqueue(method, **{**kwargs, "now": True})

    monkeypatch.setattr(frappe, "enqueue", enqueue)
    progress = []
    real_write = archive._write_status
    monkeypatch.setattr(archive, "_write_status", lambda c, s: (progress.append(dict(s)), real_write(c, s)))
    start = time.monotonic()
    status = as_user(staff, archive.start_center_archive, center)
    took = time.monotonic() - start
    assert queued == [("shuangfuhua_app.archive.build_center_archive", "long")]
    assert status["status"] == "done" and status["label"] == "已完成", status
    # the progress the form shows: queued, then every batch of archives up to 200 of 200, done
    assert [p["status"] for p in progress] == ["queued", "running", *["running"] * 10, "done"]
    assert [p["done"] for p in progress[1:]] == [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 200]
    assert all(p["total"] == 200 for p in progress[1:])
    files = frappe.get_all("File", filters={"attached_to_doctype": "Service Center", "attached_to_name": center},
                           fields=["name", "file_url", "is_private", "owner"])
    assert len(files) == 1 and files[0].is_private and files[0].file_url == status["file_url"]
    file = frappe.get_doc("File", files[0].name)
    with zipfile.ZipFile(io.BytesIO(file.get_content())) as zf:
        names = zf.namelist()
        assert len(names) == 200 and all(n.endswith(".pdf") for n in names)
        assert {n[:-4] for n in names} == set(orgs)
        pdfs = {n[:-4]: zf.read(n) for n in names}
    assert all(p.startswith(b"%PDF") for p in pdfs.values())
    # each PDF is its own organization's archive, cut at the right pages
    for org in (orgs[0], orgs[77], orgs[-1]):
        text = pdf_text(pdfs[org], f"zip-{orgs.index(org)}")
        assert flat(org) in text and ids[org] in text
        assert all(flat(other) not in text for other in orgs if other != org)
        assert text.count(flat("下载日期")) == 1  # one cover
    print(f"zip of 200 archives: {len(file.get_content())} bytes in {took:.1f} s")

    # the zip is the center's staff's: not the township leader's (who reads the Service Center),
    # not another center's staff
    assert as_user(staff, lambda: frappe.get_doc("File", file.name).has_permission("read"))
    assert as_user(staff, lambda: frappe.get_doc("File", file.name).is_downloadable())
    for outsider in (leader, t.other_staff):
        assert not as_user(outsider, lambda: frappe.get_doc("File", file.name).has_permission("read")), outsider
        assert not as_user(outsider, lambda: frappe.get_doc("File", file.name).is_downloadable()), outsider
        with pytest.raises(frappe.PermissionError):
            as_user(outsider, archive.center_archive_status, center)
        with pytest.raises(frappe.PermissionError):
            as_user(outsider, archive.start_center_archive, center)
    assert as_user(leader, frappe.has_permission, "Service Center", "read", center)
    if URL:
        assert _get(_session(staff), file.file_url).status_code == 200
        assert _get(_session(leader), file.file_url).status_code in (403, 404)
        r = _get(_session(leader), "/api/method/frappe.client.get", doctype="File", name=file.name)
        assert r.status_code == 403
    frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)  # 13 MB less on the shared site
    frappe.db.commit()


# ---------------------------------------------------------------------------- Desk, in Chromium


def fetch(page, url: str) -> tuple[int, bytes]:
    """GET ``url`` from the page (its session), the status and the first bytes."""
    status, head = page.evaluate(
        "async (u) => { const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer());"
        " return [r.status, Array.from(b.slice(0, 4))]; }",
        url,
    )
    return status, bytes(head)


def test_desk_buttons_download_the_archive_and_show_the_zips_progress(t, browser):
    from browser import needs_browser, screenshot, site_url
    from test_browser_desk import login

    if needs_browser.args[0]:
        pytest.skip(needs_browser.kwargs["reason"])
    from frappe.utils.background_jobs import get_job

    center = make_center()
    orgs = [make_org(center) for _ in range(3)]
    staff = make_user(["Center Staff"], centers=[center])
    frappe.db.commit()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)
    login(page, staff)
    # the organization's form: 下载档案 opens the PDF of its archive
    page.goto(f"{site_url()}/app/community-social-organization/{orgs[0]}")
    button = page.locator("button:has-text('下载档案')")
    button.wait_for()
    with page.expect_popup() as popup:
        button.click()
    url = popup.value.url
    # the PDF tab is closed before anything else asks the server: tier 2's server answers one
    # request at a time (--nothreading), and a PDF viewer left open keeps it busy
    popup.value.close()
    assert "shuangfuhua_app.archive.download_archive" in url and "organization=" in url
    status, head = fetch(page, url)
    assert status == 200 and head == b"%PDF"
    # the center's form: the zip is queued on the long queue, the form shows its progress, then the link
    job_id = f"sfh-archive-{frappe.local.site}-{center}"
    try:
        page.goto(f"{site_url()}/app/service-center/{center}", wait_until="domcontentloaded")
        page.locator("button:has-text('全部组织档案（zip）')").click()
        page.wait_for_selector("text=等待后台任务开始")
        screenshot(page, "archive/desk-center-zip-queued")
        assert get_job(job_id) is not None  # queued for a worker
        as_user(staff, archive.build_center_archive, center)  # what the worker runs, as the user who queued it
        frappe.db.commit()
        link = page.locator("a:has-text('下载zip文件')")
        link.wait_for(timeout=30000)
        screenshot(page, "archive/desk-center-zip-done")
        status, head = fetch(page, link.get_attribute("href"))
        assert status == 200 and head[:2] == b"PK"
        zip_file = frappe.get_doc("File", {"attached_to_doctype": "Service Center", "attached_to_name": center})
        with zipfile.ZipFile(io.BytesIO(zip_file.get_content())) as zf:
            assert sorted(n[:-4] for n in zf.namelist()) == sorted(orgs)
    finally:
        job = get_job(job_id)
        if job:  # no worker runs on the test site: leave nothing queued behind
            job.cancel()
            job.delete()
        context.close()
