"""扫码签到屏 (issue 16): the full-screen page staff project at an activity – its QR code
changes every minute (``shuangfuhua_app.signin.get_signin_token``). Staff of the activity
only; a guest is sent to the login."""

from __future__ import annotations

from urllib.parse import quote

import frappe
from frappe import _

from shuangfuhua_app.signin import _activity, _check_staff, bounds_of, get_signin_token
from shuangfuhua_app.utils import format_cn_date

no_cache = 1


def get_context(context):
    activity = frappe.form_dict.get("activity") or ""
    if frappe.session.user == "Guest":
        frappe.local.flags.redirect_location = "/login?redirect-to=" + quote(
            f"/activity-signin-screen?activity={activity}"
        )
        raise frappe.Redirect
    if not activity or not frappe.db.exists("Incubation Activity", activity):
        raise frappe.DoesNotExistError(_("Incubation Activity {0} not found").format(activity))
    _check_staff(activity)
    act = _activity(activity)
    bounds = bounds_of(act)
    context.no_breadcrumbs = True
    context.title = _("Sign-in Screen")
    context.activity = act
    context.activity_date = format_cn_date(act.activity_date)
    context.session = f"{bounds[0]:%H:%M}–{bounds[1]:%H:%M}" if bounds else ""
    context.initial = get_signin_token(activity)
    return context
