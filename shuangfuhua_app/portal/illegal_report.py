"""The public form for a report of a suspected illegal social organization (R-ILLEGAL,
[HZ2019] 三（三）), filed by anyone without a login on ``/report-illegal-org``.

The anti-script guards are the objection form's (``portal.objection``): a honeypot field, the
signed time-stamped arithmetic challenge answered once, and the per-IP hourly rate limit. The
answer names only the reference of the new report: nothing of other reports is shown."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.portal.notices import use_site_language
from shuangfuhua_app.portal.objection import (
    CHALLENGE_MAX_SECONDS,
    _check_challenge,
    _objection_rate_limit,
    _used_key,
    issue_challenge,
)
from shuangfuhua_app.standard.illegal import check_public_report

#: what the challenge is bound to (the objection form binds it to the notice)
SUBJECT = "illegal-organization-report"


def challenge() -> dict:
    return issue_challenge(SUBJECT)


def centers() -> list[str]:
    """The centers a reporter chooses from (names only)."""
    return frappe.get_all("Service Center", pluck="name", order_by="name asc", ignore_permissions=True)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_objection_rate_limit, seconds=60 * 60)
def submit_report(
    service_center: str | None = None,
    reported_org_name: str | None = None,
    activity_description: str | None = None,
    place: str | None = None,
    reporter_name: str | None = None,
    reporter_contact: str | None = None,
    challenge: str | None = None,
    answer: str | None = None,
    website: str | None = None,
):
    """R-ILLEGAL: take in a report from the public; returns its reference only."""
    use_site_language()
    if website or (reason := _check_challenge(SUBJECT, challenge, answer)):
        if not website:
            frappe.logger("shuangfuhua_app").info(f"illegal-organization report challenge refused: {reason}")
        frappe.throw(_("The verification answer is wrong or has expired. Please reload the page and try again."))
    if service_center and not frappe.db.exists("Service Center", service_center):
        service_center = None
    if message := check_public_report(reported_org_name, activity_description, service_center):
        throw(message)
    for value in (place, reporter_name, reporter_contact):
        if value and len(value) > 140:
            frappe.throw(_("Please keep each answer within {0} characters.").format(140))
    doc = frappe.get_doc(
        {
            "doctype": "Illegal Organization Report",
            "service_center": service_center,
            "reported_org_name": reported_org_name.strip(),
            "activity_description": activity_description.strip(),
            "place": (place or "").strip() or None,
            "reporter_name": (reporter_name or "").strip() or None,
            "reporter_contact": (reporter_contact or "").strip() or None,
        }
    )
    doc.flags.sfh_public = True
    doc.insert(ignore_permissions=True)
    frappe.cache.set_value(_used_key(challenge), 1, expires_in_sec=CHALLENGE_MAX_SECONDS)  # one report per challenge
    return {"reference": doc.name,
            "message": _("Your report has been received. The center will verify it; thank you.")}
