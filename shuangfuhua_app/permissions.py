"""Record-level isolation (R-SCOPE, R-PRIV), for every route Frappe offers.

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

What belongs to whom is declared once, in ``shuangfuhua_app.scope``.  Three kinds of hook
apply it (``hooks.py`` registers them for every DocType the declaration names):

* records: ``permission_query_conditions`` (lists, reports, search, exports, counts) and
  ``has_permission`` (one record: form, REST, print, docinfo);
* child rows: a list condition that keeps only rows whose parent record the user may read
  and whose table field the user's permlevels reach (Frappe checks both for one row, but
  not for ``get_list(child, parent=…)``);
* ``File``: an attachment of a scoped record is listed and read only with that record.

Frappe's own User Permission filtering applies on top of this; these hooks make the rule
hold even where a User Permission was forgotten (defence in depth, helpdesk's pattern).
Hooks can only deny: role permissions still decide what a role may do at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe
from frappe.core.doctype.user_permission.user_permission import get_user_permissions

from shuangfuhua_app.scope import CHILD_SCOPE, FRAPPE_SCOPE_FIELDS, SCOPE_FIELDS, record_scope_fields, scoped_doctypes

#: the app's scoped DocTypes and Frappe's (Data Import) – every record the hooks below judge
RECORD_SCOPE = record_scope_fields()

DISTRICT_ROLES = {"System Manager", "Leading Group Office"}
NOTHING = "1=0"


@dataclass
class Scope:
    everything: bool = False
    centers: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)

    def values(self, key: str) -> list[str]:
        return {"center": self.centers, "org": self.orgs, "community": self.communities}[key]


def get_scope(user: str | None = None) -> Scope:
    user = user or frappe.session.user
    if user == "Administrator":
        return Scope(everything=True)
    scope = Scope()
    # Frappe's own cache of the user's User Permissions (cleared whenever one changes): every
    # list and record check asks for the scope, a database read each time would add up
    permissions = get_user_permissions(user)
    bucket = {"Service Center": scope.centers, "Community Social Organization": scope.orgs, "Community": scope.communities}
    for allow, values in bucket.items():
        for row in permissions.get(allow) or []:
            if row.doc not in values:
                values.append(row.doc)
    roles = set(frappe.get_roles(user))
    if "System Manager" in roles or (roles & DISTRICT_ROLES and not any(bucket.values())):
        scope.everything = True
    return scope


# ------------------------------------------------------------------------ conditions


def _installed(doctype: str) -> bool:
    """A DocType of the declaration that this site has (a newer app version's DocTypes
    exist only after ``bench migrate``)."""
    return frappe.db.table_exists(doctype)


def _record_condition(doctype: str, scope: Scope) -> str:
    """SQL on ``tab{doctype}`` for the records of ``scope`` ("" = all, ``NOTHING`` = none)."""
    fields = RECORD_SCOPE[doctype]
    table = f"`tab{doctype}`"
    clauses = []
    for key, column in fields.items():
        if values := scope.values(key):
            quoted = ", ".join(frappe.db.escape(v) for v in values)
            clauses.append(f"{table}.`{column}` in ({quoted})")
    return "(" + " or ".join(clauses) + ")" if clauses else NOTHING


def _readable_parentfields(parent: str, child: str, user: str) -> list[str]:
    """The table fields of ``parent`` holding ``child`` that the user's permlevels reach
    (R-PRIV: App. C sits at permlevel 1 – reviewers and leaders do not read its rows)."""
    meta = frappe.get_meta(parent)
    levels = set(meta.get_permlevel_access("read", user=user)) | {0}
    return [df.fieldname for df in meta.get_table_fields() if df.options == child and (df.permlevel or 0) in levels]


def _child_condition(child: str, scope: Scope, user: str) -> str:
    table = f"`tab{child}`"
    branches = []
    for parent in CHILD_SCOPE[child]:
        if not _installed(parent):
            continue
        parent_condition = condition_for(parent, scope, user)
        if parent_condition == NOTHING:
            continue
        fields = _readable_parentfields(parent, child, user)
        if not fields:
            continue
        branch = f"{table}.`parenttype` = {frappe.db.escape(parent)}"
        branch += " and " + f"{table}.`parentfield` in ({', '.join(frappe.db.escape(f) for f in fields)})"
        if parent_condition:
            branch += f" and {table}.`parent` in (select `tab{parent}`.`name` from `tab{parent}` where {parent_condition})"
        branches.append(f"({branch})")
    return "(" + " or ".join(branches) + ")" if branches else NOTHING


def condition_for(doctype: str, scope: Scope, user: str) -> str:
    """The list condition of any DocType of the declaration ("" for shared ones)."""
    if doctype in CHILD_SCOPE:
        return _child_condition(doctype, scope, user)
    if scope.everything or doctype not in RECORD_SCOPE:
        return ""
    return _record_condition(doctype, scope)


def _file_scoped_doctypes() -> set[str]:
    """DocTypes whose attachments go with their record (the app's and Frappe's Data Import)."""
    return scoped_doctypes() | set(FRAPPE_SCOPE_FIELDS)


def _file_condition(scope: Scope, user: str) -> str:
    """Attachments of scoped records (Data Import included) only with their record; a private
    file attached to any other DocType only for its owner (Frappe would list it to whoever
    reads that DocType by role – an import file's name and private URL to another center's
    staff, R-PRIV); public and unattached files as Frappe decides."""
    attached = "`tabFile`.`attached_to_doctype`"
    doctypes = sorted(_file_scoped_doctypes())
    elsewhere = f"ifnull({attached}, '') not in ({', '.join(frappe.db.escape(d) for d in doctypes)})"
    branches = [
        f"({elsewhere} and (ifnull({attached}, '') = '' or `tabFile`.`is_private` = 0"
        f" or `tabFile`.`owner` = {frappe.db.escape(user)}))"
    ]
    for doctype in doctypes:
        if not _installed(doctype):
            continue
        condition = condition_for(doctype, scope, user)
        if condition == NOTHING:
            continue
        branch = f"{attached} = {frappe.db.escape(doctype)}"
        if condition:
            branch += (
                f" and `tabFile`.`attached_to_name` in (select `tab{doctype}`.`name` from `tab{doctype}` where {condition})"
            )
        branches.append(f"({branch})")
    return "(" + " or ".join(branches) + ")"


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
    user = user or frappe.session.user
    scope = get_scope(user)
    if doctype == "File":
        return "" if scope.everything else _file_condition(scope, user)
    if doctype in CHILD_SCOPE:
        return _child_condition(doctype, scope, user)
    if scope.everything or doctype not in RECORD_SCOPE:
        return ""
    return _record_condition(doctype, scope)


# ------------------------------------------------------------------------ one record


def _in_scope(doctype: str, record, scope: Scope) -> bool:
    """``record``: the document, or a dict of its scope fields."""
    return any(
        (value := record.get(column)) and value in scope.values(key) for key, column in RECORD_SCOPE[doctype].items()
    )


def record_in_scope(doctype: str, name: str, user: str | None = None) -> bool:
    """May the user's scope read this record (or child row)?  Role permissions aside."""
    scope = get_scope(user)
    if scope.everything:
        return True
    if doctype in CHILD_SCOPE:
        row = frappe.db.get_value(doctype, name, ["parenttype", "parent"], as_dict=True)
        return bool(row) and row.parenttype in CHILD_SCOPE[doctype] and record_in_scope(row.parenttype, row.parent, user)
    if doctype not in RECORD_SCOPE:
        return True
    columns = sorted(set(RECORD_SCOPE[doctype].values()))
    values = frappe.db.get_value(doctype, name, columns, as_dict=True)
    return bool(values) and _in_scope(doctype, values, scope)


def has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False):
    """Deny access to a record outside the user's scope; never grants (Frappe semantics)."""
    scope = get_scope(user)
    if scope.everything or doc.doctype not in RECORD_SCOPE:
        return None
    fields = RECORD_SCOPE[doc.doctype]
    if doc.is_new() and not any(doc.get(f) for f in fields.values() if f != "name"):
        return None  # nothing to judge yet; the filled-in document is checked on insert
    return None if _in_scope(doc.doctype, doc, scope) else False


def file_has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False):
    """An attachment of a scoped record goes with its record: whoever may not read the
    record may not read, change or delete the File either (R-PRIV)."""
    doctype, name = doc.attached_to_doctype, doc.attached_to_name
    if not doctype or not name or doctype not in _file_scoped_doctypes():
        return None
    return None if record_in_scope(doctype, name, user) else False
