"""R-SCOPE: one declaration says whose every DocType's records are (shuangfuhua_app/scope.py).

A DocType added without a scope entry – child tables included – fails here, before it can
leak through a route nobody thought of (issue 7 §1)."""

from __future__ import annotations

import importlib

import pytest
from app_meta import doctypes

from shuangfuhua_app import scope
from shuangfuhua_app.scope import CHILD_SCOPE, SCOPE_FIELDS, SHARED_DOCTYPES

LINK_TARGET = {"center": "Service Center", "org": "Community Social Organization", "community": "Community"}
KINDS = {"SCOPE_FIELDS": SCOPE_FIELDS, "CHILD_SCOPE": CHILD_SCOPE, "SHARED_DOCTYPES": SHARED_DOCTYPES}


def _fields(name: str) -> dict[str, dict]:
    return {f["fieldname"]: f for f in doctypes()[name]["fields"]}


@pytest.mark.parametrize("name", sorted(doctypes()))
def test_every_doctype_has_exactly_one_scope_entry(name):
    kinds = [kind for kind, table in KINDS.items() if name in table]
    assert kinds, f"{name} has no entry in shuangfuhua_app/scope.py (SCOPE_FIELDS, CHILD_SCOPE or SHARED_DOCTYPES)"
    assert len(kinds) == 1, f"{name} stands in {kinds}"


def test_the_declaration_names_only_real_doctypes():
    declared = set(SCOPE_FIELDS) | set(CHILD_SCOPE) | set(SHARED_DOCTYPES)
    assert declared - set(doctypes()) == set()


@pytest.mark.parametrize("name", sorted(doctypes()))
def test_child_tables_and_only_they_are_scoped_by_parent(name):
    assert bool(doctypes()[name].get("istable")) == (name in CHILD_SCOPE), name


@pytest.mark.parametrize("child", sorted(CHILD_SCOPE))
def test_a_child_table_names_exactly_the_doctypes_that_hold_it(child):
    holders = {
        name
        for name, dt in doctypes().items()
        if any(f["fieldtype"] in ("Table", "Table MultiSelect") and f.get("options") == child for f in dt["fields"])
    }
    assert set(CHILD_SCOPE[child]) == holders, f"{child}: declared {CHILD_SCOPE[child]}, held by {sorted(holders)}"
    for parent in CHILD_SCOPE[child]:
        assert parent in SCOPE_FIELDS or parent in SHARED_DOCTYPES, parent


@pytest.mark.parametrize("name", sorted(SCOPE_FIELDS))
def test_scope_fields_exist_and_link_to_what_they_claim(name):
    fields = _fields(name)
    assert SCOPE_FIELDS[name], name
    assert "center" in SCOPE_FIELDS[name], f"{name}: every record belongs to a center"
    for key, column in SCOPE_FIELDS[name].items():
        if column == "name":
            assert name == LINK_TARGET[key], f"{name}.name is not a {LINK_TARGET[key]}"
            continue
        assert column in fields, f"{name} has no field {column}"
        assert fields[column]["fieldtype"] == "Link" and fields[column]["options"] == LINK_TARGET[key], (name, column)


def test_shared_doctypes_say_why():
    for name, reason in SHARED_DOCTYPES.items():
        assert len(reason) > 20, name
        assert not any(f["fieldtype"] == "Link" and f.get("options") in LINK_TARGET.values() for f in _fields(name).values()), (
            f"{name} links to a center, organization or community: it is not shared"
        )


def test_hooks_guard_every_scoped_doctype_and_files():
    hooks = importlib.import_module("shuangfuhua_app.hooks")
    conditions = hooks.permission_query_conditions
    checks = hooks.has_permission
    for name in scope.scoped_doctypes():
        assert conditions.get(name) == "shuangfuhua_app.permissions.get_permission_query_conditions", name
    for name in SCOPE_FIELDS:
        assert checks.get(name) == "shuangfuhua_app.permissions.has_permission", name
    assert conditions.get("File") == "shuangfuhua_app.permissions.get_permission_query_conditions"
    assert checks.get("File") == "shuangfuhua_app.permissions.file_has_permission"
