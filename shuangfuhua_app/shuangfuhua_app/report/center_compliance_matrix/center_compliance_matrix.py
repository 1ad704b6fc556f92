# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""中心规范化建设合规矩阵 — the center's own compliance, clause by clause (issue 9; R-4.1a–f,
R-4.2, R-OPER): for each center of the user's scope, every item of §4 with its status, figure,
gap and cited finding – the same findings as the compliance panel on the center's form
(``shuangfuhua_app.center.compliance_rows``), side by side for a district; the centers and
their tables are read in one query per table (``center.load_centers``)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.center import compliance_rows, load_centers
from shuangfuhua_app.reports import bar_chart, col, run, scope_sql
from shuangfuhua_app.utils import get_standard_settings, today


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    year = int(filters.get("year") or today().year)
    where, values = "", {}
    if filters.get("service_center"):
        where += " and c.name = %(service_center)s"
        values["service_center"] = filters["service_center"]
    if filters.get("township"):
        where += " and c.township = %(township)s"
        values["township"] = filters["township"]
    centers = frappe.db.sql(
        f"select c.name from `tabService Center` c where 1=1 {where} {scope_sql('Service Center', 'c')} order by c.name",
        values,
        pluck=True,
    )
    data, unmet = [], {}
    docs, as_of, settings = load_centers(centers), today(), get_standard_settings()
    label = {"na": _("Not Applicable"), True: _("Met"), False: _("Not Met")}
    for center in centers:
        unmet[center] = 0
        for r in compliance_rows(center, year, as_of, docs[center], settings):
            status = label["na"] if not r["applicable"] else label[bool(r["ok"])]
            unmet[center] += int(not r["ok"])
            data.append(
                {
                    "service_center": center,
                    "clause": r["clause"],
                    "rule": r["rule"],
                    "status": status,
                    "ok": int(bool(r["ok"])),
                    "figure": r["figure"],
                    "required": r["required"],
                    "gap": r["gap"],
                    "finding": r["message"],
                }
            )
    columns = [
        col(_("Service Center"), "service_center", "Link", 200, "Service Center"),
        col(_("Clause"), "clause", width=80),
        col(_("Rule"), "rule", width=100),
        col(_("Status"), "status", width=90),
        col(_("Met"), "ok", "Check", 60),
        col(_("Figure"), "figure", "Data", 80),
        col(_("Required"), "required", "Data", 80),
        col(_("Gap"), "gap", "Data", 80),
        col(_("Finding"), "finding", width=460),
    ]
    chart = bar_chart(list(unmet), [(_("Items Not Met"), list(unmet.values()))])
    return columns, data, None, chart
