"""Read the app's metadata (JSON, hooks, translations) without Frappe, for tier-1 tests."""

from __future__ import annotations

import ast
import csv
import json
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "shuangfuhua_app"
MODULE = PACKAGE / "shuangfuhua_app"

#: DocTypes of Frappe itself that the app may link to
FRAPPE_DOCTYPES = {"User", "Role", "Workflow State", "Workflow", "DocType", "File", "Contact", "Address"}
FRAPPE_ROLES = {"System Manager", "Administrator", "Guest", "All", "Desk User"}
APP_ROLES = {
    "Center Staff",
    "Center Head",
    "Review Panel Member",
    "Township Leader",
    "Business Supervisory Unit",
    "Leading Group Office",
    "Community Worker",
    "Organization Representative",
}


def json_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.json") if "node_modules" not in p.parts)


@cache
def doctypes() -> dict[str, dict]:
    out = {}
    for path in sorted((MODULE / "doctype").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        if data.get("doctype") == "DocType":
            data["_path"] = path
            out[data["name"]] = data
    return out


@cache
def workflows() -> dict[str, dict]:
    out = {}
    for path in sorted((MODULE / "workflow").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        data["_path"] = path
        out[data["name"]] = data
    return out


def records(folder: str) -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((MODULE / folder).glob("*/*.json"))]


def translations(lang: str = "zh") -> dict[str, str]:
    """Frappe's keys: ``source`` for a row without context, ``source:context`` with one
    (Frappe translates field labels and Select options with their DocType as context)."""
    path = PACKAGE / "translations" / f"{lang}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {(f"{row[0]}:{row[2]}" if len(row) > 2 and row[2] else row[0]): row[1] for row in csv.reader(f) if row}


_PY_CALL = re.compile(r"""(?<![\w.])_\(\s*(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*[,)]""")
_JS_CALL = re.compile(r"""__\(\s*(?P<q>["'`])(?P<s>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*[,)]""")


def code_strings() -> dict[str, Path]:
    """Every literal passed to ``_()`` in Python and ``__()`` in JS/HTML (a user-facing string)."""
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        if "standard" in path.relative_to(PACKAGE).parts:
            continue  # the rules speak Chinese already
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and (
                    (isinstance(node.func, ast.Name) and node.func.id == "_")
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "_")
                )
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, path)
    for path in list(PACKAGE.rglob("*.js")) + list(PACKAGE.rglob("*.html")):
        for m in _JS_CALL.finditer(path.read_text("utf-8")):
            found.setdefault(m.group("s").encode().decode("unicode_escape").encode("latin-1").decode("utf-8"), path)
    return found


def field_strings() -> dict[tuple[str, str], str]:
    """(string, DocType) -> where, for labels, descriptions and Select options; Frappe's
    Desk translates these with the DocType as context."""
    out: dict[tuple[str, str], str] = {}
    for name, dt in doctypes().items():
        for f in dt["fields"]:
            where = f"{name}.{f['fieldname']}"
            for key in ("label", "description"):
                if f.get(key):
                    out[(f[key], name)] = where
            if f["fieldtype"] == "Select":
                for opt in (f.get("options") or "").split("\n"):
                    if opt:
                        out[(opt, name)] = where
    return out


def user_facing_metadata_strings() -> dict[str, str]:
    """Strings translated without context: DocType names, workflow states and actions,
    workspace labels, role names."""
    out: dict[str, str] = {}
    for name in doctypes():
        out[name] = f"DocType {name}"
    for name, wf in workflows().items():
        for s in wf["states"]:
            out[s["state"]] = f"workflow {name}"
        for t in wf["transitions"]:
            out[t["action"]] = f"workflow {name}"
    for ws in records("workspace"):
        out[ws["label"]] = "workspace"
        for link in ws["links"]:
            out[link["label"]] = "workspace"
        for sc in ws["shortcuts"]:
            out[sc["label"]] = "workspace"
            if sc.get("format"):
                out[sc["format"]] = "workspace shortcut count"  # Desk: __(format)
        for key in ("number_cards", "charts"):
            for row in ws.get(key) or []:
                out[row["label"]] = f"workspace {key}"
        for text in workspace_header_texts(ws):
            out[text] = "workspace header"  # Desk translates a header's text without its HTML
    for ob in records("module_onboarding"):
        out[ob["name"]] = "module onboarding"  # the workspace's onboarding block is found by _(name)
        for key in ("title", "subtitle", "success_message"):
            if ob.get(key):
                out[ob[key]] = f"module onboarding {key}"
    for step in records("onboarding_step"):
        for key in ("title", "action_label", "description"):
            if step.get(key):
                out[step[key]] = f"onboarding step {step['name']}"
    for role in APP_ROLES:
        out[role] = "role"
    return out


_TAG = re.compile(r"<[^>]+>")


def workspace_header_texts(ws: dict) -> list[str]:
    """The text of each header block of a workspace's ``content`` (as Desk shows it)."""
    texts = []
    for block in json.loads(ws.get("content") or "[]"):
        if block["type"] == "header":
            text = _TAG.sub("", block["data"]["text"]).strip()
            if re.search("[A-Za-z]", text):  # a header written in Chinese needs no translation
                texts.append(text)
    return texts


def hook_paths() -> list[str]:
    """Dotted paths of functions named in hooks.py."""
    tree = ast.parse((PACKAGE / "hooks.py").read_text("utf-8"))
    paths = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("shuangfuhua_app."):
            paths.append(node.value)
    return paths


def resolve_function(dotted: str) -> bool:
    """True when ``dotted`` names a top-level function (or class: ``override_doctype_class``)
    of a module file in the package."""
    module, _, func = dotted.rpartition(".")
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        return False
    tree = ast.parse(path.read_text("utf-8"))
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == func for n in tree.body)
