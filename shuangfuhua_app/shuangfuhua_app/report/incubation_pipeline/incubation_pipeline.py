# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻孵化进度 — incubation pipeline (issue 9, §6): applications by workflow state and month
(month of the application date, else of its creation), or the days applications spent in each
state, taken from the workflow history (Version records of the state changes). Scope: only
the applications the user's scope reads (R-SCOPE); no personal data."""

from __future__ import annotations

import json
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from shuangfuhua_app.reports import bar_chart, col, org_filters, period, run, scope_sql

APP = "Incubation Application"


def _where(filters: dict) -> tuple[str, dict]:
    start, end = period(filters)
    sql, values = org_filters(filters, "a")
    values.update(start=start, end=end)
    sql = (
        "a.docstatus < 2 and coalesce(a.application_date, date(a.creation)) between %(start)s and %(end)s"
        + sql + scope_sql(APP, "a")
    )
    return sql, values


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    if filters.get("view") == "Days in Each State":
        return days_in_state(filters)
    return by_month(filters)


def by_month(filters):
    where, values = _where(filters)
    rows = frappe.db.sql(
        f"""
        select date_format(coalesce(a.application_date, a.creation), '%%Y-%%m') as month,
               ifnull(a.workflow_state, '') as state, count(*) as n
        from `tab{APP}` a where {where}
        group by month, state order by month
        """,
        values,
        as_dict=True,
    )
    states = [s for s in _state_order() if any(r.state == s for r in rows)]
    states += sorted({r.state for r in rows} - set(states))
    months = sorted({r.month for r in rows})
    keys = {s: f"s{i}" for i, s in enumerate(states)}
    data = []
    for month in months:
        row = {"month": month, "total": 0}
        for r in rows:
            if r.month == month:
                row[keys[r.state]] = r.n
                row["total"] += r.n
        data.append(row)
    columns = [col(_("Month"), "month", width=90)]
    columns += [col(_(s) if s else _("Not Set"), keys[s], "Int", 110) for s in states]
    columns.append(col(_("Row Total"), "total", "Int", 80))
    chart = bar_chart(
        months, [(_(s) if s else _("Not Set"), [d.get(keys[s], 0) for d in data]) for s in states]
    )
    if chart:
        chart["barOptions"] = {"stacked": 1}
    return columns, data, None, chart


def _state_order() -> list[str]:
    name = frappe.db.get_value("Workflow", {"document_type": APP, "is_active": 1}, "name")
    if not name:
        return []
    # a state is listed once per role that may edit in it: each state once, in the workflow's order
    return list(dict.fromkeys(
        frappe.get_all("Workflow Document State", filters={"parent": name}, pluck="state", order_by="idx")))


def days_in_state(filters):
    """R-AUDIT's workflow history: each state change is a Version of the application whose
    ``changed`` list holds ``["workflow_state", old, new]``. A stay runs from entering the state
    (the application's creation for its first state) to the next change; the current state's
    stay runs until now."""
    where, values = _where(filters)
    apps = {
        r.name: r
        for r in frappe.db.sql(
            f"select a.name, a.creation, a.workflow_state from `tab{APP}` a where {where}", values, as_dict=True
        )
    }
    changes = defaultdict(list)
    if apps:
        for v in frappe.db.sql(
            f"""
            select v.docname, v.creation, v.data from `tabVersion` v
            join `tab{APP}` a on a.name = v.docname
            where v.ref_doctype = %(doctype)s and v.data like %(like)s and {where}
            order by v.creation
            """,
            {**values, "doctype": APP, "like": '%"workflow_state"%'},
            as_dict=True,
        ):
            try:
                changed = json.loads(v.data).get("changed") or []
            except ValueError:
                continue
            for field, old, new in changed:
                if field == "workflow_state" and old != new:
                    changes[v.docname].append((get_datetime(v.creation), old, new))
    now = now_datetime()
    ended, current = defaultdict(list), defaultdict(list)
    for name, app in apps.items():
        entered, state = get_datetime(app.creation), None
        for when, old, new in changes.get(name, []):
            ended[old or ""].append((when - entered).total_seconds() / 86400)
            entered, state = when, new
        current[state if state is not None else (app.workflow_state or "")].append((now - entered).total_seconds() / 86400)
    states = [s for s in _state_order() if s in ended or s in current]
    states += sorted((set(ended) | set(current)) - set(states))
    data = []
    for s in states:
        done, open_ = ended.get(s, []), current.get(s, [])
        data.append(
            {
                "state": _(s) if s else _("Not Set"),
                "now_in_state": len(open_),
                "stays_ended": len(done),
                "avg_days": round(sum(done) / len(done), 1) if done else None,
                "max_days": round(max(done), 1) if done else None,
                "avg_days_so_far": round(sum(open_) / len(open_), 1) if open_ else None,
            }
        )
    columns = [
        col(_("Workflow State"), "state", width=140),
        col(_("Applications Now in State"), "now_in_state", "Int", 150),
        col(_("Stays Ended"), "stays_ended", "Int", 110),
        col(_("Average Days (Ended Stays)"), "avg_days", "Float", 170),
        col(_("Longest Stay (Days)"), "max_days", "Float", 140),
        col(_("Average Days So Far (Current)"), "avg_days_so_far", "Float", 180),
    ]
    chart = bar_chart([d["state"] for d in data], [(_("Average Days (Ended Stays)"), [d["avg_days"] or 0 for d in data])])
    return columns, data, None, chart
