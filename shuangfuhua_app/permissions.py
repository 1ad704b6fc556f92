"""Record-level isolation (R-SCOPE, R-PRIV).

One site may host several centers (a district).  Who sees what:

* ``Administrator`` and ``System Manager`` see everything;
* a user with User Permissions on **Service Center** sees only those centers' records
  (center staff, center head, reviewers, township leaders, …);
* a user with User Permissions on **Community Social Organization** (an organization's
  representative) sees only that organization's records;
* a user with User Permissions on **Community** (a community worker) sees the records of
  organizations in that community (R-6.1.2: the community applies for filed organizations);
* district-level roles (Leading Group Office) without any such User Permission see all
  centers; every other user without a scope sees nothing.

Frappe's own User Permission filtering applies on top of this; these hooks make the rule
hold even where a User Permission was forgotten (defence in depth, helpdesk's pattern).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe

DISTRICT_ROLES = {"System Manager", "Leading Group Office"}

from shuangfuhua_app.scope import SCOPE_FIELDS


@dataclass
class Scope:
    everything: bool = False
    centers: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)


def get_scope(user: str | None = None) -> Scope:
    user = user or frappe.session.user
    if user == "Administrator":
        return Scope(everything=True)
    scope = Scope()
    rows = frappe.get_all(
        "User Permission",
        filters={"user": user, "allow": ("in", ["Service Center", "Community Social Organization", "Community"])},
        fields=["allow", "for_value"],
        ignore_permissions=True,
    )
    bucket = {"Service Center": scope.centers, "Community Social Organization": scope.orgs, "Community": scope.communities}
    for row in rows:
        bucket[row.allow].append(row.for_value)
    roles = set(frappe.get_roles(user))
    if "System Manager" in roles or (roles & DISTRICT_ROLES and not rows):
        scope.everything = True
    return scope


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
    scope = get_scope(user)
    if scope.everything or doctype not in SCOPE_FIELDS:
        return ""
    fields = SCOPE_FIELDS[doctype]
    table = f"`tab{doctype}`"
    clauses = []
    for key, values in (("center", scope.centers), ("org", scope.orgs), ("community", scope.communities)):
        column = fields.get(key)
        if column and values:
            quoted = ", ".join(frappe.db.escape(v) for v in values)
            clauses.append(f"{table}.`{column}` in ({quoted})")
    return "(" + " or ".join(clauses) + ")" if clauses else "1=0"


def has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False):
    """Deny access to a record outside the user's scope; never grants (Frappe semantics)."""
    scope = get_scope(user)
    if scope.everything or doc.doctype not in SCOPE_FIELDS:
        return None
    fields = SCOPE_FIELDS[doc.doctype]
    if doc.is_new() and not any(doc.get(f) for f in fields.values()):
        return None  # nothing to judge yet; the filled-in document is checked on insert
    for key, values in (("center", scope.centers), ("org", scope.orgs), ("community", scope.communities)):
        column = fields.get(key)
        if column and values and doc.get(column) in values:
            return None
    return False
