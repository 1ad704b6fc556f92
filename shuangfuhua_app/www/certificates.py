"""荣誉证书核验 (public, no login; R-X-VERIFY, R-8.1.3): anyone who scans the QR code of an
honor certificate, or types its number, learns whether it is genuine – the organization,
the level, the date and the issuing center, nothing about any person. An unknown or revoked
number says so in Chinese.

Routed from ``/certificates/<number>`` by ``website_route_rules``; ``/certificates`` (with
``?number=``) is the form to type a number."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.exit import verify_certificate

no_cache = 1


def get_context(context):
    number = (frappe.form_dict.get("number") or "").strip()
    context.result = verify_certificate(number) if number else None
    context.number = number[:40]
    context.title = _("Verify an Honor Certificate")
    context.no_breadcrumbs = True
    return context
