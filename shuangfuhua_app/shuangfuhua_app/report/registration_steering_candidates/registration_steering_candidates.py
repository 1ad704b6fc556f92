# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""引导登记候选 — the filed organizations that meet the settings' thresholds of members,
activities and funds in the last 12 months ([10M] 第二条 "将辖区内规模较大、符合登记条件的社区
社会组织…引导登记", R-REG-STEER); computed in SQL over the organizations in the user's scope,
with the latest steering record of each."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.reports import col, run, scope_sql
from shuangfuhua_app.standard.steering import OUTCOMES, window_start
from shuangfuhua_app.steering import ORG, figures_sql
from shuangfuhua_app.utils import get_standard_settings, today


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    s = get_standard_settings()
    as_of = getdate(filters.as_of) if filters.as_of else today()
    values = {"as_of": as_of, "start": window_start(as_of), "members": s.steering_min_members,
              "activities": s.steering_min_activities, "funds": s.steering_min_funds}
    where = scope_sql(ORG, "o")
    for key in ("service_center", "community"):
        if filters.get(key):
            where += f" and o.{key} = %({key})s"
            values[key] = filters.get(key)
    having = "" if filters.get("show_all") else (
        "having members >= %(members)s and activities >= %(activities)s and funds >= %(funds)s")
    rows = frappe.db.sql(f"{figures_sql(where)} {having} order by members desc, o.name", values, as_dict=True)
    data = []
    for r in rows:
        meets = r.members >= s.steering_min_members and r.activities >= s.steering_min_activities \
            and float(r.funds) >= s.steering_min_funds
        if r.outcome in OUTCOMES:
            outcome = _(r.outcome, context="Registration Steering")
        else:
            outcome = _("Being Steered") if r.steering else ""
        data.append({**r, "funds": float(r.funds), "meets": 1 if meets else 0, "outcome": outcome})
    columns = [
        col(_("Organization"), "organization", "Link", 160, ORG),
        col(_("Organization Name"), "org_name", "Data", 200),
        col(_("Community"), "community", "Link", 140, "Community"),
        col(_("Members"), "members", "Int", 90),
        col(_("Activities in 12 Months"), "activities", "Int", 120),
        col(_("Funds in 12 Months"), "funds", "Currency", 130),
        col(_("Meets the Thresholds"), "meets", "Check", 110),
        col(_("Steering Record"), "steering", "Link", 150, "Registration Steering"),
        col(_("Outcome"), "outcome", "Data", 120),
    ]
    return columns, data
