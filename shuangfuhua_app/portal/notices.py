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


def _notice_items(name: str) -> list[dict]:
    """Only what the notice publishes: organization name, type and field (never people)."""
    return frappe.get_all(
        "Public Notice Item",
        filters={"parent": name, "parenttype": NOTICE, "parentfield": "items"},
        fields=["idx", "org_name", "org_type", "service_field"],
        order_by="idx asc",
        ignore_permissions=True,
    )


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


def published_notices() -> dict[str, list[dict]]:
    """R-6.3: every published (submitted) notice, current first, then past ones."""
    rows = frappe.get_all(
        NOTICE,
        filters={"docstatus": 1},
        fields=["name", "title", "service_center", "start_date", "end_date", "working_days"],
        order_by="start_date desc, name desc",
        ignore_permissions=True,
    )
    current, past = [], []
    for row in rows:
        notice = _public_notice(row)
        notice["items"] = _notice_items(row.name)
        (past if notice.state == "ended" else current).append(notice)
    return {"current": current, "past": past}


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
