"""Registration steering (引导登记; R-REG-STEER, [10M] 第二条): the filed organizations whose
roster, reported activities and granted funds meet the thresholds of the settings
(``standard.steering``), computed in SQL; the record *Registration Steering* per organization
where staff mark it, follow it up and record the outcome."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.steering import (
    check_follow_up,
    check_org_type,
    check_outcome_change,
    steering_finding,
    window_start,
)
from shuangfuhua_app.utils import get_standard_settings, today

ORG = "Community Social Organization"
STEERING = "Registration Steering"


def figures_sql(extra_where: str = "") -> str:
    """One row per filed organization: current members, activities reported and venture funds
    granted in the 12 months up to ``%(as_of)s`` (from ``%(start)s``), its open steering record."""
    return f"""
        select o.name as organization, o.org_name, o.community, o.service_center,
            (select count(*) from `tabOrganization Member` m
              where m.organization = o.name and m.member_status = 'Current Member') as members,
            (select count(*) from `tabActivity Report` a
              where a.organization = o.name and a.report_type = 'Activity Report'
                and a.activity_date between %(start)s and %(as_of)s) as activities,
            (select coalesce(sum(v.granted_amount), 0) from `tabVenture Project` v
              where v.organization = o.name and v.approved_on between %(start)s and %(as_of)s) as funds,
            (select s.name from `tab{STEERING}` s where s.organization = o.name
              order by s.creation desc limit 1) as steering,
            (select s.outcome from `tab{STEERING}` s where s.organization = o.name
              order by s.creation desc limit 1) as outcome
        from `tab{ORG}` o
        where o.org_type = 'Filed' {extra_where}
    """


def org_figures(org: str, as_of=None) -> frappe._dict:
    as_of = getdate(as_of) if as_of else today()
    rows = frappe.db.sql(figures_sql("and o.name = %(org)s"), {"org": org, "as_of": as_of,
                                                              "start": window_start(as_of)}, as_dict=True)
    return rows[0] if rows else frappe._dict(members=0, activities=0, funds=0)


def validate(doc) -> None:
    """``validate`` of Registration Steering (R-REG-STEER)."""
    s = get_standard_settings()
    day = today()
    if doc.is_new():
        if message := check_org_type(frappe.db.get_value(ORG, doc.organization, "org_type") == "Filed"):
            throw(message)
        other = frappe.db.get_value(STEERING, {"organization": doc.organization, "outcome": ("in", ("", None)),
                                               "name": ("!=", doc.name)}, "name")
        if other:
            throw(_("This organization is already being steered toward registration: {0}").format(other))
        f = org_figures(doc.organization, day)
        doc.marked_on, doc.marked_by = day, frappe.session.user
        doc.members_at_marking, doc.activities_at_marking, doc.funds_at_marking = f.members, f.activities, f.funds
        doc.criteria_check = steering_finding(f.members, f.activities, f.funds, s.steering_min_members,
                                              s.steering_min_activities, s.steering_min_funds).message
    else:
        before = frappe.db.get_value(STEERING, doc.name, ["organization", "outcome"], as_dict=True)
        if before.organization != doc.organization:
            throw(_("The organization of a steering record cannot be changed; open a new record."))
        if message := check_outcome_change(before.outcome or None, doc.outcome or None):
            throw(message)
        if doc.outcome and not before.outcome:
            doc.outcome_on = day
    for row in doc.follow_ups:
        if message := check_follow_up(row.follow_up_on, doc.marked_on or day, day):
            throw(message)
