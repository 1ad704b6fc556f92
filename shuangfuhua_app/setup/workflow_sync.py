"""Sync the workflows shipped under ``<module>/workflow/`` without clobbering Desk edits.

Frappe v15 does not import a module's ``workflow`` folder, and fixtures would overwrite an
administrator's changes on every migrate.  The rule here:

* a shipped workflow that does not exist on the site is inserted;
* one that exists and is unchanged since this app last wrote it is updated when the
  shipped file changed (an app upgrade);
* one that was edited in Desk since (its ``modified`` differs from what the ledger
  recorded), or that the app did not create, is left alone and marked as edited.

The ledger is the internal DocType *SFH Workflow Sync* (one row per workflow), kept by
``setup/shipped_sync.py`` (which the shipped notifications use too).
"""

from __future__ import annotations

import json
from pathlib import Path

import frappe

from shuangfuhua_app.setup.shipped_sync import LEDGER, file_hash, sync_record

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
    data = json.loads(raw)
    ensure_masters(data)
    # the ledger's rule (setup/shipped_sync.py): Desk edits are kept, untouched ones follow the app
    return sync_record("Workflow", data["name"], file_hash(raw), lambda doc: _apply(doc, data))


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
