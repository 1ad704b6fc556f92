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


def today() -> datetime.date:
    return getdate(frappe.utils.nowdate())


def format_cn_date(value) -> str:
    """2025-10-13 -> 2025年10月13日 (for print formats and the public notice page)."""
    if not value:
        return ""
    d = getdate(value)
    return f"{d.year}年{d.month}月{d.day}日"
