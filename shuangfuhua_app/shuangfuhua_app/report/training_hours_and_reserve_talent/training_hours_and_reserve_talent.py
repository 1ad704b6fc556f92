# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""人才培训达标 — training per person against the quotas (issue 9): class hours of party
affairs workers and business leaders (R-7.3.1a, §7.3.1), trainings and plan of reserve talents
(R-7.3.2b), centralized rotation of party members (R-7.3.2c – only for users who read Party
roles, R-PRIV), and per organization the reserve ratio (R-7.3.2a) in the summary. Hours and
counts are aggregated in SQL per person (``incubation.attendance_totals``), pro-rating and
rounding are the standard's rules (``standard/training.py``), exactly as on the organization's
form."""

from __future__ import annotations

import datetime

import frappe
from frappe import _

from shuangfuhua_app.incubation import ROLE_FIELDS, _later, attendance_totals
from shuangfuhua_app.reports import col, org_filters, reads_level, run, scope_sql
from shuangfuhua_app.standard.training import (
    class_hours_finding,
    reserve_ratio_finding,
    reserve_training_finding,
    rotation_finding,
)
from shuangfuhua_app.utils import get_standard_settings, today

ORG = "Community Social Organization"
MEMBER = "Organization Member"
BATCH = 1000


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    year = int(filters.get("year") or today().year)
    as_of = today()
    settings = get_standard_settings()
    party_visible = reads_level(MEMBER, 1)
    if not filters.get("service_center"):
        # one row per person: a district's hundreds of thousands of people are read center by center
        return _columns(), [], _("Choose a service center: this report lists every person of one center."), None
    where, values = org_filters(filters, "o")
    orgs = frappe.db.sql(
        f"select o.name from `tab{ORG}` o where 1=1 {where} {scope_sql(ORG, 'o')} order by o.name", values, pluck=True
    )
    data, behind, measured, with_secretary, ratio_met = [], 0, 0, 0, 0
    for i in range(0, len(orgs), BATCH):
        batch = orgs[i : i + BATCH]
        people = frappe.db.sql(
            f"""
            select m.name, m.organization, m.member_name, m.role_start_date, m.training_plan,
                   {", ".join(f"m.`{f}`" for f in ROLE_FIELDS)}
            from `tab{MEMBER}` m
            where m.organization in %(orgs)s and m.member_status = 'Current Member'
            order by m.organization, m.creation
            """,
            {"orgs": tuple(batch)},
            as_dict=True,
        )
        starts = dict(
            frappe.db.sql(
                """select organization, min(start_date) from `tabIncubation Agreement`
                   where docstatus = 1 and organization in %(orgs)s group by organization""",
                {"orgs": tuple(batch)},
            )
        )
        totals = attendance_totals(batch, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        per_org: dict[str, list] = {}
        for m in people:
            per_org.setdefault(m.organization, []).append(m)
            t = totals.get(m.name) or frappe._dict(training_hours=0.0, trainings=0, rotations=0)
            joined = _later(m.role_start_date, starts.get(m.organization))
            checks = []
            if m.is_party_affairs_worker or m.is_business_leader:
                post = "、".join(
                    _(ROLE_FIELDS[f]) for f in ("is_party_affairs_worker", "is_business_leader") if m.get(f)
                )
                checks.append((post, _("Class Hours"), class_hours_finding(post + m.member_name, t.training_hours, year, as_of, joined, settings)))
            if m.is_reserve:
                has_plan = bool(frappe.utils.strip_html(m.training_plan or "").strip())
                checks.append((_("Reserve Talent"), _("Trainings"), reserve_training_finding(
                    t.trainings, has_plan, year, as_of, joined, settings, f"储备人才{m.member_name}")))
            if m.is_party_member and party_visible:
                checks.append((_("Party Member"), _("Centralized Rotation"), rotation_finding(
                    t.rotations, year, as_of, joined, settings, f"党员{m.member_name}")))
            for post, measure, f in checks:
                if not f.applicable:
                    continue
                measured += 1
                behind += not f.ok
                data.append(
                    {
                        "organization": m.organization,
                        "member": m.name,
                        "member_name": m.member_name,
                        "post": post,
                        "measure": measure,
                        "figure": f.figure,
                        "required": f.required,
                        "gap": f.gap,
                        "ok": int(f.ok),
                        "finding": f.message,
                    }
                )
        for org, members in per_org.items():
            secretaries = sum(1 for m in members if m.is_party_secretary)
            reserves = sum(1 for m in members if m.is_reserve)
            f = reserve_ratio_finding(secretaries, reserves, settings)
            if f.applicable:
                with_secretary += 1
                ratio_met += f.ok
    columns = _columns()
    summary = [
        {"value": measured, "label": _("Quotas Measured"), "datatype": "Int", "indicator": "Blue"},
        {"value": behind, "label": _("Quotas Not Met"), "datatype": "Int", "indicator": "Red" if behind else "Green"},
        {"value": with_secretary, "label": _("Organizations with a Secretary"), "datatype": "Int"},
        {"value": ratio_met, "label": _("Reserve Ratio Met (1:2)"), "datatype": "Int",
         "indicator": "Green" if ratio_met == with_secretary else "Orange"},
    ]
    chart = None
    if measured:
        chart = {
            "data": {"labels": [_("Met"), _("Not Met")], "datasets": [{"name": _("Quotas"), "values": [measured - behind, behind]}]},
            "type": "donut",
        }
    return columns, data, None, chart, summary


def _columns() -> list[dict]:
    return [
        col(_("Organization"), "organization", "Link", 200, ORG),
        col(_("Person"), "member", "Link", 120, MEMBER),
        col(_("Person Name"), "member_name", width=100),
        col(_("Post Held"), "post", width=150),
        col(_("Indicator Item"), "measure", width=100),
        col(_("Figure"), "figure", "Float", 80),
        col(_("Required"), "required", "Float", 80),
        col(_("Gap"), "gap", "Float", 80),
        col(_("Met"), "ok", "Check", 60),
        col(_("Finding"), "finding", width=400),
    ]
