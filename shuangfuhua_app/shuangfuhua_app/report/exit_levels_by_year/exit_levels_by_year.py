# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""出壳等级统计 — exit levels by year (issue 9; R-8.1.1b, §8.1): the organizations whose exit
result was confirmed in each year, by level (不达标 / 达标 / 良好 / 优秀), from the level and
confirmation date the exit assessment writes onto the organization. Counted in SQL; scope
applied (R-SCOPE)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.reports import bar_chart, col, org_filters, run, scope_sql

ORG = "Community Social Organization"
LEVELS = ("Not Up to Standard", "Up to Standard", "Good", "Excellent")


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    where, values = org_filters(filters, "o")
    rows = frappe.db.sql(
        f"""
        select year(o.exit_date) as year, o.exit_level as level, count(*) as n
        from `tab{ORG}` o
        where o.exit_date is not null and ifnull(o.exit_level, '') != '' {where} {scope_sql(ORG, "o")}
        group by year(o.exit_date), o.exit_level order by year
        """,
        values,
        as_dict=True,
    )
    keys = {level: f"l{i}" for i, level in enumerate(LEVELS)}
    data = {}
    for r in rows:
        row = data.setdefault(r.year, {"year": str(r.year), "total": 0, **dict.fromkeys(keys.values(), 0)})
        if r.level in keys:
            row[keys[r.level]] += r.n
        row["total"] += r.n
    data = [data[y] for y in sorted(data)]
    columns = [col(_("Year"), "year", width=80)]
    columns += [col(_(level, context=ORG), keys[level], "Int", 110) for level in LEVELS]
    columns.append(col(_("Row Total"), "total", "Int", 80))
    chart = bar_chart([d["year"] for d in data], [(_(level, context=ORG), [d[keys[level]] for d in data]) for level in LEVELS])
    if chart:
        chart["barOptions"] = {"stacked": 1}
    return columns, data, None, chart
