# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""定期测评结果 — periodic evaluation results by dimension and rater party (issue 9; R-7.5.2,
§7.5.2.2: township leaders, departments, experts and the community rate independent
operation, party organization building, projects undertaken and resident satisfaction).
[10M] 第一条 (R-RATERS): satisfaction is also rated by the residents' representatives and the
units of the area; every rater party of the form is a row, one nobody rated for shows 0 raters.
Averages computed in SQL over the raters' rows of the evaluations in scope (no rater names)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.reports import bar_chart, col, org_filters, run, scope_sql
from shuangfuhua_app.standard.evaluation import ALL_RATER_PARTIES
from shuangfuhua_app.utils import today

EVAL = "Periodic Evaluation"
DIMENSIONS = {
    "independent_operation": "Independent Operation",
    "party_org_building": "Party Organization Building",
    "projects_undertaken": "Projects Undertaken",
    "resident_satisfaction": "Resident Satisfaction",
}


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    where, values = org_filters(filters, "e", community_column=None, stage_column=None, org_column="organization")
    values.update(year=int(filters.get("year") or today().year), kind=filters.get("evaluation_type") or "Annual Service Evaluation")
    averages = ", ".join(f"avg(nullif(s.`{f}`, 0)) as `{f}`" for f in DIMENSIONS)  # 0 = no score given (as the form)
    rows = frappe.db.sql(
        f"""
        select s.rater_party, count(*) as raters, count(distinct e.name) as evaluations, {averages}
        from `tabEvaluation Rater Score` s
        join `tab{EVAL}` e on e.name = s.parent and s.parenttype = %(parenttype)s and s.parentfield = 'rater_scores'
        where e.docstatus < 2 and e.evaluation_year = %(year)s and e.evaluation_type = %(kind)s
          {where} {scope_sql(EVAL, "e")}
        group by s.rater_party order by s.rater_party
        """,
        {**values, "parenttype": EVAL},
        as_dict=True,
    )
    by_party = {r.rater_party: r for r in rows}
    empty = frappe._dict(raters=0, evaluations=0, **{f: None for f in DIMENSIONS})
    # every rater party of [10M] 第一条 and §7.5.2.2 shows, a missing one with 0 raters – once
    # there is an evaluation to show at all (an empty scope stays an empty report)
    ordered = [by_party.get(p) or frappe._dict(empty, rater_party=p) for p in ALL_RATER_PARTIES] if rows else []
    ordered += [r for r in rows if r.rater_party not in ALL_RATER_PARTIES]
    data = []
    for r in ordered:
        row = {"rater_party": _(r.rater_party) if r.rater_party else _("Not Set"), "raters": r.raters,
               "evaluations": r.evaluations}
        for f in DIMENSIONS:
            row[f] = round(float(r[f]), 2) if r[f] is not None else None
        scores = [row[f] for f in DIMENSIONS if row[f] is not None]
        row["average"] = round(sum(scores) / len(scores), 2) if scores else None
        data.append(row)
    columns = [
        col(_("Rater Party"), "rater_party", width=140),
        col(_("Evaluations"), "evaluations", "Int", 90),
        col(_("Raters"), "raters", "Int", 80),
        *[col(_(label), f, "Float", 150) for f, label in DIMENSIONS.items()],
        col(_("Average of the Dimensions"), "average", "Float", 150),
    ]
    chart = bar_chart(
        [_(label) for label in DIMENSIONS.values()],
        [(d["rater_party"], [d[f] or 0 for f in DIMENSIONS]) for d in data],
    )
    return columns, data, None, chart
