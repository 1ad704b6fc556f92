# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""党组织覆盖 — party-organization coverage per center (issue 9; R-7.1.2, R-7.3.1b): the
organizations by party organization form, the R-7.1.2 gaps (≥ 3 party members without a
branch; fewer without an instructor or liaison) and the 一肩挑 rate. Aggregated in SQL to the
distinct inputs of the rules (roster counts per organization, then organizations per profile),
the standard's rules (``standard/party.py``) run once per profile. Figures only – no person is
named (R-PRIV)."""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe import _

from shuangfuhua_app.incubation import BRANCH_FORMS
from shuangfuhua_app.reports import bar_chart, col, org_filters, run, scope_sql
from shuangfuhua_app.standard.party import check_party_organization, one_shoulder_finding
from shuangfuhua_app.utils import get_standard_settings

ORG = "Community Social Organization"
EXCLUDED = ("Exited", "Incubation Ended", "Not Admitted", "Not Applied")


def org_profiles(filters: dict) -> list[frappe._dict]:
    """The organizations in scope (served: applying, admitted or incubating) counted by center
    and by the inputs of the rules (R-7.1.2, R-7.3.1b): party organization form, party members
    (the roster's, else the figure typed on the organization – as ``incubation.compliance``),
    instructor, liaison, a secretary, the head also secretary. Aggregated in SQL: a district's
    organizations come back as a few hundred distinct profiles with their count ``n``."""
    where, values = org_filters(filters, "o")
    values["excluded"] = EXCLUDED
    return frappe.db.sql(
        f"""
        select x.service_center, x.party_org_form, x.party_members, x.has_instructor, x.has_liaison,
               x.has_secretary, x.head_is_secretary, count(*) as n
        from (
            select max(o.service_center) as service_center, max(ifnull(o.party_org_form, '')) as party_org_form,
                   coalesce(nullif(sum(m.is_party_member), 0), max(o.party_member_count), 0) as party_members,
                   ifnull(max(m.is_instructor), 0) as has_instructor, ifnull(max(m.is_liaison), 0) as has_liaison,
                   ifnull(max(m.is_party_secretary), 0) as has_secretary,
                   ifnull(max(m.is_head = 1 and m.is_party_secretary = 1), 0) as head_is_secretary
            from `tab{ORG}` o
            left join `tabOrganization Member` m on m.organization = o.name and m.member_status = 'Current Member'
            where ifnull(o.incubation_status, '') not in %(excluded)s {where} {scope_sql(ORG, "o")}
            group by o.name
        ) x
        group by x.service_center, x.party_org_form, x.party_members, x.has_instructor, x.has_liaison,
                 x.has_secretary, x.head_is_secretary
        """,
        values,
        as_dict=True,
    )


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    settings = get_standard_settings()
    centers: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    forms: dict[str, int] = defaultdict(int)
    for r in org_profiles(filters):
        c, n = centers[r.service_center], int(r.n)
        count = int(r.party_members)
        has_branch = r.party_org_form in BRANCH_FORMS
        has_instructor = bool(r.has_instructor) or r.party_org_form == "Party Instructor"
        has_liaison = bool(r.has_liaison) or r.party_org_form == "Party Liaison"
        finding = check_party_organization(count, has_branch, has_instructor, has_liaison, settings)
        c["orgs"] += n
        c["party_members"] += n * count
        c["with_party_members"] += n * (count > 0)
        c["branch"] += n * has_branch
        c["instructor_or_liaison"] += n * ((not has_branch) and (has_instructor or has_liaison))
        if not finding.ok:
            if count >= settings.party_branch_threshold:
                c["gap_branch"] += n
            else:
                c["gap_instructor"] += n
        # the rule takes people: the head and the secretary, one person when one holds both posts
        heads = ["head-secretary" if r.head_is_secretary else "head"]
        secretaries = ["head-secretary" if r.head_is_secretary else "secretary"] if r.has_secretary else []
        shoulder = one_shoulder_finding(heads, secretaries)
        if shoulder.applicable:
            c["with_secretary"] += n
            c["one_shoulder"] += n * shoulder.ok
        forms[r.party_org_form] += n
    data = []
    for center in sorted(centers):
        c = centers[center]
        data.append(
            {
                "service_center": center,
                **{k: c[k] for k in ("orgs", "party_members", "with_party_members", "branch", "instructor_or_liaison",
                                     "gap_branch", "gap_instructor", "with_secretary", "one_shoulder")},
                "one_shoulder_rate": round(100 * c["one_shoulder"] / c["with_secretary"], 1) if c["with_secretary"] else None,
            }
        )
    columns = [
        col(_("Service Center"), "service_center", "Link", 200, "Service Center"),
        col(_("Organization Count"), "orgs", "Int", 100),
        col(_("Party Members"), "party_members", "Int", 100),
        col(_("Organizations with Party Members"), "with_party_members", "Int", 150),
        col(_("With a Party Branch"), "branch", "Int", 120),
        col(_("With an Instructor or Liaison"), "instructor_or_liaison", "Int", 150),
        col(_("Gap: 3 or More Party Members, No Branch"), "gap_branch", "Int", 200),
        col(_("Gap: No Branch, Instructor or Liaison"), "gap_instructor", "Int", 200),
        col(_("With a Party Organization Secretary"), "with_secretary", "Int", 170),
        col(_("Head Also Secretary (一肩挑)"), "one_shoulder", "Int", 150),
        col(_("一肩挑 Rate (%)"), "one_shoulder_rate", "Percent", 120),
    ]
    labels = sorted(forms)
    chart = bar_chart([_(f) if f else _("Not Set") for f in labels], [(_("Organization Count"), [forms[f] for f in labels])], "pie")
    return columns, data, None, chart
