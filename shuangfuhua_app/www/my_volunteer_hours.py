"""我的志愿服务 (portal, login required, R-VOL, 《培育发展社区社会组织十条措施》第六条): a volunteer
sees their own service hours and time-bank points and the activities published to volunteers
of their center – nobody else's record (shuangfuhua_app.volunteer.my_volunteer_context)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.volunteer import my_volunteer_context

no_cache = 1


def get_context(context):
    if frappe.session.user == "Guest":
        frappe.local.flags.redirect_location = "/login?redirect-to=/my-volunteer-hours"
        raise frappe.Redirect
    from shuangfuhua_app.portal.paging import requested_page

    context.update(my_volunteer_context(frappe.session.user, requested_page()))  # issue 18 §4: ?page=N
    context.title = _("My Volunteer Service")
    context.show_sidebar = False
    return context
