"""Daily jobs never abort on one record (issue 15 §3).

Each record a scheduled job handles is handled on its own: under a savepoint, so that what
a failing record wrote is undone while the others' work stays; the failure goes to Frappe's
Error Log with the record named (reference DocType and name, the job in the title); the run
goes on. The jobs are idempotent, so the failed record is tried again on the next run.
Set-based SQL (one statement for many records) stays set-based: only per-record steps are
wrapped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import frappe

SAVEPOINT = "sfh_job_record"
_depth = [0]
#: marks the result of a record that failed (so callers can tell it from a falsy result)
FAILED = object()


def run_guarded(doctype: str | None, name: str | None, job: str, fn: Callable, *args, **kwargs) -> Any:
    """``fn(*args, **kwargs)`` for one record of ``job``: its changes kept when it succeeds;
    on an exception they are rolled back to the savepoint, the exception is written to the
    Error Log naming ``doctype`` ``name`` and :data:`FAILED` is returned."""
    _depth[0] += 1
    savepoint = f"{SAVEPOINT}_{_depth[0]}"  # nested records (a notice's applications) get their own
    try:
        frappe.db.savepoint(savepoint)
        result = fn(*args, **kwargs)
    except Exception:
        frappe.db.rollback(save_point=savepoint)
        frappe.clear_messages()
        frappe.log_error(
            title=f"{job}: {doctype or ''} {name or ''}".strip()[:140],
            reference_doctype=doctype if doctype and frappe.db.exists("DocType", doctype) else None,
            reference_name=name,
        )
        return FAILED
    else:
        frappe.db.release_savepoint(savepoint)
        return result
    finally:
        _depth[0] -= 1


def each_record(doctype: str, names: Iterable[str], fn: Callable[[str], Any], *, job: str) -> Iterator[tuple[str, Any]]:
    """``(name, fn(name))`` for every record of ``names`` that did not fail (see
    :func:`run_guarded`); the failed ones are logged and skipped."""
    for name in names:
        result = run_guarded(doctype, name, job, fn, name)
        if result is not FAILED:
            yield name, result


def remind(job: str, doctype: str | None, name: str | None, *args, **kwargs) -> bool:
    """``incubation._remind(*args, **kwargs)`` for one record of a daily reminder job, guarded
    as :func:`run_guarded` (the record named in the Error Log is ``doctype`` ``name``); the
    ledger row is the job's (its users get the job's daily digest, issue 18 §1)."""
    from functools import partial

    from shuangfuhua_app.incubation import _remind

    return run_guarded(doctype, name, job, partial(_remind, job=job), *args, **kwargs) is True


#: ledger rows written by one statement (bounded packet size and lock time)
LEDGER_CHUNK = 1000


def remind_many(job: str, rows: Iterable[dict]) -> list[str]:
    """Issue 18 §1, R-X-SCALE: the ledger rows of a daily ``job`` written set-based – the same
    outcome as :func:`remind` for each row, in a fixed number of statements per
    :data:`LEDGER_CHUNK` rows instead of several per row.

    Each row is a dict with ``key``, ``rule``, ``organization``, ``service_center``, ``period``,
    ``message`` and optionally ``users`` (default: the center's staff, :func:`staff_by_center`).
    As :func:`incubation._remind`: a key already in the ledger is skipped (the job is
    idempotent), so is a terminated organization (issue 14 §8) and a row with nobody enabled to
    tell (tried again on the next run). The rows are inserted with ``INSERT IGNORE``, so a run
    racing another adds each key once. Should a chunk fail, its rows are taken one by one under
    :func:`remind`'s savepoints, the failing ones going to the Error Log (issue 15 §3).
    Returns the keys written."""
    from frappe.utils import now_datetime

    from shuangfuhua_app.incubation import terminated_orgs

    rows = [r for r in rows if r.get("key")]
    if not rows:
        return []
    created: list[str] = []
    staff = staff_by_center({r["service_center"] for r in rows if r.get("service_center")})
    named = {u for r in rows for u in (r.get("users") or [])}
    enabled = set(frappe.get_all("User", filters={"name": ("in", list(named)), "enabled": 1}, pluck="name")) if named else set()
    for i in range(0, len(rows), LEDGER_CHUNK):
        chunk = rows[i : i + LEDGER_CHUNK]
        keys = [r["key"] for r in chunk]
        given = given_keys(keys)
        ended = terminated_orgs({r["organization"] for r in chunk if r.get("organization")})
        now = now_datetime()
        user = frappe.session.user or "Administrator"
        values, written = [], []
        for r in chunk:
            if r["key"] in given or (r.get("organization") and r["organization"] in ended):
                continue
            users = sorted(u for u in r.get("users") or [] if u in enabled) or staff.get(r.get("service_center"), [])
            if not users:
                continue
            given.add(r["key"])
            values.append((r["key"], now, now, user, user, 0, 0, r["key"], r["rule"], r.get("organization"),
                           r.get("service_center"), r.get("period"), r.get("message"), ", ".join(users), job))
            written.append(r)
        if not values:
            continue
        fields = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "reminder_key", "rule",
                  "organization", "service_center", "period", "message", "assigned_to", "job"]
        frappe.db.savepoint(SAVEPOINT + "_chunk")
        try:
            frappe.db.bulk_insert("SFH Reminder", fields, values, ignore_duplicates=True)
        except Exception:
            frappe.db.rollback(save_point=SAVEPOINT + "_chunk")
            for r in written:  # one by one: the failing record is named in the Error Log
                if remind(job, r.get("doctype"), r.get("docname"), r["key"], r["rule"], r.get("organization"),
                          r.get("service_center"), r.get("period"), r.get("message"), r.get("due"),
                          users=r.get("users")):
                    created.append(r["key"])
        else:
            frappe.db.release_savepoint(SAVEPOINT + "_chunk")
            created += [r["key"] for r in written]
    return created


def given_keys(keys: Iterable[str]) -> set[str]:
    """The ``keys`` already in the reminder ledger, read :data:`LEDGER_CHUNK` at a time – a job
    builds the messages of new reminders only (issue 18 §1)."""
    keys = sorted({k for k in keys if k})
    given: set[str] = set()
    for i in range(0, len(keys), LEDGER_CHUNK):
        given.update(frappe.get_all("SFH Reminder", filters={"name": ("in", keys[i : i + LEDGER_CHUNK])}, pluck="name"))
    return given


def staff_by_center(centers: Iterable[str] | None = None) -> dict[str, list[str]]:
    """center -> the enabled users to tell of its reminders, for many centers in ONE query over
    User Permission, User and Has Role (issue 18 §1): the users with the Center Staff role
    scoped to the center, or, when it has none, those with the Center Head role (as
    :func:`incubation.center_staff`)."""
    centers = sorted({c for c in centers if c}) if centers is not None else None
    if centers is not None and not centers:
        return {}
    rows = frappe.db.sql(
        f"""select distinct up.for_value as center, hr.role, up.user
        from `tabUser Permission` up
        join `tabUser` u on u.name = up.user and u.enabled = 1
        join `tabHas Role` hr on hr.parent = up.user and hr.parenttype = 'User'
             and hr.role in ('Center Staff', 'Center Head')
        where up.allow = 'Service Center' {'and up.for_value in %(centers)s' if centers is not None else ''}
        order by up.user""",
        {"centers": centers or [""]},
        as_dict=True,
    )
    by_role: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        by_role.setdefault(r.center, {}).setdefault(r.role, []).append(r.user)
    return {c: sorted(set(roles.get("Center Staff") or roles.get("Center Head") or [])) for c, roles in by_role.items()}
