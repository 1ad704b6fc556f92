"""R-LIST / R-EVAL-CONFIRM ([LW2021] 四（一）4–5、四（二）3–4): the Lingwu oversight chain's rules,
checked against the plan's words: the supervisory unit first-reviews (初审), the leading group
office approves the list (审定) and confirms the evaluation (认定), in that order."""

from __future__ import annotations

import itertools

import pytest

from shuangfuhua_app.standard.oversight import (
    EVALUATION,
    FINAL,
    FIRST_REVIEW,
    LIST,
    RETURN,
    SUBMIT,
    Facts,
    check_notice_on_approved_lists,
    check_step,
)

BSU, LGO, STAFF, HEAD = "Business Supervisory Unit", "Leading Group Office", "Center Staff", "Center Head"
ALL_ROLES = (BSU, LGO, STAFF, HEAD, "Township Leader")
#: the plan's bodies: 四（二）3–4 业务主管单位 初审; 四（一）4–5 领导小组办公室 审定/认定
BODY = {FIRST_REVIEW: BSU, FINAL: LGO}


def _facts(stage: str) -> Facts:
    return {
        "draft": Facts(),
        "submitted": Facts(submitted=True),
        "first_reviewed": Facts(submitted=True, first_reviewed=True),
        "final": Facts(submitted=True, first_reviewed=True, final=True),
    }[stage]


@pytest.mark.parametrize("kind", [LIST, EVALUATION])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_review_step_only_by_its_body_and_in_order(kind, role):
    # the order the plan implies: submitted -> first review -> final; each step allowed only
    # from the stage right before it
    before = {FIRST_REVIEW: "submitted", FINAL: "first_reviewed"}
    for step, stage in itertools.product((FIRST_REVIEW, FINAL), ("draft", "submitted", "first_reviewed", "final")):
        finding = check_step(kind, step, _facts(stage), [role])
        assert finding.ok == (role == BODY[step] and stage == before[step]), (step, stage, role, finding.message)
        assert finding.enforcement == "gate"
        assert finding.rule == ("R-LIST" if kind == LIST else "R-EVAL-CONFIRM")


def test_messages_cite_the_plan():
    f = check_step(LIST, FINAL, Facts(submitted=True), [LGO])
    assert not f.ok and "须在业务主管单位初审之后" in f.message and f.message.endswith("四（一）4、四（二）3）")
    f = check_step(EVALUATION, FIRST_REVIEW, Facts(submitted=True), [LGO])
    assert not f.ok and "只能由业务主管单位" in f.message and f.message.endswith("四（一）5、四（二）4）")
    assert "认定" in check_step(EVALUATION, FINAL, Facts(True, True), [BSU]).message
    assert "审定" in check_step(LIST, FINAL, Facts(True, True), [BSU]).message


@pytest.mark.parametrize("kind", [LIST, EVALUATION])
def test_submission_by_the_center_once(kind):
    assert check_step(kind, SUBMIT, Facts(), [STAFF]).ok
    assert check_step(kind, SUBMIT, Facts(), [HEAD]).ok
    assert not check_step(kind, SUBMIT, Facts(), [BSU]).ok
    assert not check_step(kind, SUBMIT, Facts(), [LGO]).ok
    assert not check_step(kind, SUBMIT, Facts(submitted=True), [STAFF]).ok
    assert not check_step(kind, SUBMIT, _facts("final"), [STAFF]).ok


@pytest.mark.parametrize("kind", [LIST, EVALUATION])
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("stage", ["draft", "submitted", "first_reviewed", "final"])
def test_returned_only_by_the_body_whose_step_it_is(kind, role, stage):
    # awaiting the first review: the supervisory unit's step; first-reviewed: the office's;
    # decided by the office: no one; not submitted: nothing to return
    whose = {"submitted": BSU, "first_reviewed": LGO}.get(stage)
    assert check_step(kind, RETURN, _facts(stage), [role]).ok == (role == whose)


def test_unknown_step_is_a_programming_error():
    with pytest.raises(ValueError):
        check_step(LIST, "approve", Facts(), [LGO])


def test_the_notice_needs_approved_lists_only_when_switched_on():
    apps = {"SFH-APP-1": True, "SFH-APP-2": False, "SFH-APP-3": False}
    off = check_notice_on_approved_lists(False, apps)
    assert off.ok and not off.applicable
    on = check_notice_on_approved_lists(True, apps)
    assert not on.ok and on.rule == "R-LIST" and on.enforcement == "gate"
    assert "SFH-APP-2、SFH-APP-3" in on.message and "SFH-APP-1" not in on.message
    assert on.message.endswith("四（一）4、四（二）3）")
    assert check_notice_on_approved_lists(True, {"SFH-APP-1": True}).ok
    assert check_notice_on_approved_lists(True, {}).ok
