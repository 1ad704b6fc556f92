"""备案与终止公示 (public, no login; R-FILE [10M] 第二条（二）, R-EXIT-ORG 第三条): the township's
approved filings and terminations during their notice (name, center, community, period only)."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.filing import public_notices
from shuangfuhua_app.portal.notices import use_site_language

no_cache = 1


def get_context(context):
    use_site_language()
    context.update(public_notices(page=frappe.form_dict.get("page")))  # issue 18 §4: ?page=N
    context.title = _("Notices of Filing and Termination")
    return context
