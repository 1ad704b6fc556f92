"""报告与咨询 (portal, login required, issue 4 §4): the organization asks the center and reads
its answers, reports major events and its activities, applies for venture projects and
reports on them (R-7.4.4, R-7.4.5, R-7.5.1, R-SCOPE)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.portal.dashboard import my_reports
from shuangfuhua_app.portal.render import render

no_cache = 1


def get_context(context):
    if frappe.session.user == "Guest":
        frappe.local.flags.redirect_location = "/login?redirect-to=/my-reports"
        raise frappe.Redirect
    from shuangfuhua_app.portal.paging import requested_page

    context.update(my_reports(page=requested_page()))  # issue 18 §4: ?page=N
    if context.get("org"):  # R-RESOURCE ([HZ2019] 三（四）): its resource needs and their outcomes
        from shuangfuhua_app.resources import portal_needs

        context.resource_needs = portal_needs(context.org.name, start=context.start, page_length=context.page_size)
    context.sfh_body = render("templates/sfh/my_reports.html", context)
    context.sfh_script = render("templates/includes/sfh_portal_submit.html", {})
    context.title = _("Report and Ask")
    context.show_sidebar = False
    return context
