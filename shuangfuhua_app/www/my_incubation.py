"""我的孵化 (portal, login required): where the organization is in the lifecycle, what the
center asked of it, its agreement and quota standing (R-6.1, R-SCOPE)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.portal.dashboard import my_incubation
from shuangfuhua_app.portal.render import render

no_cache = 1


def get_context(context):
    if frappe.session.user == "Guest":
        frappe.local.flags.redirect_location = "/login?redirect-to=/my-incubation"
        raise frappe.Redirect
    from shuangfuhua_app.portal.paging import requested_page

    context.update(my_incubation(page=requested_page()))  # issue 18 §4: ?page=N
    context.sfh_body = render("templates/sfh/my_incubation.html", context)
    context.sfh_script = render("templates/includes/sfh_portal_submit.html", {})
    context.title = _("My Incubation")
    context.show_sidebar = False
    return context
