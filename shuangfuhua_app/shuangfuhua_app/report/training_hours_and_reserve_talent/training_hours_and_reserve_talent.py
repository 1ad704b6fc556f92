# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""人才培训达标 — training per person against the quotas (issue 9): class hours of party
affairs workers and business leaders (R-7.3.1a, §7.3.1), trainings and plan of reserve talents
(R-7.3.2b), centralized rotation of party members (R-7.3.2c), and per organization the reserve
ratio (R-7.3.2a) in the summary. R-PRIV (issue 14 §5): a row naming a party member (rotation)
or a party affairs worker is listed only for users who read Party membership
(``privacy.reads_party``); for the others those quotas count in the summary's figures and no
row names the person (a party affairs worker who is also a business leader is listed as the
business leader). Hours and
counts are aggregated in SQL per person (``incubation.attendance_totals``), pro-rating and
rounding are the standard's rules (``standard/training.py``), exactly as on the organization's
form.
Issue 16: beside each row, the person's training hours of the year from confirmed QR
sign-ins (participant rows with source QR) and from typed rows – the evidence behind the
figure."""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import strip_html

from shuangfuhua_app.incubation import ROLE_FIELDS, _later
from shuangfuhua_app.standard.activities import ROTATION_TYPES, TRAINING_TYPES
from shuangfuhua_app.privacy import reads_party
from shuangfuhua_app.reports import col, org_filters, run, scope_sql
from shuangfuhua_app.standard.training import YearQuotas, reserve_ratio_finding
from shuangfuhua_app.utils import get_standard_settings, today

ORG = "Community Social Organization"
MEMBER = "Organization Member"
#: the posts the quotas of §7.3 apply to (and the secretary, for the reserve ratio)
QUOTA_ROLES = ("is_party_affairs_worker", "is_business_leader", "is_reserve", "is_party_member", "is_party_secretary")


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    year = int(filters.get("year") or today().year)
    as_of = today()
    settings = get_standard_settings()
    party_visible = reads_party()
    if not filters.get("service_center"):
        # one row per person: a district's hundreds of thousands of people are read center by center
        return _columns(), [], _("Choose a service center: this report lists every person of one center."), None
    hours_label, reserve_label, party_label = _("Class Hours"), _("Reserve Talent"), _("Party Member")
    trainings_label, rotation_label = _("Trainings"), _("Centralized Rotation")
    worker_label, leader_label = _(ROLE_FIELDS["is_party_affairs_worker"]), _(ROLE_FIELDS["is_business_leader"])
    quotas = YearQuotas(year, as_of, settings)  # what depends only on a start date, worked out once per date
    data, behind, measured = [], 0, 0
    qr_total = hours_total = 0.0
    per_org: dict[str, list[int]] = {}  # organization -> [secretaries, reserves]
    # one pass over plain rows: a center has thousands of people (issue 18)
    for (name, org, member_name, role_start, plan, worker, leader, reserve, party, secretary, hours, qr,
         trainings, rotations, agreement_start) in people_with_totals(filters, year):
        hours, qr = float(hours or 0), float(qr or 0)
        hours_total += hours
        qr_total += qr
        counts = per_org.get(org)
        if counts is None:
            counts = per_org[org] = [0, 0]
        counts[0] += bool(secretary)
        counts[1] += bool(reserve)
        if not (worker or leader or reserve or party):
            continue
        joined = _later(role_start, agreement_start)
        checks = []  # (post, measure, finding, listed: may this reader see the row naming the person)
        if worker or leader:
            if party_visible:
                post = "、".join(label for label, held in ((worker_label, worker), (leader_label, leader)) if held)
            else:
                post = leader_label if leader else ""
            checks.append((post, hours_label, quotas.class_hours(post + member_name, hours, joined), bool(post)))
        if reserve:
            has_plan = bool(plan) and bool(strip_html(plan).strip())
            checks.append((reserve_label, trainings_label, quotas.reserve_training(
                int(trainings or 0), has_plan, joined, f"储备人才{member_name}"), True))
        if party:
            checks.append((party_label, rotation_label, quotas.rotation(
                int(rotations or 0), joined, f"党员{member_name}"), party_visible))
        for post, measure, f, listed in checks:
            if not f.applicable:
                continue
            measured += 1
            behind += not f.ok
            if not listed:
                continue  # R-PRIV: a figure in the summary, no row naming the person
            data.append(
                {
                    "organization": org,
                    "member": name,
                    "member_name": member_name,
                    "post": post,
                    "measure": measure,
                    "figure": f.figure,
                    "required": f.required,
                    "gap": f.gap,
                    "ok": int(f.ok),
                    "finding": f.message,
                    # issue 16: the evidence – training hours from confirmed QR sign-ins vs typed rows
                    "qr_hours": qr,
                    "typed_hours": hours - qr,
                }
            )
    with_secretary = ratio_met = 0
    for secretaries, reserves in per_org.values():
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
    # issue 16: the evidence for the center (or the organization filtered) – training hours of
    # the year from confirmed QR sign-ins and from typed rows, everyone in scope counted
    summary += [
        {"value": qr_total, "label": _("Class Hours by QR Sign-in"), "datatype": "Float", "indicator": "Green"},
        {"value": hours_total - qr_total, "label": _("Class Hours Typed"), "datatype": "Float", "indicator": "Grey"},
    ]
    chart = None
    if measured:
        chart = {
            "data": {"labels": [_("Met"), _("Not Met")], "datasets": [{"name": _("Quotas"), "values": [measured - behind, behind]}]},
            "type": "donut",
        }
    return columns, data, None, chart, summary


def people_with_totals(filters: dict, year: int) -> list[tuple]:
    """The current people of the organizations in scope with their attended activities of
    ``year`` summed in SQL: class hours and count of trainings (``TRAINING_TYPES``; a
    participant row's own hours, else the activity's class hours, as ``incubation.attendance``)
    and of rotations – read from the participant rows' covering index – and the start of their
    organization's first agreement. Plain rows: name, organization, member name, role start,
    training plan, the :data:`QUOTA_ROLES` flags, training hours, QR hours, trainings, rotations,
    agreement start."""
    where, values = org_filters(filters, "m", community_column=None, stage_column=None, org_column="organization")
    where += scope_sql(MEMBER, "m")  # the people's own scope (their center, their organization)
    roles = ", ".join(f"max(m.`{f}`)" for f in QUOTA_ROLES)
    people = frappe.db.sql(
        f"""
        select m.name, max(m.organization) as organization, max(m.member_name),
               max(m.role_start_date), max(case when m.is_reserve = 1 then m.training_plan end), {roles},
               sum(case when a.activity_type in %(training)s
                        then coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) else 0 end),
               sum(case when a.activity_type in %(training)s and p.source = 'QR'
                        then coalesce(p.hours_attended, 0) else 0 end),
               sum(case when a.activity_type in %(training)s then 1 else 0 end),
               sum(case when a.activity_type in %(rotation)s then 1 else 0 end)
        from `tab{MEMBER}` m
        left join `tabIncubation Activity Participant` p on p.member = m.name and p.attended = 1
        left join `tabIncubation Activity` a on a.name = p.parent and a.docstatus < 2
             and a.activity_date between %(start)s and %(end)s
        where m.member_status = 'Current Member' {where}
        group by m.name
        order by organization, max(m.creation)
        """,
        {**values, "training": tuple(TRAINING_TYPES), "rotation": tuple(ROTATION_TYPES),
         "start": datetime.date(year, 1, 1), "end": datetime.date(year, 12, 31)},
    )
    orgs = tuple({p[1] for p in people})
    starts = dict(frappe.db.sql(
        """select organization, min(start_date) from `tabIncubation Agreement`
           where docstatus = 1 and organization in %(orgs)s group by organization""", {"orgs": orgs},
    )) if orgs else {}
    return [(*p, starts.get(p[1])) for p in people]


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
        col(_("Class Hours by QR Sign-in"), "qr_hours", "Float", 110),
        col(_("Class Hours Typed"), "typed_hours", "Float", 110),
    ]
