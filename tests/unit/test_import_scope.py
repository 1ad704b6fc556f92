"""R-PRIV, R-X-IMPORT: Frappe's Data Import is scoped like the app's records (issue 14 §5).

An import file may hold resident ID numbers: the import, its log and its file belong to the
center it was made for.  Tier 1 checks the declaration, the field that carries the center and
the hooks; tier 2 (tests/integration/test_import_scope.py) checks the routes."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from shuangfuhua_app.scope import CHILD_SCOPE, FRAPPE_SCOPE_FIELDS, SCOPE_FIELDS, SHARED_DOCTYPES, record_scope_fields

LINK_TARGET = {"center": "Service Center", "org": "Community Social Organization", "community": "Community"}
DATA_IMPORT = Path(__file__).resolve().parents[2] / "shuangfuhua_app" / "data_import.py"
#: Frappe v15.55.1's whitelisted functions of frappe/core/doctype/data_import/data_import.py
FRAPPE_IMPORT_ROUTES = (
    "get_preview_from_template",
    "form_start_import",
    "download_template",
    "download_errored_template",
    "download_import_log",
    "get_import_status",
    "get_import_logs",
)


def _custom_fields() -> dict:
    tree = ast.parse(DATA_IMPORT.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CUSTOM_FIELDS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("shuangfuhua_app/data_import.py declares no CUSTOM_FIELDS")


def test_data_import_is_scoped_by_center():
    assert FRAPPE_SCOPE_FIELDS.get("Data Import", {}).get("center")
    assert record_scope_fields()["Data Import"] == FRAPPE_SCOPE_FIELDS["Data Import"]


def test_frappe_doctypes_stand_apart_from_the_apps_declaration():
    for name in FRAPPE_SCOPE_FIELDS:
        assert name not in SCOPE_FIELDS and name not in CHILD_SCOPE and name not in SHARED_DOCTYPES, name


def test_the_scope_fields_are_added_by_the_app_and_link_to_what_they_claim():
    custom = _custom_fields()
    for name, fields in FRAPPE_SCOPE_FIELDS.items():
        added = {f["fieldname"]: f for f in custom.get(name, [])}
        for key, column in fields.items():
            assert column in added, f"{name}.{column} is not added by the app"
            assert added[column]["fieldtype"] == "Link" and added[column]["options"] == LINK_TARGET[key], (name, column)


def test_hooks_guard_frappe_scoped_doctypes():
    hooks = importlib.import_module("shuangfuhua_app.hooks")
    for name in FRAPPE_SCOPE_FIELDS:
        assert hooks.permission_query_conditions.get(name) == "shuangfuhua_app.permissions.get_permission_query_conditions"
        assert hooks.has_permission.get(name) == "shuangfuhua_app.permissions.has_permission"


def test_every_whitelisted_import_route_of_frappe_is_wrapped():
    overrides = importlib.import_module("shuangfuhua_app.hooks").override_whitelisted_methods
    for method in FRAPPE_IMPORT_ROUTES:
        target = overrides.get(f"frappe.core.doctype.data_import.data_import.{method}", "")
        assert target.startswith("shuangfuhua_app.data_import."), method


def test_tag_routes_are_wrapped():
    overrides = importlib.import_module("shuangfuhua_app.hooks").override_whitelisted_methods
    for method in ("add_tag", "add_tags", "remove_tag"):
        assert overrides.get(f"frappe.desk.doctype.tag.tag.{method}") == f"shuangfuhua_app.guarded_routes.{method}"
