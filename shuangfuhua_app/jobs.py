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
