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

from shuangfuhua_app.setup.shipped_sync import LEDGER, apply_shipped, file_hash, sync_record

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


def sync_workflow_file(path: Path) -> str:
    """Sync one file; returns what happened: inserted, updated, unchanged or kept-edited."""
    raw = path.read_bytes()
    data = json.loads(raw)
    ensure_masters(data)
    # the ledger's rule (setup/shipped_sync.py): Desk edits are kept, untouched ones follow the app
    return sync_record("Workflow", data["name"], file_hash(raw), lambda doc: apply_shipped(doc, data, ("states", "transitions")))


def sync_workflows(app: str = "shuangfuhua_app") -> dict[str, str]:
    result = {path.stem: sync_workflow_file(path) for path in shipped_workflow_files(app)}
    frappe.clear_cache()
    return result


def _shipped_data(name: str, app: str = "shuangfuhua_app") -> dict | None:
    for path in shipped_workflow_files(app):
        data = json.loads(path.read_bytes())
        if data["name"] == name:
            return data
    return None


def stranded_records(data: dict) -> list[frappe._dict]:
    """Records of the workflow's DocType in a state the shipped workflow does not have
    (a state added in Desk): name, state, docstatus."""
    doctype, field = data["document_type"], data.get("workflow_state_field") or "workflow_state"
    states = tuple({s["state"] for s in data.get("states", [])})
    if not frappe.db.table_exists(doctype):
        return []
    return frappe.db.sql(
        f"""select name, `{field}` as state, docstatus from `tab{doctype}`
            where ifnull(`{field}`, '') != '' and `{field}` not in %(states)s order by `{field}`, name""",
        {"states": states},
        as_dict=True,
    )


def _listing(rows: list, limit: int = 20) -> str:
    shown = "、".join(f"{r.name}（{frappe._(r.state)}）" for r in rows[:limit])
    more = frappe._("and {0} more").format(len(rows) - limit) if len(rows) > limit else ""
    return shown + (" " + more if more else "")


@frappe.whitelist(methods=["POST"])
def reset_workflow(name: str, app: str = "shuangfuhua_app", move_to: str | None = None) -> str:
    """Throw away Desk edits of a shipped workflow and take the shipped version again.

    Issue 15 §4: records in a state the shipped workflow does not have (one added in Desk)
    would be stuck – every action refused. The reset lists them and refuses until they are
    moved, or, when the administrator names ``move_to`` (a state of the shipped workflow with
    the records' document status), moves them there first, each with a comment."""
    from frappe import _

    frappe.only_for("System Manager")
    data = _shipped_data(name, app)
    if data is None:
        frappe.throw(_("No shipped workflow named {0}").format(name))
    stranded = stranded_records(data)
    if stranded:
        doctype = data["document_type"]
        if not move_to:
            frappe.throw(
                _(
                    "{0} records of {1} are in states the shipped workflow does not have: {2}. Move them "
                    "to a state of the shipped workflow first, or reset naming the state to move them to."
                ).format(len(stranded), _(doctype), _listing(stranded)),
                title=_("Records in removed states"),
            )
        target = next((s for s in data["states"] if s["state"] == move_to), None)
        if target is None:
            frappe.throw(_("The shipped workflow {0} has no state “{1}”.").format(_(name), _(move_to)))
        mismatched = [r for r in stranded if int(r.docstatus) != int(target.get("doc_status") or 0)]
        if mismatched:
            frappe.throw(
                _("These records cannot be moved to “{0}”, whose document status differs from theirs: {1}").format(
                    _(move_to), _listing(mismatched)
                )
            )
        field = data.get("workflow_state_field") or "workflow_state"
        for r in stranded:
            frappe.db.set_value(doctype, r.name, field, move_to, update_modified=False)
            frappe.get_doc(doctype, r.name).add_comment(
                "Workflow",
                _("Moved from “{0}” to “{1}” when the shipped workflow was restored").format(_(r.state), _(move_to)),
            )
    frappe.db.delete(LEDGER, {"name": name})
    if frappe.db.exists("Workflow", name):
        frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
    for path in shipped_workflow_files(app):
        if json.loads(path.read_bytes())["name"] == name:
            result = sync_workflow_file(path)
            frappe.clear_cache(doctype=data["document_type"])
            return result
