"""R-X-SYSTEM (issue 14 §1): every read-only field of every app DocType is either written by
the app alone (``SYSTEM_SET``) or declared editable with the reason it may come from a client
(``EDITABLE``); and issue 14 §2: who may send a decision back (standard/returns.py)."""

from __future__ import annotations

import ast

import pytest
from app_meta import PACKAGE, doctypes

from shuangfuhua_app import system_fields
from shuangfuhua_app.standard.returns import (
    check_exit_return,
    check_filing_return,
    check_termination_return,
)
from shuangfuhua_app.system_fields import EDITABLE, FETCHED, SYSTEM_SET, WORKFLOW

LAYOUT = {"Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading", "Fold"}


def _fields(name: str) -> dict[str, dict]:
    return {f["fieldname"]: f for f in doctypes()[name]["fields"] if f["fieldtype"] not in LAYOUT}


@pytest.mark.parametrize("name", sorted(doctypes()))
def test_every_read_only_field_is_declared_system_set_or_editable(name):
    read_only = {fn for fn, f in _fields(name).items() if f.get("read_only")}
    system, editable = set(SYSTEM_SET.get(name, ())), set(EDITABLE.get(name, {}))
    undeclared = read_only - system - editable
    assert not undeclared, (
        f"{name}: read-only fields neither in SYSTEM_SET nor in EDITABLE of shuangfuhua_app/system_fields.py: "
        f"{sorted(undeclared)}"
    )
    assert not system & editable, f"{name}: declared both system-set and editable: {sorted(system & editable)}"


def test_every_declared_field_exists():
    known = doctypes()
    for table in (SYSTEM_SET, EDITABLE):
        for name, fields in table.items():
            assert name in known, f"{name} is not a DocType of the app"
            missing = set(fields) - set(_fields(name))
            assert not missing, f"{name}: declared fields that do not exist: {sorted(missing)}"


def test_editable_fields_say_why():
    for name, fields in EDITABLE.items():
        for fieldname, reason in fields.items():
            assert isinstance(reason, str) and len(reason) > 40, (name, fieldname)


def test_the_reasons_hold():
    """A field said to be fetched is fetched on every save; "workflow" is the workflow's field."""
    for name, fields in EDITABLE.items():
        meta = _fields(name)
        for fieldname, reason in fields.items():
            if reason == FETCHED:
                assert meta[fieldname].get("fetch_from") and not meta[fieldname].get("fetch_if_empty"), (name, fieldname)
            if reason == WORKFLOW:
                assert fieldname == "workflow_state", (name, fieldname)


def test_system_set_tables_hold_system_set_rows():
    for name, fields in SYSTEM_SET.items():
        meta = _fields(name)
        for fieldname in fields:
            if meta[fieldname]["fieldtype"] == "Table":
                assert meta[fieldname]["options"] in SYSTEM_SET, (name, fieldname)


def test_decisions_recorded_by_the_app_are_system_set():
    """The fields named in issue 14 §1 (confirmations, outcomes, consequences, numbers)."""
    expected = {
        "Exit Assessment": {
            "first_confirmed_by", "first_confirmed_on", "final_confirmed_by", "final_confirmed_on", "outcome",
            "outcome_date", "outcome_note", "follow_up_service", "honor_certificate", "new_agreement",
            "total_score", "level", "indicators",
        },
        "Organization Filing": {"certificate_number", "certificate_date", "township_approved_on", "committee_reviewed_on"},
        "Organization Termination": {"township_approved_on", "committee_forwarded_on", "applied_on"},
        "Honor Certificate": {"organization", "level", "total_score", "exit_assessment", "issue_date"},
        "Incubation Application": {"public_notice", "incubation_agreement", "average_score", "panel_decision"},
    }
    for name, fields in expected.items():
        assert fields <= set(SYSTEM_SET[name]), (name, fields - set(SYSTEM_SET[name]))


def test_the_declaration_is_plain_data():
    tree = ast.parse((PACKAGE / "system_fields.py").read_text("utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert all(getattr(n, "module", None) == "__future__" for n in imports)
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert isinstance(system_fields.SYSTEM_SET, dict)


def test_the_guard_is_hooked_for_every_document():
    tree = ast.parse((PACKAGE / "hooks.py").read_text("utf-8"))
    doc_events = next(
        node.value for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "doc_events" for t in node.targets)
    )
    star = next(v for k, v in zip(doc_events.keys, doc_events.values, strict=True) if k is not None and k.value == "*")
    events = ast.literal_eval(star)

    def hooked(event, path):
        value = events.get(event)
        return path in (value if isinstance(value, list) else [value])

    assert hooked("before_validate", "shuangfuhua_app.system_guard.before_validate")
    assert hooked("before_save", "shuangfuhua_app.system_guard.after_controllers")
    assert hooked("before_submit", "shuangfuhua_app.system_guard.after_controllers")
    assert hooked("before_update_after_submit", "shuangfuhua_app.system_guard.check_after_submit")


# ---------------------------------------------------------------- returns (issue 14 §2)

BSU, LGO, HEAD, STAFF, SM = (
    "Business Supervisory Unit", "Leading Group Office", "Center Head", "Center Staff", "System Manager",
)


@pytest.mark.parametrize(
    ("first", "final", "roles", "ok"),
    [
        # awaiting the supervisory unit: the supervisory unit, or the center head withdrawing its own result
        (False, False, [BSU], True),
        (False, False, [HEAD], True),
        (False, False, [LGO], False),
        (False, False, [STAFF], False),
        (False, False, [SM], False),
        # confirmed by the supervisory unit: only the leading group office
        (True, False, [LGO], True),
        (True, False, [HEAD], False),
        (True, False, [BSU], False),
        (True, False, [SM], False),
        # finally confirmed: no one, whatever roles
        (True, True, [LGO], False),
        (True, True, [BSU, LGO, HEAD, STAFF, SM], False),
    ],
)
def test_exit_result_returned_only_by_the_body_whose_step_it_is(first, final, roles, ok):
    finding = check_exit_return(first, final, roles)
    assert finding.ok is ok
    assert finding.rule == "R-CONFIRM" and "四（一）6" in finding.message
    if final:
        assert "最终认定" in finding.message
    elif first and not ok:
        assert "只有领导小组办公室可以退回" in finding.message


@pytest.mark.parametrize(
    ("submitted", "reviewed", "decided", "roles", "ok"),
    [
        (True, False, False, ["Community Worker"], True),
        (True, False, False, ["Township Leader"], False),
        (True, False, False, [STAFF, HEAD, SM], False),
        (True, True, False, ["Township Leader"], True),
        (True, True, False, ["Community Worker"], False),
        (True, True, True, ["Township Leader", "Community Worker", SM], False),
        (False, False, False, ["Community Worker"], False),
    ],
)
def test_filing_and_termination_returned_only_by_the_reviewing_body(submitted, reviewed, decided, roles, ok):
    filing = check_filing_return(submitted, reviewed, decided, roles)
    termination = check_termination_return(submitted, reviewed, decided, roles)
    assert filing.ok is ok and termination.ok is ok
    assert filing.rule == "R-FILE" and "第二条" in filing.message
    assert termination.rule == "R-EXIT-ORG" and "第三条" in termination.message
