"""Glue between the framework-free rules (``shuangfuhua_app.standard``) and the site."""

from __future__ import annotations

import datetime

import frappe
from frappe.utils import getdate

from shuangfuhua_app.exceptions import CalendarYearUnknownError, throw
from shuangfuhua_app.standard.calendar import UnknownYearError, WorkCalendar
from shuangfuhua_app.standard.settings import StandardSettings, settings_from_mapping

SETTINGS = "Shuangfuhua Settings"


def get_standard_settings() -> StandardSettings:
    """The standard's numbers as configured on this site (defaults = the standard)."""
    doc = frappe.get_cached_doc(SETTINGS)
    return settings_from_mapping(doc.as_dict())


def get_work_calendar() -> WorkCalendar:
    """R-CAL: statutory holidays via chinese_calendar, plus what staff declared in the settings."""
    doc = frappe.get_cached_doc(SETTINGS)
    holidays = {getdate(r.date) for r in doc.calendar_days if r.day_type == "Holiday"}
    workdays = {getdate(r.date) for r in doc.calendar_days if r.day_type == "Workday"}
    years = {int(r.year) for r in doc.declared_years if r.year}
    return WorkCalendar(extra_holidays=holidays, extra_workdays=workdays, declared_years=years)


def nth_working_day(start, n: int) -> datetime.date:
    """``WorkCalendar.nth_working_day`` that turns an unknown year into a user-facing error."""
    try:
        return get_work_calendar().nth_working_day(getdate(start), n)
    except UnknownYearError as e:
        throw(str(e), CalendarYearUnknownError)


def ensure_default_template(doctype: str, name: str, table: str, rows: list[dict], setting: str) -> str:
    """Install/migrate: a shipped default template (review criteria, exit indicators) exists –
    created when missing, never overwriting one staff edited – and is the settings' ``setting``
    unless the center chose another one."""
    if not frappe.db.exists(doctype, name):
        frappe.get_doc({"doctype": doctype, "template_name": name, table: rows}).insert(ignore_permissions=True)
    if not frappe.db.get_single_value("Shuangfuhua Settings", setting):
        frappe.db.set_single_value("Shuangfuhua Settings", setting, name)
    return name


def today() -> datetime.date:
    return getdate(frappe.utils.nowdate())


def format_cn_date(value) -> str:
    """2025-10-13 -> 2025年10月13日 (for print formats and the public notice page)."""
    if not value:
        return ""
    d = getdate(value)
    return f"{d.year}年{d.month}月{d.day}日"


def findings_table_html(rows: list[dict], head: str) -> str:
    """A findings panel (clause, figure/required, gap, message) for a form's HTML field –
    the organization's quotas (§7) and the center's compliance (§4) alike."""
    from frappe.utils import escape_html

    from shuangfuhua_app.standard.result import fmt_number

    lines = []
    for r in rows:
        if not r["applicable"]:
            mark, color = "–", "var(--text-muted)"
        elif r["ok"]:
            mark, color = "✓", "var(--green-600)"
        else:
            mark, color = "✗", "var(--red-600)"
        figure = ""
        if r["required"] not in (None, 0) and r["figure"] is not None:
            figure = f"{fmt_number(r['figure'])}/{fmt_number(r['required'])}"
        gap = fmt_number(r["gap"]) if r["gap"] else ""
        lines.append(
            f'<tr><td style="color:{color}">{mark}</td><td>{escape_html(r["clause"])}</td>'
            f"<td>{escape_html(figure)}</td><td>{escape_html(gap)}</td><td>{escape_html(r['message'])}</td></tr>"
        )
    return (
        f'<div class="sfh-compliance"><p><b>{escape_html(head)}</b></p>'
        f'<table class="table table-bordered table-sm"><thead><tr><th></th><th>{frappe._("Clause")}</th>'
        f"<th>{frappe._('Figure')}</th><th>{frappe._('Gap')}</th><th>{frappe._('Finding')}</th></tr></thead>"
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )
