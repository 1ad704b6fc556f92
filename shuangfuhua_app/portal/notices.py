"""The public notice pages (R-6.3, no login): published notices only, public fields only
(R-PRIV: no personal data is ever read for a guest)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.standard.admission import NOTICE_STATES, notice_state, objection_window_open
from shuangfuhua_app.utils import format_cn_date, today

NOTICE = "Public Notice"


def use_site_language() -> None:
    """Guests get their language from the ``preferred_language`` cookie, the browser's
    Accept-Language, then the site's language (zh for a Chinese center).  Frappe v15 decides
    the request language before it knows the user is a guest and so leaves guests on
    ``conf.lang or "en"``; this re-decides it once the session is known (``before_request``)."""
    if frappe.session and frappe.session.user == "Guest":
        from frappe.translate import get_language

        frappe.local.lang = get_language()


ITEM_FIELDS = ["parent", "idx", "org_name", "org_type", "service_field"]

#: past notices per page of /notices (issue 18 §4)
PAGE_SIZE = 20


def _notice_items(name: str) -> list[dict]:
    """Only what the notice publishes: organization name, type and field (never people)."""
    return _items_of([name]).get(name, [])


def _items_of(names: list[str]) -> dict[str, list[dict]]:
    """notice -> its published items, for many notices with ONE query (issue 18 §4: no query
    per notice)."""
    if not names:
        return {}
    out: dict[str, list[dict]] = {}
    for item in frappe.get_all(
        "Public Notice Item",
        filters={"parent": ("in", names), "parenttype": NOTICE, "parentfield": "items"},
        fields=ITEM_FIELDS,
        order_by="parent asc, idx asc",
        ignore_permissions=True,
    ):
        parent = item.pop("parent")
        out.setdefault(parent, []).append(item)
    return out


def page_number(value, pages: int) -> int:
    """The page asked for (``?page=N``), kept within 1..pages."""
    try:
        n = int(value or 1)
    except (TypeError, ValueError):
        n = 1
    return min(max(n, 1), max(pages, 1))


def _public_notice(row) -> dict:
    state = notice_state(row.start_date, row.end_date, today())
    return frappe._dict(
        name=row.name,
        title=row.title,
        service_center=row.service_center,
        start_date=row.start_date,
        end_date=row.end_date,
        start_cn=format_cn_date(row.start_date),
        end_cn=format_cn_date(row.end_date),
        working_days=row.working_days,
        state=state,
        state_label=NOTICE_STATES[state],
        objection_open=objection_window_open(row.start_date, row.end_date, today()),
    )


def published_notices(page=1, page_size: int = PAGE_SIZE) -> dict:
    """R-6.3: the published (submitted) notices – the current ones (upcoming or open) first,
    then the past ones a page at a time (issue 18 §4: ``page_size`` per page, newest first).
    Three queries whatever the number of notices: the current ones, the past ones' count and
    page, and the items of all the notices shown (one query, looked up by notice)."""
    on = today()
    fields = ["name", "title", "service_center", "start_date", "end_date", "working_days"]
    order = "start_date desc, name desc"
    # notice_state: "ended" exactly when end_date < today – the same split in SQL
    current_rows = frappe.get_all(
        NOTICE, filters={"docstatus": 1, "end_date": (">=", on)}, fields=fields, order_by=order,
        ignore_permissions=True,
    )
    past_filters = {"docstatus": 1, "end_date": ("<", on)}
    past_total = frappe.db.count(NOTICE, past_filters)
    pages = max(1, -(-past_total // page_size))
    page = page_number(page, pages)
    past_rows = frappe.get_all(
        NOTICE, filters=past_filters, fields=fields, order_by=order, ignore_permissions=True,
        limit_start=(page - 1) * page_size, limit_page_length=page_size,
    )
    if page > 1:
        current_rows = []  # the current notices head the first page
    items = _items_of([r.name for r in current_rows + past_rows])
    current, past = [], []
    for row in current_rows + past_rows:
        notice = _public_notice(row)
        notice["items"] = items.get(row.name, [])
        (past if notice.state == "ended" else current).append(notice)
    return {
        "current": current,
        "past": past,
        "page": page,
        "pages": pages,
        "past_total": past_total,
        "prev_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
    }


def public_notice(name: str) -> dict:
    """One published notice for the public page; anything else does not exist for a guest."""
    row = frappe.db.get_value(
        NOTICE,
        {"name": name, "docstatus": 1},
        ["name", "title", "service_center", "start_date", "end_date", "working_days", "notice_text", "contact_info"],
        as_dict=True,
    )
    if not row:
        raise frappe.DoesNotExistError(_("This notice does not exist or has not been published."))
    notice = _public_notice(row)
    notice.update(notice_text=row.notice_text, contact_info=row.contact_info, items=_notice_items(name))
    return notice
