# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""年度目标完成情况 — annual targets against actuals (issue 9; R-TARGET, [LW2021] 二): for each
center in scope with targets for the year (*Annual Target*), each figure's target, actual,
gap and completion. Actuals: ``shuangfuhua_app.reports.center_actuals`` (grouped SQL)."""

from __future__ import annotations

import datetime

import frappe
from frappe import _

from shuangfuhua_app.reports import TARGET_MEASURES, bar_chart, center_actuals, col, org_filters, run, scope_sql
from shuangfuhua_app.utils import today


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    year = int(filters.get("year") or today().year)
    where, values = org_filters(filters, "t", community_column=None, stage_column=None)
    targets = frappe.db.sql(
        f"""select t.* from `tabAnnual Target` t where t.target_year = %(year)s {where} {scope_sql("Annual Target", "t")}
            order by t.service_center""",
        {**values, "year": year},
        as_dict=True,
    )
    actuals = (
        center_actuals(filters, datetime.date(year, 1, 1), datetime.date(year, 12, 31), tuple(m[0] for m in TARGET_MEASURES))
        if targets
        else {}
    )
    data = []
    for t in targets:
        figures = actuals.get(t.service_center, {})
        for field, label in TARGET_MEASURES:
            target, actual = int(t.get(field) or 0), int(figures.get(field, 0))
            data.append(
                {
                    "service_center": t.service_center,
                    "measure": _(label),
                    "target": target,
                    "actual": actual,
                    "gap": max(target - actual, 0),
                    "completion": round(100 * actual / target, 1) if target else None,
                }
            )
    columns = [
        col(_("Service Center"), "service_center", "Link", 200, "Service Center"),
        col(_("Indicator Item"), "measure", width=160),
        col(_("Target"), "target", "Int", 90),
        col(_("Actual"), "actual", "Int", 90),
        col(_("Gap"), "gap", "Int", 90),
        col(_("Completion (%)"), "completion", "Percent", 120),
    ]
    chart = None
    if len(targets) == 1:
        chart = bar_chart([d["measure"] for d in data], [(_("Target"), [d["target"] for d in data]),
                                                         (_("Actual"), [d["actual"] for d in data])])
    return columns, data, None, chart
