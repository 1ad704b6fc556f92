"""Web Form of the organization's feedback to the center (R-9, §9): satisfaction, complaint
or suggestion, filed by the representative for its own organization (pinned by
shuangfuhua_app.portal.guard); the center's answer is shown on the record."""

from __future__ import annotations

from frappe import _

from shuangfuhua_app.portal.forms import portal_record_form_context


def get_context(context):
    context = portal_record_form_context(context, "Service Feedback")
    context.sfh_back = {"href": "/my-incubation", "label": _("My Incubation")}
    if context.get("sfh_info"):
        context.sfh_info["back"] = context.sfh_back
    return context
