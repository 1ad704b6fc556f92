"""Tier 1 (issue 15 §2): what each state of a shipped workflow means, kept beside the
workflow JSON files, and R-6.1's "open application" from those meanings."""

from __future__ import annotations

import ast

import pytest

from app_meta import PACKAGE, workflows
from shuangfuhua_app.standard.admission import application_is_open, application_open_by_meaning
from shuangfuhua_app.workflow_meanings import ADMITTED, ENDED, MEANINGS, OPEN, REFUSED, SHIPPED_MEANINGS, meaning_of


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
        assert SHIPPED_MEANINGS[name][state] == OPEN, state


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


def _string_constants(tree) -> list[tuple[str, tuple]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple | ast.Set | ast.List):
            values = tuple(e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out.append((t.id, values))
    return out


@pytest.mark.parametrize("module", ["filing.py", "admission.py", "exit.py", "incubation.py"])
def test_no_list_of_open_or_closed_state_names(module):
    """Issue 15 §2: "open"/"closed" come from the meanings, never from a list of state names
    in the modules that close, remind or count records."""
    shipped = {s for m in SHIPPED_MEANINGS.values() for s in m}
    tree = ast.parse((PACKAGE / module).read_text("utf-8"))
    for name, values in _string_constants(tree):
        named = [v for v in values if v in shipped]
        assert len(named) < 2 or not any(w in name.upper() for w in ("OPEN", "CLOSED", "STATES")), (name, values)


@pytest.mark.parametrize("module", ["portal/forms.py", "admission.py", "filing.py", "exit.py",
                                    "shuangfuhua_app/doctype/public_notice/public_notice.py"])
def test_no_workflow_action_applied_by_name(module):
    """Issue 15 §1: nothing calls ``apply_workflow`` with an action's name."""
    path = PACKAGE / module if (PACKAGE / module).exists() else PACKAGE / "shuangfuhua_app" / module
    source = path.read_text("utf-8")
    assert "apply_workflow(" not in source, module
