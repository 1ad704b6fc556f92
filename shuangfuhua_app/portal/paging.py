"""Issue 18 §4: the portal's list pages a page at a time (``?page=N``, :data:`PAGE_SIZE` rows
of each list per page, ``templates/includes/sfh_pager.html`` for the previous/next links).

A page with several lists (my incubation, report and ask, …) shows page N of every list at
once, as ``/org-notices`` does: one count and one page query per list, read as the user
(``frappe.get_list``: the permission hooks of ``shuangfuhua_app.permissions`` apply, R-SCOPE),
so a request costs the same number of queries whatever the number of rows."""

from __future__ import annotations

import frappe

from shuangfuhua_app.portal.notices import page_number

#: rows of each list per page
PAGE_SIZE = 20


def requested_page():
    """The ``?page=N`` of the request (kept within range by :func:`pager`)."""
    return (frappe.form_dict or {}).get("page")


def count(doctype: str, filters, *, ignore_permissions: bool = False) -> int:
    """How many rows of ``doctype`` match ``filters`` – as the user unless told otherwise."""
    getter = frappe.get_all if ignore_permissions else frappe.get_list
    rows = getter(doctype, filters=filters, fields=["count(name) as n"], order_by=None, as_list=True)
    return int(rows[0][0]) if rows else 0


def pager(page, totals, page_size: int = PAGE_SIZE) -> dict:
    """``page`` within 1..pages, where pages is what the longest list in ``totals`` (a number or
    a dict of numbers) needs; with the links of the pager include and ``start`` (the offset)."""
    values = list(totals.values()) if isinstance(totals, dict) else [totals]
    pages = max([1] + [-(-int(n or 0) // page_size) for n in values])
    page = page_number(page, pages)
    return {
        "page": page,
        "pages": pages,
        "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "start": (page - 1) * page_size,
        "page_size": page_size,
    }


def page_rows(doctype: str, filters, fields, order_by: str, paging: dict, *, ignore_permissions: bool = False):
    """The rows of page ``paging["page"]`` of the list (one query)."""
    getter = frappe.get_all if ignore_permissions else frappe.get_list
    return getter(doctype, filters=filters, fields=fields, order_by=order_by,
                  limit_start=paging["start"], limit_page_length=paging["page_size"])
