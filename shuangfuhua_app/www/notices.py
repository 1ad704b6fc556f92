"""公示 (public, no login): current and past admission notices (R-6.3, R-PRIV)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.portal.notices import published_notices, use_site_language
from shuangfuhua_app.portal.render import render

no_cache = 1


def get_context(context):
    use_site_language()
    context.update(published_notices(frappe.form_dict.get("page")))  # issue 18 §4: ?page=N
    context.sfh_body = render("templates/sfh/notices.html", context)
    context.title = _("Public Notices of Admission")
    return context
