"""Resource needs and offers matched by the center (资源供需对接; R-RESOURCE, [HZ2019] 三（四）
"整合供需信息……为供需双方牵线搭桥", [10M] 第五条 链接社区公益慈善资源).

* ``SFH Resource Need`` – posted by an organization's representative for its own organization
  (portal Web Form ``/resource-need``, pinned by ``portal.guard``) or by the center's staff;
* ``SFH Resource Offer`` – what an enterprise, foundation, expert or community offers, entered
  by the center's staff (the contact at permlevel 1);
* ``SFH Resource Match`` – the staff connect a need with a fitting offer and record the outcome.

The rules are ``standard.resources``; who posted or matched and when is written by the server
(``system_fields.SYSTEM_SET``); the need's status follows its matches.
"""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app import permissions
from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.resources import (
    check_match,
    check_need,
    check_need_status,
    check_offer,
    check_outcome,
    fitting_offers,
)
from shuangfuhua_app.utils import format_cn_date, today

NEED, OFFER, MATCH = "SFH Resource Need", "SFH Resource Offer", "SFH Resource Match"
STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}


def _is_staff() -> bool:
    return bool(STAFF_ROLES & set(frappe.get_roles()))


def _in_scope(doc) -> None:
    """R-SCOPE: the filled-in record belongs to the user's center (or organization)."""
    if permissions.has_permission(doc, "write") is False:
        frappe.throw(_("You can only work with records of your own center or organization."), frappe.PermissionError)


def _active_match(need: str) -> bool:
    """A match of the need that was not given up."""
    return bool(frappe.db.exists(MATCH, {"need": need, "outcome": ["!=", "Not Pursued"]})) or bool(
        frappe.db.exists(MATCH, {"need": need, "outcome": ["is", "not set"]})
    )


# ------------------------------------------------------------------------------ need


def validate_need(doc) -> None:
    staff = _is_staff()
    org = frappe.db.get_value("Community Social Organization", doc.organization, ["service_center", "org_name"],
                              as_dict=True) if doc.organization else None
    if not org:
        throw(_("Please choose the organization that needs the resource."))
    doc.service_center, doc.org_name = org.service_center, org.org_name
    _in_scope(doc)
    if doc.is_new():
        doc.channel = "Desk" if staff else "Portal"
        doc.posted_by = frappe.session.user
        doc.posted_on = today()
        doc.status = "Open"
    else:
        before = doc.get_doc_before_save() or frappe.get_doc(NEED, doc.name)
        if not staff and before.status != "Open":
            throw(_("The center has taken this need up; it can no longer be changed."), frappe.PermissionError)
        if before.organization != doc.organization:
            throw(_("The organization of a need cannot be changed."))
    if message := check_need(doc.kind, doc.description, doc.needed_by, today(), is_new=doc.is_new()):
        throw(message)
    if message := check_need_status(doc.status, not doc.is_new() and _active_match(doc.name)):
        throw(message)


# ------------------------------------------------------------------------------ offer


def validate_offer(doc) -> None:
    _in_scope(doc)
    if doc.is_new():
        doc.entered_by = frappe.session.user
    if message := check_offer(doc.provider_type, doc.provider_name, doc.kind, doc.description):
        throw(message)


# ------------------------------------------------------------------------------ match


def _need_facts(name: str):
    return frappe.db.get_value(NEED, name, ["service_center", "organization", "org_name", "kind", "needed_by", "status"],
                               as_dict=True)


def _offer_facts(name: str):
    return frappe.db.get_value(OFFER, name, ["service_center", "kind", "available_until", "provider_name"], as_dict=True)


def validate_match(doc) -> None:
    need, offer = _need_facts(doc.need), _offer_facts(doc.offer)
    if not need or not offer:
        throw(_("Please choose the need and the offer to connect."))
    for doctype, name in ((NEED, doc.need), (OFFER, doc.offer)):
        if not frappe.has_permission(doctype, "read", doc=name):
            frappe.throw(_("You can only work with records of your own center or organization."),
                         frappe.PermissionError)
    if doc.is_new():
        if message := check_match(
            {"center": need.service_center, "kind": need.kind, "needed_by": need.needed_by},
            {"center": offer.service_center, "kind": offer.kind, "available_until": offer.available_until},
            need.status,
        ):
            throw(message)
        doc.matched_by = frappe.session.user
        doc.matched_on = today()
    else:
        before = doc.get_doc_before_save() or frappe.get_doc(MATCH, doc.name)
        if (before.need, before.offer) != (doc.need, doc.offer):
            throw(_("The need and the offer of a match cannot be changed; record a new match."))
    doc.service_center, doc.organization = need.service_center, need.organization
    doc.org_name, doc.provider_name = need.org_name, offer.provider_name
    _in_scope(doc)
    if message := check_outcome(doc.outcome, doc.outcome_date, doc.matched_on, today()):
        throw(message)


def refresh_need_status(need: str) -> None:
    """A need is Matched while it has a match not given up, Open otherwise; a closed need stays closed."""
    status = frappe.db.get_value(NEED, need, "status")
    if status and status != "Closed":
        frappe.db.set_value(NEED, need, "status", "Matched" if _active_match(need) else "Open", update_modified=False)


# ------------------------------------------------------------------------------ staff's method


@frappe.whitelist()
def suggest_offers(need: str) -> list[dict]:
    """R-RESOURCE: the center's offers that fit ``need`` (same center, same kind, available on
    the day it is needed by) – for the center's staff, the need read with their permissions."""
    if not _is_staff():
        frappe.throw(_("Only the center's staff can match resources."), frappe.PermissionError)
    if not frappe.db.exists(NEED, need) or not frappe.has_permission(NEED, "read", doc=need):
        frappe.throw(_("You can only work with records of your own center or organization."), frappe.PermissionError)
    facts = _need_facts(need)
    offers = frappe.get_list(
        OFFER,
        filters={"service_center": facts.service_center, "kind": facts.kind},
        fields=["name", "service_center", "provider_type", "provider_name", "kind", "available_until", "description"],
        order_by="creation asc",
        limit_page_length=0,
    )
    for o in offers:
        o.center = o.service_center
    fitting = fitting_offers({"center": facts.service_center, "kind": facts.kind, "needed_by": facts.needed_by}, offers)
    return [{k: v for k, v in o.items() if k != "center"} for o in fitting]


# ------------------------------------------------------------------------------ portal


def portal_needs_count(org: str) -> int:
    """How many needs /my-reports lists for the organization (read as the user)."""
    from shuangfuhua_app.portal import paging

    return paging.count(NEED, {"organization": org})


def portal_needs(org: str, start: int = 0, page_length: int = 0) -> list[dict]:
    """The organization's needs with the outcome of each match, for /my-reports (the
    representative's own organization only; the matches are read on its behalf, server-side).
    ``page_length`` needs from ``start`` (0: all); the matches of all of them with one query
    (issue 18 §4: no query per need)."""
    needs = frappe.get_list(
        NEED,
        filters={"organization": org},
        fields=["name", "kind", "description", "quantity", "needed_by", "status"],
        order_by="creation desc, name desc",
        limit_start=start,
        limit_page_length=page_length,
    )
    matches: dict[str, list] = {}
    for m in frappe.get_all(
        MATCH,
        filters={"need": ("in", [n.name for n in needs] or [""]), "organization": org},
        fields=["need", "provider_name", "matched_on", "outcome", "outcome_date"],
        order_by="creation asc, name asc",
    ):
        matches.setdefault(m.pop("need"), []).append(m)
    for n in needs:
        n.kind_label = _(n.kind or "", context=NEED)
        n.status_label = _(n.status or "Open", context=NEED)
        n.needed_cn = format_cn_date(n.needed_by)
        n.editable = n.status == "Open"
        n.matches = matches.get(n.name, [])
        for m in n.matches:
            m.outcome_label = _(m.outcome, context=MATCH) if m.outcome else _("Awaiting outcome")
            m.matched_cn = format_cn_date(m.matched_on)
            m.outcome_cn = format_cn_date(m.outcome_date)
    return needs

