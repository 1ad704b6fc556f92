# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻孵化进度 — incubation pipeline (issue 9, §6): applications by workflow state and month
(month of the application date, else of its creation), or the days applications spent in each
state, taken from the workflow history (Version records of the state changes). Scope: only
the applications the user's scope reads (R-SCOPE); no personal data."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

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
    stay runs until now.

    R-X-SCALE (issue 18 §3, §5): computed in one SQL statement that reads the history once – the
    state changes read out of the Versions' JSON (``JSON_TABLE``), each stay's start taken from
    the change before it (``LAG``), the stays averaged per state – not by reading every Version
    into Python. (A Version names ``workflow_state`` only when the state changed: Frappe records
    changed fields only, so an application none of whose Versions names it has stayed in its
    state since its creation.)"""
    where, values = _where(filters)
    values = {**values, "doctype": APP, "like": '%"workflow_state"%', "now": now_datetime()}
    rows = frappe.db.sql(
        f"""
        with ch as (
            select v.docname, v.creation, v.name as vname, a.creation as app_creation,
                   a.workflow_state as app_state, jt.old_state, jt.new_state
            from `tabVersion` v
            join `tab{APP}` a on a.name = v.docname
            join json_table(v.data, '$.changed[*]' columns (
                field varchar(140) path '$[0]', old_state varchar(140) path '$[1]',
                new_state varchar(140) path '$[2]')) jt
            where v.ref_doctype = %(doctype)s and v.data like %(like)s and json_valid(v.data) and {where}
              and jt.field = 'workflow_state' and not (jt.old_state <=> jt.new_state)
        ),
        seq as (
            select ch.*,
                   lag(creation) over (partition by docname order by creation, vname) as prev,
                   row_number() over (partition by docname order by creation desc, vname desc) as rn
            from ch
        )
        select kind, state, sum(n) as n, sum(total_us) / sum(n) / 86400e6 as avg_days,
               max(max_us) / 86400e6 as max_days
        from (
            -- every change ends a stay in its old state; an application's last change starts
            -- the stay in its current state (one pass over the history: each row twice at most)
            select if(k.k = 1, 'ended', 'current') as kind,
                   if(k.k = 1, ifnull(s.old_state, ''), coalesce(s.new_state, s.app_state, '')) as state,
                   count(*) as n,
                   sum(if(k.k = 1, timestampdiff(microsecond, coalesce(s.prev, s.app_creation), s.creation),
                          timestampdiff(microsecond, s.creation, %(now)s))) as total_us,
                   max(if(k.k = 1, timestampdiff(microsecond, coalesce(s.prev, s.app_creation), s.creation), null))
                       as max_us
            from seq s join (select 1 as k union all select 2) k on k.k = 1 or s.rn = 1
            group by kind, state
            union all
            -- applications with no state change in their history: in their state since creation
            select 'current', ifnull(a.workflow_state, ''), count(*),
                   sum(timestampdiff(microsecond, a.creation, %(now)s)), null
            from `tab{APP}` a
            where {where} and not exists (
                select 1 from `tabVersion` v where v.ref_doctype = %(doctype)s and v.docname = a.name
                  and v.data like %(like)s)
            group by ifnull(a.workflow_state, '')
        ) x
        group by kind, state
        """,
        values,
        as_dict=True,
    )
    ended = {r.state: r for r in rows if r.kind == "ended"}
    current = {r.state: r for r in rows if r.kind == "current"}
    states = [s for s in _state_order() if s in ended or s in current]
    states += sorted((set(ended) | set(current)) - set(states))
    data = []
    for s in states:
        done, open_ = ended.get(s), current.get(s)
        data.append(
            {
                "state": _(s) if s else _("Not Set"),
                "now_in_state": int(open_.n) if open_ else 0,
                "stays_ended": int(done.n) if done else 0,
                "avg_days": round(float(done.avg_days), 1) if done else None,
                "max_days": round(float(done.max_days), 1) if done else None,
                "avg_days_so_far": round(float(open_.avg_days), 1) if open_ else None,
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
