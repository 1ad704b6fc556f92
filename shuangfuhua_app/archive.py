"""The archive of a community social organization (R-FILE: 《培育发展社区社会组织十条措施》第二条
档案（一）–（五）) as one PDF, and a center's archives as one zip (issue 16 §3).

* :func:`download_archive` – one organization: a cover (organization, center, date, who
  downloaded), a table of contents, then each item of 第二条 档案（一）–（五） with its records
  and what is missing listed as missing. The items map to the app's DocTypes as
  ``filing.ARCHIVE_SECTIONS`` declares them (the list ``filing.get_archive`` shows).
* Scoped to the reader (R-SCOPE, R-PRIV): the organization only if the user reads it, the
  records through ``frappe.get_list`` (role, user permissions and the app's scope), and only
  the fields within the user's permlevels (``field_guard.hidden_fields``) – a township
  leader's copy carries no ID number, phone or Party membership; the center's staff's does.
* One compact template for every DocType (its readable, filled-in fields, child tables as
  tables; the roster as one table), rendered with one wkhtmltopdf call per organization and
  no resource fetched from the site (fonts are the system's CJK fonts).
* :func:`start_center_archive` – a center's staff or head queue the zip of all its
  organizations' archives on the long queue (:func:`build_center_archive`); progress is kept
  in the cache (:func:`center_archive_status`) and published with ``frappe.publish_progress``;
  the zip is a private File attached to the Service Center which only the center's staff and
  head read (:func:`file_has_permission`, :class:`ArchiveFile` for the download route) – its
  content carries what the staff may read.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import zipfile

import frappe
from frappe import _
from frappe.utils import cint, escape_html, get_fullname, now_datetime
from markupsafe import Markup

from shuangfuhua_app.field_guard import EVERYTHING, hidden_fields
from shuangfuhua_app.file_access import ScopedFile
from shuangfuhua_app.filing import ARCHIVE_SECTIONS, FILING
from shuangfuhua_app.utils import format_cn_date

ORG = "Community Social Organization"
CENTER = "Service Center"
MEMBER = "Organization Member"
#: who may build (and read) a center's zip: the zip holds what these roles read (R-PRIV)
ZIP_ROLES = {"Center Staff", "Center Head", "System Manager"}
#: a center's archive zip is known by its file name
ZIP_PREFIX = "sfh-archives-"
TEMPLATE = "templates/archive/archive.html"
#: archives laid out per wkhtmltopdf run in a center's zip
BATCH = 20

#: [10M] 第二条: 社区社会组织档案应包含但不限于以下内容（一）–（五）, in the order of
#: ``filing.ARCHIVE_SECTIONS``
ITEM_NUMBERS = ("一", "二", "三", "四", "五")

#: fields never shown as a record's rows: layout, and what the cover already says
SKIP_TYPES = {
    "Section Break", "Column Break", "Tab Break", "HTML", "Button", "Image", "Fold", "Heading",
    "Table", "Table MultiSelect", "Password", "Geolocation", "Signature",
}
SKIP_FIELDS = {"organization", "org_name", "service_center", "amended_from"}
#: the roster's columns (第二条（二） 成员花名册), each shown only to readers of its permlevel; the
#: flags of a column are listed by their labels in one cell
ROSTER_COLUMNS = (
    ("member_name",), ("gender",), ("position",), ("member_status",), ("role_start_date",), ("left_on",),
    ("is_head", "is_business_leader", "is_reserve", "is_backbone"),
    ("is_party_member", "is_party_secretary", "is_applicant", "is_activist",
     "is_liaison", "is_instructor", "is_party_affairs_worker"),
    ("phone",), ("resident_id",),
)
#: what strips a rich text down to text and simple markup (no fetch, no script in the PDF)
_DROP_TAGS = ("img", "script", "style", "iframe", "object", "embed", "link", "video", "audio", "svg", "meta", "form", "input")


def _item_titles() -> list[str]:
    """The five items' headings as the ten measures word them."""
    return [
        _("The Charter and the Filing Form of the Community Social Organization"),
        _("The Member Roster of the Community Social Organization"),
        _("What the Organization Reported to the Village (Community) Two Committees, and the Evaluation Results"),
        _("The Information the Organization Disclosed"),
        _("Decisions on the Organization by the Civil Affairs Department, the Sub-district Office (Township Government) and the Residents' (Villagers') Committee"),
    ]


# ====================================================================== who may read


def _check_org(organization: str):
    """The organization as the user reads it; anyone else is refused (R-SCOPE)."""
    if not organization or not frappe.db.exists(ORG, organization):
        raise frappe.PermissionError(_("Not permitted"))
    doc = frappe.get_doc(ORG, organization)
    if not frappe.has_permission(ORG, "read", doc=doc):
        raise frappe.PermissionError(_("Not permitted"))
    return doc


def _readable(doctype: str, parent: str | None = None) -> list:
    """The fields of ``doctype`` within the user's permlevels worth a row of the archive."""
    hidden = hidden_fields(doctype, parent=parent)
    if hidden is EVERYTHING:
        return []
    return [
        df for df in frappe.get_meta(doctype).fields
        if df.fieldname not in hidden and df.fieldtype not in SKIP_TYPES and df.fieldname not in SKIP_FIELDS
        and not df.hidden
    ]


def _tables(doctype: str) -> list:
    """Child tables of ``doctype`` the user reads (the table field within the permlevels)."""
    hidden = hidden_fields(doctype)
    return [
        df for df in frappe.get_meta(doctype).get_table_fields()
        if df.fieldname not in hidden and not df.hidden and _readable(df.options, parent=doctype)
    ]


# ====================================================================== values


def _strip_rich_text(html: str) -> Markup:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(("h1", "h2", "h3", "h4", "h5", "h6", "a")):
        tag.name = "p" if tag.name != "a" else "span"  # no heading or link beside the archive's own
    for tag in soup.find_all(True):
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in ("colspan", "rowspan")}
    return Markup(str(soup))


def _value(df, value, doctype: str) -> Markup:
    """A field's value as escaped HTML (Chinese labels of options, dates, users' names)."""
    if value in (None, ""):
        return Markup("")
    ft = df.fieldtype
    if ft == "Check":
        return Markup("✓") if cint(value) else Markup("")
    if ft == "Select":
        return Markup(escape_html(_(value, context=doctype)))
    if ft == "Date":
        return Markup(escape_html(format_cn_date(value)))
    if ft == "Datetime":
        return Markup(escape_html(f"{format_cn_date(value)} {str(value)[11:16]}"))
    if ft == "Link" and df.options == "User":
        return Markup(escape_html(get_fullname(value)))
    if ft == "Link" and df.options == "Workflow State":
        return Markup(escape_html(_(value)))
    if ft in ("Text Editor", "HTML Editor", "Markdown Editor"):
        return _strip_rich_text(value)
    if ft in ("Attach", "Attach Image"):
        return Markup(escape_html(_("Attachment: {0}").format(os.path.basename(str(value)))))
    if ft in ("Float", "Currency", "Percent"):
        return Markup(escape_html(frappe.format(value, {"fieldtype": "Float", "precision": 2})))
    return Markup(escape_html(str(value)).replace("\n", "<br>"))


def _label(df, doctype: str) -> str:
    return _(df.label, context=doctype) if df.label else df.fieldname


def _filled(value) -> bool:
    return value not in (None, "", 0) or False


# ====================================================================== one organization


def _records(doctype: str, organization: str) -> list[dict] | None:
    """The organization's records of ``doctype`` the user reads, with their readable fields
    and child tables; ``None`` when the user reads no record of the DocType at all."""
    if not frappe.db.table_exists(doctype) or not frappe.has_permission(doctype, "read"):
        return None
    meta = frappe.get_meta(doctype)
    fields = _readable(doctype)
    columns = ["name", "creation", *(df.fieldname for df in fields)]
    filters = {"organization": organization}
    if meta.is_submittable:
        filters["docstatus"] = ("!=", 2)
    rows = frappe.get_list(doctype, filters=filters, fields=columns, order_by="creation asc", limit_page_length=0)
    tables = {}
    names = [r.name for r in rows]
    for tf in _tables(doctype) if names else ():
        child_fields = _readable(tf.options, parent=doctype)
        children = frappe.get_all(
            tf.options,
            filters={"parenttype": doctype, "parentfield": tf.fieldname, "parent": ("in", names)},
            fields=["parent", *(df.fieldname for df in child_fields)],
            order_by="idx asc",
        )
        tables[tf.fieldname] = (tf, child_fields, children)
    out = []
    for row in rows:
        title = row.get(meta.title_field) if meta.title_field and meta.title_field in row else None
        item = {
            "name": row.name,
            "title": escape_html(str(title or _(doctype))),
            "date": format_cn_date(row.creation),
            "raw": row,
            "fields": [
                {"label": escape_html(_label(df, doctype)), "value": _value(df, row.get(df.fieldname), doctype),
                 "wide": df.fieldtype in ("Text Editor", "Text", "Small Text", "Long Text")}
                for df in fields
                if _filled(row.get(df.fieldname)) and df.fieldname != meta.title_field
            ],
            "tables": [],
        }
        for tf, child_fields, children in tables.values():
            mine = [c for c in children if c.parent == row.name]
            if not mine:
                continue
            cols = [df for df in child_fields if any(_filled(c.get(df.fieldname)) for c in mine)]
            item["tables"].append(
                {
                    "label": escape_html(_label(tf, doctype)),
                    "columns": [escape_html(_label(df, tf.options)) for df in cols],
                    "rows": [[_value(df, c.get(df.fieldname), tf.options) for df in cols] for c in mine],
                }
            )
        out.append(item)
    return out


def _roster(organization: str) -> dict | None:
    """第二条（二）: the roster as one table of the columns the user reads (the roles in one
    column, Party membership and Party posts in another – only for readers of their permlevel)."""
    if not frappe.has_permission(MEMBER, "read"):
        return None
    readable = {df.fieldname: df for df in _readable(MEMBER)}
    columns = [[readable[f] for f in group if f in readable] for group in ROSTER_COLUMNS]
    columns = [c for c in columns if c]
    rows = frappe.get_list(
        MEMBER, filters={"organization": organization},
        fields=["name", *(df.fieldname for group in columns for df in group)],
        order_by="member_status asc, creation asc", limit_page_length=0,
    )

    def cell(group, row) -> Markup:
        if len(group) == 1:
            return _value(group[0], row.get(group[0].fieldname), MEMBER)
        return Markup("、").join(Markup(escape_html(_label(df, MEMBER))) for df in group if cint(row.get(df.fieldname)))

    columns = [g for i, g in enumerate(columns) if i == 0 or any(cell(g, r) for r in rows)]  # no empty column
    heads = {
        "is_head": _("Roles in the Organization"),
        "is_party_member": _("Party Membership and Party Posts"),
    }
    return {
        "columns": [escape_html(heads.get(g[0].fieldname) if len(g) > 1 else _label(g[0], MEMBER)) for g in columns],
        "rows": [[cell(g, r) for g in columns] for r in rows],
        "raw": rows,
    }


def _missing(number: int, found: dict[str, list | None]) -> list[str]:
    """What 第二条 asks of item ``number`` (0-based) and the archive lacks."""
    def have(*doctypes, test=None):
        return any(
            (test(r["raw"]) if test else True)
            for dt in doctypes for r in (found.get(dt) or [])
        )

    missing = []
    if number == 0:
        if not have(FILING):
            missing.append(_("No filing of the organization (charter and filing form)"))
        else:
            if not have(FILING, test=lambda r: r.get("charter") or r.get("charter_file")):
                missing.append(_("The charter (neither its text nor the signed charter is on the filing)"))
            if not have(FILING, test=lambda r: r.get("filing_form")):
                missing.append(_("The sealed filing form (no file attached to the filing)"))
            if not have(FILING, test=lambda r: r.get("certificate_number")):
                missing.append(_("The filing certificate (the filing has not been certified)"))
    elif number == 1:
        if not found.get(MEMBER):
            missing.append(_("The member roster (no member recorded)"))
    elif number == 2:
        if not have("Activity Report"):
            missing.append(_("Reports to the two committees (no activity or project report)"))
        if not (have("Periodic Evaluation") or have("Service Feedback", test=lambda r: r.get("feedback_type") == "Satisfaction")):
            missing.append(_("Evaluation results (no evaluation and no satisfaction rating)"))
    elif number == 3:
        if not have("Organization Publicity"):
            missing.append(_("Information disclosures (none recorded)"))
    elif number == 4:
        if not any(found.get(dt) for dt in ARCHIVE_SECTIONS[4][1]):
            missing.append(_("Handling decisions (none recorded)"))
    return missing


def _labels() -> dict:
    return {
        k: escape_html(v)
        for k, v in {
            "title": _("Archive of the Community Social Organization"),
            "basis": _("Per Article 2 of the Ten Measures for Fostering Community Social Organizations: the archive holds items (1) to (5)."),
            "center": _("Service Center"),
            "date": _("Date of download"),
            "by": _("Downloaded by"),
            "scope": _("This copy holds only the records and fields its downloader may read; fields above that permission level are left out."),
            "toc": _("Contents"),
            "records": _("records"),
            "missing": _("Missing"),
            "missing_total": _("Items missing"),
            "unreadable": _("Not readable with your permissions"),
            "recorded_on": _("Recorded on"),
            "none": _("None recorded"),
        }.items()
    }


def archive_context(organization: str) -> dict:
    """What the archive PDF of ``organization`` shows, read as the session user."""
    org = _check_org(organization)
    titles = _item_titles()
    items = []
    for i, (_label_en, doctypes) in enumerate(ARCHIVE_SECTIONS):
        found: dict[str, list | None] = {}
        groups, unreadable = [], []
        for doctype in doctypes:
            if doctype == MEMBER:
                roster = _roster(organization)
                found[MEMBER] = roster["raw"] if roster else None
                if roster is None:
                    unreadable.append(_(doctype))
                elif roster["rows"]:
                    groups.append({"doctype": escape_html(_(doctype)), "roster": roster, "records": []})
                continue
            records = _records(doctype, organization)
            found[doctype] = records
            if records is None:
                unreadable.append(_(doctype))
            elif records:
                groups.append({"doctype": escape_html(_(doctype)), "records": records, "roster": None})
        count = sum(len(g["roster"]["rows"]) if g["roster"] else len(g["records"]) for g in groups)
        items.append(
            {
                "number": ITEM_NUMBERS[i],
                "title": escape_html(titles[i]),
                "groups": groups,
                "count": count,
                "missing": [escape_html(m) for m in _missing(i, found)],
                "unreadable": [escape_html(u) for u in unreadable],
            }
        )
    basics = [
        {"label": escape_html(_label(df, ORG)), "value": _value(df, org.get(df.fieldname), ORG)}
        for df in _readable(ORG)
        if df.fieldname != "org_name" and _filled(org.get(df.fieldname))
        and not (df.fieldtype == "Link" and df.options != "Community")  # links to the app's own records
    ]
    user, now = frappe.session.user, now_datetime()
    return {
        "org": {"name": escape_html(org.name), "org_name": escape_html(org.org_name or org.name)},
        "center": escape_html(org.service_center or ""),
        "basics": basics,
        "sections": items,
        "missing_total": sum(len(i["missing"]) for i in items),
        "downloaded_by": escape_html(f"{get_fullname(user)}（{user}）"),
        "downloaded_on": escape_html(f"{format_cn_date(now)} {now:%H:%M}"),
    }


def render_archive_html(organizations: list[str], split: bool = False) -> str:
    """The archives of ``organizations`` as one HTML document, each from a new page; with
    ``split``, each cover's title links to ``#sfh-archive-<index>`` (see :func:`_split`)."""
    archives = [archive_context(o) for o in organizations]
    return frappe.render_template(TEMPLATE, {"archives": archives, "labels": _labels(), "split": split})


def _wkhtmltopdf(html: str) -> bytes:
    """One wkhtmltopdf run on ``html`` (stdin to stdout): no JavaScript, no local files, and
    the HTML fetches nothing."""
    cmd = [
        shutil.which("wkhtmltopdf") or "wkhtmltopdf", "--quiet", "--encoding", "UTF-8", "--page-size", "A4",
        "--margin-top", "15mm", "--margin-bottom", "15mm", "--margin-left", "15mm", "--margin-right", "15mm",
        "--print-media-type", "--disable-smart-shrinking", "--disable-javascript", "--disable-local-file-access",
        "-", "-",
    ]
    done = subprocess.run(cmd, input=html.encode("utf-8"), capture_output=True, timeout=900)
    if not done.stdout.startswith(b"%PDF"):
        frappe.throw(_("The archive could not be rendered as PDF."))
    return done.stdout


def _reader(pdf: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf))


def _without_links(writer) -> bytes:
    for page in writer.pages:
        if "/Annots" in page:
            del page["/Annots"]  # wkhtmltopdf's anchors point at its temporary file
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _split(pdf: bytes, count: int) -> list[bytes] | None:
    """One PDF of ``count`` archives -> one PDF each, cut where a cover's marker link
    ``#sfh-archive-<index>`` sits; ``None`` unless every marker is found once, in order."""
    from pypdf import PdfWriter

    pages = _reader(pdf).pages
    starts: list[int] = []
    for number, page in enumerate(pages):
        annots = page.get("/Annots")
        for annot in annots.get_object() if annots is not None else ():
            action = annot.get_object().get("/A")
            uri = str(action.get_object().get("/URI") or "") if action is not None else ""
            match = re.search(r"#sfh-archive-(\d+)$", uri)
            if match:
                if int(match.group(1)) != len(starts) or (starts and starts[-1] >= number):
                    return None
                starts.append(number)
    if len(starts) != count or (starts and starts[0] != 0):
        return None
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < count else len(pages)
        writer = PdfWriter()
        for page in pages[start:end]:
            writer.add_page(page)
        out.append(_without_links(writer))
    return out


def render_archive_pdf(organization: str) -> bytes:
    """The archive of one organization: one wkhtmltopdf run."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append_pages_from_reader(_reader(_wkhtmltopdf(render_archive_html([organization]))))
    return _without_links(writer)


def render_archive_pdfs(organizations: list[str], batch: int = BATCH):
    """Yield ``(organization, pdf)`` for each organization, ``batch`` archives per wkhtmltopdf
    run (a run costs about as much to start as to lay out ten archives), cut apart at the
    covers; a batch that cannot be cut is rendered one by one."""
    for i in range(0, len(organizations), batch):
        chunk = organizations[i : i + batch]
        pdfs = _split(_wkhtmltopdf(render_archive_html(chunk, split=True)), len(chunk)) if len(chunk) > 1 else None
        if pdfs is None:
            pdfs = [render_archive_pdf(o) for o in chunk]
        yield from zip(chunk, pdfs)


def _file_stem(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text or "").strip("_")[:80] or "archive"


@frappe.whitelist()
def download_archive(organization: str) -> None:
    """社区社会组织档案 as one PDF (R-FILE [10M] 第二条), for whoever reads the organization, with
    what they may read (R-SCOPE, R-PRIV)."""
    org = _check_org(organization)
    pdf = render_archive_pdf(org.name)
    frappe.local.response.filename = f"{_('Archive')}-{_file_stem(org.org_name or org.name)}.pdf"
    frappe.local.response.filecontent = pdf
    frappe.local.response.type = "pdf"


# ====================================================================== a center's zip


def _status_key(center: str) -> str:
    return f"sfh_archive_job|{center}"


def _may_build(center: str) -> None:
    """The center's staff and head (and System Manager) – who read every field the zip holds."""
    if not center or not frappe.db.exists(CENTER, center):
        raise frappe.PermissionError(_("Not permitted"))
    roles = set(frappe.get_roles())
    if frappe.session.user != "Administrator" and not (roles & ZIP_ROLES):
        raise frappe.PermissionError(_("Only the center's staff may download the archives of all its organizations."))
    if not frappe.has_permission(CENTER, "read", doc=frappe.get_doc(CENTER, center)):
        raise frappe.PermissionError(_("Not permitted"))


def _read_status(center: str) -> dict:
    return dict(frappe.cache.get_value(_status_key(center), expires=True) or {})  # redis, not this request's copy


def _write_status(center: str, status: dict) -> None:
    """The whole status each time: a cache cleared meanwhile loses it only until the next write."""
    frappe.cache.set_value(_status_key(center), dict(status), expires_in_sec=7 * 24 * 3600)


def _latest_zip(center: str) -> dict | None:
    rows = frappe.get_all(
        "File", filters={"attached_to_doctype": CENTER, "attached_to_name": center, "file_name": ("like", f"{ZIP_PREFIX}%")},
        fields=["file_url", "file_name", "creation"], order_by="creation desc", limit=1,
    )
    return rows[0] if rows else None


@frappe.whitelist()
def start_center_archive(service_center: str) -> dict:
    """Queue the zip of the archives of all the center's organizations (long queue)."""
    _may_build(service_center)
    status = _read_status(service_center)
    started = frappe.utils.get_datetime(status.get("started_on")) if status.get("started_on") else None
    if status.get("status") in ("queued", "running") and started and (now_datetime() - started).total_seconds() < 6 * 3600:
        return center_archive_status(service_center)  # one job at a time (a stuck one is retried after 6 h)
    _write_status(service_center, {"status": "queued", "done": 0, "total": 0, "started_on": str(now_datetime())})
    frappe.enqueue(
        "shuangfuhua_app.archive.build_center_archive", queue="long", timeout=4 * 3600,
        job_id=f"sfh-archive-{frappe.local.site}-{service_center}", deduplicate=True, service_center=service_center,
    )
    return center_archive_status(service_center)


@frappe.whitelist()
def center_archive_status(service_center: str) -> dict:
    """Where the center's zip job is (for the form's progress indicator); with no job known,
    the center's latest zip."""
    _may_build(service_center)
    status = _read_status(service_center)
    if status.get("status") in (None, "done"):
        latest = _latest_zip(service_center)
        status = (
            {"status": "done", "file_url": latest.file_url, "finished_on": str(latest.creation),
             **{k: status[k] for k in ("done", "total", "failed") if k in status and status.get("file_url") == latest.file_url}}
            if latest else {}
        )
    status["label"] = {
        "queued": _("Queued"), "running": _("Running"), "done": _("Done"), "failed": _("Failed"),
    }.get(status.get("status"))
    return status


def _md5(path: str) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_center_archive(service_center: str) -> str:
    """The job: one PDF per organization of the center, read as the user who queued it, in
    one zip saved as a private File of the Service Center. Returns the File's URL."""
    from frappe.translate import get_user_lang

    frappe.local.lang = get_user_lang(frappe.session.user)
    _may_build(service_center)
    orgs = frappe.get_list(ORG, filters={"service_center": service_center}, fields=["name", "org_name"],
                           order_by="org_name asc", limit_page_length=0)
    total = len(orgs)
    state = {"status": "running", "done": 0, "total": total, "started_on": str(now_datetime())}
    _write_status(service_center, state)
    stamp = now_datetime().strftime("%Y%m%d-%H%M%S")
    file_name = f"{ZIP_PREFIX}{frappe.generate_hash(length=8)}-{stamp}.zip"
    path = frappe.get_site_path("private", "files", file_name)
    failed, seen = [], set()
    title = _("Archives of the organizations")
    label = {o.name: o.org_name or o.name for o in orgs}

    def entry(org: str) -> str:
        name = f"{_file_stem(label[org])}.pdf"
        if name in seen:
            name = f"{_file_stem(label[org])}-{_file_stem(org)}.pdf"
        seen.add(name)
        return name

    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for start in range(0, total, BATCH):
                chunk = [o.name for o in orgs[start : start + BATCH]]
                try:
                    results = list(render_archive_pdfs(chunk))
                except Exception:
                    results = []
                    for org in chunk:  # one organization's failure costs only its own archive
                        try:
                            results.append((org, render_archive_pdf(org)))
                        except Exception:
                            failed.append(label[org])
                            frappe.log_error(title=f"archive: {org}")
                for org, pdf in results:
                    zf.writestr(entry(org), pdf)
                done = state["done"] = min(start + BATCH, total)
                _write_status(service_center, state)
                frappe.publish_progress(done * 100 / max(total, 1), title=title, doctype=CENTER,
                                        docname=service_center, description=f"{done} / {total}")
            if failed:
                zf.writestr(_("not-rendered.txt"), "\n".join(failed))
        previous = frappe.get_all("File", filters={"attached_to_doctype": CENTER, "attached_to_name": service_center,
                                                   "file_name": ("like", f"{ZIP_PREFIX}%")}, pluck="name")
        # the zip is already where a private file lives: recorded as it is (File.insert would read
        # it back, copy it under another name and refuse it above the upload size limit)
        file = frappe.get_doc(
            {
                "doctype": "File",
                "name": frappe.generate_hash(length=10),
                "file_name": file_name,
                "file_url": f"/private/files/{file_name}",
                "is_private": 1,
                "folder": "Home/Attachments",
                "file_type": "ZIP",
                "attached_to_doctype": CENTER,
                "attached_to_name": service_center,
                "file_size": os.path.getsize(path),
                "content_hash": _md5(path),  # Frappe deletes the zip from disk with its File by it
            }
        )
        file.db_insert()
        for old in previous:
            frappe.delete_doc("File", old, ignore_permissions=True, force=True)
        frappe.db.commit()
    except Exception as e:
        if os.path.exists(path):
            os.remove(path)
        _write_status(service_center, {**state, "status": "failed", "error": str(e)[:200]})
        raise
    _write_status(service_center, {**state, "status": "done", "file_url": file.file_url, "failed": failed,
                                   "finished_on": str(now_datetime())})
    return file.file_url


# ====================================================================== the zip's File


def is_archive_zip(doc) -> bool:
    return (
        doc.get("attached_to_doctype") == CENTER
        and (doc.get("file_name") or "").startswith(ZIP_PREFIX)
    )


def file_has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False):
    """A center's archive zip holds every field the staff read (R-PRIV): only the center's
    staff and head (and System Manager) read it – not every reader of the Service Center.
    Never grants (``None``); the app's scope hook decides the center."""
    if not is_archive_zip(doc):
        return None
    user = user or frappe.session.user
    if user == "Administrator":
        return None
    return None if set(frappe.get_roles(user)) & ZIP_ROLES else False


class ArchiveFile(ScopedFile):
    """A center's archive zip: the document's permission check (Desk, ``frappe.client``,
    ``download_file``) and ``/private/files/…`` (Frappe's download route asks neither the
    permission hooks nor the document) ask :func:`file_has_permission` too."""

    def has_permission(self, permtype="read", *args, **kwargs) -> bool:
        if file_has_permission(self, permtype) is False:
            return False
        return super().has_permission(permtype, *args, **kwargs)

    def is_downloadable(self):
        return super().is_downloadable() and file_has_permission(self, "read") is not False
