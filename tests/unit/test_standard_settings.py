import dataclasses

import pytest

from shuangfuhua_app.standard.settings import (
    DEFAULT_SETTINGS,
    FIELD_LABELS,
    STANDARD_VALUES,
    StandardSettings,
    deviations_from_standard,
    settings_from_mapping,
    settings_problems,
)


def test_defaults_are_the_standards_values():
    s = DEFAULT_SETTINGS
    assert (s.notice_working_days, s.incubation_cycle_months, s.follow_up_months) == (5, 24, 12)
    assert (s.party_branch_threshold, s.annual_class_hours, s.reserve_ratio) == (3, 18, 2)
    assert (s.reserve_trainings_per_year, s.rotation_trainings_per_year, s.regular_study_per_month) == (
        5,
        1,
        1,
    )
    assert (s.min_center_area, s.min_center_heads, s.min_center_fulltime_staff) == (100, 1, 1)
    assert (s.operator_min_grade, s.operator_min_years, s.pass_score) == ("AAA", 4, 60)
    assert s.exit_pass_score < s.exit_good_score < s.exit_excellent_score


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.notice_working_days = 3  # type: ignore[misc]


def test_from_mapping_ignores_unknown_none_and_empty_and_coerces():
    s = settings_from_mapping(
        {
            "notice_working_days": "7",
            "annual_class_hours": 20.0,
            "pass_score": "65.5",
            "bogus": 1,
            "reserve_ratio": None,
            "operator_min_grade": " AAAA ",
            "follow_up_months": "",
            "doctype": "X",
        }
    )
    assert s.notice_working_days == 7 and isinstance(s.notice_working_days, int)
    assert s.annual_class_hours == 20 and isinstance(s.annual_class_hours, int)
    assert s.pass_score == 65.5
    assert s.reserve_ratio == 2 and s.follow_up_months == 12
    assert s.operator_min_grade == "AAAA"


def test_from_mapping_empty_returns_defaults():
    assert settings_from_mapping({}) == DEFAULT_SETTINGS
    assert settings_from_mapping(None) == DEFAULT_SETTINGS


@pytest.mark.parametrize("value", ["abc", 5.5, [1]])
def test_from_mapping_rejects_non_integers_with_chinese_message(value):
    with pytest.raises(ValueError, match="公示期工作日数.*应为整数"):
        settings_from_mapping({"notice_working_days": value})


def test_problems_detects_nonsense():
    assert settings_problems(DEFAULT_SETTINGS) == []
    bad = StandardSettings(notice_working_days=0, reserve_ratio=-1, exit_good_score=95, pass_score=120)
    problems = settings_problems(bad)
    assert any("公示期工作日数" in p and "至少为1" in p for p in problems)
    assert any("后备人选" in p and "负数" in p for p in problems)
    assert any("达标 ≤ 良好 ≤ 优秀" in p for p in problems)
    assert any("入驻评审通过分数线" in p and "100" in p for p in problems)


def test_deviations_only_for_weaker_values():
    assert deviations_from_standard(DEFAULT_SETTINGS) == []
    stricter = StandardSettings(notice_working_days=7, min_center_area=120, operator_min_grade="AAAA")
    assert deviations_from_standard(stricter) == []
    weaker = StandardSettings(
        notice_working_days=3, min_center_area=50, incubation_cycle_months=36, operator_min_grade="2A"
    )
    found = {f.subject: f for f in deviations_from_standard(weaker)}
    assert set(found) == {
        "notice_working_days",
        "min_center_area",
        "incubation_cycle_months",
        "operator_min_grade",
    }
    assert found["notice_working_days"].message.endswith("（DB3301/T 0346—2021 第6.3条）")
    assert found["notice_working_days"].clause == "6.3"
    assert found["min_center_area"].figure == 50 and found["min_center_area"].required == 100
    assert "不同于" in found["incubation_cycle_months"].message


def test_every_standard_value_has_label_and_matches_a_field():
    names = {f.name for f in dataclasses.fields(StandardSettings)}
    assert set(STANDARD_VALUES) <= names
    assert set(FIELD_LABELS) == names
