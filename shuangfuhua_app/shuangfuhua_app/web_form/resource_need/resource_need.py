"""Web Form of an organization's resource need (R-RESOURCE, [HZ2019] 三（四）, [10M] 第五条):
posted by the representative for its own organization (pinned by shuangfuhua_app.portal.guard);
the center matches it with an offer and the outcome shows on /my-reports."""

from __future__ import annotations

from frappe import _

from shuangfuhua_app.portal.forms import portal_record_form_context


def get_context(context):
    context = portal_record_form_context(context, "SFH Resource Need")
    context.sfh_back = {"href": "/my-reports#sfh-resource-needs", "label": _("Report and Ask")}
    if context.get("sfh_info"):
        context.sfh_info["back"] = context.sfh_back
    return context
