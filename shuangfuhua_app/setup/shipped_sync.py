"""Records the app ships as files and a center may edit in Desk: the ledger that keeps the edits.

Used for the workflows (``setup/workflow_sync.py``) and the notifications
(``shuangfuhua_app/notifications.py``).  Frappe's own import would overwrite a record edited in
Desk as soon as an app update ships a newer file; the rule here instead:

* a shipped record that does not exist on the site is inserted (unless the ledger says the app
  wrote it before and ``keep_deleted`` is set: then an administrator deleted it, and it stays
  deleted);
* one that exists and is unchanged since this app last wrote it is updated when the shipped
  file changed (an app upgrade);
* one that was edited in Desk since (its ``modified`` differs from what the ledger recorded),
  or that the app did not create, is left alone and marked as edited.

The ledger is the internal DocType *SFH Workflow Sync* (one row per shipped record; a
workflow's row is named after the workflow, any other record's ``<DocType>/<name>``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import frappe
from frappe.utils import get_datetime

LEDGER = "SFH Workflow Sync"


def ledger_key(doctype: str, name: str) -> str:
    # workflows keep the key they had before the ledger held other records
    return name if doctype == "Workflow" else f"{doctype}/{name}"


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def record(doctype: str, name: str, digest: str, admin_edited: bool = False) -> None:
    """Note what the app wrote (the record's ``modified`` now) and from which file."""
    key = ledger_key(doctype, name)
    modified = frappe.db.get_value(doctype, name, "modified")
    values = {"file_hash": digest, "synced_modified": modified, "admin_edited": int(admin_edited)}
    if frappe.db.exists(LEDGER, key):
        frappe.db.set_value(LEDGER, key, values, update_modified=False)
    else:
        frappe.get_doc({"doctype": LEDGER, "workflow": key, **values}).db_insert()


def forget(doctype: str, name: str) -> None:
    frappe.db.delete(LEDGER, {"name": ledger_key(doctype, name)})


def sync_record(
    doctype: str, name: str, digest: str, apply: Callable[[object], None], keep_deleted: bool = False
) -> str:
    """Sync one shipped record; ``apply(doc)`` writes the shipped values into ``doc`` and saves it.

    Returns what happened: inserted, updated, unchanged, kept-edited or kept-deleted."""
    ledger = frappe.db.get_value(
        LEDGER, ledger_key(doctype, name), ["file_hash", "synced_modified", "admin_edited"], as_dict=True
    )
    if not frappe.db.exists(doctype, name):
        if ledger and keep_deleted:
            return "kept-deleted"
        doc = frappe.new_doc(doctype)
        doc.name = name
        apply(doc)
        record(doctype, name, digest)
        return "inserted"

    db_modified = frappe.db.get_value(doctype, name, "modified")
    edited = (
        ledger is None
        or ledger.admin_edited
        or get_datetime(db_modified) != get_datetime(ledger.synced_modified)
    )
    if edited:
        record(doctype, name, ledger.file_hash if ledger else digest, admin_edited=True)
        return "kept-edited"
    if ledger.file_hash == digest:
        return "unchanged"
    apply(frappe.get_doc(doctype, name))
    record(doctype, name, digest)
    return "updated"


def apply_shipped(doc, data: dict, tables: tuple[str, ...]) -> None:
    """Write a shipped file's ``data`` over ``doc`` (its ``tables`` emptied first, so rows the
    file no longer has go) and save it as the app, not as a user."""
    for table in tables:
        doc.set(table, [])
    for key, value in data.items():
        if key in ("doctype", "name", "modified", "creation", "owner", "modified_by"):
            continue
        doc.set(key, value)
    doc.flags.ignore_permissions = True
    doc.save()
