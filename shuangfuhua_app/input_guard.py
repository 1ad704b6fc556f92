"""Refuse input the app cannot store as given (R-INPUT), before anything else reads it.

Hooked in ``hooks.py`` as ``doc_events["*"]["before_validate"]`` (and
``before_update_after_submit``): it acts on every DocType of the app's modules – whatever
DocTypes are added later – and on all their child rows, on every route alike (Desk, REST,
``frappe.client``, the portal's Web Forms, workflow actions). Frappe runs it before the
controllers' ``validate`` and before its own casting in ``_validate``/``db_insert``, so it
sees the values as they were posted: text in a number field would otherwise be stored as
``0``, an impossible date dropped, an over-long text end in a database error, and an
unparseable date reach the app's own date code (HTTP 500).

The rules (and the Chinese messages) are ``shuangfuhua_app.standard.inputs``; here only the
field's translated label, its length and options are gathered. A refusal raises
:class:`shuangfuhua_app.exceptions.InvalidInputError` (HTTP 417) and nothing is saved.
"""

from __future__ import annotations

import html
from functools import cache

import frappe
from frappe import _

from shuangfuhua_app.exceptions import InvalidInputError, throw
from shuangfuhua_app.standard.inputs import check_value


@cache
def app_modules() -> frozenset[str]:
    """The app's modules (``modules.txt``): the DocTypes the guard looks after."""
    return frozenset(frappe.get_module_list("shuangfuhua_app"))


def _label(df, doctype: str) -> str:
    return _(df.label, context=doctype) if df.label else df.fieldname


def problems(doc) -> list[str]:
    """Chinese messages for every value of ``doc`` and its child rows that cannot be
    stored as given (empty when all is well)."""
    found = []
    for d in [doc, *doc.get_all_children()]:
        for df in d.meta.fields:
            if getattr(df, "is_virtual", 0):
                continue
            value = d.get(df.fieldname)
            options = df.options.split("\n") if df.fieldtype == "Select" and df.options else None
            kwargs = dict(length=df.length, options=options, single=bool(d.meta.issingle))
            if check_value(df.fieldtype, value, label="", **kwargs) is None:
                continue  # the common case: no label to translate
            labels = [_(o, context=d.doctype) if o else o for o in options] if options else None
            where = None
            if d is not doc:
                table = doc.meta.get_field(d.parentfield)
                where = (_label(table, doc.doctype) if table else d.parentfield, d.idx)
            found.append(
                check_value(
                    df.fieldtype, value, label=_label(df, d.doctype), option_labels=labels, row=where, **kwargs
                )
            )
    return found


def before_validate(doc, method=None):
    """``doc_events["*"]``: refuse the save when a value of one of the app's documents (or
    of its child rows) cannot be stored as given (R-INPUT)."""
    if doc.meta.module not in app_modules():
        return
    if found := problems(doc):
        # the messages repeat (a short piece of) what was sent: never as markup
        message = "<br>".join(html.escape(m, quote=False) for m in found)
        throw(message, InvalidInputError, title=_("Invalid input"))
