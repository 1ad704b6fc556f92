"""Shipped workflows are synced on install and migrate without clobbering Desk edits."""

from __future__ import annotations

import json

import frappe
import pytest

from shuangfuhua_app.setup.workflow_sync import reset_workflow, shipped_workflow_files, sync_workflow_file

NAME = "Incubation Application Workflow"


def run_after_migrate():
    """What `bench migrate` runs for this app after syncing its DocTypes."""
    for fn in frappe.get_hooks("after_migrate", app_name="shuangfuhua_app"):
        frappe.get_attr(fn)()


def shipped_path():
    (path,) = [p for p in shipped_workflow_files() if json.loads(p.read_text())["name"] == NAME]
    return path


def upgraded_copy(tmp_path, action_label: str):
    """The shipped file as a later app version would ship it (one action renamed)."""
    data = json.loads(shipped_path().read_text())
    for t in data["transitions"]:
        if t["action"] == "Resubmit":
            t["action"] = action_label
    path = tmp_path / "incubation_application_workflow.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def actions():
    return {t.action for t in frappe.get_doc("Workflow", NAME).transitions}


@pytest.fixture(autouse=True)
def shipped_state():
    reset_workflow(NAME)
    frappe.db.commit()
    yield
    reset_workflow(NAME)
    frappe.db.commit()


def test_install_created_the_workflow_and_its_ledger():
    wf = frappe.get_doc("Workflow", NAME)
    assert wf.is_active and wf.document_type == "Incubation Application"
    assert frappe.db.get_value("SFH Workflow Sync", NAME, "admin_edited") == 0
    assert run_after_migrate() is None and frappe.db.get_value("SFH Workflow Sync", NAME, "admin_edited") == 0


def test_an_unedited_workflow_follows_an_app_upgrade(tmp_path):
    assert sync_workflow_file(upgraded_copy(tmp_path, "Resubmit Again")) == "updated"
    assert "Resubmit Again" in actions()


def test_a_desk_edit_survives_migrate_and_upgrade(tmp_path):
    wf = frappe.get_doc("Workflow", NAME)
    for t in wf.transitions:
        if t.action == "Return for Revision":
            t.allowed = "Center Head"  # the center decides only its head sends applications back
    wf.save()
    frappe.db.commit()
    run_after_migrate()
    assert frappe.db.get_value("SFH Workflow Sync", NAME, "admin_edited") == 1
    allowed = {t.allowed for t in frappe.get_doc("Workflow", NAME).transitions if t.action == "Return for Revision"}
    assert allowed == {"Center Head"}
    assert sync_workflow_file(upgraded_copy(tmp_path, "Resubmit Again")) == "kept-edited"
    assert "Resubmit Again" not in actions()
    # an administrator can take the shipped version back on purpose
    assert reset_workflow(NAME) == "inserted"
    assert frappe.db.get_value("SFH Workflow Sync", NAME, "admin_edited") == 0
    allowed = {t.allowed for t in frappe.get_doc("Workflow", NAME).transitions if t.action == "Return for Revision"}
    assert allowed == {"Center Staff", "Center Head"}
