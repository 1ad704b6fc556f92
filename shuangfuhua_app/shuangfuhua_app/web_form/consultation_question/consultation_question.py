"""Web Form of "Report and Ask" (issue 4 §4): Consultation, filed by the organization's
representative for its own organization (pinned by shuangfuhua_app.portal.guard)."""

from __future__ import annotations

from shuangfuhua_app.portal.forms import portal_record_form_context


def get_context(context):
    return portal_record_form_context(context, "Consultation")
