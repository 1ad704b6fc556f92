"""A good guest on an existing site (issue 17 §3): install never takes over a record of
another app.

Frappe's install-app syncs every DocType (and Report, Web Form, Print Format, Workspace) the
app ships by name; a DocType of that name already on the site – of another app, or made in
Desk – would silently get this app's module and fields, and the other app would break without
a word. ``before_install`` (hooks.py) stops the install first, with a message that names
them. No frappe import at module level beyond what Frappe itself provides at install time.
"""

from __future__ import annotations

import json
from pathlib import Path

import frappe

MODULE = "Shuangfuhua App"
MODULE_DIR = Path(__file__).resolve().parents[1] / "shuangfuhua_app"
#: folder -> DocType of the records Frappe syncs from it by name
KINDS = {
    "doctype": "DocType",
    "report": "Report",
    "web_form": "Web Form",
    "print_format": "Print Format",
    "workspace": "Workspace",
}


def shipped_names() -> dict[str, list[str]]:
    """{record DocType: [names]} of what the app ships (read from its JSON files)."""
    names: dict[str, list[str]] = {}
    for folder, kind in KINDS.items():
        for path in sorted((MODULE_DIR / folder).glob("*/*.json")):
            if path.stem != path.parent.name:
                continue
            name = json.loads(path.read_text(encoding="utf-8")).get("name")
            if name:
                names.setdefault(kind, []).append(name)
    return names


def foreign_records() -> list[tuple[str, str, str]]:
    """(kind, name, module) of every shipped name the site already has under another module."""
    found = []
    for kind, names in shipped_names().items():
        for row in frappe.get_all(kind, filters={"name": ("in", names)}, fields=["name", "module"]):
            if row.module != MODULE:
                found.append((kind, row.name, row.module or "-"))
    return sorted(found)


def before_install():
    """hooks.py ``before_install``: refuse to replace another module's records."""
    found = foreign_records()
    if not found:
        return
    listed = "; ".join(f"{kind} “{name}”（{module}）" for kind, name, module in found)
    frappe.throw(
        "本站点已有同名的其他模块记录，安装“双孵化”会覆盖它们（模块与字段被替换），已停止安装："
        f"{listed}。请先改名或移除这些记录，或在另一站点安装。"
        "\nThis site already has records of another module with names this app ships; "
        f"installing would replace them (their module and fields), so the install stopped: {listed}. "
        "Rename or remove them first, or install on another site.",
        title="Install stopped / 已停止安装",
    )
