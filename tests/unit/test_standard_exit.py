from datetime import date

import pytest

from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.exit import (
    DEFAULT_EXIT_TEMPLATE,
    EXIT_LEVELS,
    allowed_outcomes,
    can_start_exit_assessment,
    certificate_due,
    check_exit_outcome,
    check_follow_up_period,
    exit_level,
    exit_level_label,
    exit_score_errors,
    exit_total,
    follow_up_end_date,
    follow_up_required,
)
from shuangfuhua_app.standard.settings import StandardSettings


def test_default_template_sums_to_100_and_has_lw2021_criteria():
    assert sum(i.weight for i in DEFAULT_EXIT_TEMPLATE) == 100
    names = " ".join(i.name for i in DEFAULT_EXIT_TEMPLATE)
    for word in ("登记备案", "团队建设", "项目设计", "党组织"):
        assert word in names
    assert len({i.name for i in DEFAULT_EXIT_TEMPLATE}) == len(DEFAULT_EXIT_TEMPLATE)


def test_exit_total_and_errors():
    scores = {i.name: 80 for i in DEFAULT_EXIT_TEMPLATE}
    assert exit_total(scores) == 80
    del scores["诚信状况"]
    errors = exit_score_errors(scores)
    assert len(errors) == 1 and errors[0].endswith(cite("8.1.1", appendix="D"))
    with pytest.raises(ValueError):
        exit_total(scores)


@pytest.mark.parametrize(
    "score, level",
    [
        (0, "fail"),
        (59.99, "fail"),
        (60, "pass"),
        (74.9, "pass"),
        (75, "good"),
        (89.99, "good"),
        (90, "excellent"),
        (100, "excellent"),
    ],
)
def test_exit_level_thresholds(score, level):
    assert exit_level(score) == level


def test_exit_level_uses_settings():
    s = StandardSettings(exit_pass_score=70, exit_good_score=80, exit_excellent_score=95)
    assert exit_level(65, s) == "fail" and exit_level(92, s) == "good"
    assert exit_level_label(92) == "优秀"
    assert list(EXIT_LEVELS.values()) == ["不达标", "达标", "良好", "优秀"]


def test_can_start_exit_assessment_after_cycle():
    assert not can_start_exit_assessment(None, date(2027, 10, 15)).ok
    f = can_start_exit_assessment(date(2027, 10, 14), date(2027, 10, 14))
    assert not f.ok and f.enforcement == "gate" and f.message.endswith(cite("8.1.1"))
    assert can_start_exit_assessment("2027-10-14", date(2027, 10, 15)).ok


def test_outcomes_per_level():
    assert allowed_outcomes("fail") == ("renew", "terminate")
    assert allowed_outcomes("良好") == ("exit",)
    assert check_exit_outcome("不达标", "重新签订培育协议").ok
    assert check_exit_outcome("fail", "terminate").ok
    wrong = check_exit_outcome("fail", "exit")
    assert (
        not wrong.ok
        and "重新签订培育协议或终止培育孵化" in wrong.message
        and wrong.message.endswith(cite("8.1.2"))
    )
    assert not check_exit_outcome("excellent", "terminate").ok
    assert check_exit_outcome("达标", "exit").ok
    with pytest.raises(ValueError):
        check_exit_outcome("很好", "exit")


def test_certificate_and_follow_up():
    assert certificate_due("优秀") and not certificate_due("good")
    assert follow_up_required("pass") and follow_up_required("excellent") and not follow_up_required("fail")


def test_follow_up_period():
    assert follow_up_end_date(date(2027, 10, 15)) == date(2028, 10, 15)
    assert follow_up_end_date(date(2028, 2, 29)) == date(2029, 2, 28)
    assert follow_up_end_date(date(2027, 10, 15), StandardSettings(follow_up_months=24)) == date(2029, 10, 15)
    short = check_follow_up_period(date(2027, 10, 15), date(2028, 6, 30))
    assert not short.ok and "跟踪服务期不少于1年" in short.message and short.message.endswith(cite("8.2"))
    assert check_follow_up_period(date(2027, 10, 15), date(2028, 10, 15)).ok
    with pytest.raises(ValueError):
        follow_up_end_date(date(2027, 10, 15), months=0)
