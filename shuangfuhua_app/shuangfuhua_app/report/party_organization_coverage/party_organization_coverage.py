# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""党组织覆盖 — party-organization coverage per center (issue 9; R-7.1.2, R-7.3.1b): the
organizations by party organization form, the R-7.1.2 gaps (≥ 3 party members without a
branch; fewer without an instructor or liaison) and the 一肩挑 rate. One aggregate query per
organization (roster counts in SQL), the standard's rules (``standard/party.py``) on the plain
rows. Figures only – no person is named (R-PRIV)."""

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


def org_rows(filters: dict) -> list[frappe._dict]:
    """One row per organization in scope (served: applying, admitted or incubating) with its
    roster figures – the same inputs as ``incubation.compliance`` (R-7.1.2, R-7.3.1b)."""
    where, values = org_filters(filters, "o")
    values["excluded"] = EXCLUDED
    return frappe.db.sql(
        f"""
        select o.name, o.service_center, ifnull(o.party_org_form, '') as party_org_form,
               ifnull(o.party_member_count, 0) as typed_party_members,
               ifnull(sum(m.is_party_member), 0) as party_members,
               ifnull(max(m.is_instructor), 0) as has_instructor, ifnull(max(m.is_liaison), 0) as has_liaison,
               group_concat(case when m.is_head = 1 then m.name end) as heads,
               group_concat(case when m.is_party_secretary = 1 then m.name end) as secretaries
        from `tab{ORG}` o
        left join `tabOrganization Member` m on m.organization = o.name and m.member_status = 'Current Member'
        where ifnull(o.incubation_status, '') not in %(excluded)s {where} {scope_sql(ORG, "o")}
        group by o.name, o.service_center, o.party_org_form, o.party_member_count
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
    for r in org_rows(filters):
        c = centers[r.service_center]
        count = int(r.party_members) or int(r.typed_party_members)
        has_branch = r.party_org_form in BRANCH_FORMS
        has_instructor = bool(r.has_instructor) or r.party_org_form == "Party Instructor"
        has_liaison = bool(r.has_liaison) or r.party_org_form == "Party Liaison"
        finding = check_party_organization(count, has_branch, has_instructor, has_liaison, settings)
        c["orgs"] += 1
        c["party_members"] += count
        c["with_party_members"] += count > 0
        c["branch"] += has_branch
        c["instructor_or_liaison"] += (not has_branch) and (has_instructor or has_liaison)
        if not finding.ok:
            if count >= settings.party_branch_threshold:
                c["gap_branch"] += 1
            else:
                c["gap_instructor"] += 1
        shoulder = one_shoulder_finding((r.heads or "").split(","), (r.secretaries or "").split(","))
        if shoulder.applicable:
            c["with_secretary"] += 1
            c["one_shoulder"] += shoulder.ok
        forms[r.party_org_form] += 1
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
