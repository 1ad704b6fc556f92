"""Tier 1: the shipped notifications (issue 15 §5) are well-formed editable records.

Read as files, without Frappe: each is a non-standard Notification of the app's module (so a
center edits it in Desk), in Chinese, e-mail with a system notification, on a DocType and
fields the app has, keyed on states of the shipped workflow and fields — never on a
workflow action's name."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "shuangfuhua_app"
FOLDER = APP / "shuangfuhua_app" / "shipped_notification"
DOCTYPES = APP / "shuangfuhua_app" / "doctype"
WORKFLOWS = APP / "shuangfuhua_app" / "workflow"
FILES = sorted(FOLDER.glob("*.json"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ROLES = {
    "Center Staff", "Center Head", "Review Panel Member", "Township Leader", "Business Supervisory Unit",
    "Leading Group Office", "Community Worker", "Organization Representative",
}


def doctype_json(name: str) -> dict:
    path = DOCTYPES / name.lower().replace(" ", "_") / f"{name.lower().replace(' ', '_')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def workflow_states(doctype: str) -> set[str]:
    states = set()
    for path in WORKFLOWS.glob("*/*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["document_type"] == doctype:
            states |= {s["state"] for s in data["states"]}
    return states


def workflow_actions() -> set[str]:
    actions = set()
    for path in WORKFLOWS.glob("*/*.json"):
        actions |= {t["action"] for t in json.loads(path.read_text(encoding="utf-8"))["transitions"]}
    return actions


def test_the_folder_is_not_one_frappe_imports_itself():
    # Frappe's migrate imports <module>/notification/<name>/<name>.json and would overwrite Desk edits
    assert FOLDER.name != "notification" and len(FILES) >= 20


def test_names_are_unique():
    names = [json.loads(p.read_text(encoding="utf-8"))["name"] for p in FILES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_shipped_notification_is_an_editable_chinese_record_on_the_apps_fields(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["doctype"] == "Notification"
    assert data["is_standard"] == 0 and data["module"] == "Shuangfuhua App" and data["enabled"] == 1
    assert data["channel"] == "Email" and data["send_system_notification"] == 1
    assert CJK.search(data["name"]) and CJK.search(data["subject"]) and CJK.search(data["message"])
    meta = doctype_json(data["document_type"])
    fields = {f["fieldname"] for f in meta["fields"]} | {"name", "owner", "docstatus"}
    if data["event"] == "Value Change":
        assert data["value_changed"] in fields
    else:
        assert data["event"] in ("New", "Method")
    # every doc.<field> the condition and the texts read is a field of the DocType
    for text in (data.get("condition") or "", data["subject"], data["message"]):
        for field in re.findall(r"\bdoc\.([a-z_]+)", text):
            assert field in fields, (path.stem, field)
    # states named in the condition are states of the shipped workflow; no action names anywhere
    states = workflow_states(data["document_type"])
    for state in re.findall(r'doc\.workflow_state == "([^"]+)"', data.get("condition") or ""):
        assert state in states, (path.stem, state)
    for action in workflow_actions() - states:
        assert f'"{action}"' not in (data.get("condition") or ""), (path.stem, action)
    assert data["recipients"]
    for row in data["recipients"]:
        assert row.get("receiver_by_role") in ROLES or row.get("cc")
