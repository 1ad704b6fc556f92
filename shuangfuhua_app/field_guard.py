"""No filter, sort or group-by oracle on a field the user may not read (R-PRIV, issue 14 §5).

Frappe withholds a field above the user's permlevel from what a list returns, but lets the
same user filter, sort and group by it: a count filtered by ``is_party_member`` tells who is
a Party member, a list filtered by ``resident_id`` confirms an ID number, although neither
field is ever shown.  And a child table's columns (``tabApplication Party Member``.
``name_of_member``) come back from ``frappe.desk.reportview.get`` although the table field
itself is above the reader's permlevel – Frappe checks the child field's permlevel only.

Every list route of Frappe – ``frappe.client.get_list/get_value/get_count``, REST
``/api/resource/<doctype>`` (v1 and v2), ``frappe.desk.reportview.get/get_list/get_count/
export_query/get_stats/get_sidebar_stats``, ``frappe.desk.listview.get_group_by_count``,
``frappe.desk.search.search_link/search_widget``, number cards, dashboard charts,
``frappe.desk.form.utils.get_next`` – ends in ``DatabaseQuery.execute`` without
``ignore_permissions``.  That is where the one check sits, for the app's DocTypes (and their
child tables): ``DatabaseQuery.extract_tables`` runs once per query, after Frappe parsed the
fields and filters and before it builds any SQL.  Frappe offers no hook there, so
``install()`` wraps that method (idempotently, from ``before_request`` and ``before_job``):

* a filter (``filters``, ``or_filters``, raw SQL filter strings), ``order_by`` or
  ``group_by`` that names a field the user may not read is refused: ``PermissionError`` (HTTP
  403) with a Chinese message naming the field's label – not its value;
* a requested column the user may not read is dropped, as Frappe drops plain ones – also
  inside functions (``sum(is_party_member)``) and every column of a child table whose table
  field is above the user's permlevel, so the child table is not even joined.

"May not read" is Frappe's own rule: the permlevels at which the user's roles read the
DocType (for a child table, its parent's), and for a child table also the permlevel of the
parent's table field.  A System Manager or the centre's staff, who read those permlevels,
filter as before.  Queries the app makes with ``ignore_permissions`` (``frappe.get_all``) are
not touched: figures computed by the server for leaders stay figures.

Two routes that do not go through a permission-checked query are wrapped
(``override_whitelisted_methods``): ``frappe.client.get`` with ``filters`` (it finds the
record without permissions: found / not found confirms a value) and the ``assigned_to``
branch of ``frappe.desk.listview.get_group_by_count`` (Frappe counts assignments of every
record matching the filters, with no permission check at all).
"""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.model.db_query import DatabaseQuery

from shuangfuhua_app.scope import CHILD_SCOPE, SHARED_DOCTYPES, scoped_doctypes

#: the app's DocTypes whose queries are checked (records, child tables, shared configuration)
APP_DOCTYPES = frozenset(scoped_doctypes() | set(SHARED_DOCTYPES))

_DEFAULT_ORDER = "KEEP_DEFAULT_ORDERING"  # frappe.model.db_query.DefaultOrderBy
_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# `tabX`.`f`, `tabX`.f, tabX.f, `tabX`.* (X may hold spaces when quoted)
_QUALIFIED = re.compile(
    r"(?:`(tab[^`]+)`|\b(tab[A-Za-z0-9_]+))\s*\.\s*(?:`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*|\*))"
)
_IDENTIFIER = re.compile(r"`([^`]+)`|\b([A-Za-z_][A-Za-z0-9_]*)\b")


class _Everything(frozenset):
    """Every column: a child table whose table field the user may not read."""

    def __contains__(self, item) -> bool:
        return True

    def __bool__(self) -> bool:
        return True


EVERYTHING = _Everything()


# ------------------------------------------------------------------ who reads what


def _levels(meta, user: str, parenttype: str | None = None) -> set[int]:
    return {int(level or 0) for level in meta.get_permlevel_access("read", parenttype=parenttype, user=user)}


def _cache() -> dict:
    if not hasattr(frappe.local, "sfh_hidden_fields"):
        frappe.local.sfh_hidden_fields = {}
    return frappe.local.sfh_hidden_fields


def hidden_fields(doctype: str, user: str | None = None, parent: str | None = None) -> frozenset:
    """The fields of ``doctype`` that ``user`` may not read – for a child table, read as part
    of ``parent`` (each parent that holds it when ``parent`` is not given); ``EVERYTHING``
    when no table field holding the child is within the user's permlevels."""
    user = user or frappe.session.user
    if user == "Administrator" or not doctype:
        return frozenset()
    key = (user, doctype, parent)
    cache = _cache()
    if key not in cache:
        cache[key] = _hidden_fields(doctype, user, parent)
    return cache[key]


def _hidden_fields(doctype: str, user: str, parent: str | None) -> frozenset:
    try:
        meta = frappe.get_meta(doctype)
    except frappe.DoesNotExistError:
        return frozenset()
    if not meta.istable:
        levels = _levels(meta, user) or {0}
        return frozenset(df.fieldname for df in meta.fields if (df.permlevel or 0) not in levels)
    parents = [parent] if parent else [p for p in CHILD_SCOPE.get(doctype, ()) if frappe.db.table_exists(p)]
    hidden: set[str] = set()
    for p in parents:
        parent_meta = frappe.get_meta(p)
        parent_levels = _levels(parent_meta, user) or {0}
        holders = [df for df in parent_meta.get_table_fields() if df.options == doctype]
        if holders and not any((df.permlevel or 0) in parent_levels for df in holders):
            return EVERYTHING
        levels = _levels(meta, user, parenttype=p) or {0}
        hidden |= {df.fieldname for df in meta.fields if (df.permlevel or 0) not in levels}
    return frozenset(hidden)


def field_label(doctype: str, fieldname: str) -> str:
    try:
        df = frappe.get_meta(doctype).get_field(fieldname)
    except frappe.DoesNotExistError:
        df = None
    return _(df.label) if df and df.label else fieldname


# ------------------------------------------------------------------ a query's references


class _Query:
    """What one query may read: its DocType, the parent it is read through, the user."""

    def __init__(self, doctype: str, user: str, parent: str | None = None, aliases: dict | None = None):
        self.doctype, self.user, self.parent = doctype, user, parent
        self.aliases = aliases or {}  # link-table alias (no quotes) -> "`tabDocType`"
        self.children = {
            df.options: df for df in frappe.get_meta(doctype).get_table_fields()
        } if not frappe.get_meta(doctype).istable else {}

    def doctype_of_table(self, table: str) -> str:
        """``tabFoo`` / ``tabFoo_2`` (a link alias) -> ``Foo``."""
        table = table.strip("`")
        if table in self.aliases:
            table = self.aliases[table].strip("`")
        return table[3:] if table.startswith("tab") else table

    def hidden(self, doctype: str) -> frozenset:
        if doctype == self.doctype:
            return hidden_fields(doctype, self.user, self.parent)
        if doctype in self.children:
            return hidden_fields(doctype, self.user, self.doctype)
        if doctype in APP_DOCTYPES:
            return hidden_fields(doctype, self.user)
        return frozenset()

    def references(self, sql: str) -> list[tuple[str, str]]:
        """(doctype, column) for each column named in an SQL fragment (strings ignored);
        an unqualified column counts for the query's DocType and every table it names."""
        sql = _STRINGS.sub("''", sql or "")
        found, tables = [], {self.doctype}
        for m in _QUALIFIED.finditer(sql):
            doctype = self.doctype_of_table(m.group(1) or m.group(2))
            found.append((doctype, m.group(3) or m.group(4)))
            tables.add(doctype)
        rest = _QUALIFIED.sub(" ", sql)
        for m in _IDENTIFIER.finditer(rest):
            column = m.group(1) or m.group(2)
            found += [(doctype, column) for doctype in tables]
        return found

    def first_hidden(self, sql: str) -> tuple[str, str] | None:
        for doctype, column in self.references(sql):
            hidden = self.hidden(doctype)
            if hidden is EVERYTHING or (column != "*" and column in hidden):
                return doctype, column
        return None

    def label(self, doctype: str, column: str) -> str:
        if self.hidden(doctype) is EVERYTHING and doctype in self.children:
            return _(self.children[doctype].label or doctype)
        return field_label(doctype, column)


def _filter_references(query: _Query, filters) -> list[tuple[str, str]]:
    """(doctype, column) named by each filter, as Frappe reads them (``get_filter``)."""
    from frappe.utils.data import get_filter

    if isinstance(filters, str):
        filters = frappe.parse_json(filters) if filters.strip()[:1] in "[{" else [filters]
    if isinstance(filters, dict):
        filters = [{key: value} for key, value in filters.items()]
    found = []
    for f in filters or []:
        if isinstance(f, str):  # a raw SQL condition
            found += query.references(f)
            continue
        try:
            f = get_filter(query.doctype, f)
        except Exception:  # Frappe refuses it itself, with its own message
            continue
        doctype = f.doctype or query.doctype
        refs = query.references(f.fieldname) if not re.fullmatch(r"[A-Za-z0-9_]+", f.fieldname or "") else []
        found += [(doctype if d == query.doctype else d, c) for d, c in refs] or [(doctype, f.fieldname)]
    return found


def check_filters(query: _Query, filters) -> None:
    for doctype, column in _filter_references(query, filters):
        hidden = query.hidden(doctype)
        if hidden is EVERYTHING or column in hidden:
            frappe.throw(
                _("You cannot read the field {0}, so you cannot filter by it.").format(query.label(doctype, column)),
                frappe.PermissionError,
                title=_("Not permitted"),
            )


def check_order_and_group(query: _Query, order_by, group_by) -> None:
    for sql, is_order in ((order_by, True), (group_by, False)):
        if not sql or not isinstance(sql, str) or sql == _DEFAULT_ORDER:
            continue
        if hit := query.first_hidden(sql):
            label = query.label(*hit)
            message = (
                _("You cannot read the field {0}, so you cannot sort by it.").format(label)
                if is_order
                else _("You cannot read the field {0}, so you cannot group by it.").format(label)
            )
            frappe.throw(message, frappe.PermissionError, title=_("Not permitted"))


def readable_fields(query: _Query, fields: list, as_list: bool = False) -> list:
    """The requested columns without any that names a field the user may not read; for a
    result as lists (exports), an empty constant keeps the other columns where they were."""
    kept = []
    for field in fields:
        if isinstance(field, str) and query.first_hidden(field):
            if as_list:
                kept.append("''")
            continue
        kept.append(field)
    return kept


# ------------------------------------------------------------------ DatabaseQuery


def guard_query(dbq: DatabaseQuery) -> None:
    """Check one ``DatabaseQuery`` (after ``parse_args``, before any table is joined)."""
    if dbq.flags.ignore_permissions or dbq.doctype not in APP_DOCTYPES:
        return
    user = dbq.user or frappe.session.user
    if user == "Administrator":
        return
    query = _Query(dbq.doctype, user, getattr(dbq, "parent_doctype", None), dict(getattr(dbq, "linked_table_aliases", {}) or {}))
    # a query Frappe builds only for its match conditions (Script Reports' user filters,
    # ``build_match_conditions``) never ran ``execute``: no filters, order or fields of its own
    check_filters(query, getattr(dbq, "filters", None))
    check_filters(query, getattr(dbq, "or_filters", None))
    check_order_and_group(query, getattr(dbq, "order_by", None), getattr(dbq, "group_by", None))
    if isinstance(dbq.fields, list):
        dbq.fields[:] = readable_fields(query, dbq.fields, bool(getattr(dbq, "as_list", False)))


def install() -> None:
    """Wrap ``DatabaseQuery.extract_tables`` once per process (idempotent)."""
    current = DatabaseQuery.extract_tables
    if getattr(current, "_sfh_field_guard", False):
        return

    def extract_tables(self):
        guard_query(self)
        return current(self)

    extract_tables._sfh_field_guard = True
    extract_tables.__wrapped__ = current
    DatabaseQuery.extract_tables = extract_tables


def before_request(*args, **kwargs) -> None:
    install()


def before_job(*args, **kwargs) -> None:
    install()


install()


# ------------------------------------------------------------------ routes Frappe leaves unchecked


@frappe.whitelist()
def get(doctype, name=None, filters=None, parent=None):
    """``frappe.client.get``: by ``filters``, Frappe finds the record before any permission
    check (found or not found confirms a value) – the filters are checked first."""
    from frappe import client

    if not name and filters and doctype in APP_DOCTYPES and frappe.session.user != "Administrator":
        check_filters(_Query(doctype, frappe.session.user, parent), frappe.parse_json(filters))
    return client.get(doctype, name=name, filters=filters, parent=parent)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
    """``frappe.desk.listview.get_group_by_count``: its ``assigned_to`` branch counts the
    assignments of every record that matches the filters, with no permission check; here it
    counts those of the records the user's list shows (permissions, scope, this guard)."""
    from frappe.desk import listview

    if field != "assigned_to" or doctype not in APP_DOCTYPES:
        return listview.get_group_by_count(doctype, current_filters, field)
    names = frappe.get_list(
        doctype, filters=frappe.parse_json(current_filters), fields=[f"`tab{doctype}`.`name`"], order_by=None, run=0
    )
    return frappe.db.sql(
        f"""select `tabToDo`.`allocated_to` as name, count(*) as count
        from `tabToDo` join `tabUser` on `tabUser`.`name` = `tabToDo`.`allocated_to`
        where `tabToDo`.`status` != 'Cancelled' and `tabUser`.`user_type` = 'System User'
          and `tabToDo`.`reference_type` = %(doctype)s and `tabToDo`.`reference_name` in ({names})
        group by `tabToDo`.`allocated_to` order by count desc limit 50""",
        {"doctype": doctype},
        as_dict=True,
    )
