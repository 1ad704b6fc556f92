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


def test_translation_rows_parse_as_frappe_reads_them():
    """Every row of zh.csv is source, translation[, context]: a source holding a comma must be
    quoted, or Frappe logs "Error in translation file" in every process that loads it."""
    import csv

    from app_meta import PACKAGE as package

    with open(package / "translations" / "zh.csv", encoding="utf-8", newline="") as f:
        bad = [(n, row) for n, row in enumerate(csv.reader(f), 1) if row and len(row) not in (2, 3)]
    assert not bad, bad


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


# ---------------------------------------------------------------- workspace and onboarding (issue 9 §3)


def _module_onboardings() -> dict[str, dict]:
    return {ob["name"]: ob for ob in records("module_onboarding")}


def _onboarding_steps() -> dict[str, dict]:
    return {step["name"]: step for step in records("onboarding_step")}


def _workflow_states(doctype: str) -> set[str]:
    return {s["state"] for wf in workflows().values() if wf["document_type"] == doctype for s in wf["states"]}


def _literal(module: str, name: str):
    """A module-level constant of a file of the package, read without importing it (Frappe)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text("utf-8"))
    for node in tree.body:
        target = getattr(node, "target", None) or (node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == name:
            return ast.literal_eval(node.value)
    raise LookupError(name)


def test_module_onboarding_and_its_steps_exist_and_resolve():
    onboardings = _module_onboardings()
    steps = _onboarding_steps()
    assert set(onboardings) == {"Shuangfuhua"}
    for path in sorted((MODULE / "module_onboarding").glob("*/*.json")) + sorted((MODULE / "onboarding_step").glob("*/*.json")):
        data = json.loads(path.read_text("utf-8"))
        # Frappe syncs <folder>/<scrub(name)>/<scrub(name)>.json and exports to the same place
        assert path.parent.name == path.stem == scrub(data["name"]), path
        assert data["is_complete"] == 0 and not data.get("is_skipped"), f"{path}: progress is the site's, not the app's"
    used = []
    for ob in onboardings.values():
        assert ob["module"] == "Shuangfuhua App"
        assert ob["title"] and ob["subtitle"] and ob["success_message"]
        assert {r["role"] for r in ob["allow_roles"]} <= ROLES
        assert {"Center Staff", "Center Head"} <= {r["role"] for r in ob["allow_roles"]}
        used += [row["step"] for row in ob["steps"]]
    assert len(used) == len(set(used))
    assert set(used) == set(steps), "every step is on the onboarding, every step it names exists"
    for name, step in steps.items():
        assert step["doctype"] == "Onboarding Step" and step["title"] == name
        if step["action"] == "Go to Page":
            # issue 17 §3: the explicit site-wide step opens a Desk page the app ships
            pages = {json.loads(p.read_text("utf-8"))["name"] for p in (MODULE / "page").glob("*/*.json")}
            assert step["path"] in pages, name
            continue
        assert step["action"] in ("Create Entry", "Update Settings"), name
        dt = doctypes().get(step["reference_document"])
        assert dt, f"{name} -> {step['reference_document']}"
        assert bool(step.get("is_single")) == bool(dt.get("issingle")), name
        if step["action"] == "Update Settings":
            assert dt.get("issingle") and not step.get("validate_action"), name
        else:
            assert not dt.get("istable") and not dt.get("issingle"), name
    # the center's first steps, in order (issue 9 §3)
    order = [steps[s]["reference_document"] for s in used if steps[s]["action"] != "Go to Page"]
    assert order == ["Service Center", "Community", "Review Panel", "Shuangfuhua Settings", "Incubation Application"]


def test_onboarding_steps_complete_on_the_server():
    """Frappe completes a step only through its widget; each step here completes when the record
    is really made, wherever (shuangfuhua_app/onboarding.py, registered in hooks.py)."""
    steps = _onboarding_steps()
    record_steps = _literal("onboarding", "RECORD_STEPS")
    settings_step = _literal("onboarding", "SETTINGS_STEP")
    assert _literal("onboarding", "ONBOARDING") in _module_onboardings()
    for doctype, step in record_steps.items():
        assert steps[step]["action"] == "Create Entry" and steps[step]["reference_document"] == doctype
    assert steps[settings_step]["action"] == "Update Settings"
    signup_step = _literal("onboarding", "SIGNUP_STEP")  # completed by portal.setup.open_portal_signup
    assert steps[signup_step]["action"] == "Go to Page"
    assert set(record_steps.values()) | {settings_step, signup_step} == set(steps)
    hooks = (PACKAGE / "hooks.py").read_text("utf-8")
    assert "shuangfuhua_app.onboarding.record_inserted" in hooks and "shuangfuhua_app.onboarding.settings_saved" in hooks
    assert "shuangfuhua_app.onboarding.sync_onboarding" in hooks
    for doctype in record_steps:
        assert f'"{doctype}"' in hooks.split("shuangfuhua_app.onboarding.record_inserted")[0].rsplit("for _dt in", 1)[1]


def test_workspace_blocks_and_shortcuts_resolve():
    ws = next(w for w in records("workspace") if w["name"] == "Shuangfuhua")
    reports = {json.loads(p.read_text("utf-8"))["name"] for p in (MODULE / "report").glob("*/*.json")}
    labels = [sc["label"] for sc in ws["shortcuts"]]
    assert len(labels) == len(set(labels)), "Desk finds a shortcut by its label"
    for sc in ws["shortcuts"]:
        assert sc["type"] in ("DocType", "Report"), sc["label"]
        if sc["type"] == "Report":
            assert sc["link_to"] in reports, sc["label"]
            continue
        dt = doctypes()[sc["link_to"]]
        fields = {f["fieldname"]: f for f in dt["fields"]}
        stats = json.loads(sc.get("stats_filter") or "{}")  # plain JSON: no JS expressions
        assert isinstance(stats, (dict, list)), sc["label"]
        for field, value in (stats.items() if isinstance(stats, dict) else []):
            operator, values = (value[0], value[1]) if isinstance(value, list) else ("=", value)
            values = values if isinstance(values, list) else [values]
            assert operator in ("=", "in"), sc["label"]
            if field == "docstatus":
                assert set(values) <= {0, 1, 2}
            elif field == "workflow_state":
                assert set(values) <= _workflow_states(sc["link_to"]), sc["label"]
            else:
                assert field in fields, f"{sc['label']}: {field}"
                if fields[field]["fieldtype"] == "Select":
                    assert set(values) <= set(fields[field]["options"].split("\n")), sc["label"]
        if sc.get("format"):
            assert sc["format"].count("{}") == 1 and stats, sc["label"]
    content = json.loads(ws["content"])
    named = {
        "shortcut": ("shortcut_name", set(labels)),
        "card": ("card_name", {lk["label"] for lk in ws["links"] if lk["type"] == "Card Break"}),
        "number_card": ("number_card_name", {r["number_card_name"] for r in ws["number_cards"]}),
        "chart": ("chart_name", {r["chart_name"] for r in ws["charts"]}),
        "onboarding": ("onboarding_name", set(_module_onboardings())),
    }
    placed = {kind: [] for kind in named}
    for block in content:
        assert block["type"] in {*named, "header", "spacer", "paragraph"}, block
        if block["type"] in named:
            key, known = named[block["type"]]
            assert block["data"][key] in known, block
            placed[block["type"]].append(block["data"][key])
    for kind, (_key, known) in named.items():
        assert sorted(placed[kind]) == sorted(known), f"every {kind} is placed once"
    # the shortcuts stand under a header per role (Desk shows a shortcut only to who may read it)
    headers = [re.sub(r"<[^>]+>", "", b["data"]["text"]) for b in content if b["type"] == "header"]
    for role in ("Center Staff", "Center Head", "Review Panel Member", "Community Worker"):
        assert role in headers
    assert any("Township Leader" in h and "Leading Group Office" in h for h in headers)
