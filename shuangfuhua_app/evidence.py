"""Issue 16 §4: the evidence behind the class hours of an organization – how many of its
people's training class hours (§7.3.1, R-7.3.1a) come from confirmed QR sign-ins (participant
rows with source QR, written when staff confirm the sheet, ``signin.confirm_sheet``) and how
many from typed rows. Figures only, no person (R-PRIV): any reader of the organization may
see them. The same hours as the organization's compliance and the exit measure: attended rows
of training activities (``standard.activities.TRAINING_TYPES``), a row's own hours else the
activity's, of the organization's current members; summed in SQL.

The per-center figure is in ``reports.CENTER_QUERIES`` (District Comparison of Centers); the
exit assessment's is in ``standard.exit.measure_class_hours`` (frozen with the assessment)."""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.standard.activities import TRAINING_TYPES
from shuangfuhua_app.standard.exit import QR_SOURCE, class_hours_evidence

ORG = "Community Social Organization"


def org_class_hours(orgs: list[str], start: datetime.date, end: datetime.date) -> dict[str, dict[str, float]]:
    """org -> ``{"qr_hours", "typed_hours"}`` of its current members' training class hours of
    activities dated ``start``..``end`` (one grouped query for all ``orgs``)."""
    out = {org: {"qr_hours": 0.0, "typed_hours": 0.0} for org in orgs}
    if not orgs:
        return out
    for org, qr, typed in frappe.db.sql(
        """
        select m.organization,
               sum(case when p.source = %(qr)s then coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) else 0 end),
               sum(case when ifnull(p.source, '') != %(qr)s
                        then coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) else 0 end)
        from `tabOrganization Member` m
        join `tabIncubation Activity Participant` p on p.member = m.name and p.attended = 1
             and p.parenttype = 'Incubation Activity' and p.parentfield = 'participants'
        join `tabIncubation Activity` a on a.name = p.parent
        where m.organization in %(orgs)s and m.member_status = 'Current Member'
          and a.docstatus < 2 and a.activity_type in %(training)s and a.activity_date between %(start)s and %(end)s
        group by m.organization
        """,
        {"orgs": tuple(orgs), "training": tuple(TRAINING_TYPES), "start": start, "end": end, "qr": QR_SOURCE},
    ):
        out[org] = {"qr_hours": round(float(qr or 0), 2), "typed_hours": round(float(typed or 0), 2)}
    return out


@frappe.whitelist()
def get_class_hours_evidence(organization: str, year: int | None = None) -> dict:
    """The organization's form: this year's (or ``year``'s) training class hours of its people
    from confirmed QR sign-ins and typed – for any reader of the organization (figures only)."""
    if not frappe.has_permission(ORG, "read", doc=organization):
        raise frappe.PermissionError(_("Not permitted"))
    year = int(year or getdate().year)
    figures = org_class_hours([organization], datetime.date(year, 1, 1), datetime.date(year, 12, 31))[organization]
    total = round(figures["qr_hours"] + figures["typed_hours"], 2)
    return {"year": year, **figures, "hours": total,
            "text": _("Training class hours of {0}: {1}").format(
                year, class_hours_evidence(total, figures["qr_hours"], figures["typed_hours"]))}
