"""Public page: report a suspected illegal social organization (R-ILLEGAL, [HZ2019] 三（三）).
No login; the form's guards are the objection form's (``portal/illegal_report.py``)."""

from __future__ import annotations

from frappe import _

from shuangfuhua_app.portal.illegal_report import centers, challenge
from shuangfuhua_app.portal.notices import use_site_language

no_cache = 1


def get_context(context):
    use_site_language()
    context.title = _("Report a Suspected Illegal Social Organization")
    context.centers = centers()
    context.challenge = challenge()
    return context
