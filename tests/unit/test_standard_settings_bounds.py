"""R-SETTINGS bounds (issue 14 §6): every bound is computed here from the clause's own words
(quoted from the seeds), not read from the module under test; a value past it is refused with
the clause in the message, the bound itself is accepted, a setting the seeds leave open is only
flagged."""

import dataclasses
import re

import pytest

from shuangfuhua_app.standard.settings import (
    DEFAULT_SETTINGS,
    OPEN_SETTINGS,
    SETTING_BOUNDS,
    StandardSettings,
    bounds_table,
    open_setting_flags,
    settings_problems,
    settings_refusals,
)

CN_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
DB = "DB3301/T 0346—2021"
LW = "《灵武市社会组织孵化基地运营管理方案》"


def number(text: str, pattern: str) -> int:
    """The number ``pattern`` captures in the clause text (Arabic or a Chinese numeral)."""
    m = re.search(pattern, text)
    assert m, (pattern, text)
    raw = m.group(1).strip()
    return int(raw) if raw.isdigit() else CN_NUM[raw]


# (setting, clause text as the seed words it, how to read the bound, months per unit,
#  side refused, citation the message must carry)
LOWER = [
    ("notice_working_days", "公示期不少于5个工作日", r"不少于(\d+)个工作日", 1, f"{DB} 第6.3条"),
    ("follow_up_months", "跟踪服务期不少于 1 年", r"不少于\s*(\d+)\s*年", 12, f"{DB} 第8.2条"),
    ("follow_up_max_months", "跟踪服务期不少于 1 年", r"不少于\s*(\d+)\s*年", 12, f"{DB} 第8.2条"),
    ("annual_class_hours", "培训不少于 18 课时", r"不少于\s*(\d+)\s*课时", 1, f"{DB} 第7.3.1条"),
    ("reserve_ratio", "党组织书记与后备人选 1:2 比例", r"1:(\d+)", 1, f"{DB} 第7.3.2条"),
    ("reserve_trainings_per_year", "每年开展培训不少于 5 次", r"不少于\s*(\d+)\s*次", 1, f"{DB} 第7.3.2条"),
    ("rotation_trainings_per_year", "每年开展全体党员集中轮训不少于 1 次", r"不少于\s*(\d+)\s*次", 1, f"{DB} 第7.3.2条"),
    ("regular_study_per_month", "每月开展常态化学习不少于 1 次", r"不少于\s*(\d+)\s*次", 1, f"{DB} 第7.3.2条"),
    ("min_center_area", "场地面积不少于50㎡", r"不少于(\d+)㎡", 1, "杭民发〔2019〕66号 五（三）"),
    ("min_center_heads", "应配备 1 名负责人", r"配备\s*(\d+)\s*名负责人", 1, f"{DB} 第4.1条"),
    ("min_center_fulltime_staff", "1 名以上专职人员", r"(\d+)\s*名以上专职人员", 1, f"{DB} 第4.1条"),
    ("min_operator_social_workers", "配备不少于 1 名专兼职社会工作者", r"不少于\s*(\d+)\s*名", 1, f"{DB} 第4.1条"),
    ("operator_min_years", "在民政部门注册登记4年及以上", r"(\d+)年及以上", 1, f"{LW}三（一）1"),
]
UPPER = [
    ("follow_up_months", "一年的壳内孵化之后还有一年至两年的跟踪期", r"至(.)年的跟踪期", 12, f"{LW}三（二）1.2）②"),
    ("follow_up_max_months", "一年的壳内孵化之后还有一年至两年的跟踪期", r"至(.)年的跟踪期", 12, f"{LW}三（二）1.2）②"),
    # a quarterly report ("每季度") is due within the following quarter: 3 months of at most 30 days
    ("operator_report_due_days", "运营方每季度向领导小组办公室出具财务状况", r"每(季)度", 90, f"{LW}四（三）3"),
]
EXACT = [
    ("incubation_cycle_months", "双孵化周期为两年", r"周期为(.)年", 12, f"{DB} 第8.1.1条"),
    ("party_branch_threshold", "有 3 名以上党员的，要成立社会组织党支部", r"有\s*(\d+)\s*名以上党员", 1, f"{DB} 第7.1.2条"),
]


def _bound(text, pattern, unit):
    if pattern == r"每(季)度":
        return unit
    return number(text, pattern) * unit


def _with(name, value, base=DEFAULT_SETTINGS):
    # a follow-up period below the longest one would be a different problem (settings_problems)
    extra = {}
    if name == "follow_up_months" and value > base.follow_up_max_months:
        extra["follow_up_max_months"] = value
    return dataclasses.replace(base, **{name: value}, **extra)


def _refused(s, name):
    return [f for f in settings_refusals(s) if f.subject == name]


@pytest.mark.parametrize("name,text,pattern,unit,citation", LOWER, ids=[r[0] for r in LOWER])
def test_a_value_below_the_clause_is_refused_with_the_clause(name, text, pattern, unit, citation):
    low = _bound(text, pattern, unit)
    assert not _refused(_with(name, low), name)
    (finding,) = _refused(_with(name, low - 1), name)
    assert finding.enforcement == "block" and finding.period == "low" and finding.required == low
    assert f"不能少于{low}" in finding.message and finding.message.endswith(f"（{citation}）")


@pytest.mark.parametrize("name,text,pattern,unit,citation", UPPER, ids=[r[0] for r in UPPER])
def test_a_value_above_the_clause_is_refused_with_the_clause(name, text, pattern, unit, citation):
    high = _bound(text, pattern, unit)
    assert not _refused(_with(name, high), name)
    (finding,) = _refused(_with(name, high + 1), name)
    assert finding.period == "high" and finding.required == high
    assert f"不能超过{high}" in finding.message and finding.message.endswith(f"（{citation}）")


@pytest.mark.parametrize("name,text,pattern,unit,citation", EXACT, ids=[r[0] for r in EXACT])
def test_a_value_the_clause_fixes_is_refused_on_either_side(name, text, pattern, unit, citation):
    value = _bound(text, pattern, unit)
    assert getattr(DEFAULT_SETTINGS, name) == value and not _refused(DEFAULT_SETTINGS, name)
    assert [f.period for f in _refused(_with(name, value - 1), name)] == ["low"]
    assert [f.period for f in _refused(_with(name, value + 1), name)] == ["high"]
    assert all(f.message.endswith(f"（{citation}）") for f in _refused(_with(name, value + 1), name))


def test_the_issues_examples():
    """Issue 14 §6: 6 months (§8.2) and 30 of at most 36 months ([LW2021]) are refused."""
    six = settings_refusals(_with("follow_up_months", 6))
    assert [f.subject for f in six] == ["follow_up_months"] and "第8.2条" in six[0].message
    thirty = settings_refusals(dataclasses.replace(DEFAULT_SETTINGS, follow_up_months=30, follow_up_max_months=36))
    assert {(f.subject, f.period) for f in thirty} == {("follow_up_months", "high"), ("follow_up_max_months", "high")}
    assert all("一年至两年" in f.message for f in thirty)


def test_operator_grade_below_aaa_is_refused():
    # §4.1 e: "获得不低于 AAA 评估等级" – three A
    low = len(re.search(r"不低于\s*(A+)", "获得不低于 AAA 评估等级").group(1))
    for grade, refused in (("A" * (low - 1), True), ("A" * low, False), ("A" * (low + 1), False), ("?", True)):
        found = _refused(dataclasses.replace(DEFAULT_SETTINGS, operator_min_grade=grade), "operator_min_grade")
        assert bool(found) is refused, grade
        if found:
            assert found[0].message.endswith(f"（{DB} 第4.1条）")


@pytest.mark.parametrize(
    "name,months_field", [("exit_reminder_days", "incubation_cycle_months"), ("follow_up_reminder_days", "follow_up_months")]
)
def test_a_reminder_before_its_period_began_is_refused(name, months_field):
    limit = getattr(DEFAULT_SETTINGS, months_field) * 28  # the shortest month: surely inside the period
    assert not _refused(_with(name, limit), name)
    assert _refused(_with(name, limit + 1), name)


def test_defaults_are_within_every_bound_and_raise_no_flag():
    assert settings_refusals(DEFAULT_SETTINGS) == []
    assert open_setting_flags(DEFAULT_SETTINGS) == []
    assert settings_problems(DEFAULT_SETTINGS) == []


@pytest.mark.parametrize("name", sorted(OPEN_SETTINGS))
def test_an_open_setting_changed_is_flagged_not_refused(name):
    default = getattr(DEFAULT_SETTINGS, name)
    changed = _with(name, default + 1 if name not in ("exit_excellent_score", "operator_report_due_days") else default - 1)
    assert settings_refusals(changed) == [] and settings_problems(changed) == []
    (flag,) = open_setting_flags(changed)
    assert flag.subject == name and "默认值" in flag.message and "可由中心自定" in flag.message


def test_an_area_between_hz2019_and_the_standard_is_flagged_not_refused():
    s = _with("min_center_area", 60)
    assert settings_refusals(s) == []
    assert [f.subject for f in open_setting_flags(s)] == ["min_center_area"]
    assert "第4.1条" in open_setting_flags(s)[0].message


def test_working_day_deadlines_need_at_least_one_day():
    for name in ("filing_committee_days", "filing_township_days", "filing_change_days"):
        assert any("至少为1" in p for p in settings_problems(_with(name, 0)))


def test_every_setting_is_bounded_or_declared_open_and_listed():
    """No number escapes: each setting has a seed's bound or is declared open (or is a score,
    bounded 0–100 by settings_problems); the README table lists them all."""
    names = {f.name for f in dataclasses.fields(StandardSettings)}
    bounded = {b.name for b in SETTING_BOUNDS} | {"operator_min_grade", "exit_reminder_days", "follow_up_reminder_days"}
    assert names <= bounded | set(OPEN_SETTINGS)
    table = {row["setting"]: row for row in bounds_table()}
    assert set(table) == names
    assert all(row["refused"] or row["clause"] for row in table.values())
    assert table["follow_up_months"]["refused"] == "< 12；> 24"
