"""Tier 1 (issue 15 §2): what each state of a shipped workflow means, kept beside the
workflow JSON files, and R-6.1's "open application" from those meanings."""

from __future__ import annotations

import ast

import pytest

from app_meta import PACKAGE, workflows
from shuangfuhua_app.standard.admission import application_is_open, application_open_by_meaning
from shuangfuhua_app.workflow_meanings import (
    ADMITTED,
    APPROVED_PROJECT,
    CLOSED,
    ENDED,
    MEANINGS,
    OPEN,
    REFUSED,
    SHIPPED_MEANINGS,
    STILL_OPEN,
    UNDERWAY,
    meaning_of,
)


@pytest.mark.parametrize("name", sorted(workflows()))
def test_every_shipped_state_has_exactly_one_meaning(name):
    states = {s["state"] for s in workflows()[name]["states"]}
    assert name in SHIPPED_MEANINGS, f"{name}: no meanings in workflow_meanings.py"
    assert set(SHIPPED_MEANINGS[name]) == states
    assert set(SHIPPED_MEANINGS[name].values()) <= set(MEANINGS)


def test_no_meanings_for_a_workflow_that_is_not_shipped():
    assert set(SHIPPED_MEANINGS) == set(workflows())


@pytest.mark.parametrize("name", sorted(workflows()))
def test_the_first_state_is_open_and_a_state_no_transition_leaves_has_ended(name):
    """A state no transition leaves ends the matter (meaning other than open); the first
    state is where it starts (open) – checked against the shipped transitions, not the map."""
    wf = workflows()[name]
    leaving = {t["state"] for t in wf["transitions"]}
    assert SHIPPED_MEANINGS[name][wf["states"][0]["state"]] == OPEN
    for state in {s["state"] for s in wf["states"]} - leaving:
        assert SHIPPED_MEANINGS[name][state] in ENDED, state
    for state in leaving:
        assert SHIPPED_MEANINGS[name][state] in STILL_OPEN, state


def test_a_state_added_in_desk_is_open_until_the_settings_say_otherwise():
    wf = "Incubation Application Workflow"
    assert meaning_of(wf, "法务审核") == OPEN
    assert meaning_of(wf, "法务审核", {"法务审核": REFUSED}) == REFUSED
    assert meaning_of(wf, "Admitted", {"Admitted": OPEN}) == OPEN  # the center's word wins
    assert meaning_of("Some Workflow", "Anything") == OPEN


@pytest.mark.parametrize(
    "meaning, docstatus, signed, is_open",
    [
        ("open", 0, False, True),
        ("admitted", 1, False, True),  # §6.4: admission ends with the agreement
        ("admitted", 1, True, False),
        ("refused", 1, False, False),
        ("closed", 0, False, False),
        ("withdrawn", 2, False, False),
        ("open", 2, False, False),  # cancelled
    ],
)
def test_open_application_by_meaning(meaning, docstatus, signed, is_open):
    assert application_open_by_meaning(meaning, docstatus, signed) is is_open


@pytest.mark.parametrize("state", sorted(SHIPPED_MEANINGS["Incubation Application Workflow"]))
@pytest.mark.parametrize("docstatus, signed", [(0, False), (1, False), (1, True), (2, False)])
def test_on_the_shipped_states_the_meaning_gives_what_the_state_names_gave(state, docstatus, signed):
    meaning = SHIPPED_MEANINGS["Incubation Application Workflow"][state]
    assert application_open_by_meaning(meaning, docstatus, signed) is application_is_open(state, docstatus, signed)


def _strings(node) -> tuple:
    """The string constants of ``node``: a constant, a tuple/set/list of them, or such a
    collection wrapped in ``frozenset(…)``/``set(…)``/``tuple(…)``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple", "list") \
            and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.Tuple | ast.Set | ast.List):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def _string_constants(tree) -> list[tuple[str, tuple]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            values = _strings(node.value)
            for t in node.targets:
                if isinstance(t, ast.Name) and values:
                    out.append((t.id, values))
    return out


#: modules that close, remind, count, report or show records by whether they are open,
#: approved or closed (issue 15 §2)
DECIDING = [
    "filing.py", "admission.py", "exit.py", "incubation.py", "standard/exit.py", "portal/dashboard.py",
    "shuangfuhua_app/doctype/activity_report/activity_report.py",
    "shuangfuhua_app/doctype/venture_project/venture_project.py",
    "shuangfuhua_app/doctype/incubation_agreement/incubation_agreement.py",
]
SHIPPED_STATES = {s for m in SHIPPED_MEANINGS.values() for s in m}
#: names of states that end a matter or follow its approval (deciding "closed/approved/admitted")
DECIDED_STATES = {s for m in SHIPPED_MEANINGS.values() for s, meaning in m.items() if meaning != OPEN}
#: (module, state) compared by name on purpose: a step of the standard, not open/closed
STEP_GATES: set[tuple[str, str]] = set()


@pytest.mark.parametrize("module", DECIDING)
def test_no_list_of_open_or_closed_state_names(module):
    """Issue 15 §2: "open"/"closed"/"approved" come from the meanings, never from a list of
    state names (nor one state name kept under such a name) in the modules that close, remind,
    count, report or show records."""
    tree = ast.parse((PACKAGE / module).read_text("utf-8"))
    words = ("OPEN", "CLOSED", "STATES", "APPROVED", "REPORTABLE")
    for name, values in _string_constants(tree):
        named = [v for v in values if v in SHIPPED_STATES]
        if len(named) >= 2 or (len(values) == 1 and named and named[0] in DECIDED_STATES):
            assert not any(w in name.upper() for w in words), (module, name, values)


@pytest.mark.parametrize("module", DECIDING)
def test_no_workflow_state_compared_with_the_name_of_a_state_that_decides(module):
    """Issue 15 §2: a record's state is not compared (``==``, ``!=``, ``in``) with the name of a
    state that ends the matter or follows its approval (admitted, refused, closed, withdrawn,
    underway) – the module asks what the state means. Step gates on open states (e.g. "still in
    its notice") may name their state."""
    tree = ast.parse((PACKAGE / module).read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        names = {v for o in operands for v in _strings(o)}
        states = {ast.unparse(o) for o in operands if "state" in ast.unparse(o).lower() and not _strings(o)}
        for value in names & DECIDED_STATES:
            if states and (module, value) not in STEP_GATES:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not found, (module, found)


@pytest.mark.parametrize("module", ["portal/forms.py", "admission.py", "filing.py", "exit.py",
                                    "shuangfuhua_app/doctype/public_notice/public_notice.py"])
def test_no_workflow_action_applied_by_name(module):
    """Issue 15 §1: nothing calls ``apply_workflow`` with an action's name."""
    path = PACKAGE / module if (PACKAGE / module).exists() else PACKAGE / "shuangfuhua_app" / module
    source = path.read_text("utf-8")
    assert "apply_workflow(" not in source, module


def test_a_venture_project_is_approved_once_carried_out_and_reports_while_underway():
    """§7.5.1.5, [LW2021] 项目设计: approval comes after the initial coaching; the project is
    carried out (progress and closing reports) until it is closed – from the meanings."""
    vp = SHIPPED_MEANINGS["Venture Project Workflow"]
    approved = {s for s, m in vp.items() if m in APPROVED_PROJECT}
    assert approved == {"In Execution", "Closing Evaluation", "Project Closed"}
    assert {s for s, m in vp.items() if m == UNDERWAY} == {"In Execution", "Closing Evaluation"}
    assert {s for s, m in vp.items() if m == CLOSED} == {"Project Closed"}
    assert vp["Awaiting Approval"] == OPEN and vp["Not Approved"] == REFUSED
    assert UNDERWAY in STILL_OPEN and UNDERWAY not in ENDED  # an approved project is still open


def test_an_underway_state_keeps_an_application_open():
    """A center may give an added application state the meaning "underway": still open (R-6.1)."""
    assert application_open_by_meaning(UNDERWAY, 1, False) is True


def test_the_settings_offer_every_meaning():
    import json

    meta = json.loads((PACKAGE / "shuangfuhua_app/doctype/sfh_workflow_state_meaning/sfh_workflow_state_meaning.json")
                      .read_text("utf-8"))
    options = next(f["options"] for f in meta["fields"] if f["fieldname"] == "meaning").split("\n")
    assert [o.lower() for o in options] == list(MEANINGS)
