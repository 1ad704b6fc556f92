"""The working-day calendar's next year on the workspace (R-CAL, issue 17 §2).

From 1 November, while next year's holiday schedule is neither declared in the settings nor
known to ``chinese_calendar``, the number card *Next Year's Holidays to Declare* shows 1 and
opens the settings; periods that reach into that year wait for it (a change filing's deadline
is computed once the year is declared: ``filing.compute_pending_deadlines``)."""

from __future__ import annotations

import frappe

from shuangfuhua_app.standard.calendar import year_to_declare
from shuangfuhua_app.utils import SETTINGS, get_work_calendar, today


@frappe.whitelist()
def next_year_to_declare_card(filters=None) -> dict:
    """Number card: 1 when next year must be declared now (from 1 November), else 0; a click
    opens Shuangfuhua Settings, where the year is declared."""
    if not frappe.has_permission(SETTINGS, "read"):
        raise frappe.PermissionError
    year = year_to_declare(get_work_calendar(), today())
    return {"value": 1 if year else 0, "fieldtype": "Int", "route": ["Form", SETTINGS, SETTINGS], "year": year}
