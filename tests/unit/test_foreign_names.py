"""Issue 17 §3 (a good guest): no DocType, Report, Workspace, Web Form, Print Format or Role
of this app may carry a name that frappe, erpnext, hrms, non_profit, education, healthcare,
lending, crm or helpdesk (v15) already use – on a site with such an app, installing ours
would take the other app's record over (its module and fields replaced without a word).

The names of those apps are in tests/unit/foreign_names.json (built once from their
repositories, see its "_note"); names are compared scrubbed (lower case, spaces to
underscores), which is how Frappe names the folders.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE_DIR = ROOT / "shuangfuhua_app" / "shuangfuhua_app"
INSTALL = ROOT / "shuangfuhua_app" / "setup" / "install.py"
FOREIGN = json.loads((Path(__file__).parent / "foreign_names.json").read_text(encoding="utf-8"))
KINDS = {
    "doctype": "DocType",
    "report": "Report",
    "workspace": "Workspace",
    "web_form": "Web Form",
    "print_format": "Print Format",
}


def scrub(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def app_names() -> dict[str, dict[str, str]]:
    """{kind: {scrubbed: shown name}} of what the app ships."""
    names: dict[str, dict[str, str]] = {kind: {} for kind in list(KINDS.values()) + ["Role"]}
    for folder, kind in KINDS.items():
        for path in sorted((MODULE_DIR / folder).glob("*/*.json")):
            if path.stem != path.parent.name:
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
            shown = data.get("name") or path.stem
            names[kind][scrub(path.parent.name)] = shown
            names[kind][scrub(shown)] = shown
    for role in install_roles():
        names["Role"][scrub(role)] = role
    return names


def install_roles() -> list[str]:
    tree = ast.parse(INSTALL.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "ROLES" for t in node.targets):
            return [ast.literal_eval(elt) for elt in node.value.elts]
    raise AssertionError("ROLES not found in setup/install.py")


def collisions() -> list[str]:
    found = []
    for kind, ours in app_names().items():
        for app, kinds in FOREIGN.items():
            if app.startswith("_"):
                continue
            taken = set(kinds.get(kind, ()))
            for scrubbed, shown in sorted(ours.items()):
                if scrubbed in taken:
                    found.append(f"{kind} {shown!r} is also a {kind} of {app}")
    return sorted(set(found))


def test_list_is_there_and_covers_every_app():
    apps = {"frappe", "erpnext", "hrms", "non_profit", "education", "healthcare", "lending", "crm", "helpdesk"}
    assert apps <= set(FOREIGN)
    for app in apps:
        assert FOREIGN[app]["DocType"], app
    # a few names everyone knows are in it (the list is not empty noise)
    assert "volunteer" in FOREIGN["non_profit"]["DocType"]
    assert "sales_invoice" in FOREIGN["erpnext"]["DocType"]
    assert "employee" in FOREIGN["erpnext"]["DocType"]
    assert "system_manager" in FOREIGN["frappe"]["Role"]


def test_the_scan_sees_the_app():
    names = app_names()
    assert "shuangfuhua_settings" in names["DocType"]
    assert names["Report"] and names["Web Form"] and names["Print Format"] and names["Workspace"]
    assert "center_staff" in names["Role"]


def test_no_name_collides_with_another_app():
    found = collisions()
    assert not found, "Names taken by other Frappe apps (rename them, with a patch):\n" + "\n".join(found)
