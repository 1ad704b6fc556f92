from datetime import date, datetime

import pytest

from shuangfuhua_app.standard.admission import (
    CHANNELS,
    DEFAULT_REVIEW_TEMPLATE,
    ORG_TYPES,
    PANEL_CATEGORIES,
    RECOMMENDATIONS,
    REVIEW_METHODS,
    ReviewCriterion,
    ReviewerVote,
    aggregate_reviews,
    agreement_end_date,
    can_enter_panel_review,
    channel_allowed,
    check_agreement_allowed,
    check_notice_period,
    check_panel,
    criteria_from_rows,
    missing_panel_categories,
    notice_end_date,
    notice_state,
    objection_window_open,
    score_errors,
    template_problems,
    weighted_score,
)
from shuangfuhua_app.standard.calendar import UnknownYearError, WorkCalendar
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.settings import StandardSettings

CAL = WorkCalendar()


# ------------------------------------------------------------------ channel


def test_filed_org_may_apply_through_community():
    f = channel_allowed("filed", "community")
    assert f.ok and f.rule == "R-6.1.2" and f.message.endswith(cite("6.1.2"))


def test_registered_org_may_not_apply_through_community():
    f = channel_allowed("registered", "community")
    assert not f.ok and "备案类" in f.message and f.message.endswith(cite("6.1.2"))
    assert f.enforcement == "block"


@pytest.mark.parametrize("org_type", ["registered", "filed", "登记类", "备案"])
def test_direct_channel_always_allowed(org_type):
    assert channel_allowed(org_type, "direct").ok


def test_channel_labels_accepted_and_unknown_rejected():
    assert not channel_allowed(ORG_TYPES["registered"], CHANNELS["community"]).ok
    with pytest.raises(ValueError, match="未知的申请渠道"):
        channel_allowed("filed", "email")
    with pytest.raises(ValueError, match="未知的组织类型"):
        channel_allowed("company", "direct")


# ------------------------------------------------------------------ gate


def test_initial_review_gate():
    assert can_enter_panel_review(True).ok
    f = can_enter_panel_review(False)
    assert not f.ok
    assert f.message == "未通过初审的申请不得进入评审（DB3301/T 0346—2021 第6.2.1条）"
    assert f.enforcement == "gate" and f.rule == "R-6.2.1"


# ------------------------------------------------------------------ panel


def test_panel_categories_are_the_five_of_6_2_2_in_order():
    assert list(PANEL_CATEGORIES) == [
        "township_leader",
        "township_department",
        "community_head",
        "center_head",
        "expert",
    ]
    assert list(PANEL_CATEGORIES.values()) == [
        "镇街领导",
        "镇街职能部门",
        "社区负责人",
        "服务中心负责人",
        "专家学者",
    ]


def test_missing_panel_categories_accepts_keys_and_labels():
    assert missing_panel_categories(["expert", "镇街领导", "expert", "nonsense"]) == [
        "镇街职能部门",
        "社区负责人",
        "服务中心负责人",
    ]
    assert missing_panel_categories(list(PANEL_CATEGORIES)) == []
    assert missing_panel_categories([]) == list(PANEL_CATEGORIES.values())


def test_check_panel_flags_missing_categories():
    f = check_panel(["expert", "center_head"])
    assert not f.ok and f.enforcement == "flag"
    assert "镇街领导、镇街职能部门、社区负责人" in f.message
    assert f.message.endswith(cite("6.2.2"))
    assert (f.figure, f.required, f.gap) == (2, 5, 3)
    assert check_panel(PANEL_CATEGORIES.values()).ok


def test_default_template_covers_three_methods_and_sums_to_100():
    assert REVIEW_METHODS == ("材料评审", "实地考察", "答辩评审")
    assert sum(c.weight for c in DEFAULT_REVIEW_TEMPLATE) == 100
    assert {c.method for c in DEFAULT_REVIEW_TEMPLATE} == set(REVIEW_METHODS)
    assert all(c.max_score == 100 for c in DEFAULT_REVIEW_TEMPLATE)
    assert template_problems(DEFAULT_REVIEW_TEMPLATE) == []


def test_template_problems():
    bad = [ReviewCriterion("甲", "材料评审", 0), ReviewCriterion("甲", "面谈", 10, max_score=0)]
    problems = template_problems(bad)
    assert any("重复" in p for p in problems)
    assert any("权重应大于0" in p for p in problems)
    assert any("满分应大于0" in p for p in problems)
    assert any("“面谈”无效" in p for p in problems)
    assert any("实地考察、答辩评审" in p for p in problems)
    assert template_problems([]) and all(p.endswith(cite("6.2.2")) for p in problems)


def full_scores(value):
    return {c.name: value for c in DEFAULT_REVIEW_TEMPLATE}


def test_weighted_score():
    assert weighted_score(full_scores(100)) == 100
    assert weighted_score(full_scores(0)) == 0
    scores = dict(zip([c.name for c in DEFAULT_REVIEW_TEMPLATE], [100, 50, 80, 60], strict=True))
    assert weighted_score(scores) == pytest.approx(20 + 10 + 24 + 18)


def test_weighted_score_with_other_max_and_weights():
    criteria = [
        ReviewCriterion("a", "材料评审", 1, max_score=10),
        ReviewCriterion("b", "答辩评审", 3, max_score=5),
    ]
    assert weighted_score({"a": 5, "b": 5}, criteria) == pytest.approx(100 * (0.5 * 1 + 1 * 3) / 4)


def test_weighted_score_missing_or_out_of_range():
    scores = full_scores(80)
    del scores["答辩：负责人能力与发展规划"]
    scores["申报材料完整性与规范性"] = 120
    errors = score_errors(scores)
    assert len(errors) == 2
    assert any("尚未评分" in e for e in errors) and any("0至100分之间" in e for e in errors)
    with pytest.raises(ValueError, match="尚未评分"):
        weighted_score(scores)
    assert score_errors({**full_scores(80), "申报材料完整性与规范性": "x"})[0].count("不是数字") == 1
    assert score_errors(full_scores(80)) == []


def test_criteria_from_rows():
    rows = [
        {"criterion": "材料", "method": "材料评审", "weight": "40"},
        {"name": "答辩", "method": "答辩评审", "weight": 60, "max_score": 10},
    ]
    crit = criteria_from_rows(rows)
    assert crit[0] == ReviewCriterion("材料", "材料评审", 40.0, 100.0)
    assert crit[1].max_score == 10
    assert weighted_score({"材料": 100, "答辩": 5}, crit) == 70


def vote(name, category, score, rec):
    return ReviewerVote(name, category, score, rec)


def test_admitted_when_average_passes_and_strict_majority():
    votes = [
        vote("甲", "expert", 80, "admit"),
        vote("乙", "center_head", 70, "建议入驻"),
        vote("丙", "镇街领导", 50, "revise"),
    ]
    d = aggregate_reviews(votes)
    assert d.ok and d.decision == "admit" and d.admitted
    assert d.average == pytest.approx(66.67)
    assert dict(d.counts) == {"admit": 2, "reject": 0, "revise": 1}
    assert "评审通过" in d.message and d.message.endswith(cite("6.2.2"))
    assert not d.panel.ok  # three categories missing: flagged, not blocking


def test_half_is_not_a_majority():
    votes = [vote("甲", "expert", 90, "admit"), vote("乙", "expert", 90, "reject")]
    d = aggregate_reviews(votes)
    assert d.decision == "reject" and "未超过半数" in d.message


def test_low_average_rejects_even_with_unanimous_admit():
    votes = [vote("甲", "expert", 59, "admit"), vote("乙", "expert", 59.5, "admit")]
    d = aggregate_reviews(votes)
    assert d.decision == "reject" and "平均分低于60分" in d.message


def test_pass_score_boundary_and_override():
    votes = [vote("甲", "expert", 60, "admit")]
    assert aggregate_reviews(votes).decision == "admit"
    assert aggregate_reviews(votes, pass_score=61).decision == "reject"
    assert aggregate_reviews(votes, settings=StandardSettings(pass_score=70)).decision == "reject"


def test_no_votes_or_duplicates_cannot_decide():
    d = aggregate_reviews([])
    assert not d.ok and d.decision is None and not d.admitted and "无法形成评审结论" in d.message
    dup = aggregate_reviews([vote("甲", "expert", 90, "admit"), vote("甲", "expert", 90, "admit")])
    assert not dup.ok and "重复" in dup.message
    few = aggregate_reviews([vote("甲", "expert", 90, "admit")], min_votes=3)
    assert not few.ok and "至少需要3名" in few.message


def test_reviewer_vote_validation():
    assert vote("甲", "expert", 88, "补充材料后再议").recommendation == "revise"
    assert set(RECOMMENDATIONS.values()) == {"建议入驻", "不建议入驻", "补充材料后再议"}
    with pytest.raises(ValueError):
        vote("甲", "expert", 101, "admit")
    with pytest.raises(ValueError):
        vote("甲", "expert", 50, "maybe")


# ------------------------------------------------------------------ notice


def test_notice_end_date_is_computed_from_settings():
    assert notice_end_date(CAL, date(2025, 9, 30)) == date(2025, 10, 13)
    assert notice_end_date(CAL, datetime(2025, 9, 30, 10), StandardSettings(notice_working_days=7)) == date(
        2025, 10, 15
    )


def test_notice_end_date_raises_for_unknown_year():
    with pytest.raises(UnknownYearError):
        notice_end_date(CAL, date(2026, 12, 28))


def test_check_notice_period_blocks_short_notice():
    f = check_notice_period(CAL, date(2025, 9, 30), date(2025, 10, 10))
    assert not f.ok and f.enforcement == "block" and f.rule == "R-6.3"
    assert f.message.startswith("公示期不少于5个工作日")
    assert f.message.endswith("（DB3301/T 0346—2021 第6.3条）")
    assert "2025年10月13日" in f.message
    assert (f.figure, f.required, f.gap) == (3, 5, 2)


def test_check_notice_period_number_comes_from_settings():
    f = check_notice_period(
        CAL, date(2025, 9, 30), date(2025, 10, 13), StandardSettings(notice_working_days=7)
    )
    assert not f.ok and f.message.startswith("公示期不少于7个工作日")


def test_check_notice_period_ok_when_long_enough():
    assert check_notice_period(CAL, date(2025, 9, 30), date(2025, 10, 13)).ok
    longer = check_notice_period(CAL, date(2025, 9, 30), date(2025, 10, 20))
    assert longer.ok and longer.figure == 10


def test_check_notice_period_end_missing_or_before_start():
    f = check_notice_period(CAL, date(2025, 9, 30), None)
    assert not f.ok and "2025年10月13日" in f.message
    g = check_notice_period(CAL, date(2025, 9, 30), date(2025, 9, 1))
    assert not g.ok and "早于开始日期" in g.message


def test_check_notice_period_unknown_year_is_a_finding_not_an_exception():
    f = check_notice_period(CAL, date(2026, 12, 28), date(2027, 1, 8))
    assert not f.ok and f.rule == "R-CAL" and "2027年的节假日安排" in f.message
    declared = WorkCalendar(extra_holidays={date(2027, 1, 1)}, declared_years={2027})
    assert not check_notice_period(declared, date(2026, 12, 28), date(2027, 1, 1)).ok
    assert check_notice_period(declared, date(2026, 12, 28), date(2027, 1, 4)).ok


def test_notice_state_and_objection_window():
    start, end = date(2025, 9, 30), date(2025, 10, 13)
    assert notice_state(start, end, date(2025, 9, 29)) == "upcoming"
    assert notice_state(start, end, start) == "open"
    assert notice_state(start, end, end) == "open"
    assert notice_state(start, end, date(2025, 10, 14)) == "ended"
    assert objection_window_open(start, end, datetime(2025, 10, 13, 23, 59))
    assert not objection_window_open(start, end, date(2025, 10, 14))
    assert not objection_window_open(start, end, date(2025, 9, 29))


# ------------------------------------------------------------------ agreement


def test_agreement_refusals_have_distinct_messages():
    end = date(2025, 10, 13)
    no_notice = check_agreement_allowed(None, date(2025, 10, 20), 0, 0)
    running = check_agreement_allowed(end, end, 0, 0)
    upheld = check_agreement_allowed(end, date(2025, 10, 14), 1, 0)
    pending = check_agreement_allowed(end, date(2025, 10, 14), 0, 2)
    refusals = [no_notice, running, upheld, pending]
    assert not any(f.ok for f in refusals)
    assert len({f.message for f in refusals}) == 4
    assert all(
        f.message.endswith(cite("6.4")) and f.rule == "R-6.4" and f.enforcement == "gate" for f in refusals
    )
    assert "尚未公示" in no_notice.message
    assert "2025年10月13日" in running.message
    assert "1件异议经核实成立" in upheld.message
    assert "2件异议未处理完毕" in pending.message


def test_upheld_objection_reported_before_unresolved():
    assert "成立" in check_agreement_allowed(date(2025, 10, 13), date(2025, 10, 20), 1, 3).message


def test_agreement_allowed_day_after_notice_end():
    f = check_agreement_allowed("2025-10-13", date(2025, 10, 14), 0, 0)
    assert f.ok and f.message.endswith(cite("6.4"))


# ------------------------------------------------------------------ R-8.1.1a term


@pytest.mark.parametrize(
    "start, months, end",
    [
        (date(2025, 10, 14), 24, date(2027, 10, 14)),
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year keeps the 29th
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
    ],
)
def test_agreement_end_date_civil_code(start, months, end):
    assert agreement_end_date(start, months) == end


def test_agreement_end_date_defaults_to_cycle_setting():
    assert agreement_end_date(date(2025, 10, 14)) == date(2027, 10, 14)
    assert agreement_end_date(
        datetime(2025, 10, 14, 9), settings=StandardSettings(incubation_cycle_months=12)
    ) == date(2026, 10, 14)


@pytest.mark.parametrize("months", [0, -3, 1.5])
def test_agreement_end_date_rejects_bad_months(months):
    with pytest.raises(ValueError):
        agreement_end_date(date(2025, 10, 14), months)
