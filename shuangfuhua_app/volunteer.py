"""Volunteers (R-VOL, 《培育发展社区社会组织十条措施》第六条): registration (personal data at
permlevel 1), activities published to volunteers, service hours per activity accumulated as
time-bank points, and a volunteer's own hours on the portal page ``/my-volunteer-hours``.
Rules in ``shuangfuhua_app.standard.hub``.

Decisions (documented): a volunteer signs in with the portal user linked on the Volunteer record
(no extra role); the page shows only that user's own record, hours and the published activities
of their center – read on the server, nobody else's data is sent. One point per hour.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.exceptions import InvalidIdentifierError, throw
from shuangfuhua_app.standard.hub import check_service_hours, time_bank_points
from shuangfuhua_app.standard.identity import validate_mobile, validate_resident_id
from shuangfuhua_app.utils import today

VOLUNTEER = "SFH Volunteer"
ACTIVITY = "Volunteer Activity"
RECORD = "Volunteer Service Record"


def validate_volunteer(doc) -> None:
    """Volunteer ``validate`` (R-VOL, R-PRIV): ID number and phone checked."""
    if doc.resident_id and (message := validate_resident_id(doc.resident_id)):
        throw(message, InvalidIdentifierError)
    if doc.phone and (message := validate_mobile(doc.phone)):
        throw(message, InvalidIdentifierError)
    if doc.registered_on and getdate(doc.registered_on) > today():
        frappe.throw(_("The registration date cannot be in the future."))


def validate_activity(doc) -> None:
    """Volunteer Activity ``validate`` (R-VOL): hours per record, points, one row per volunteer,
    volunteers of the activity's center."""
    seen = set()
    for row in doc.records or []:
        if message := check_service_hours(row.hours):
            throw(_("Row {0}: {1}").format(row.idx, message))
        if row.volunteer in seen:
            frappe.throw(
                _("Row {0}: {1} is entered twice.").format(row.idx, row.volunteer_name or row.volunteer)
            )
        seen.add(row.volunteer)
        if frappe.db.get_value(VOLUNTEER, row.volunteer, "service_center") != doc.service_center:
            frappe.throw(
                _("Row {0}: the volunteer is registered with another center.").format(row.idx),
                frappe.PermissionError,
            )
        row.points = time_bank_points(row.hours)
    doc.total_hours = sum(float(r.hours or 0) for r in doc.records or [])


def activity_on_update(doc) -> None:
    before = doc.get_doc_before_save()
    volunteers = {r.volunteer for r in doc.records or []}
    if before:
        volunteers |= {r.volunteer for r in before.records or []}
    for volunteer in volunteers:
        update_totals(volunteer)
    # R-VOL-REDEEM ([10M] 第六条): every movement of points is a ledger row
    from shuangfuhua_app.volunteer_duties import sync_earned

    sync_earned(doc)


def update_totals(volunteer: str) -> None:
    """The volunteer's accumulated hours and time-bank points (R-VOL)."""
    rows = frappe.get_all(
        RECORD, filters={"parenttype": ACTIVITY, "volunteer": volunteer}, fields=["hours", "points"]
    )
    frappe.db.set_value(
        VOLUNTEER,
        volunteer,
        {"total_hours": sum(r.hours or 0 for r in rows), "points": sum(r.points or 0 for r in rows)},
        update_modified=False,
    )


def my_volunteer_context(user: str, page=None) -> dict:
    """What ``/my-volunteer-hours`` shows the signed-in volunteer: their own record, hours per
    activity and the published activities of their center from today on. The lists that grow
    over the years (service records, points entries) show page ``page`` (issue 18 §4: 20 of
    each per page, a fixed number of queries whatever their length)."""
    from shuangfuhua_app.portal import paging

    name = frappe.db.get_value(VOLUNTEER, {"user": user}, "name")
    if not name:
        return {"volunteer": None, "records": [], "published": []}
    vol = frappe.db.get_value(
        VOLUNTEER, name, ["name", "volunteer_name", "service_center", "total_hours", "points", "points_balance"],
        as_dict=True,
    )
    from shuangfuhua_app.volunteer_duties import ENTRY, my_duties_context

    records_sql = f"""from `tab{RECORD}` r join `tab{ACTIVITY}` a on a.name = r.parent
        where r.parenttype = %(dt)s and r.volunteer = %(vol)s"""
    args = {"dt": ACTIVITY, "vol": name}
    totals = {
        "records": frappe.db.sql(f"select count(*) {records_sql}", args)[0][0],
        "ledger": frappe.db.count(ENTRY, {"volunteer": name}),
    }
    pg = paging.pager(page, totals)
    lines = frappe.db.sql(
        f"""select r.name, a.activity_title as title, a.activity_date as date, r.hours, r.points {records_sql}
        order by a.activity_date desc, a.name desc, r.idx asc limit %(start)s, %(length)s""",
        {**args, "start": pg["start"], "length": pg["page_size"]},
        as_dict=True,
    )
    published = frappe.get_all(
        ACTIVITY,
        filters={"service_center": vol.service_center, "published": 1, "activity_date": (">=", today())},
        fields=["activity_title", "activity_date", "location", "planned_hours", "places"],
        order_by="activity_date asc",
        limit=20,
    )
    return {"volunteer": vol, "records": lines, "published": published, **my_duties_context(vol, pg),
            "totals": totals, **pg}
