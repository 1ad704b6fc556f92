"""One public notice and its objection form (public, no login; R-6.3, R-PRIV).

Routed from ``/notices/<name>`` (and ``/notice/<name>``) by ``website_route_rules``."""

from __future__ import annotations

import frappe

from shuangfuhua_app.portal.notices import public_notice, use_site_language
from shuangfuhua_app.portal.objection import issue_challenge

no_cache = 1


def get_context(context):
    use_site_language()
    name = frappe.form_dict.name
    try:
        notice = public_notice(name) if name else None
    except frappe.DoesNotExistError:
        notice = None
    if not notice:
        raise frappe.PageDoesNotExistError
    context.notice = notice
    context.title = notice.title
    context.challenge = issue_challenge(notice.name) if notice.objection_open else None
    return context
