"""供需对接 (R-VOL-MATCH, 《培育发展社区社会组织十条措施》第六条): volunteer needs posted by the
center's staff (Desk), by an organization's representative for its own organization or by a
community's worker for its own community (:func:`post_need`, page ``/volunteer-needs``),
matched with the center's registered volunteers (:func:`find_matches`), accepted by a volunteer
on ``/my-volunteer-hours`` (:func:`accept_need`), and their outcome recorded by staff – served
(a service record in the need's Volunteer Activity, which books the points through the ledger)
or no-show (an entry of the volunteer's integrity record).  Rules in
``shuangfuhua_app.standard.volunteer``; this module is the thin Frappe side.

Decisions (documented): acceptances are rows of the need written only here (system-set); the
need's row is locked (SELECT … FOR UPDATE) while a volunteer accepts, so two volunteers cannot
take the last place at once; the organization of a need posted from the portal is the
representative's own, whatever the client sends.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt, get_time, getdate, now_datetime

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.portal.representatives import is_community_applicant, representative_org, user_communities
from shuangfuhua_app.standard import volunteer as rules
from shuangfuhua_app.system_guard import app_writes
from shuangfuhua_app.utils import today
from shuangfuhua_app.volunteer_duties import INTEGRITY, STAFF_ROLES, VOLUNTEER, own_volunteer

NEED = "SFH Volunteer Need"
ACTIVITY = "Volunteer Activity"
ORG = "Community Social Organization"


def _time(value):
    return get_time(value) if value not in (None, "") else None


def _need_values(doc) -> dict:
    return {"skill": doc.skill, "community": doc.community, "need_date": getdate(doc.need_date),
            "start_time": _time(doc.start_time), "end_time": _time(doc.end_time)}


def _require_staff(name: str, ptype: str = "write") -> None:
    if not (STAFF_ROLES & set(frappe.get_roles())) or not frappe.has_permission(NEED, ptype, doc=name):
        frappe.throw(_("Only the staff of the need's service center may do this."), frappe.PermissionError)


def validate_need(doc) -> None:
    """R-VOL-MATCH: the need's center and community are its organization's (or its community's);
    what, when and how many checked; places taken counted; who posted stamped."""
    if doc.is_new() and not frappe.flags.sfh_portal_need and not (STAFF_ROLES & set(frappe.get_roles())):
        frappe.throw(_("Only the staff of the service center may post a need here."), frappe.PermissionError)
    if doc.organization:
        org = frappe.db.get_value(ORG, doc.organization, ["service_center", "community"], as_dict=True)
        if not org:
            frappe.throw(_("The organization does not exist."))
        doc.service_center, doc.community = org.service_center, org.community or doc.community
    if doc.community and frappe.db.get_value("Community", doc.community, "service_center") != doc.service_center:
        frappe.throw(_("The community belongs to another service center."), frappe.PermissionError)
    before = None if doc.is_new() else frappe.db.get_value(NEED, doc.name, ["need_date", "posted_by"], as_dict=True)
    taken = rules.places_taken(r.acceptance_status for r in doc.acceptances or [])
    if message := rules.check_need(
        title=doc.need_title, skill=doc.skill, need_date=getdate(doc.need_date) if doc.need_date else None,
        start_time=_time(doc.start_time), end_time=_time(doc.end_time), needed=doc.volunteers_needed,
        today=today(), taken=taken,
        date_changed=not before or getdate(before.need_date) != getdate(doc.need_date),
    ):
        throw(message)
    doc.accepted_count = taken
    doc.posted_by = before.posted_by if before and before.posted_by else frappe.session.user
    for row in doc.acceptances or []:
        row.volunteer_name = frappe.db.get_value(VOLUNTEER, row.volunteer, "volunteer_name")


# ============================================================ posting from the portal


@frappe.whitelist(methods=["POST"])
def post_need(need_title=None, skill=None, need_date=None, start_time=None, end_time=None, volunteers_needed=1,
              description=None, organization=None, community=None) -> dict:
    """An organization's representative posts a need of its own organization (a community's
    worker: of its own community); the organization is pinned server-side."""
    values = {"need_title": need_title, "skill": skill, "need_date": need_date or None, "start_time": start_time or None,
              "end_time": end_time or None, "volunteers_needed": volunteers_needed, "description": description}
    own = representative_org()
    if own and not (STAFF_ROLES & set(frappe.get_roles())):
        if organization and organization != own:
            frappe.throw(_("You can only post needs of your own organization."), frappe.PermissionError)
        values["organization"] = own
        values["service_center"] = frappe.db.get_value(ORG, own, "service_center")
    elif is_community_applicant():
        mine = user_communities()
        if not community and len(mine) == 1:
            community = mine[0]
        if not community or community not in mine:
            frappe.throw(_("You can only post needs of your own community."), frappe.PermissionError)
        values["community"] = community
        values["service_center"] = frappe.db.get_value("Community", community, "service_center")
    else:
        frappe.throw(_("Your account is not linked to an organization yet. Please contact your service center."),
                     frappe.PermissionError)
    frappe.flags.sfh_portal_need = True
    try:
        doc = frappe.get_doc({"doctype": NEED, **values})
        with app_writes():
            doc.insert(ignore_permissions=True)
    finally:
        frappe.flags.sfh_portal_need = False
    return {"name": doc.name, "organization": doc.organization, "service_center": doc.service_center}


def portal_needs_context(user: str, page=None) -> dict:
    """/volunteer-needs: the needs the representative's organization (or the worker's community)
    posted, page ``page`` of them (issue 18 §4: 20 per page, one count and one page query)."""
    from shuangfuhua_app.portal import paging

    org = representative_org(user)
    filters = {"organization": org} if org else {"community": ("in", user_communities(user) or [""]), "organization": ("is", "not set")}
    if not org and not is_community_applicant(user):
        return {"needs": None}
    total = paging.count(NEED, filters, ignore_permissions=True)
    pg = paging.pager(page, total)
    return {"organization": org, "total": total, **pg, "needs": paging.page_rows(
        NEED, filters, ["name", "need_title", "skill", "need_date", "start_time", "end_time", "volunteers_needed",
                        "accepted_count", "need_status"], "need_date desc, name desc", pg, ignore_permissions=True)}


# ============================================================ matching


def _busy(volunteers, exclude: str | None = None) -> dict:
    """(date, start, end) of the needs each volunteer accepted (not no-shows), but ``exclude``."""
    rows = frappe.db.sql(
        f"""select a.volunteer, n.name, n.need_date, n.start_time, n.end_time from `tabSFH Volunteer Need Acceptance` a
            join `tab{NEED}` n on n.name = a.parent where a.parenttype=%(dt)s and a.acceptance_status != 'No-show'
            and a.volunteer in %(vols)s and n.name != %(ex)s""",
        {"dt": NEED, "vols": tuple(volunteers) or ("",), "ex": exclude or ""}, as_dict=True,
    )
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r.volunteer, []).append((getdate(r.need_date), _time(r.start_time), _time(r.end_time), r.name))
    return out


@frappe.whitelist()
def find_matches(need: str) -> list[dict]:
    """Staff of the need's center: the center's volunteers who fit the need, ranked by the rule
    of R-VOL-MATCH (those who accepted it already are left out)."""
    _require_staff(need, "read")
    doc = frappe.get_doc(NEED, need)
    accepted = {r.volunteer for r in doc.acceptances or []}
    vols = [v for v in frappe.get_all(
        VOLUNTEER, filters={"service_center": doc.service_center}, ignore_permissions=True,
        fields=["name", "volunteer_name", "skills", "community", "availability", "volunteer_status", "no_show_count"],
    ) if v.name not in accepted]
    busy = {k: [b[:3] for b in v] for k, v in _busy([v.name for v in vols], exclude=doc.name).items()}
    return rules.rank_matches(_need_values(doc), vols, busy)


# ============================================================ the volunteer accepts


@frappe.whitelist(methods=["POST"])
def accept_need(need: str) -> dict:
    """The signed-in volunteer accepts an open need of their own center, once, while places are left."""
    volunteer = own_volunteer()
    vol = frappe.db.get_value(VOLUNTEER, volunteer, ["service_center", "volunteer_name"], as_dict=True)
    locked = frappe.db.sql(f"select service_center from `tab{NEED}` where name=%s for update", need, as_dict=True)
    if not locked or locked[0].service_center != vol.service_center:
        frappe.throw(_("This need is not one of your service center's."), frappe.PermissionError)
    doc = frappe.get_doc(NEED, need)
    values = _need_values(doc)
    clash = next((name for d, s, e, name in _busy([volunteer], exclude=doc.name).get(volunteer, [])
                  if d == values["need_date"] and rules.times_overlap(s, e, values["start_time"], values["end_time"])), None)
    if message := rules.check_acceptance(
        status=doc.need_status, need_date=values["need_date"], today=today(), needed=cint(doc.volunteers_needed),
        taken=rules.places_taken(r.acceptance_status for r in doc.acceptances or []),
        already=any(r.volunteer == volunteer for r in doc.acceptances or []), clash=clash,
    ):
        throw(message)
    doc.append("acceptances", {"volunteer": volunteer, "volunteer_name": vol.volunteer_name,
                               "accepted_on": now_datetime(), "acceptance_status": "Accepted"})
    with app_writes():
        doc.save(ignore_permissions=True)
    return {"need": doc.name, "accepted_count": doc.accepted_count}


def open_needs_for(vol) -> list[dict]:
    """/my-volunteer-hours: open needs of the volunteer's center from today on that fit them
    (R-VOL-MATCH) or that they accepted."""
    me = frappe.db.get_value(VOLUNTEER, vol.name, ["name", "skills", "community", "availability", "volunteer_status"],
                             as_dict=True)
    busy = [b[:3] for b in _busy([vol.name]).get(vol.name, [])]
    out = []
    needs = frappe.get_all(NEED, filters={"service_center": vol.service_center, "need_status": "Open",
                                          "need_date": (">=", today())}, ignore_permissions=True,
                           fields=["name", "need_title", "skill", "community", "need_date", "start_time", "end_time",
                                   "volunteers_needed", "accepted_count"], order_by="need_date asc", limit=50)
    # the needs among them the volunteer accepted, with one query (issue 18 §4: none per need)
    mine = set(frappe.get_all("SFH Volunteer Need Acceptance", filters={
        "parent": ("in", [n.name for n in needs] or [""]), "parenttype": NEED, "volunteer": vol.name},
        pluck="parent", ignore_permissions=True))
    for n in needs:
        accepted = n.name in mine
        values = {**n, "need_date": getdate(n.need_date), "start_time": _time(n.start_time), "end_time": _time(n.end_time)}
        if accepted or (cint(n.accepted_count) < cint(n.volunteers_needed) and rules.fits(values, me, busy)
                        and rules.skill_matches(n.skill, me.skills)):
            out.append({**n, "accepted": accepted})
    return out


# ============================================================ staff record the outcome


def _row(doc, volunteer: str):
    row = next((r for r in doc.acceptances or [] if r.volunteer == volunteer), None)
    if not row:
        frappe.throw(_("The volunteer has not accepted this need."))
    return row


@frappe.whitelist(methods=["POST"])
def mark_served(need: str, volunteer: str, hours=None) -> dict:
    """Staff record that an accepted volunteer served: a service record in the need's Volunteer
    Activity (created with the first one), whose points the ledger books (R-VOL-REDEEM)."""
    _require_staff(need)
    frappe.db.sql(f"select name from `tab{NEED}` where name=%s for update", need)
    doc = frappe.get_doc(NEED, need)
    row = _row(doc, volunteer)
    values = _need_values(doc)
    hours = flt(hours) if hours not in (None, "") else rules.service_hours(values["start_time"], values["end_time"])
    if message := rules.check_outcome(current=row.acceptance_status, outcome="Served", need_date=values["need_date"],
                                      today=today(), hours=hours):
        throw(message)
    with app_writes():
        if doc.service_activity:
            activity = frappe.get_doc(ACTIVITY, doc.service_activity)
            activity.append("records", {"volunteer": volunteer, "hours": hours})
            activity.save()
        else:
            activity = frappe.get_doc({
                "doctype": ACTIVITY, "activity_title": doc.need_title, "service_center": doc.service_center,
                "organization": doc.organization, "activity_date": doc.need_date, "planned_hours": hours,
                "description": _("Service recorded against the volunteer need {0}").format(doc.name),
                "records": [{"volunteer": volunteer, "hours": hours}],
            }).insert()
        doc.service_activity = activity.name
        row.update({"acceptance_status": "Served", "hours": hours, "service_activity": activity.name,
                    "outcome_by": frappe.session.user})
        doc.save()
    return {"need": doc.name, "service_activity": activity.name, "hours": hours}


@frappe.whitelist(methods=["POST"])
def mark_no_show(need: str, volunteer: str, note: str | None = None) -> dict:
    """Staff record that an accepted volunteer did not come: a no-show in the volunteer's
    integrity record (R-VOL-CREDIT)."""
    _require_staff(need)
    frappe.db.sql(f"select name from `tab{NEED}` where name=%s for update", need)
    doc = frappe.get_doc(NEED, need)
    row = _row(doc, volunteer)
    if message := rules.check_outcome(current=row.acceptance_status, outcome="No-show",
                                      need_date=getdate(doc.need_date), today=today()):
        throw(message)
    with app_writes():
        entry = frappe.get_doc({
            "doctype": INTEGRITY, "volunteer": volunteer, "entry_type": "No-show", "entry_date": doc.need_date,
            "note": (note or "").strip() or _("Did not come to the volunteer need {0} ({1}).").format(doc.need_title, doc.name),
        }).insert()
        row.update({"acceptance_status": "No-show", "integrity_entry": entry.name, "outcome_by": frappe.session.user})
        doc.save()
    return {"need": doc.name, "integrity_entry": entry.name}
