"""Reports of suspected illegal social organizations (非法社会组织线索; R-ILLEGAL,
[HZ2019] 三（三）"捕捉和上报非法社会组织违法活动"): taken in by the center's staff or from the
public form (``portal/illegal_report.py``), verified, handed on to the registration authority
and closed. The steps are the rules of ``standard.illegal``; the dates of the steps, the
channel and who handled the report are written by the server (``system_fields.SYSTEM_SET``)."""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.illegal import STATUS_DATES, check_status_move, check_step_fields
from shuangfuhua_app.utils import today

REPORT = "Illegal Organization Report"


def validate(doc) -> None:
    """``validate`` of Illegal Organization Report (R-ILLEGAL)."""
    old = None if doc.is_new() else frappe.db.get_value(REPORT, doc.name, "status")
    if doc.is_new():
        doc.channel = "Website" if doc.flags.sfh_public else "Staff Entry"
        doc.received_on = now_datetime()
        doc.status = doc.status or "Received"
    if message := check_status_move(old, doc.status):
        throw(message)
    if message := check_step_fields(doc.status, doc.handed_on_to, doc.outcome):
        throw(message)
    if doc.status != old and not doc.flags.sfh_public:
        field = STATUS_DATES.get(doc.status)
        if field:
            doc.set(field, today())
        doc.handled_by = frappe.session.user
