"""Issue 18 §5 (issue 16 §4): every Incubation Activity's ``qr_hours`` – the class hours of its
attended participant rows from confirmed QR sign-ins (source QR; a row's own hours, else the
activity's) – filled from the participant rows by ONE set-based UPDATE … JOIN over an aggregate
of the rows (no document loop: a district holds a million rows). Activities without such rows
get 0. Running it again changes nothing."""

from __future__ import annotations

import frappe


def execute():
    if not frappe.db.has_column("Incubation Activity", "qr_hours"):
        return
    # per activity: the QR rows' own hours and how many rows have none (each counts the activity's
    # class hours) – the sum of coalesce(nullif(hours_attended, 0), class_hours, 0) over its QR rows
    frappe.db.sql(
        """
        update `tabIncubation Activity` a
        left join (
            select p.parent, sum(ifnull(p.hours_attended, 0)) as own_hours,
                   sum(ifnull(p.hours_attended, 0) = 0) as rows_without_hours
            from `tabIncubation Activity Participant` p
            where p.parenttype = 'Incubation Activity' and p.parentfield = 'participants'
              and p.attended = 1 and p.source = 'QR'
            group by p.parent
        ) q on q.parent = a.name
        set a.qr_hours = coalesce(q.own_hours, 0) + coalesce(q.rows_without_hours, 0) * ifnull(a.class_hours, 0)
        """
    )
