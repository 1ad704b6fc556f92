# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""扫码签到 — one person's QR sign-in and sign-out at an incubation activity (issue 16).

Written by the app alone (``shuangfuhua_app.signin``): the guest page makes the row, staff
link an unmatched row to a person and confirm the sheet through whitelisted methods; only
a confirmed row becomes a participant row of the activity and counts for §7.3.1/§7.3.2."""

from __future__ import annotations

from frappe.model.document import Document


class ActivitySignIn(Document):
    pass
