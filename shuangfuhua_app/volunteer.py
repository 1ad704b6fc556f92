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


def my_volunteer_context(user: str) -> dict:
    """What ``/my-volunteer-hours`` shows the signed-in volunteer: their own record, hours per
    activity and the published activities of their center from today on."""
    name = frappe.db.get_value(VOLUNTEER, {"user": user}, "name")
    if not name:
        return {"volunteer": None, "records": [], "published": []}
    vol = frappe.db.get_value(
        VOLUNTEER, name, ["name", "volunteer_name", "service_center", "total_hours", "points", "points_balance"],
        as_dict=True,
    )
    records = frappe.get_all(
        RECORD, filters={"parenttype": ACTIVITY, "volunteer": name}, fields=["parent", "hours", "points"]
    )
    titles = {
        a.name: a
        for a in frappe.get_all(
            ACTIVITY,
            filters={"name": ("in", [r.parent for r in records] or [""])},
            fields=["name", "activity_title", "activity_date"],
        )
    }
    lines = sorted(
        (
            {
                "title": titles[r.parent].activity_title,
                "date": titles[r.parent].activity_date,
                "hours": r.hours,
                "points": r.points,
            }
            for r in records
            if r.parent in titles
        ),
        key=lambda x: x["date"],
        reverse=True,
    )
    published = frappe.get_all(
        ACTIVITY,
        filters={"service_center": vol.service_center, "published": 1, "activity_date": (">=", today())},
        fields=["activity_title", "activity_date", "location", "planned_hours", "places"],
        order_by="activity_date asc",
        limit=20,
    )
    from shuangfuhua_app.volunteer_duties import my_duties_context

    return {"volunteer": vol, "records": lines, "published": published, **my_duties_context(vol)}
