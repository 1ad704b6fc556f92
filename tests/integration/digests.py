"""Tier 2 helpers for the digest model (issue 18 §1): a daily job writes one ledger row
(*SFH Reminder*) per organization, rule and period, and gives every user it tells ONE digest
ToDo per day and job, counting that day's rows by rule. Everything here reads the tables by
SQL – the tests check the app against these, not against its own functions."""

from __future__ import annotations

import datetime
import re

import frappe
from frappe.utils import getdate, nowdate

#: "…（R-7.1.2）：3" – a rule's count in a digest
COUNT = re.compile(r"（(R-[0-9A-Za-z.\-]+)）：(\d+)")


def _day():
    return getdate(nowdate())


def ledger_row(key: str):
    """The ledger row of ``key`` (there is one at most: the key is its name)."""
    rows = frappe.db.sql(
        "select name, rule, organization, service_center, job, assigned_to, message from `tabSFH Reminder` where name = %s",
        key, as_dict=True,
    )
    return rows[0] if rows else None


def recipients(row) -> set[str]:
    return {u.strip() for u in (row.assigned_to or "").split(",") if u.strip()}


def ledger_counts(user: str, job: str) -> dict[str, int]:
    """rule -> the ledger rows ``job`` wrote today telling ``user``."""
    day = _day()
    return {rule: int(n) for rule, n in frappe.db.sql(
        """select rule, count(*) from `tabSFH Reminder`
        where job = %s and creation >= %s and creation < %s
          and find_in_set(%s, replace(assigned_to, ' ', '')) group by rule""",
        (job, day, day + datetime.timedelta(days=1), user),
    )}


def digests(user: str, job: str) -> list:
    """The user's digest ToDos of ``job`` today (there must be one at most)."""
    return frappe.db.sql(
        """select name, status, reference_type, reference_name, description from `tabToDo`
        where allocated_to = %s and date = %s and status != 'Cancelled' and description like %s""",
        (user, _day(), f"%job={job}%"), as_dict=True,
    )


def digest_counts(user: str, job: str) -> dict[str, int]:
    """rule -> the count shown in the user's one digest of ``job`` today (summed over centers)."""
    mine = digests(user, job)
    assert len(mine) <= 1, mine  # one digest per user, day and job
    out: dict[str, int] = {}
    for rule, n in COUNT.findall(mine[0].description if mine else ""):
        out[rule] = out.get(rule, 0) + int(n)
    return out


def assert_digest_matches_ledger(user: str, job: str, rule: str | None = None) -> dict[str, int]:
    """The user has ONE digest of ``job`` today and its counts are the ledger's (all rules, or
    only ``rule``: other engineers' rules may be counted in the same job's digest)."""
    got, want = digest_counts(user, job), ledger_counts(user, job)
    if rule:
        got, want = {rule: got.get(rule, 0)}, {rule: want.get(rule, 0)}
    assert want and got == want, (user, job, got, want)
    return got


def per_record_todos(doctype: str, names) -> int:
    """ToDos referring to the records themselves (the old model: must be none from daily jobs)."""
    return frappe.db.count("ToDo", {"reference_type": doctype, "reference_name": ("in", list(names))})


def run_daily_job(fn, *args, **kwargs) -> list[str]:
    """Run a daily job with its queued parts (background jobs of ``frappe.enqueue``, on a site
    with many organizations) run here right after it, as a worker would; returns the keys
    created by the job and its parts."""
    from factory import retrying

    queued = []
    enqueue = frappe.enqueue
    frappe.enqueue = lambda method, **kw: queued.append((method, kw))
    try:
        created = list(retrying(fn, *args, **kwargs) or [])
        frappe.db.commit()
        while queued:
            method, kw = queued.pop(0)
            for k in ("queue", "enqueue_after_commit", "timeout", "job_name", "now", "is_async"):
                kw.pop(k, None)
            created += list(retrying(frappe.get_attr(method), **kw) or [])
            frappe.db.commit()
    finally:
        frappe.enqueue = enqueue
    return created
