"""志愿服务需求 (portal, login required, R-VOL-MATCH, 《培育发展社区社会组织十条措施》第六条
供需对接): an organization's representative posts volunteer needs of its own organization (a
community's worker: of its own community) and sees them with their places taken – the
organization is pinned on the server (shuangfuhua_app.volunteer_needs.post_need)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.volunteer_needs import portal_needs_context

no_cache = 1


def get_context(context):
    if frappe.session.user == "Guest":
        frappe.local.flags.redirect_location = "/login?redirect-to=/volunteer-needs"
        raise frappe.Redirect
    from shuangfuhua_app.portal.paging import requested_page

    context.update(portal_needs_context(frappe.session.user, requested_page()))  # issue 18 §4: ?page=N
    context.title = _("Volunteer Needs")
    context.show_sidebar = False
    return context
