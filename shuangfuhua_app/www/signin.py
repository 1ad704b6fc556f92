"""扫码签到 (guest page, no login; issue 16): the page a scan of an activity's sign-in QR code
opens. Name and mobile number, posted to ``shuangfuhua_app.signin.submit``; the answer is the
same whether or not the person is on a roster and shows nothing personal."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.signin import open_form
from shuangfuhua_app.utils import format_cn_date

no_cache = 1


def get_context(context):
    opened = open_form(frappe.form_dict.get("t"))
    context.no_breadcrumbs = True
    context.show_sidebar = False
    context.title = _("Sign in to the Activity")
    context.ticket = opened["ticket"] if opened else ""
    if opened:
        act = opened["activity"]
        context.activity_title = act.activity_title
        context.activity_date = format_cn_date(act.activity_date)
        context.place = act.place or ""
    return context
