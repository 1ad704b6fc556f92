"""R-PRIV (PIPL art. 28) for what the app's own code hands out: document methods, whitelisted
functions, messages and reports decide by the reader's *permlevel* on the fields they reveal,
not by read permission alone (issue 14 §5).

Frappe strips fields above a user's permlevel from REST, Desk, print, lists and exports; code
of the app that reads with ``frappe.db`` / ``frappe.get_all`` or builds a message from those
fields must ask the same question itself:

* :func:`reads_field` – does the user read this field of this DocType (a child table's field
  by its parent's permissions, as Frappe does)?
* :func:`reads_party` – does the user read Party membership and Party posts (the roster's
  ``is_party_member``; the posts ``is_liaison``, ``is_instructor``, ``is_party_affairs_worker``
  and the participants of activities sit at the same permlevel)? Those who do not –
  township leaders, supervisory units, the leading group office, reviewers – get figures,
  never names.
* :func:`require_fields` – refuse (403) a method that would reveal fields the user may not read.
"""

from __future__ import annotations

import frappe
from frappe import _

MEMBER = "Organization Member"
#: who is a Party member and who holds a Party post (R-PRIV): one permlevel, :func:`reads_party`
PARTY_FIELDS = (
    "is_party_secretary", "is_party_member", "is_applicant", "is_activist",
    "is_liaison", "is_instructor", "is_party_affairs_worker", "roles_summary",
)


def reads_field(doctype: str, fieldname: str, user: str | None = None, parenttype: str | None = None) -> bool:
    """Does ``user`` (default: the session user) read ``doctype.fieldname`` by its permlevel?
    For a child DocType pass ``parenttype`` (its permlevels are the parent's permissions)."""
    user = user or frappe.session.user
    if user == "Administrator":
        return True
    meta = frappe.get_meta(doctype)
    df = meta.get_field(fieldname)
    level = (df.permlevel or 0) if df else 0
    if meta.istable and not parenttype:
        parenttype = next(
            (d.parent for d in frappe.get_all("DocField", filters={"fieldtype": "Table", "options": doctype},
                                               fields=["parent"], limit=1)),
            None,
        )
    return level in (meta.get_permlevel_access("read", parenttype=parenttype, user=user) or [])


def reads_party(user: str | None = None) -> bool:
    """Does ``user`` read Party membership and Party posts on the roster (R-PRIV)?"""
    return all(reads_field(MEMBER, f, user) for f in ("is_party_member", "is_party_affairs_worker"))


def require_fields(doctype: str, fieldnames, parenttype: str | None = None) -> None:
    """403 unless the session user reads every field of ``fieldnames`` of ``doctype``."""
    for fieldname in fieldnames:
        if not reads_field(doctype, fieldname, parenttype=parenttype):
            frappe.throw(
                _("You may not read the personal data this action shows."), frappe.PermissionError
            )
