"""Package-wide properties: no Frappe, docstrings name R-ids and clauses, no stray numbers."""

import ast
import importlib
import inspect
import pathlib
import re

import pytest

import shuangfuhua_app.standard as standard

PKG_DIR = pathlib.Path(standard.__file__).parent
MODULES = sorted(p.stem for p in PKG_DIR.glob("*.py") if p.stem != "__init__")

RULE_FUNCTIONS = {
    "admission": [
        "channel_allowed",
        "can_enter_panel_review",
        "missing_panel_categories",
        "check_panel",
        "weighted_score",
        "score_errors",
        "aggregate_reviews",
        "notice_end_date",
        "check_notice_period",
        "notice_state",
        "objection_window_open",
        "check_agreement_allowed",
        "agreement_end_date",
    ],
    "calendar": ["WorkCalendar.is_working_day", "WorkCalendar.nth_working_day"],
    "identity": [
        "validate_uscc",
        "validate_resident_id",
        "validate_mobile",
        "mask_resident_id",
        "mask_phone",
    ],
    "party": ["required_party_form", "check_party_organization", "one_shoulder_rate"],
    "training": [
        "training_track",
        "track_matches",
        "class_hours_finding",
        "expected_hours_to_date",
        "reserve_ratio_finding",
        "reserve_training_finding",
        "rotation_finding",
        "monthly_study_findings",
    ],
    "exit": [
        "exit_level",
        "check_exit_outcome",
        "follow_up_end_date",
        "can_start_exit_assessment",
        "exit_template_problems",
        "template_coverage_finding",
        "exit_due_for_reminder",
        "measure_class_hours",
        "measure_party_organization",
        "measure_reserve_talent",
        "measure_registration",
        "measure_team_structure",
        "measure_project_design",
        "measure_venture_projects",
        "measure_service_evaluation",
        "measure_resident_satisfaction",
        "measure_credit",
        "take_snapshot",
        "assess",
        "check_confirmation",
        "check_follow_up_period",
        "check_follow_up_record",
        "follow_up_coverage_finding",
        "verification_message",
    ],
    "improvement": [
        "check_feedback",
        "check_feedback_closing",
        "check_corrective_action",
        "action_overdue",
        "review_summary",
        "review_finding",
    ],
    "support": [
        "check_exam_record",
        "exam_participation_finding",
        "check_publicity",
        "follow_up_overdue",
        "follow_up_overdue_message",
        "exit_evaluation_summary",
    ],
    "center": [
        "check_office_area",
        "check_center_staffing",
        "check_operator",
        "check_systems",
        "check_registration",
        "check_joint_management",
        "check_governance",
        "check_premises",
        "check_equipment",
        "check_funds",
        "system_findings",
        "negative_record_counts",
        "agreement_termination",
        "quarters_due",
        "financial_report_finding",
        "performance_evaluation_finding",
        "check_operator_qualification",
        "center_findings",
    ],
}


def test_no_frappe_import_anywhere():
    for path in PKG_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "frappe" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "frappe", path


@pytest.mark.parametrize("module", MODULES)
def test_modules_import(module):
    importlib.import_module(f"shuangfuhua_app.standard.{module}")


@pytest.mark.parametrize("module, name", [(m, n) for m, names in RULE_FUNCTIONS.items() for n in names])
def test_rule_docstrings_name_rule_and_clause(module, name):
    obj = importlib.import_module(f"shuangfuhua_app.standard.{module}")
    for part in name.split("."):
        obj = getattr(obj, part)
    doc = inspect.getdoc(obj) or ""
    module_doc = inspect.getdoc(importlib.import_module(f"shuangfuhua_app.standard.{module}")) or ""
    assert re.search(r"R-[0-9A-Z]", doc + module_doc), name
    assert re.search(r"§\d|App\. [A-D]", doc + module_doc), name


def test_all_exports_resolve():
    for name in standard.__all__:
        assert hasattr(standard, name), name


# Numbers fixed by the standard must not appear as literals in rule modules' code
# (settings.py holds them). Small structural literals (0, 1, 2 for halves, 12 months,
# 100 for percentages) and named module-level constants (e.g. MONTHS_PER_QUARTER) are fine.
FORBIDDEN = {5, 18, 24, 3}
RULE_MODULES = ["admission.py", "party.py", "training.py", "exit.py", "center.py", "improvement.py"]


@pytest.mark.parametrize("filename", RULE_MODULES)
def test_no_standard_numbers_as_literals(filename):
    tree = ast.parse((PKG_DIR / filename).read_text(encoding="utf-8"))
    docstring_nodes = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    named_constants = {
        id(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in n.targets)
    }
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstring_nodes | named_constants:
            if type(node.value) in (int, float) and node.value in FORBIDDEN:
                offenders.append((node.lineno, node.value))
    assert offenders == [], offenders


def _relative_imports(path: pathlib.Path) -> set[str]:
    """The modules of the package a module imports (``from .x import …``), at any depth."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_no_import_cycles_between_rule_modules():
    """A rule module never needs a module that needs it back (issue 7 §6: center ↔ settings)."""
    folder = pathlib.Path(standard.__file__).parent
    graph = {p.stem: _relative_imports(p) for p in folder.glob("*.py") if p.stem != "__init__"}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == target or (nxt not in seen and reaches(nxt, target, seen | {nxt})):
                return True
        return False

    cycles = sorted(m for m in graph if reaches(m, m, {m}))
    assert not cycles, f"modules in an import cycle: {cycles}"
