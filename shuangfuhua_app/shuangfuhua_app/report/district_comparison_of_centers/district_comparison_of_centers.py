# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""各中心对比 — the centers of a district side by side on the same figures (issue 9;
R-X-DISTRICT) for the leading group office: organizations, in incubation, applications,
organizations incubated, trainings, trainee person-times, class hours from confirmed QR sign-ins
and typed (issue 16 §4), consultations, projects and their
budget, the average annual evaluation score, reminders. Every figure one grouped query
(``shuangfuhua_app.reports.center_actuals``); a user sees the centers of their scope only."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.reports import bar_chart, center_actuals, col, period, run, scope_sql

MEASURES = (
    ("organizations", "Organization Count", "Int"),
    ("in_incubation", "In Incubation", "Int"),
    ("applications", "Applications", "Int"),
    ("incubated", "Organizations Incubated", "Int"),
    ("trainings", "Trainings Held", "Int"),
    ("trainee_person_times", "Trainee Person-times", "Int"),
    # issue 16 §4: the evidence of the training figures – class hours by confirmed QR sign-in vs typed
    ("qr_class_hours", "Class Hours by QR Sign-in", "Float"),
    ("typed_class_hours", "Class Hours Typed", "Float"),
    ("consultations", "Consultations", "Int"),
    ("projects", "Venture Projects", "Int"),
    ("budget", "Project Budget", "Currency"),
    ("evaluation_score", "Average Annual Evaluation Score", "Float"),
    ("reminders", "Reminders", "Int"),
)


@run
def execute(filters=None):
    filters = frappe._dict(filters or {})
    start, end = period(filters)
    values, where = {}, ""
    if filters.get("township"):
        where, values["township"] = " and c.township = %(township)s", filters["township"]
    centers = frappe.db.sql(
        f"select c.name, c.township from `tabService Center` c where 1=1 {where} {scope_sql('Service Center', 'c')} order by c.township, c.name",
        values,
        as_dict=True,
    )
    figures = center_actuals(filters, start, end, tuple(m[0] for m in MEASURES)) if centers else {}
    data = []
    for c in centers:
        f = figures.get(c.name, {})
        row = {"service_center": c.name, "township": c.township}
        for field, _label, kind in MEASURES:
            # hours: none held is 0 hours; a score: none is no score
            value = f.get(field, 0.0 if field.endswith("class_hours") else None)
            if kind == "Float":
                row[field] = round(value, 2) if value is not None else None
            else:
                row[field] = (int(value) if kind == "Int" else value) if value is not None else 0
        data.append(row)
    columns = [col(_("Service Center"), "service_center", "Link", 200, "Service Center"), col(_("Township or Street"), "township", width=110)]
    columns += [col(_(label), field, kind, 120) for field, label, kind in MEASURES]
    chart = bar_chart(
        [d["service_center"] for d in data],
        [(_("In Incubation"), [d["in_incubation"] for d in data]), (_("Trainings Held"), [d["trainings"] for d in data])],
    )
    return columns, data, None, chart
