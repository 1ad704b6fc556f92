"""Semi-annual work ledger (工作台账, R-LEDGER, [10M] 第二条): one click on a center exports an
``.xlsx`` workbook of its organizations and their half-year work for the district
civil-affairs bureau – one sheet per topic, Chinese headers (the fields' labels in the user's
language), frozen header row, column widths fitted to the content.

Scope and personal data: the rows come from ``frappe.get_list`` (the user's record permissions
and the app's scope hooks apply, R-SCOPE); a column is included only when the user reads the
permlevel of its field (R-PRIV: phones and Party roles at permlevel 1, the center's review
fields at permlevel 2). Resident ID numbers are never exported (not needed for the ledger).
Built with openpyxl (Frappe's own xlsx dependency) and ``frappe.utils.xlsxutils``' cleaning.
"""

from __future__ import annotations

import datetime
from io import BytesIO

import frappe
import openpyxl
from frappe import _
from frappe.utils import cint, getdate, now_datetime
from frappe.utils.xlsxutils import ILLEGAL_CHARACTERS_RE, handle_html
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shuangfuhua_app.reports import REPORT_ROLES

#: never exported, whoever asks (R-PRIV: data minimization)
NEVER = {"resident_id", "birth_date"}


def _sheets() -> list[dict]:
    """The ledger's topics, in order: sheet title, DocType, fields, the date field that puts a
    record in the half-year (``None``: every record of the center) and extra filters."""
    return [
        {"title": _("Organization Roster"), "doctype": "Community Social Organization", "date": None, "fields": [
            "org_name", "org_type", "uscc", "filing_number", "founded_date", "community", "service_field",
            "development_stage", "incubation_status", "head_name", "contact_name", "contact_phone", "member_count",
            "volunteer_count", "party_member_count", "party_org_form", "exit_level"]},
        {"title": _("People"), "doctype": "Organization Member", "date": None,
         "filters": {"member_status": "Current Member"}, "fields": [
            "org_name", "member_name", "gender", "position", "role_start_date", "is_head", "is_party_secretary",
            "is_party_member", "is_applicant", "is_activist", "is_liaison", "is_instructor", "is_party_affairs_worker",
            "is_business_leader", "is_reserve", "is_backbone", "phone"]},
        {"title": _("Applications"), "doctype": "Incubation Application", "date": "application_date", "fields": [
            "name", "org_name", "org_type", "community", "workflow_state", "channel", "application_date",
            "service_field", "development_stage", "party_member_count", "party_org_form"]},
        {"title": _("Activities"), "doctype": "Incubation Activity", "date": "activity_date", "fields": [
            "activity_date", "activity_title", "block", "activity_type", "class_hours", "place", "organizer",
            "attended_count", "person_hours"]},
        {"title": _("Venture Projects"), "doctype": "Venture Project", "date": "application_date", "fields": [
            "project_name", "org_name", "project_field", "workflow_state", "application_date", "planned_start",
            "planned_end", "budget", "funder", "granted_amount", "evaluation_result"]},
        {"title": _("Consultation Records"), "doctype": "Consultation", "date": "asked_on", "fields": [
            "asked_on", "org_name", "subject", "topic", "consult_channel", "consultation_status", "answered_on",
            "response_hours"]},
        {"title": _("Periodic Evaluations"), "doctype": "Periodic Evaluation", "date": "evaluation_date", "fields": [
            "org_name", "evaluation_type", "evaluation_year", "evaluation_date", "avg_independent_operation",
            "avg_party_org_building", "avg_projects_undertaken", "avg_resident_satisfaction", "overall_score",
            "credit_status"]},
        {"title": _("Awards and Honors"), "doctype": "Award and Honor", "date": "awarded_on", "fields": [
            "org_name", "honor_name", "honor_level", "awarding_body", "awarded_on", "award_amount"]},
        {"title": _("Major Event Reports"), "doctype": "Major Event Report", "date": "event_date", "fields": [
            "org_name", "event_title", "event_date", "event_place", "expected_participants", "report_status"]},
    ]


def half_year(year, half) -> tuple[datetime.date, datetime.date]:
    year, half = cint(year), cint(half)
    if not 2000 <= year <= 2100 or half not in (1, 2):
        frappe.throw(_("Choose a year and the first or second half-year."), frappe.ValidationError)
    return (datetime.date(year, 1, 1), datetime.date(year, 6, 30)) if half == 1 else (
        datetime.date(year, 7, 1), datetime.date(year, 12, 31))


def _columns(doctype: str, fieldnames: list[str]):
    """(field, header) of the fields the user reads (R-PRIV)."""
    meta = frappe.get_meta(doctype)
    levels = set(meta.get_permlevel_access("read") or []) | {0}
    out = []
    for fieldname in fieldnames:
        if fieldname in NEVER:
            continue
        if fieldname == "name":
            out.append((frappe._dict(fieldname="name", fieldtype="Data", permlevel=0), _("ID")))
            continue
        df = meta.get_field(fieldname)
        if not df or (df.permlevel or 0) not in levels:
            continue
        out.append((df, _(df.label, context=doctype)))
    return out


def _cell(df, value, doctype: str):
    if value is None or value == "":
        return None
    if df.fieldtype == "Check":
        return _("Yes") if cint(value) else None
    if df.fieldtype == "Select" or df.fieldname == "workflow_state":
        return _(value, context=doctype)
    if df.fieldtype == "Datetime":
        return getdate(value)
    if isinstance(value, str):
        value = handle_html(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _width(value) -> int:
    text = value.isoformat() if isinstance(value, datetime.date) else str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _print_setup(ws) -> None:
    """Landscape, one page wide, the header row repeated on every printed page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"


def build_workbook(center: str, year, half) -> tuple[bytes, dict]:
    """The ledger of ``center`` for the half-year as xlsx bytes and the row count per sheet."""
    start, end = half_year(year, half)
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = _("Ledger")
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    counts = {}
    for sheet in _sheets():
        doctype = sheet["doctype"]
        if not frappe.db.table_exists(doctype) or not frappe.has_permission(doctype, "read"):
            continue
        columns = _columns(doctype, sheet["fields"])
        filters = {"service_center": center, **sheet.get("filters", {})}
        if sheet["date"]:
            filters[sheet["date"]] = ("between", [start, end])
        rows = frappe.get_list(
            doctype, filters=filters, fields=[df.fieldname for df, _h in columns],
            order_by=f"{sheet['date'] or 'creation'} asc", limit_page_length=0,
        )
        ws = wb.create_sheet(sheet["title"][:31])
        ws.append([header for _df, header in columns])
        widths = [_width(header) for _df, header in columns]
        for row in rows:
            values = [_cell(df, row.get(df.fieldname), doctype) for df, _h in columns]
            ws.append(values)
            widths = [max(w, _width(v)) for w, v in zip(widths, values)]
        for i, (df, _h) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill = header_font, fill
            cell.alignment = Alignment(vertical="center", wrap_text=False)
            ws.column_dimensions[get_column_letter(i)].width = min(max(widths[i - 1] + 2, 8), 50)
            if df.fieldtype in ("Date", "Datetime"):
                for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    c.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        _print_setup(ws)
        counts[sheet["title"]] = len(rows)

    # the cover: what this workbook is
    cover.append([_("Semi-annual Work Ledger"), ""])
    cover.append([_("Service Center"), center])
    cover.append([_("Ledger Period"), f"{start.isoformat()} – {end.isoformat()}"])
    cover.append([_("Exported By"), frappe.session.user])
    cover.append([_("Exported On"), now_datetime().strftime("%Y-%m-%d %H:%M")])
    cover.append([])
    cover.append([_("Sheet"), _("Rows")])
    for title, n in counts.items():
        cover.append([title, n])
    for cell in ("A1", "A7", "B7"):
        cover[cell].font = header_font
    cover.column_dimensions["A"].width = 24
    cover.column_dimensions["B"].width = 48
    cover.freeze_panes = "A2"
    _print_setup(cover)
    out = BytesIO()
    wb.save(out)
    return out.getvalue(), counts


@frappe.whitelist()
def export_ledger(service_center: str, year: int, half: int):
    """R-LEDGER: download the semi-annual ledger of a center (staff, head, leaders, the
    supervisory unit and the leading group office of that center's scope)."""
    if not set(frappe.get_roles()) & set(REPORT_ROLES):
        frappe.throw(_("Not permitted"), frappe.PermissionError)
    frappe.has_permission("Service Center", "read", service_center, throw=True)
    content, _counts = build_workbook(service_center, year, half)
    frappe.response["filename"] = f"{service_center}-{cint(year)}-H{cint(half)}-工作台账.xlsx"
    frappe.response["filecontent"] = content
    frappe.response["type"] = "binary"
