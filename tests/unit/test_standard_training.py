from datetime import date

import pytest

from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.settings import StandardSettings
from shuangfuhua_app.standard.training import (
    GENERAL_TRACK,
    STAGES,
    TRACKS,
    ceil_half,
    class_hours_finding,
    count_in_year,
    expected_hours_to_date,
    monthly_study_finding,
    monthly_study_findings,
    months_elapsed,
    months_in_role,
    required_class_hours,
    reserve_ratio_finding,
    reserve_training_finding,
    rotation_finding,
    stage_key,
    sum_in_year,
    track_matches,
    training_track,
)

C731, C732 = cite("7.3.1"), cite("7.3.2")


# ------------------------------------------------------------------


def test_stages_and_tracks():
    assert dict(STAGES) == {"startup": "初创期", "growth": "成长期", "mature": "成熟型"}
    assert training_track("startup") == "基础型培训"
    assert training_track("成长期") == "专业型培训"
    assert training_track("成熟型") == "品牌型培训"
    assert training_track("成熟期") == TRACKS["mature"]


def test_unknown_stage():
    with pytest.raises(ValueError, match="未知的发展阶段"):
        training_track("衰退期")


def test_track_matches():
    assert track_matches("startup", "基础型培训")
    assert not track_matches("startup", "品牌型培训")
    assert track_matches("成长期", "growth")
    assert (
        track_matches("mature", None)
        and track_matches("mature", "")
        and track_matches("mature", GENERAL_TRACK)
    )
    with pytest.raises(ValueError):
        track_matches("startup", "高级培训")


def test_stage_key_accepts_track_label():
    assert stage_key("品牌型培训") == "mature"


# ------------------------------------------------------------------ helpers


def test_ceil_half():
    assert ceil_half(7.2) == 7.5 and ceil_half(7.5) == 7.5 and ceil_half(7.51) == 8 and ceil_half(0) == 0


@pytest.mark.parametrize(
    "joined, months",
    [
        (None, 12),
        (date(2024, 6, 5), 12),
        (date(2025, 1, 1), 12),
        (date(2025, 1, 2), 11),
        (date(2025, 7, 1), 6),
        (date(2025, 7, 15), 5),
        (date(2025, 12, 2), 0),
        (date(2026, 1, 1), 0),
    ],
)
def test_months_in_role(joined, months):
    assert months_in_role(2025, joined) == months


def test_months_elapsed():
    assert months_elapsed(2025, date(2025, 1, 31)) == 0
    assert months_elapsed(2025, date(2025, 2, 1)) == 1
    assert months_elapsed(2025, date(2025, 12, 31)) == 11
    assert months_elapsed(2025, date(2026, 1, 1)) == 12
    assert months_elapsed(2025, date(2024, 12, 31)) == 0


def test_year_boundary_counting():
    dates = [date(2024, 12, 31), date(2025, 1, 1), "2025-12-31", date(2026, 1, 1)]
    assert count_in_year(dates, 2025) == 2
    assert (
        sum_in_year([(date(2024, 12, 31), 4), (date(2025, 1, 1), 3.5), (date(2025, 6, 1), None)], 2025) == 3.5
    )


# ------------------------------------------------------------------ R-7.3.1a class hours


def test_class_hours_shortfall_message_and_fields():
    f = class_hours_finding("党务工作者", 12, 2025, date(2026, 1, 5), None)
    assert not f.ok and f.rule == "R-7.3.1a" and f.clause == "7.3.1"
    assert f.message == "党务工作者2025年培训 12/18 课时，差6课时" + C731
    assert (f.figure, f.required, f.gap) == (12, 18, 6)
    assert f.period == "2025"


def test_class_hours_met_and_exceeded():
    assert class_hours_finding("业务领军人才", 18, 2025, date(2025, 12, 31)).ok
    f = class_hours_finding("业务领军人才", 20.5, 2025, date(2025, 12, 31))
    assert f.ok and f.gap == 0 and f.message.endswith(C731)


def test_class_hours_quota_from_settings():
    f = class_hours_finding(
        "甲", 18, 2025, date(2026, 1, 1), settings=StandardSettings(annual_class_hours=24)
    )
    assert not f.ok and f.required == 24


def test_class_hours_pro_rated_for_mid_year_start():
    # joined 15 July: whole months Aug–Dec = 5 -> 18 * 5 / 12 = 7.5
    assert required_class_hours(2025, date(2025, 7, 15)) == 7.5
    # joined 1 March: Mar–Dec = 10 -> 15
    assert required_class_hours(2025, date(2025, 3, 1)) == 15
    # rounding up to half an hour: 20 * 5 / 12 = 8.33 -> 8.5
    assert required_class_hours(2025, date(2025, 7, 15), StandardSettings(annual_class_hours=20)) == 8.5
    f = class_hours_finding("甲", 7.5, 2025, date(2026, 1, 1), date(2025, 7, 15))
    assert f.ok and "按5个整月折算" in f.message
    assert not class_hours_finding("甲", 7, 2025, date(2026, 1, 1), date(2025, 7, 15)).ok


def test_class_hours_not_applicable_without_whole_month():
    f = class_hours_finding("甲", 0, 2025, date(2025, 12, 31), date(2025, 12, 10))
    assert f.ok and not f.applicable and f.required == 0
    assert class_hours_finding("甲", 0, 2025, date(2025, 6, 1), date(2026, 3, 1)).required == 0


def test_expected_hours_quarterly():
    assert expected_hours_to_date(2025, date(2025, 3, 31)) == 0  # Q1 not over yet
    assert expected_hours_to_date(2025, date(2025, 4, 1)) == 4.5
    assert expected_hours_to_date(2025, date(2025, 6, 15)) == 4.5
    assert expected_hours_to_date(2025, date(2025, 7, 1)) == 9
    assert expected_hours_to_date(2025, date(2026, 2, 1)) == 18
    assert expected_hours_to_date(2025, date(2025, 6, 15), by_quarter=False) == 7.5
    # in role from 15 Feb: only March of Q1 counts
    assert expected_hours_to_date(2025, date(2025, 4, 1), date(2025, 2, 15)) == 1.5
    assert expected_hours_to_date(2025, date(2025, 4, 1), date(2025, 5, 1)) == 0


def test_class_hours_in_progress_reports_expected_and_behind():
    f = class_hours_finding("党务工作者", 3, 2025, date(2025, 7, 10))
    assert not f.ok and f.expected == 9 and f.behind_schedule
    assert "按进度应完成9课时" in f.message and f.message.endswith(C731)
    on_track = class_hours_finding("党务工作者", 9, 2025, date(2025, 7, 10))
    assert not on_track.ok and not on_track.behind_schedule


# ------------------------------------------------------------------ R-7.3.2a reserve ratio


def test_reserve_ratio():
    f = reserve_ratio_finding(2, 3)
    assert not f.ok and f.rule == "R-7.3.2a" and (f.required, f.gap) == (4, 1)
    assert f.message == "党组织书记2名，按1:2应有后备人选4名，当前3名，差1名" + C732
    assert reserve_ratio_finding(1, 2).ok and reserve_ratio_finding(1, 5).ok
    assert not reserve_ratio_finding(1, 2, StandardSettings(reserve_ratio=3)).ok


def test_reserve_ratio_not_applicable_without_secretary():
    f = reserve_ratio_finding(0, 0)
    assert f.ok and not f.applicable and f.message.endswith(C732)
    assert reserve_ratio_finding(None, None).ok


# ------------------------------------------------------------------ R-7.3.2b reserve training


def test_reserve_training_needs_count_and_plan():
    year_end = date(2026, 1, 1)
    assert reserve_training_finding(5, True, 2025, year_end).ok
    few = reserve_training_finding(3, True, 2025, year_end, person="储备人才李四")
    assert not few.ok and "3/5 次，差2次" in few.message and few.message.startswith("储备人才李四")
    no_plan = reserve_training_finding(6, False, 2025, year_end)
    assert not no_plan.ok and "个性化培养方案" in no_plan.message and "差" not in no_plan.message
    both = reserve_training_finding(0, False, 2025, year_end)
    assert "差5次" in both.message and "培养方案" in both.message and both.message.endswith(C732)


def test_reserve_training_pro_rated_up_and_expected_down():
    # in pool from 1 Oct: 3 months -> 5 * 3 / 12 = 1.25 -> 2 trainings
    assert reserve_training_finding(1, True, 2025, date(2026, 1, 1), date(2025, 10, 1)).required == 2
    assert reserve_training_finding(0, True, 2025, date(2025, 4, 1)).expected == 1  # 1.25 -> 1
    assert reserve_training_finding(0, True, 2025, date(2025, 7, 1)).expected == 2  # 2.5 -> 2


# ------------------------------------------------------------------ R-7.3.2c rotation and study


def test_rotation():
    assert rotation_finding(1, 2025, date(2025, 12, 31)).ok
    f = rotation_finding(0, 2025, date(2026, 1, 1), subject="某协会全体党员")
    assert (
        not f.ok and f.rule == "R-7.3.2c" and f.message == "某协会全体党员2025年集中轮训 0/1 次，差1次" + C732
    )
    assert (
        rotation_finding(0, 2025, date(2026, 1, 1), date(2025, 11, 1)).required == 1
    )  # any whole month -> 1
    late = rotation_finding(0, 2025, date(2026, 1, 1), date(2025, 12, 5))
    assert late.ok and not late.applicable
    assert not rotation_finding(
        1, 2025, date(2026, 1, 1), settings=StandardSettings(rotation_trainings_per_year=2)
    ).ok


def test_monthly_study_only_elapsed_months():
    assert monthly_study_findings({1, 2}, 2025, date(2025, 3, 15)) == []
    assert monthly_study_findings({1, 3}, 2025, date(2025, 4, 1)) == [2]
    assert monthly_study_findings(set(), 2025, date(2025, 1, 31)) == []
    assert monthly_study_findings(set(), 2025, date(2026, 1, 1)) == list(range(1, 13))
    assert monthly_study_findings(set(), 2025, date(2024, 12, 31)) == []


def test_monthly_study_from_incubation_start():
    assert monthly_study_findings({1, 3}, 2025, date(2025, 5, 3), incubation_start=date(2025, 2, 10)) == [
        2,
        4,
    ]
    assert monthly_study_findings(set(), 2025, date(2026, 1, 1), incubation_start=date(2024, 5, 1)) == list(
        range(1, 13)
    )
    assert monthly_study_findings(set(), 2025, date(2026, 1, 1), incubation_start=date(2026, 2, 1)) == []


def test_monthly_study_accepts_counts_and_dates_with_year_boundary():
    two_a_month = StandardSettings(regular_study_per_month=2)
    assert monthly_study_findings({1: 2, 2: 1}, 2025, date(2025, 3, 1), two_a_month) == [2]
    assert monthly_study_findings([1, 1, 2], 2025, date(2025, 3, 1), two_a_month) == [2]
    sessions = [date(2024, 1, 20), date(2025, 2, 3), "2025-01-31"]
    assert monthly_study_findings(sessions, 2025, date(2025, 4, 1)) == [3]


def test_monthly_study_finding():
    f = monthly_study_finding(
        {1, 3}, 2025, date(2025, 5, 3), incubation_start=date(2025, 2, 10), subject="某协会"
    )
    assert not f.ok and f.message == "某协会2025年2月、4月未开展每月不少于1次的常态化学习" + C732
    assert (f.figure, f.required, f.gap) == (1, 3, 2)
    ok = monthly_study_finding({1, 2, 3}, 2025, date(2025, 4, 1))
    assert ok.ok and ok.required == 3 and ok.message.endswith(C732)
    none_checked = monthly_study_finding(set(), 2025, date(2025, 1, 10))
    assert none_checked.ok and not none_checked.applicable
