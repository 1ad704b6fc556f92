"""Shared pieces of the app's Script Reports (issue 9, "Statistics the center must be able to
produce", R-X-SCALE, R-X-DISTRICT).

Script Reports run SQL directly, so Frappe's record permissions do not filter them: every
query here adds the user's scope (R-SCOPE) explicitly through
``shuangfuhua_app.permissions.condition_for`` – staff of another center get empty reports –
and personal data (R-PRIV) is never selected: reports show figures, and the names of people
only where the user reads that DocType's permlevel that holds them. Aggregation is done in
SQL (group by), the standard's rules (``shuangfuhua_app.standard``) run on the plain rows.
Reports only read: they run under ``frappe.read_only()`` (a replica when the site has one).
"""

from __future__ import annotations

import datetime
import json

import frappe
from frappe.utils import getdate

from shuangfuhua_app.permissions import NOTHING, RECORD_SCOPE, condition_for, get_scope

#: roles that open the app's reports (issue 9)
REPORT_ROLES = (
    "Center Staff",
    "Center Head",
    "Township Leader",
    "Business Supervisory Unit",
    "Leading Group Office",
    "System Manager",
)


def scope_sql(doctype: str, alias: str, column: str = "name") -> str:
    """`` and …`` restricting ``alias`` (a table joined as ``doctype`` or holding its names in
    ``column``) to the records of the user's scope; ``""`` when the user sees all."""
    user = frappe.session.user
    condition = condition_for(doctype, get_scope(user), user)
    if not condition:
        return ""
    if condition == NOTHING:
        return " and 1=0"
    if column == "name" and doctype in RECORD_SCOPE:
        # ``alias`` is the DocType's own table: its record condition (columns of that table
        # only, scope.py) applies to the alias directly – no subquery over the whole table
        # (issue 18 §5: a district's people are hundreds of thousands of rows)
        return f" and {condition.replace(f'`tab{doctype}`.', f'{alias}.')}"
    return f" and {alias}.`{column}` in (select `tab{doctype}`.`name` from `tab{doctype}` where {condition})"


def reads_level(doctype: str, level: int) -> bool:
    """Does the user read ``doctype``'s fields at ``level`` (R-PRIV)?"""
    return level in (frappe.get_meta(doctype).get_permlevel_access("read") or [])


def org_filters(
    filters: dict, alias: str = "o", center_column: str = "service_center",
    community_column: str | None = "community", stage_column: str | None = "development_stage",
    org_column: str | None = None,
) -> tuple[str, dict]:
    """SQL (`` and …``) and values for the center / township / community / stage filters of a
    report on the table ``alias`` (columns named by the arguments; ``None``: no such column).
    A table without community or stage columns but with an organization link (``org_column``)
    is filtered through its organizations – no join needed for a report without those filters."""
    sql, values, via_org = "", {}, []
    if filters.get("service_center"):
        sql += f" and {alias}.`{center_column}` = %(service_center)s"
        values["service_center"] = filters["service_center"]
    if filters.get("township"):
        sql += f" and {alias}.`{center_column}` in (select name from `tabService Center` where township = %(township)s)"
        values["township"] = filters["township"]
    for key, column in (("community", community_column), ("development_stage", stage_column)):
        if not filters.get(key):
            continue
        values[key] = filters[key]
        if column:
            sql += f" and {alias}.`{column}` = %({key})s"
        elif org_column:
            via_org.append(f"`{key}` = %({key})s")
    if via_org:
        sql += (f" and {alias}.`{org_column}` in (select name from `tabCommunity Social Organization`"
                f" where {' and '.join(via_org)})")
    return sql, values


def period(filters: dict) -> tuple[datetime.date, datetime.date]:
    """The report's period: ``from_date``..``to_date``, else the ``year`` (default this year)."""
    if filters.get("from_date") or filters.get("to_date"):
        start = getdate(filters.get("from_date") or "2000-01-01")
        end = getdate(filters.get("to_date") or "2100-12-31")
        return start, end
    year = int(filters.get("year") or datetime.date.today().year)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def col(label: str, fieldname: str, fieldtype: str = "Data", width: int = 120, options: str | None = None) -> dict:
    out = {"label": label, "fieldname": fieldname, "fieldtype": fieldtype, "width": width}
    if options:
        out["options"] = options
    return out


def bar_chart(labels: list, datasets: list[tuple[str, list]], kind: str = "bar") -> dict | None:
    if not labels:
        return None
    return {
        "data": {"labels": labels, "datasets": [{"name": name, "values": values} for name, values in datasets]},
        "type": kind,
    }


def run(execute):
    """Decorator of a report's ``execute``: read-only connection (replica when configured)."""
    return frappe.read_only()(execute)



# ---------------------------------------------------------------------- a center's figures

#: R-TARGET ([LW2021] 二): the figures a center's annual targets name, in order (field, label)
TARGET_MEASURES = (
    ("incubated", "Organizations Incubated"),
    ("filed", "Organizations Filed"),
    ("trainings", "Trainings Held"),
    ("trainee_person_times", "Trainee Person-times"),
    ("consultations", "Consultations"),
    ("projects", "Venture Projects"),
    ("upgraded", "Organizations Upgraded"),
    ("brand_orgs", "Brand Organizations"),
)
STAGE_RANK = {"Startup": 1, "Growth": 2, "Mature": 3}


#: one grouped query per table: (measures it yields, doctype, alias, SQL with ``{where}``); the
#: table is read once for all its measures a report asks for (R-X-SCALE)
_ORG = "Community Social Organization"
CENTER_QUERIES = (
    (("organizations", "in_incubation"), _ORG, "o", """
        select o.service_center, count(*),
               sum(o.incubation_status in ('Admitted', 'Incubating'))
        from `tabCommunity Social Organization` o where 1=1 {where} group by o.service_center"""),
    # R-FILE: organizations whose (new) filing was certified in the period – the certificate
    # (number and date) is what makes an organization filed, not its founding date
    (("filed",), "Organization Filing", "f", """
        select f.service_center, count(distinct f.organization) from `tabOrganization Filing` f
        where f.filing_type = 'New Filing' and ifnull(f.certificate_number, '') != ''
          and f.certificate_date between %(start)s and %(end)s {where} group by f.service_center"""),
    # R-HUB ([BJ2016] 第三十条): organizations recognised as brands by a Brand Evaluation of the period
    (("brand_orgs",), "Brand Evaluation", "b", """
        select b.service_center, count(distinct b.organization) from `tabBrand Evaluation` b
        where b.recognised = 1 and b.evaluation_date between %(start)s and %(end)s {where}
        group by b.service_center"""),
    (("incubated",), "Incubation Agreement", "g", """
        select g.service_center, count(*) from `tabIncubation Agreement` g
        where g.docstatus = 1 and g.start_date between %(start)s and %(end)s {where} group by g.service_center"""),
    # the activity's own count of attended participants (kept by its controller), not a join with
    # the participant rows: a year's million rows would cost seconds
    (("trainings", "trainee_person_times"), "Incubation Activity", "a", """
        select a.service_center, count(*), sum(a.attended_count) from `tabIncubation Activity` a
        where a.docstatus < 2 and a.activity_type in %(training)s and a.activity_date between %(start)s and %(end)s
        {where} group by a.service_center"""),
    # issue 16 §4, R-7.3.1a: the class hours of the period's training activities by their evidence –
    # attended participant rows of confirmed QR sign-ins (source QR) and typed rows, at the hours the
    # exit measure counts (a row's own hours, else the activity's). Issue 18 §5: read from the
    # activity's own sums kept by its controller (qr_hours: the QR rows' part of person_hours), not
    # by a join with a year's million participant rows
    (("qr_class_hours", "typed_class_hours"), "Incubation Activity", "a", """
        select a.service_center, sum(a.qr_hours), sum(a.person_hours) - sum(a.qr_hours)
        from `tabIncubation Activity` a
        where a.docstatus < 2 and a.activity_type in %(training)s and a.activity_date between %(start)s and %(end)s
        {where} group by a.service_center"""),
    (("consultations",), "Consultation", "c", """
        select c.service_center, count(*) from `tabConsultation` c
        where c.asked_on between %(start)s and %(end_time)s {where} group by c.service_center"""),
    (("projects", "budget"), "Venture Project", "p", """
        select p.service_center, count(*), sum(ifnull(p.budget, 0)) from `tabVenture Project` p
        where coalesce(p.application_date, date(p.creation)) between %(start)s and %(end)s {where}
        group by p.service_center"""),
    (("applications",), "Incubation Application", "a", """
        select a.service_center, count(*) from `tabIncubation Application` a
        where a.docstatus < 2 and coalesce(a.application_date, date(a.creation)) between %(start)s and %(end)s {where}
        group by a.service_center"""),
    (("evaluation_score",), "Periodic Evaluation", "e", """
        select e.service_center, avg(e.overall_score) from `tabPeriodic Evaluation` e
        where e.docstatus < 2 and e.evaluation_type = 'Annual Service Evaluation' and e.overall_score > 0
          and e.evaluation_year = year(%(end)s) {where} group by e.service_center"""),
    (("reminders",), "SFH Reminder", "r", """
        select r.service_center, count(*) from `tabSFH Reminder` r
        where r.creation between %(start)s and %(end_time)s {where} group by r.service_center"""),
)


def center_actuals(
    filters: dict, start: datetime.date, end: datetime.date, measures: tuple[str, ...] | None = None
) -> dict[str, dict[str, float]]:
    """center -> the figures named in ``measures`` (default: all) for ``start``..``end``, over
    the records in the user's scope, one grouped query per table (:data:`CENTER_QUERIES`):

    * incubated: agreements submitted with their start date in the period (§6.4);
    * filed: organizations whose new filing was certified (number and date) in the period (R-FILE);
    * trainings / trainee person-times: training activities (``standard.activities``) dated
      in the period and their attended participants;
    * QR / typed class hours (issue 16 §4): class hours of the period's training activities
      from participant rows of confirmed QR sign-ins and from typed rows (the activities' own
      ``qr_hours`` and ``person_hours``, kept by their controller);
    * consultations: asked in the period; projects (and budget): applied for in it;
    * upgraded: organizations whose development stage moved up in the period (their history);
    * brand organizations: organizations recognised by a Brand Evaluation dated in the period
      (R-HUB, [BJ2016] 第三十条);
    * organizations, in incubation, applications, evaluation score, reminders (the district
      comparison, R-X-DISTRICT).
    """
    from shuangfuhua_app.standard.activities import TRAINING_TYPES

    values = {"start": start, "end": end, "end_time": datetime.datetime.combine(end, datetime.time.max),
              "training": tuple(TRAINING_TYPES)}
    wanted = set(measures or [m for q in CENTER_QUERIES for m in q[0]] + ["upgraded"])
    out: dict[str, dict[str, float]] = {}
    for names, doctype, alias, sql in CENTER_QUERIES:
        if not wanted & set(names):
            continue
        where, extra = org_filters(filters, alias, community_column=None, stage_column=None)
        for center, *figures in frappe.db.sql(sql.format(where=where + scope_sql(doctype, alias)), {**values, **extra}):
            if center:
                out.setdefault(center, {}).update((n, float(v or 0)) for n, v in zip(names, figures) if n in wanted)
    if "upgraded" in wanted:
        for center, count in upgraded_organizations(filters, values).items():
            out.setdefault(center, {})["upgraded"] = float(count)
    return out


def upgraded_organizations(filters: dict, values: dict) -> dict[str, int]:
    """center -> organizations whose development stage moved to a higher stage in the period,
    from their history (``Version``: only the rows of the period that mention the field)."""
    where, extra = org_filters(filters, "o", community_column=None, stage_column=None)
    upgraded: dict[str, set] = {}
    for center, name, data in frappe.db.sql(
        f"""select o.service_center, o.name, v.data from `tabVersion` v
            join `tab{_ORG}` o on o.name = v.docname
            where v.ref_doctype = %(org)s and v.creation between %(start)s and %(end_time)s
              and v.data like %(like)s {where} {scope_sql(_ORG, "o")}""",
        {**values, **extra, "org": _ORG, "like": '%"development_stage"%'},
    ):
        try:
            changed = json.loads(data).get("changed") or []
        except ValueError:
            continue
        for field, old, new in changed:
            if field == "development_stage" and STAGE_RANK.get(new, 0) > STAGE_RANK.get(old, 99):
                upgraded.setdefault(center, set()).add(name)
    return {center: len(names) for center, names in upgraded.items()}
