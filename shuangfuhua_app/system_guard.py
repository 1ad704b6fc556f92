"""R-X-SYSTEM (issue 14 §1): the fields of ``shuangfuhua_app.system_fields.SYSTEM_SET`` are
written by the app alone, on every route and for every role (doc_events "*").

How a client's value is told from the app's own:

* **Save, submit, insert** (REST, ``frappe.client.*``, Desk, web form, Data Import,
  ``run_doc_method``): at ``before_validate`` – before any controller's ``validate`` – each
  system-set field whose value differs from the stored one (for a new record: a non-empty
  value) is noted as the client's and put back to the stored value; after the controllers
  (``before_save`` / ``before_submit``) the save is refused (417, the field's label in
  Chinese) unless the app itself, in this save, arrived at exactly the client's value
  (e.g. a Desk form that shows what the server computes anyway).
* **Update after submit** (``allow_on_submit`` fields): any change of a system-set field is
  refused at ``before_update_after_submit``; a controller that stamps such a field in that
  step (the exit assessment's confirmations) calls :func:`check_before_stamping` first.
* **The app's own writes pass**: a save started by another document's save (consequences in
  ``on_update`` / ``on_submit``: follow-up service, honor certificate, change filing …), a
  save inside :func:`app_writes`, install/migrate/patches, server code run without a client
  (no HTTP request, no Data Import, no background job); values written with ``db_set`` /
  ``frappe.db.set_value`` run no hooks at all.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, flt, get_datetime, getdate

from shuangfuhua_app.system_fields import SYSTEM_SET


class SystemFieldError(frappe.ValidationError):
    """A client tried to set a field only the app writes (R-X-SYSTEM)."""


_SAVE_CODES = (Document.insert.__code__, Document._save.__code__)
_NUMERIC = {"Int", "Check"}
_FLOAT = {"Float", "Currency", "Percent"}


@contextmanager
def app_writes():
    """Server code that writes system-set fields itself and saves a document at the top level
    (not from another document's save) wraps the save in this."""
    frappe.local.sfh_app_writes = getattr(frappe.local, "sfh_app_writes", 0) + 1
    try:
        yield
    finally:
        frappe.local.sfh_app_writes -= 1


def _nested() -> bool:
    """True when this save was started by another document's save (a consequence written by
    a controller): Document.insert/_save of more than one document on the stack (a new
    document's ``save()`` is its own ``_save`` and ``insert``: one document)."""
    frame, saving = sys._getframe(1), []
    while frame is not None:
        if frame.f_code in _SAVE_CODES:
            doc = frame.f_locals.get("self")
            if not any(doc is d for d in saving):
                saving.append(doc)
                if len(saving) > 1:
                    return True
        frame = frame.f_back
    return False


def _from_a_client() -> bool:
    """A client reaches a document through an HTTP request, a Data Import, or a background job
    a request queued (Desk's bulk edit of many records); code run on the server itself
    (``bench execute``, the console, migrate) is the app's own."""
    return bool(
        getattr(frappe.local, "request", None) or frappe.flags.in_import or getattr(frappe.local, "job", None)
    )


def _exempt() -> bool:
    flags = frappe.flags
    if flags.in_install or flags.in_migrate or flags.in_patch or flags.in_setup_wizard:
        return True
    if not _from_a_client():
        return True
    if getattr(frappe.local, "sfh_app_writes", 0):
        return True
    return _nested()


def _norm(df, value):
    ft = df.fieldtype if df else "Data"
    if ft in _NUMERIC:
        return cint(value)
    if ft in _FLOAT:
        return round(flt(value), 6)
    if value in (None, ""):
        return ""
    if ft == "Date":
        return str(getdate(value))
    if ft == "Datetime":
        return str(get_datetime(value))
    return cstr(value).strip()


def _empty(df, value) -> bool:
    return _norm(df, value) in ("", 0, 0.0)


def _label(doctype: str, df) -> str:
    return _(df.label or df.fieldname, context=doctype) if df else ""


def _refuse(doc, df, row=None):
    if row is not None:
        parent_df = doc.meta.get_field(row.parentfield)
        message = _("Row {0} of “{1}”: “{2}” is recorded by the app itself and cannot be set or changed by hand (R-X-SYSTEM).").format(
            row.idx, _label(doc.doctype, parent_df), _label(row.doctype, df)
        )
    else:
        message = _("“{0}” is recorded by the app itself and cannot be set or changed by hand (R-X-SYSTEM).").format(
            _label(doc.doctype, df)
        )
    frappe.throw(message, SystemFieldError, title=_("Not Allowed"))


def _rows_signature(rows, fields, meta) -> list:
    return [tuple(_norm(meta.get_field(f), r.get(f)) for f in fields) for r in rows or []]


# ------------------------------------------------------------------ save / submit / insert


def before_validate(doc, method=None):
    """Note the client's values of system-set fields and put the stored ones back."""
    doc.flags.pop("sfh_client_claims", None)  # left by an earlier save of this object that failed
    fields = SYSTEM_SET.get(doc.doctype) or ()
    children = [df for df in doc.meta.get_table_fields() if SYSTEM_SET.get(df.options)]
    if not fields and not children:
        return
    if _exempt():
        return
    before = None if doc.is_new() else doc.get_doc_before_save()
    # an amendment (Desk's Amend) starts as a copy of the cancelled record: what it copied
    # (the fields that are not "no copy") is that record's, not the client's
    source = _amended_source(doc) if before is None else None
    claims = []
    for fieldname in fields:
        df = doc.meta.get_field(fieldname)
        copied = source is not None and not df.no_copy
        if df.fieldtype == "Table":
            child_fields = SYSTEM_SET.get(df.options, ())
            child_meta = frappe.get_meta(df.options)
            client = _rows_signature(doc.get(fieldname), child_fields, child_meta)
            stored_rows = (before.get(fieldname) if before else source.get(fieldname) if copied else []) or []
            if client != _rows_signature(stored_rows, child_fields, child_meta):
                claims.append(("table", df, client))
                doc.set(fieldname, [_row_values(r, keep_name=before is not None) for r in stored_rows])
            continue
        value = doc.get(fieldname)
        if before is not None:
            stored = before.get(fieldname)
        elif copied:
            stored = source.get(fieldname)
        else:
            if _empty(df, value):
                continue
            stored = _default(doc, df)
        if _norm(df, value) == _norm(df, stored):
            continue
        claims.append(("field", df, value))
        doc.set(fieldname, stored)
        if df.fieldtype == "Link":
            # what Frappe already fetched from the client's link goes back with it
            for fetched in doc.meta.get_fields_to_fetch(fieldname):
                doc.set(fetched.fieldname, (before or source).get(fetched.fieldname) if (before or copied) else None)
    for table_df in children:
        if table_df.fieldname in fields:
            continue  # the whole table was compared above
        child_fields = SYSTEM_SET[table_df.options]
        child_meta = frappe.get_meta(table_df.options)
        stored_rows = {r.name: r for r in (before.get(table_df.fieldname) if before else []) or []}
        copied_rows = (source.get(table_df.fieldname) or []) if source is not None and not table_df.no_copy else []
        for row in doc.get(table_df.fieldname) or []:
            stored_row = stored_rows.get(row.name) if row.name else None
            if stored_row is None and copied_rows and 0 < cint(row.idx) <= len(copied_rows):
                stored_row = copied_rows[cint(row.idx) - 1]
            for fieldname in child_fields:
                df = child_meta.get_field(fieldname)
                value = row.get(fieldname)
                if stored_row is None:
                    if _empty(df, value):
                        continue
                    stored = None
                else:
                    stored = stored_row.get(fieldname)
                    if _norm(df, value) == _norm(df, stored):
                        continue
                claims.append(("row", df, (row, value)))
                row.set(fieldname, stored)
    if claims:
        doc.flags.sfh_client_claims = claims


_ROW_KEYS = ("name", "parent", "parenttype", "parentfield", "creation", "modified", "owner", "modified_by", "docstatus")


def _row_values(row, keep_name: bool) -> dict:
    values = row.as_dict()
    if not keep_name:
        for key in _ROW_KEYS:
            values.pop(key, None)
    return values


def _amended_source(doc):
    name = doc.get("amended_from")
    if not name or frappe.db.get_value(doc.doctype, name, "docstatus") != 2:
        return None
    return frappe.get_doc(doc.doctype, name)


def _default(doc, df):
    default = df.default
    if not default:
        return None
    if cstr(default).lower() == "today":
        return frappe.utils.today()
    return default


def after_controllers(doc, method=None):
    """``before_save`` / ``before_submit``: refuse the client's values the app did not arrive at."""
    claims = doc.flags.pop("sfh_client_claims", None)
    if not claims:
        return
    for kind, df, claim in claims:
        if kind == "field":
            if _norm(df, doc.get(df.fieldname)) != _norm(df, claim):
                _refuse(doc, df)
        elif kind == "table":
            child_fields = SYSTEM_SET.get(df.options, ())
            final = _rows_signature(doc.get(df.fieldname), child_fields, frappe.get_meta(df.options))
            if final != claim:
                _refuse(doc, df)
        else:
            row, value = claim
            rows = doc.get(row.parentfield) or []
            if not any(r is row for r in rows) or _norm(df, row.get(df.fieldname)) != _norm(df, value):
                _refuse(doc, df, row)


# ------------------------------------------------------------------ update after submit


def check_after_submit(doc, method=None):
    """``before_update_after_submit`` (doc_events "*", after the controller's own): no
    system-set field of a submitted record changes from a client – refused at once: no
    controller computes them in this step except those that call :func:`check_before_stamping`
    first."""
    if doc.flags.pop("sfh_checked_against", None) is getattr(doc, "_doc_before_save", None) is not None:
        return
    _check_submitted(doc)


def check_before_stamping(doc) -> None:
    """For a controller that stamps system-set fields in its ``before_update_after_submit``
    (the exit assessment's confirmer): check the client's values before stamping; the hook
    after the controller then knows this save was checked."""
    _check_submitted(doc)
    doc.flags.sfh_checked_against = getattr(doc, "_doc_before_save", None)


def _check_submitted(doc) -> None:
    fields = SYSTEM_SET.get(doc.doctype, ())
    children = [df for df in doc.meta.get_table_fields() if SYSTEM_SET.get(df.options)]
    if (not fields and not children) or _exempt():
        return
    before = doc.get_doc_before_save()
    if before is None:
        return
    for fieldname in fields:
        df = doc.meta.get_field(fieldname)
        if df.fieldtype == "Table":
            child_fields = SYSTEM_SET.get(df.options, ())
            meta = frappe.get_meta(df.options)
            if _rows_signature(doc.get(fieldname), child_fields, meta) != _rows_signature(before.get(fieldname), child_fields, meta):
                _refuse(doc, df)
            continue
        if _norm(df, doc.get(fieldname)) != _norm(df, before.get(fieldname)):
            _refuse(doc, df)
    for table_df in children:
        child_meta = frappe.get_meta(table_df.options)
        stored_rows = {r.name: r for r in before.get(table_df.fieldname) or []}
        for row in doc.get(table_df.fieldname) or []:
            stored_row = stored_rows.get(row.name)
            for fieldname in SYSTEM_SET[table_df.options]:
                df = child_meta.get_field(fieldname)
                stored = stored_row.get(fieldname) if stored_row else None
                if _norm(df, row.get(fieldname)) != _norm(df, stored):
                    _refuse(doc, df, row)
