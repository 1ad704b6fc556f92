# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""公益微创投 — venture projects by field and state with their money (issue 9; R-7.4, §7.4.5):
projects, budget and (for users who read the center's approval fields, permlevel 2) the
granted amount, aggregated in SQL. Period: the application date (else the creation date)."""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe import _

from shuangfuhua_app.reports import bar_chart, col, org_filters, period, reads_level, run, scope_sql

VP = "Venture Project"


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    start, end = period(filters)
    where, values = org_filters(filters, "p", community_column=None, stage_column=None, org_column="organization")
    values.update(start=start, end=end)
    granted = reads_level(VP, 2)
    rows = frappe.db.sql(
        f"""
        select ifnull(p.project_field, '') as project_field, ifnull(p.workflow_state, '') as state,
               count(*) as projects, sum(ifnull(p.budget, 0)) as budget
               {", sum(ifnull(p.granted_amount, 0)) as granted" if granted else ""}
        from `tab{VP}` p
        where coalesce(p.application_date, date(p.creation)) between %(start)s and %(end)s
          {where} {scope_sql(VP, "p")}
        group by project_field, state
        order by project_field, state
        """,
        values,
        as_dict=True,
    )
    data = [
        {
            "project_field": _(r.project_field) if r.project_field else _("Not Set"),
            "state": _(r.state) if r.state else _("Not Set"),
            "projects": r.projects,
            "budget": float(r.budget or 0),
            **({"granted": float(r.granted or 0)} if granted else {}),
        }
        for r in rows
    ]
    columns = [
        col(_("Project Field"), "project_field", width=160),
        col(_("Workflow State"), "state", width=140),
        col(_("Projects"), "projects", "Int", 90),
        col(_("Budget"), "budget", "Currency", 130),
    ]
    if granted:
        columns.append(col(_("Granted Amount"), "granted", "Currency", 130))
    by_field = defaultdict(lambda: [0.0, 0.0])
    for d in data:
        by_field[d["project_field"]][0] += d["budget"]
        by_field[d["project_field"]][1] += d.get("granted", 0.0)
    labels = sorted(by_field)
    datasets = [(_("Budget"), [by_field[f][0] for f in labels])]
    if granted:
        datasets.append((_("Granted Amount"), [by_field[f][1] for f in labels]))
    return columns, data, None, bar_chart(labels, datasets)
