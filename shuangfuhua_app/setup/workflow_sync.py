"""Sync the workflows shipped under ``<module>/workflow/`` without clobbering Desk edits.

Frappe v15 does not import a module's ``workflow`` folder, and fixtures would overwrite an
administrator's changes on every migrate.  The rule here:

* a shipped workflow that does not exist on the site is inserted;
* one that exists and is unchanged since this app last wrote it is updated when the
  shipped file changed (an app upgrade);
* one that was edited in Desk since (its ``modified`` differs from what the ledger
  recorded), or that the app did not create, is left alone and marked as edited.

The ledger is the internal DocType *SFH Workflow Sync* (one row per workflow).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import frappe
from frappe.utils import get_datetime

LEDGER = "SFH Workflow Sync"

STATE_STYLES = {
    "Draft": "", "Submitted": "Primary", "Returned": "Warning", "Panel Review": "Info",
    "Recommended": "Info", "In Notice": "Warning", "Admitted": "Success", "Not Admitted": "Danger",
}


def shipped_workflow_files(app: str = "shuangfuhua_app") -> list[Path]:
    folder = Path(frappe.get_app_path(app, "shuangfuhua_app", "workflow"))
    return sorted(folder.glob("*/*.json"))


def ensure_masters(data: dict) -> None:
    """Workflow State and Workflow Action Master records the workflow links to."""
    for state in {s["state"] for s in data.get("states", [])}:
        if not frappe.db.exists("Workflow State", state):
            frappe.get_doc(
                {"doctype": "Workflow State", "workflow_state_name": state, "style": STATE_STYLES.get(state, "")}
            ).insert(ignore_permissions=True)
    for action in {t["action"] for t in data.get("transitions", [])}:
        if not frappe.db.exists("Workflow Action Master", action):
            frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
                ignore_permissions=True
            )


def _record(name: str, file_hash: str, admin_edited: bool = False) -> None:
    modified = frappe.db.get_value("Workflow", name, "modified")
    values = {"file_hash": file_hash, "synced_modified": modified, "admin_edited": int(admin_edited)}
    if frappe.db.exists(LEDGER, name):
        frappe.db.set_value(LEDGER, name, values, update_modified=False)
    else:
        frappe.get_doc({"doctype": LEDGER, "workflow": name, **values}).db_insert()


def _apply(doc, data: dict) -> None:
    doc.set("states", [])
    doc.set("transitions", [])
    for key, value in data.items():
        if key in ("doctype", "name", "modified", "creation", "owner", "modified_by"):
            continue
        doc.set(key, value)
    doc.flags.ignore_permissions = True
    doc.save()


def sync_workflow_file(path: Path) -> str:
    """Sync one file; returns what happened: inserted, updated, unchanged or kept-edited."""
    raw = path.read_bytes()
    file_hash = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw)
    name = data["name"]
    ensure_masters(data)

    if not frappe.db.exists("Workflow", name):
        doc = frappe.new_doc("Workflow")
        doc.name = name
        _apply(doc, data)
        _record(name, file_hash)
        return "inserted"

    ledger = frappe.db.get_value(LEDGER, name, ["file_hash", "synced_modified", "admin_edited"], as_dict=True)
    db_modified = frappe.db.get_value("Workflow", name, "modified")
    edited = (
        ledger is None
        or ledger.admin_edited
        or get_datetime(db_modified) != get_datetime(ledger.synced_modified)
    )
    if edited:
        _record(name, ledger.file_hash if ledger else file_hash, admin_edited=True)
        return "kept-edited"
    if ledger.file_hash == file_hash:
        return "unchanged"
    _apply(frappe.get_doc("Workflow", name), data)
    _record(name, file_hash)
    return "updated"


def sync_workflows(app: str = "shuangfuhua_app") -> dict[str, str]:
    result = {path.stem: sync_workflow_file(path) for path in shipped_workflow_files(app)}
    frappe.clear_cache()
    return result


def reset_workflow(name: str, app: str = "shuangfuhua_app") -> str:
    """Throw away Desk edits of a shipped workflow and take the shipped version again."""
    frappe.only_for("System Manager")
    frappe.db.delete(LEDGER, {"name": name})
    if frappe.db.exists("Workflow", name):
        frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
    for path in shipped_workflow_files(app):
        if json.loads(path.read_bytes())["name"] == name:
            return sync_workflow_file(path)
    frappe.throw(frappe._("No shipped workflow named {0}").format(name))
