"""The volunteers' duties of 《培育发展社区社会组织十条措施》第六条 beyond registration and hours:
服务积分兑换 (R-VOL-REDEEM: the center's catalogue, redemptions, a ledger row for every movement
of points), 诚信记载 (R-VOL-CREDIT: no-shows, complaints, commendations) and 供需对接
(R-VOL-MATCH: needs posted by organizations, communities and staff, matched with registered
volunteers, accepted by a volunteer, service recorded against the need).  Rules in
``shuangfuhua_app.standard.volunteer``; this module is the thin Frappe side.

Decisions (documented): the balance is the sum of the volunteer's ledger rows
("SFH Volunteer Points Entry"), written only here; every posting locks the volunteer's row
(SELECT … FOR UPDATE) so two redemptions at once cannot both spend the same points; a
redemption is never changed or deleted – a correction is an adjustment; a correction of hours
books the difference as a new Earned row.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from shuangfuhua_app.exceptions import StandardRuleError, throw
from shuangfuhua_app.standard import volunteer as rules
from shuangfuhua_app.system_guard import app_writes
from shuangfuhua_app.utils import today

VOLUNTEER = "SFH Volunteer"
ACTIVITY = "Volunteer Activity"
RECORD = "Volunteer Service Record"
ITEM = "SFH Points Catalogue Item"
REDEMPTION = "SFH Points Redemption"
ENTRY = "SFH Volunteer Points Entry"
STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}


def _require_staff_of(doctype: str, name: str, ptype: str = "write") -> None:
    if not (STAFF_ROLES & set(frappe.get_roles())) or not frappe.has_permission(doctype, ptype, doc=name):
        frappe.throw(_("Only the staff of the volunteer's service center may do this."), frappe.PermissionError)


def own_volunteer(user: str | None = None) -> str:
    """The volunteer record of the signed-in user (the portal's volunteer), or PermissionError."""
    user = user or frappe.session.user
    name = frappe.db.get_value(VOLUNTEER, {"user": user}, "name") if user != "Guest" else None
    if not name:
        frappe.throw(_("Your account is not registered as a volunteer yet. Please contact your service center."),
                     frappe.PermissionError)
    return name


# ============================================================ R-VOL-REDEEM: the ledger


def balance(volunteer: str, lock: bool = False) -> float:
    """The volunteer's points: the sum of the ledger's rows (locks the volunteer while posting)."""
    if lock:
        frappe.db.sql(f"select name from `tab{VOLUNTEER}` where name=%s for update", volunteer)
    total = frappe.db.sql(f"select coalesce(sum(points), 0) from `tab{ENTRY}` where volunteer=%s", volunteer)[0][0]
    return round(flt(total), 2)


def post(volunteer: str, entry_type: str, points: float, reference=None, note: str | None = None) -> str:
    """Write one ledger row of ``points`` (signed) and the volunteer's new balance; refused
    (in Chinese) when the balance would fall below zero (R-VOL-REDEEM)."""
    current = balance(volunteer, lock=True)
    if message := rules.check_balance(current, points):
        throw(message)
    after = round(current + flt(points), 2)
    vol = frappe.db.get_value(VOLUNTEER, volunteer, ["volunteer_name", "service_center"], as_dict=True)
    frappe.flags.sfh_points_posting = True
    try:
        with app_writes():
            entry = frappe.get_doc(
                {
                    "doctype": ENTRY,
                    "volunteer": volunteer,
                    "volunteer_name": vol.volunteer_name,
                    "service_center": vol.service_center,
                    "entry_type": entry_type,
                    "posting_date": today(),
                    "points": round(flt(points), 2),
                    "balance_after": after,
                    "reference_doctype": reference.doctype if reference else None,
                    "reference_name": reference.name if reference else None,
                    "note": note,
                    "recorded_by": frappe.session.user,
                }
            ).insert(ignore_permissions=True)
    finally:
        frappe.flags.sfh_points_posting = False
    frappe.db.set_value(VOLUNTEER, volunteer, "points_balance", after, update_modified=False)
    return entry.name


def validate_points_entry(doc) -> None:
    """Ledger rows are written by :func:`post` only and never changed."""
    if not frappe.flags.sfh_points_posting or not doc.is_new():
        frappe.throw(_("Points entries are written by the app only; record an adjustment instead."),
                     frappe.PermissionError)


def refuse_ledger_delete(doc) -> None:
    frappe.throw(_("Points entries and redemptions are never deleted; record an adjustment instead."),
                 frappe.PermissionError)


def sync_earned(activity) -> None:
    """R-VOL-REDEEM: the Earned rows of an activity follow its service records – the difference
    between the records' points and the rows already booked, per volunteer (a correction that
    would take a balance below zero is refused)."""
    volunteers = {r.volunteer for r in activity.records or []}
    booked = frappe.get_all(
        ENTRY,
        filters={"reference_doctype": ACTIVITY, "reference_name": activity.name, "entry_type": "Earned"},
        fields=["volunteer", "points"],
    )
    volunteers |= {b.volunteer for b in booked}
    for volunteer in sorted(volunteers):
        now = sum(flt(r.points) for r in activity.records or [] if r.volunteer == volunteer)
        before = sum(flt(b.points) for b in booked if b.volunteer == volunteer)
        if delta := rules.earned_delta(now, before):
            post(volunteer, "Earned", delta, activity, _("Service hours of {0}").format(activity.activity_title))


# ============================================================ R-VOL-REDEEM: catalogue and redemption


def validate_catalogue_item(doc) -> None:
    if message := rules.check_catalogue_item(doc.points, doc.stock or 0):
        throw(message)


def validate_redemption(doc) -> None:
    """R-VOL-REDEEM: a redemption of an item of the volunteer's own center's catalogue, in stock,
    paid from the balance; entered once, never changed."""
    if not doc.is_new():
        frappe.throw(_("A redemption cannot be changed; record an adjustment instead."), frappe.PermissionError)
    if not frappe.flags.sfh_own_redemption and not frappe.has_permission(VOLUNTEER, "read", doc=doc.volunteer):
        frappe.throw(_("Only the staff of the volunteer's service center may do this."), frappe.PermissionError)
    vol = frappe.db.get_value(VOLUNTEER, doc.volunteer, ["service_center", "volunteer_name"], as_dict=True)
    if not vol:
        frappe.throw(_("The volunteer does not exist."))
    item = frappe.db.sql(
        f"select name, item_name, service_center, points, stock, active from `tab{ITEM}` where name=%s for update",
        doc.catalogue_item,
        as_dict=True,
    )
    if not item or item[0].service_center != vol.service_center:
        frappe.throw(_("The item is not in the catalogue of the volunteer's service center."), frappe.PermissionError)
    item = item[0]
    if message := rules.check_redemption(
        balance=balance(doc.volunteer, lock=True), item_points=item.points, quantity=doc.quantity,
        stock=item.stock, active=item.active,
    ):
        throw(message)
    doc.service_center = vol.service_center
    doc.volunteer_name = vol.volunteer_name
    doc.points = rules.redemption_cost(item.points, doc.quantity)[0]
    doc.redeemed_on = today()
    doc.redeemed_by = frappe.session.user


def redemption_after_insert(doc) -> None:
    item = frappe.db.get_value(ITEM, doc.catalogue_item, ["stock", "item_name"], as_dict=True)
    frappe.db.set_value(ITEM, doc.catalogue_item, "stock", cint(item.stock) - cint(doc.quantity), update_modified=False)
    post(doc.volunteer, "Redeemed", -flt(doc.points), doc, _("Redeemed: {0} × {1}").format(item.item_name, doc.quantity))
    doc.db_set("balance_after", balance(doc.volunteer), update_modified=False)


@frappe.whitelist(methods=["POST"])
def redeem(catalogue_item: str, quantity: int = 1) -> dict:
    """A volunteer redeems their own points from the portal (/my-volunteer-hours)."""
    volunteer = own_volunteer()
    frappe.flags.sfh_own_redemption = True
    try:
        doc = frappe.get_doc(
            {"doctype": REDEMPTION, "volunteer": volunteer, "catalogue_item": catalogue_item, "quantity": quantity}
        ).insert(ignore_permissions=True)
    finally:
        frappe.flags.sfh_own_redemption = False
    return {"name": doc.name, "points": doc.points, "balance": balance(volunteer)}


@frappe.whitelist(methods=["POST"])
def adjust_points(volunteer: str, points: float, note: str | None = None) -> dict:
    """Staff of the volunteer's center correct the balance by a ledger row with its reason."""
    _require_staff_of(VOLUNTEER, volunteer)
    if message := rules.check_adjustment(balance=balance(volunteer, lock=True), points=points, note=note):
        throw(message)
    entry = post(volunteer, "Adjusted", flt(points), None, note.strip())
    return {"entry": entry, "balance": balance(volunteer)}


def my_points_context(volunteer: str, center: str, pg: dict | None = None) -> dict:
    """The portal's part of /my-volunteer-hours: the ledger (page ``pg``, issue 18 §4; else the
    latest 50) and the center's catalogue."""
    return {
        "ledger": frappe.get_all(
            ENTRY, filters={"volunteer": volunteer},
            fields=["name", "posting_date", "entry_type", "points", "balance_after", "note"],
            order_by="creation desc, name desc",
            limit_start=pg["start"] if pg else 0, limit_page_length=pg["page_size"] if pg else 50,
        ),
        "catalogue": frappe.get_all(
            ITEM, filters={"service_center": center, "active": 1, "stock": (">", 0)},
            fields=["name", "item_name", "points", "stock", "description"], order_by="points asc",
        ),
    }


def my_duties_context(vol, pg: dict | None = None) -> dict:
    """What /my-volunteer-hours adds for the signed-in volunteer (their own records only)."""
    from shuangfuhua_app.volunteer_needs import open_needs_for

    return {**my_points_context(vol.name, vol.service_center, pg), "open_needs": open_needs_for(vol)}


@frappe.whitelist(methods=["POST"])
def accept_need(need: str) -> dict:
    """The Accept button of /my-volunteer-hours (R-VOL-MATCH): ``volunteer_needs.accept_need``."""
    from shuangfuhua_app.volunteer_needs import accept_need as accept

    return accept(need)


# ============================================================ R-VOL-CREDIT: 诚信记载
INTEGRITY = "SFH Volunteer Integrity Entry"


def validate_integrity_entry(doc) -> None:
    """R-VOL-CREDIT: entered by the staff of the volunteer's center (who recorded it is stamped)."""
    if not frappe.flags.sfh_app_integrity and not frappe.has_permission(VOLUNTEER, "write", doc=doc.volunteer):
        frappe.throw(_("Only the staff of the volunteer's service center may do this."), frappe.PermissionError)
    vol = frappe.db.get_value(VOLUNTEER, doc.volunteer, ["service_center", "volunteer_name", "registered_on"], as_dict=True)
    if not vol:
        frappe.throw(_("The volunteer does not exist."))
    if message := rules.check_integrity_entry(
        entry_type=doc.entry_type, entry_date=getdate(doc.entry_date) if doc.entry_date else None, note=doc.note,
        today=today(), registered_on=getdate(vol.registered_on) if vol.registered_on else None,
    ):
        throw(message)
    doc.service_center = vol.service_center
    doc.volunteer_name = vol.volunteer_name
    if doc.is_new() or not doc.recorded_by:
        doc.recorded_by = frappe.session.user
    else:
        doc.recorded_by = frappe.db.get_value(INTEGRITY, doc.name, "recorded_by")


def update_integrity_summary(volunteer: str, exclude: str | None = None) -> None:
    """The counts and the summary on the volunteer (R-VOL-CREDIT)."""
    rows = frappe.get_all(INTEGRITY, filters={"volunteer": volunteer, "name": ("!=", exclude or "")}, pluck="entry_type")
    counts = {t: rows.count(t) for t in rules.INTEGRITY_TYPES}
    frappe.db.set_value(
        VOLUNTEER, volunteer,
        {"commendation_count": counts["Commendation"], "complaint_count": counts["Complaint"],
         "no_show_count": counts["No-show"], "integrity_summary": rules.integrity_summary(counts)},
        update_modified=False,
    )


def integrity_on_trash(doc) -> None:
    update_integrity_summary(doc.volunteer, exclude=doc.name)
