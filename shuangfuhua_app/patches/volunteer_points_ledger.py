"""Issue 17 §1 (R-VOL-REDEEM, [10M] 第六条): on sites that recorded volunteer service before the
points ledger existed, every activity's points are booked as Earned rows (the difference only,
so running it again books nothing) and each volunteer's balance is set from the ledger."""

from __future__ import annotations

import frappe


def execute():
    if not frappe.db.table_exists("SFH Volunteer Points Entry"):
        return
    from shuangfuhua_app.volunteer_duties import sync_earned

    for name in frappe.get_all("Volunteer Activity", pluck="name"):
        sync_earned(frappe.get_doc("Volunteer Activity", name))
