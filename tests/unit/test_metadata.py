"""Tier 1: the app's metadata is consistent (no Frappe needed)."""

from __future__ import annotations

import ast
import json
import re

import pytest

from app_meta import (
    APP_ROLES,
    FRAPPE_DOCTYPES,
    FRAPPE_ROLES,
    MODULE,
    PACKAGE,
    ROOT,
    code_strings,
    field_strings,
    doctypes,
    hook_paths,
    json_files,
    records,
    resolve_function,
    translations,
    user_facing_metadata_strings,
    workflows,
)

ROLES = APP_ROLES | FRAPPE_ROLES


def scrub(name: str) -> str:
    return name.lower().replace(" ", "_").replace("-", "_")


@pytest.mark.parametrize("path", json_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_json_parses(path):
    assert isinstance(json.loads(path.read_text("utf-8")), (dict, list))


def test_the_admission_doctypes_exist():
    expected = {
        "Shuangfuhua Settings", "Service Center", "Community", "Community Social Organization",
        "Incubation Application", "Application Party Member", "Review Template", "Review Panel",
        "Application Review", "Public Notice", "Notice Objection", "Incubation Agreement",
    }
    assert expected <= set(doctypes())


@pytest.mark.parametrize("name", sorted(doctypes()))
def test_doctype_is_well_formed(name):
    dt = doctypes()[name]
    path = dt["_path"]
    assert path.parent.name == scrub(name) == path.stem
    assert dt["module"] == "Shuangfuhua App"
    fieldnames = [f["fieldname"] for f in dt["fields"]]
    assert len(fieldnames) == len(set(fieldnames)), "duplicate fieldname"
    assert dt["field_order"] == fieldnames
    controller = path.with_suffix(".py")
    assert controller.exists()
    classes = [n.name for n in ast.parse(controller.read_text("utf-8")).body if isinstance(n, ast.ClassDef)]
    assert name.replace(" ", "") in classes
    if dt.get("is_submittable"):
        assert "amended_from" in fieldnames
    for perm in dt["permissions"]:
        assert perm["role"] in ROLES, perm["role"]


@pytest.mark.parametrize("name", sorted(doctypes()))
def test_links_point_at_existing_doctypes(name):
    known = set(doctypes()) | FRAPPE_DOCTYPES
    for f in doctypes()[name]["fields"]:
        if f["fieldtype"] in ("Link", "Table", "Table MultiSelect"):
            assert f.get("options") in known, f"{name}.{f['fieldname']} -> {f.get('options')}"
        if f["fieldtype"] == "Table":
            assert doctypes()[f["options"]].get("istable"), f"{f['options']} is not a child table"
        if fetch := f.get("fetch_from"):
            link_field, _, target_field = fetch.partition(".")
            link = next(x for x in doctypes()[name]["fields"] if x["fieldname"] == link_field)
            target = link["options"]
            if target in doctypes():
                assert target_field in {x["fieldname"] for x in doctypes()[target]["fields"]}, fetch


def test_personal_information_is_at_a_restricted_permlevel():
    """R-PRIV: resident ID numbers, phones and birth dates are never at permlevel 0."""
    sensitive = re.compile(r"(resident_id|phone|birth_date)$")
    for name, dt in doctypes().items():
        for f in dt["fields"]:
            if sensitive.search(f["fieldname"]) and name not in ("Service Center", "Community"):
                assert f.get("permlevel", 0) >= 1, f"{name}.{f['fieldname']}"


#: R-PRIV (issue 7 §3): Party membership is political affiliation (PIPL art. 28): only the
#: center's staff and the organization itself read it.  Reviewers score on App. B's figures
#: (party member count, party organization form), not on who the members are.
POLITICAL_FIELDS = {
    "Incubation Application": {"party_members"},
    "Organization Member": {"is_party_secretary", "is_party_member", "is_applicant", "is_activist", "roles_summary"},
    "Incubation Activity Participant": {"participant_role"},
}
MAY_READ_POLITICAL = {"System Manager", "Center Head", "Center Staff", "Organization Representative", "Community Worker"}


def test_party_membership_is_read_only_by_staff_and_the_organization():
    for name, fieldnames in POLITICAL_FIELDS.items():
        fields = {f["fieldname"]: f for f in doctypes()[name]["fields"]}
        holder = name
        if doctypes()[name].get("istable"):  # a child table's permlevels are its parent's
            holder = next(n for n, dt in doctypes().items() if any(f.get("options") == name for f in dt["fields"]))
        for fieldname in fieldnames:
            level = fields[fieldname].get("permlevel", 0)
            assert level >= 1, f"{name}.{fieldname}"
            readers = {p["role"] for p in doctypes()[holder]["permissions"] if p.get("permlevel", 0) == level and p.get("read")}
            assert readers <= MAY_READ_POLITICAL, f"{name}.{fieldname} readable by {readers - MAY_READ_POLITICAL}"
            assert {"Center Staff", "Center Head"} <= readers, f"{name}.{fieldname}: staff must read it"


def test_review_fields_are_not_writable_by_applicants():
    dt = doctypes()["Incubation Application"]
    level2 = {f["fieldname"] for f in dt["fields"] if f.get("permlevel") == 2}
    assert {"initial_review_result", "review_panel"} <= level2
    for p in dt["permissions"]:
        if p["role"] in ("Organization Representative", "Community Worker") and p["permlevel"] == 2:
            assert not p.get("write")


@pytest.mark.parametrize("name", sorted(workflows()))
def test_workflow_is_consistent(name):
    wf = workflows()[name]
    assert wf["document_type"] in doctypes()
    dt = doctypes()[wf["document_type"]]
    fieldnames = {f["fieldname"] for f in dt["fields"]}
    assert wf["workflow_state_field"] in fieldnames
    states = {s["state"] for s in wf["states"]}
    for s in wf["states"]:
        assert s["allow_edit"] in ROLES
        if s["doc_status"] != "0":
            assert dt.get("is_submittable")
    for t in wf["transitions"]:
        assert t["state"] in states and t["next_state"] in states
        assert t["allowed"] in ROLES
        for field in re.findall(r"doc\.(\w+)", t.get("condition") or ""):
            assert field in fieldnames, f"condition uses unknown field {field}"
    # every state is reachable from the first
    reachable, frontier = {wf["states"][0]["state"]}, [wf["states"][0]["state"]]
    while frontier:
        current = frontier.pop()
        for t in wf["transitions"]:
            if t["state"] == current and t["next_state"] not in reachable:
                reachable.add(t["next_state"])
                frontier.append(t["next_state"])
    assert reachable == states


def test_application_workflow_gates_match_the_standard():
    wf = workflows()["Incubation Application Workflow"]
    by_target = {}
    for t in wf["transitions"]:
        by_target.setdefault(t["next_state"], []).append(t)
    # panel review only after the initial review passed
    assert all('initial_review_result == "Passed"' in t["condition"] for t in by_target["Panel Review"])
    # admitted only after a clean notice
    assert all('notice_result == "No Objection"' in t["condition"] for t in by_target["Admitted"])
    assert {s["state"]: s["doc_status"] for s in wf["states"]}["Admitted"] == "1"


def test_hooks_point_at_real_functions():
    paths = hook_paths()
    assert paths
    for dotted in paths:
        assert resolve_function(dotted), dotted


def test_every_user_facing_string_has_a_zh_translation():
    zh = translations("zh")
    strings = {**user_facing_metadata_strings(), **{s: str(p) for s, p in code_strings().items()}}
    missing = {s: where for s, where in strings.items() if not zh.get(s)}
    missing.update(
        {f"{s} ({dt})": where for (s, dt), where in field_strings().items() if not (zh.get(f"{s}:{dt}") or zh.get(s))}
    )
    assert not missing, f"{len(missing)} strings without zh translation: {missing}"


def test_translations_keep_placeholders():
    for source, target in translations("zh").items():
        assert sorted(re.findall(r"\{\d*\}", source)) == sorted(re.findall(r"\{\d*\}", target)), source


def test_rules_package_is_framework_free():
    for path in (PACKAGE / "standard").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "frappe" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "frappe", path


def test_print_format_and_workspace_belong_to_the_module():
    for record in records("print_format") + records("workspace"):
        assert record["module"] == "Shuangfuhua App"
    formats = records("print_format")
    assert {"Incubation Agreement", "Exit Appraisal", "Honor Certificate"} <= {pf["name"] for pf in formats}
    for pf in formats:
        assert pf["doc_type"] in doctypes()
        assert pf["default_print_language"] == "zh" and pf["standard"] == "Yes"


def test_pyproject_declares_frappe_and_runtime_dependencies():
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert "[tool.bench.frappe-dependencies]" in text
    assert "chinese_calendar" in text and "python-stdnum" in text
    assert (PACKAGE / "modules.txt").read_text().strip() == "Shuangfuhua App"
    assert (MODULE / "__init__.py").exists()
