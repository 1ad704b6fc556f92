"""Web Form of the organization's filing request (R-FILE, 《培育发展社区社会组织十条措施》第二条):
the charter (from the Ministry's model text), the filing form and the head's details, filed by
the representative for its own organization (pinned by shuangfuhua_app.portal.guard); the
residents' committee's and the township's opinions and the certificate number are shown."""

from __future__ import annotations

from frappe import _

from shuangfuhua_app.filing import charter_template
from shuangfuhua_app.portal.forms import portal_record_form_context


def get_context(context):
    context = portal_record_form_context(context, "Organization Filing")
    context.sfh_back = {"href": "/my-incubation", "label": _("My Incubation")}
    if context.get("sfh_info"):
        context.sfh_info["back"] = context.sfh_back
    context.sfh_charter_template = charter_template()
    return context
