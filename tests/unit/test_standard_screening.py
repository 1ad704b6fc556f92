"""R-SCREEN ([LW2021] 三（二）1.2）): optional screening criteria and steps before the initial review."""

from shuangfuhua_app.standard.admission import (
    SCREENING_CRITERIA,
    SCREENING_STEPS,
    check_screening,
    screening_criteria_finding,
)
from shuangfuhua_app.standard.clauses import cite_source

LW = cite_source("LW2021", "三（二）1.2）")
ALL_ASSESSED = {k: True for k in SCREENING_CRITERIA}
ALL_STEPS = {k: True for k in SCREENING_STEPS}


def test_switched_off_never_blocks():
    f = check_screening(False, {}, {})
    assert f.ok and not f.applicable and f.rule == "R-SCREEN"


def test_switched_on_blocks_until_steps_and_criteria_are_recorded():
    f = check_screening(True, {}, {})
    assert not f.ok and f.enforcement == "gate" and f.gap == 8 and f.message.endswith(LW)
    assert "不能通过初审" in f.message and "实地考察" in f.message and "“一定的储备资金”" in f.message
    f = check_screening(True, ALL_ASSESSED, {**ALL_STEPS, "expert_review": False})
    assert not f.ok and f.gap == 1 and "专家评审" in f.message and "筛选条件" not in f.message
    f = check_screening(True, {**ALL_ASSESSED, "reserve_funds": None}, ALL_STEPS)
    assert not f.ok and f.gap == 1 and "一定的储备资金" in f.message and "筛选环节" not in f.message
    assert check_screening(True, ALL_ASSESSED, ALL_STEPS).ok


def test_an_unmet_criterion_is_recorded_and_does_not_block():
    assessed = {**ALL_ASSESSED, "reserve_funds": False}
    assert check_screening(True, assessed, ALL_STEPS).ok
    f = screening_criteria_finding(assessed)
    assert not f.ok and f.gap == 1 and f.message == f"不符合以下筛选条件：“一定的储备资金”{LW}"
    assert screening_criteria_finding(ALL_ASSESSED).ok


def test_the_lists_follow_the_plan():
    assert len(SCREENING_CRITERIA) == 5 and len(SCREENING_STEPS) == 3
    assert list(SCREENING_STEPS) == ["internal_review", "site_visit", "expert_review"]


def test_docstrings_cite_the_rule_and_the_plan():
    for fn in (check_screening, screening_criteria_finding):
        assert "R-SCREEN" in fn.__doc__ and "LW2021" in fn.__doc__
