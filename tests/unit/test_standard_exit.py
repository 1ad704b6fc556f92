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


# ---------------------------------------------------------------- issue 8: the assessment
from dataclasses import replace  # noqa: E402

from shuangfuhua_app.standard.exit import (  # noqa: E402
    CONFIRM_ORDER,
    EXIT_DIMENSIONS,
    MEASURED_SOURCES,
    RETURNED_STATE,
    ExitIndicator,
    Measurement,
    assess,
    check_confirmation,
    check_follow_up_record,
    cycle_windows,
    exit_due_for_reminder,
    exit_due_message,
    exit_template_problems,
    follow_up_coverage_finding,
    follow_up_ending_soon,
    indicators_from_rows,
    level_key,
    measure_class_hours,
    measure_credit,
    measure_party_organization,
    measure_project_design,
    measure_registration,
    measure_reserve_talent,
    measure_resident_satisfaction,
    measure_service_evaluation,
    measure_team_structure,
    measure_venture_projects,
    months_in_role_window,
    normalize_certificate_number,
    take_snapshot,
    template_coverage_finding,
    verification_message,
)

D = cite("8.1.1", appendix="D")
START, END = date(2023, 6, 1), date(2025, 6, 1)  # a 24-month cycle


def test_default_template_covers_the_five_blocks_and_measures_ten_indicators():
    assert exit_template_problems(DEFAULT_EXIT_TEMPLATE) == []
    assert {i.dimension for i in DEFAULT_EXIT_TEMPLATE} == set(EXIT_DIMENSIONS)
    assert template_coverage_finding(DEFAULT_EXIT_TEMPLATE).ok
    measured = {i.measure for i in DEFAULT_EXIT_TEMPLATE if i.measured}
    assert measured == set(MEASURED_SOURCES)  # every measured source is used once
    manual = [i.name for i in DEFAULT_EXIT_TEMPLATE if not i.measured]
    assert len(manual) == 3


def test_weights_not_totalling_100_are_refused():
    rows = [ExitIndicator("甲", "Party Building", 60, "7.1"), ExitIndicator("乙", "Supervision", 30, "7.5")]
    problems = exit_template_problems(rows)
    assert problems == [f"出壳评估指标权重合计应为100，当前为90{D}"]
    with pytest.raises(ValueError, match="权重合计应为100，当前为90"):
        take_snapshot(rows)
    with pytest.raises(ValueError, match="权重合计应为100"):
        exit_total({"甲": 80, "乙": 80}, rows)
    over = rows + [ExitIndicator("丙", "Supervision", 10.5, "7.5")]
    assert "当前为100.5" in exit_template_problems(over)[0]
    exact = rows + [ExitIndicator("丙", "Supervision", 10, "7.5")]
    assert exit_template_problems(exact) == [] and exit_total({"甲": 100, "乙": 50, "丙": 0}, exact) == 75


def test_template_problems_name_each_fault():
    rows = [
        ExitIndicator("甲", "Party Building", 50, "7.1"),
        ExitIndicator("甲", "Nowhere", 0, "7.1", max_score=0, measure="Horoscope"),
        ExitIndicator("乙", "Supervision", 50, "7.5"),
    ]
    problems = exit_template_problems(rows)
    assert f"出壳评估指标“甲”重复{D}" in problems
    assert any("权重应大于0" in p for p in problems) and any("满分应大于0" in p for p in problems)
    assert any("维度应为党的建设、能力提升、人才培育、扶持激励、督导服务之一" in p for p in problems)
    assert any("数据来源“Horoscope”无效" in p for p in problems)
    assert exit_template_problems([]) == [f"出壳评估指标体系至少应包含一项指标{D}"]
    gap = template_coverage_finding([ExitIndicator("甲", "Party Building", 100, "7.1")])
    assert not gap.ok and "能力提升、人才培育、扶持激励、督导服务" in gap.message


def test_indicators_from_template_rows():
    rows = [{"indicator": "甲", "dimension": "Party Building", "weight": "40", "source": "Manual", "guidance": "看记录"},
            {"indicator": "乙", "dimension": "Supervision", "weight": 60, "max_score": 10, "source": "Credit Evaluation"}]
    a, b = indicators_from_rows(rows)
    assert (a.weight, a.measure, a.measured, a.description) == (40, "", False, "看记录")
    assert (b.max_score, b.measure, b.measured) == (10, "Credit Evaluation", True)


# ---------------------------------------------------------------- measured from plain data
def test_cycle_windows_are_agreement_years():
    assert cycle_windows(START, END) == [
        (date(2023, 6, 1), date(2024, 5, 31), 12),
        (date(2024, 6, 1), date(2025, 6, 1), 12),
    ]
    # a cycle of 30 months: the last agreement year has 6 months
    assert cycle_windows(date(2023, 6, 1), date(2025, 12, 1))[-1] == (date(2025, 6, 1), date(2025, 12, 1), 6)
    assert months_in_role_window(date(2023, 6, 1), 12, None) == 12
    assert months_in_role_window(date(2023, 6, 1), 12, date(2023, 6, 1)) == 12
    assert months_in_role_window(date(2023, 6, 1), 12, date(2023, 6, 2)) == 11
    assert months_in_role_window(date(2023, 6, 1), 12, date(2024, 3, 1)) == 3


def test_measure_class_hours():
    people = [
        {"label": "业务领军人才甲", "joined": None,
         "attended": [(date(2023, 7, 1), 10), (date(2024, 5, 31), 10), (date(2024, 6, 1), 9), (date(2025, 6, 2), 50)]},
        # took up the role on 1 March 2024: 3 months of the first agreement year -> 4.5 hours
        {"label": "党务工作者乙", "joined": date(2024, 3, 1), "attended": [(date(2024, 4, 1), 4.5), (date(2024, 7, 1), 18)]},
    ]
    m = measure_class_hours(people, START, END)
    rows = [(r["person"], r["year_no"], r["hours"], r["required"]) for r in m.figures["rows"]]
    assert rows == [("业务领军人才甲", 1, 20, 18), ("业务领军人才甲", 2, 9, 18), ("党务工作者乙", 1, 4.5, 4.5), ("党务工作者乙", 2, 18, 18)]
    assert m.score == 87.5  # (1 + 0.5 + 1 + 1) / 4
    assert "达标3人次" in m.basis and m.basis.endswith(cite("7.3.1"))
    # stricter settings change the requirement
    assert measure_class_hours(people, START, END, StandardSettings(annual_class_hours=36)).figures["rows"][0]["required"] == 36
    nobody = measure_class_hours([], START, END)
    assert nobody.score is None and "由评估人员评分" in nobody.basis


def test_measure_party_organization():
    assert measure_party_organization(4, True, False, False).score == 100
    assert measure_party_organization(2, False, False, True).score == 100
    half = measure_party_organization(3, False, True, False)
    assert half.score == 50 and half.basis.endswith(cite("7.1.2"))
    assert measure_party_organization(1, False, False, False).score == 0
    # the threshold comes from the settings
    assert measure_party_organization(3, False, False, True, StandardSettings(party_branch_threshold=4)).score == 100


def test_measure_reserve_talent():
    reserves = [
        {"label": "储备甲", "joined": None, "has_plan": True,
         "trainings": [date(2023, 7, d) for d in range(1, 6)] + [date(2024, 7, 1)] * 5},
        {"label": "储备乙", "joined": None, "has_plan": False, "trainings": [date(2023, 8, 1)]},
    ]
    m = measure_reserve_talent(1, reserves, START, END)
    # ratio 2/2 = 1, plans 1/2, trainings (1 + 1 + 1/5 + 0) / 4 = 0.55 -> mean 0.6833
    assert m.figures["parts"] == {"ratio": 1.0, "plan": 0.5, "trainings": 0.55}
    assert m.score == 68.33
    short = measure_reserve_talent(2, reserves[:1], START, END)
    assert short.figures["parts"]["ratio"] == 0.25
    na = measure_reserve_talent(0, [], START, END)
    assert na.score == 100 and not na.applicable and "不适用" in na.basis


def test_measure_registration_team_and_projects():
    assert measure_registration("Registered", "51330102MJ0000012X", None).score == 100
    assert measure_registration("Filed", None, "BA-1").score == 100
    assert measure_registration("Filed", None, None).score == 0
    team = measure_team_structure({"head": 1, "business_leader": 1, "party_worker": 0, "backbone": 1, "members": 8})
    assert team.score == 50 and "尚缺：党务工作力量、骨干成员2名以上" in team.basis
    projects = [
        {"name": "VP-1", "project_name": "邻里守望", "state": "Project Closed", "evaluation_score": 88},
        {"name": "VP-2", "project_name": "银龄助餐", "state": "Project Closed", "evaluation_result": "Qualified"},
        {"name": "VP-3", "project_name": "平安巡逻", "state": "In Execution"},
        {"name": "VP-4", "project_name": "未获批", "state": "Not Approved"},
    ]
    # the states that count as closed / approved are the caller's (issue 15 §2: by meaning)
    closed, approved = {"Project Closed"}, {"In Execution", "Project Closed"}
    v = measure_venture_projects(projects, closed)
    assert v.score == 79 and v.figures["closed"] == 2 and v.basis.endswith(cite("7.4.5"))
    assert measure_venture_projects(projects[2:], closed).score == 0
    unscored = measure_venture_projects([{"name": "VP-5", "state": "Project Closed"}], closed)
    assert unscored.score is None
    assert measure_project_design(projects, approved).score == 100
    assert measure_project_design(projects[3:], approved).score == 50
    assert measure_project_design([], approved).score == 0
    # a state a center added in Desk and gave a meaning counts by what the caller passes
    added = [{"name": "VP-6", "project_name": "新增状态", "state": "专家复核"}]
    assert measure_project_design(added, approved).score == 50
    assert measure_project_design(added, approved | {"专家复核"}).score == 100
    assert measure_venture_projects([{**added[0], "evaluation_score": 90}], {"专家复核"}).score == 90


def test_measure_periodic_evaluations():
    summary = {"annual": {"name": "EV-1", "evaluation_year": 2024, "overall_score": 84.38, "avg_resident_satisfaction": 90},
               "credit": {"name": "EV-2", "evaluation_year": 2024, "credit_status": "Minor Issues"}}
    assert measure_service_evaluation(summary).score == 84.38
    assert measure_resident_satisfaction(summary).score == 90
    credit = measure_credit(summary)
    assert credit.score == 60 and "存在轻微问题" in credit.basis and credit.basis.endswith(cite("7.5.2.3"))
    empty = {"annual": None, "credit": None}
    for fn in (measure_service_evaluation, measure_resident_satisfaction, measure_credit):
        assert fn(empty).score is None


# ---------------------------------------------------------------- assess
TWO = (
    ExitIndicator("党组织覆盖", "Party Building", 40, "7.1.2", measure="Party Organization"),
    ExitIndicator("内部治理", "Capacity Building", 60, "7.4.2", max_score=10),
)


def snap(**kw):
    return take_snapshot(TWO, StandardSettings(exit_min_assessors=kw.pop("assessors", 2), **kw))


def test_assess_averages_the_assessors_and_takes_measured_scores():
    result = assess(snap(), {"党组织覆盖": Measurement("Party Organization", 50, "应建支部")},
                    {"张评": {"内部治理": 8, "党组织覆盖": 0}, "李评": {"内部治理": 9}})
    org, gov = result.rows
    assert (org.measured, org.score, org.points) == (True, 50, 20)  # the assessors' 0 is ignored
    assert (gov.measured, gov.manual_average, gov.assessors, gov.points) == (False, 8.5, 2, 51)
    assert result.total == 71 and result.level == "pass" and result.level_label == "达标" and result.complete


@pytest.mark.parametrize(
    "governance, total, level",
    [(5, 60, "pass"), (4.99, 59.94, "fail"), (7.5, 75, "good"), (7.49, 74.94, "pass"), (9, 84, "good"), (10, 90, "excellent")],
)
def test_assess_levels_exactly_on_the_thresholds(governance, total, level):
    result = assess(snap(), {"党组织覆盖": Measurement("Party Organization", 75, "")},
                    {"张评": {"内部治理": governance}, "李评": {"内部治理": governance}})
    assert result.total == total and result.level == level


def test_missing_scores_and_too_few_assessors():
    result = assess(snap(assessors=3), {"党组织覆盖": Measurement("Party Organization", 100, "")},
                    {"张评": {"内部治理": 8}, "李评": {"内部治理": ""}})
    assert result.total is None and result.level is None and not result.complete
    assert f"出壳能力评估应由不少于3名评估人员评分，当前2名{D}" in result.errors
    assert f"评估人员“李评”尚未对指标“内部治理”评分{D}" in result.errors
    bad = assess(snap(), {"党组织覆盖": Measurement("Party Organization", 100, "")},
                 {"张评": {"内部治理": 11}, "李评": {"内部治理": "八"}})
    assert any("评分应在0至10分之间，当前为11分" in e for e in bad.errors)
    assert any("评分“八”不是数字" in e for e in bad.errors)


def test_a_measured_indicator_without_data_is_scored_by_the_assessors():
    none = Measurement("Party Organization", None, "无记录，由评估人员评分")
    missing = assess(snap(), {"党组织覆盖": none}, {"张评": {"内部治理": 8}, "李评": {"内部治理": 8}})
    assert f"评估人员“张评”尚未对指标“党组织覆盖”评分{D}" in missing.errors
    scored = assess(snap(), {"党组织覆盖": none},
                    {"张评": {"内部治理": 8, "党组织覆盖": 70}, "李评": {"内部治理": 8, "党组织覆盖": 90}})
    assert scored.rows[0].measured is False and scored.rows[0].score == 80 and scored.total == 80
    not_measured = assess(snap(), {}, {"张评": {"内部治理": 8}, "李评": {"内部治理": 8}})
    assert f"指标“党组织覆盖”尚未按记录计量{D}" in not_measured.errors


def test_snapshot_is_not_changed_by_a_later_template_or_settings_change():
    rows = [{"indicator": "党组织覆盖", "dimension": "Party Building", "weight": 40, "source": "Party Organization"},
            {"indicator": "内部治理", "dimension": "Capacity Building", "weight": 60, "max_score": 10}]
    settings = StandardSettings(exit_min_assessors=1)
    snapshot = take_snapshot(rows, settings)
    measured = {"党组织覆盖": Measurement("Party Organization", 100, "")}
    sheets = {"张评": {"内部治理": 7}}
    before = assess(snapshot, measured, sheets)
    assert (before.total, before.level) == (82, "good")
    # the template is edited (weights, maximum, a new indicator) and the thresholds raised
    rows[0]["weight"], rows[1]["weight"], rows[1]["max_score"] = 10, 80, 20
    rows.append({"indicator": "新指标", "dimension": "Supervision", "weight": 10})
    settings = replace(settings, exit_good_score=85, exit_excellent_score=95)
    after = assess(snapshot, measured, sheets)
    assert (after.total, after.level) == (82, "good") and len(snapshot.indicators) == 2
    # the next assessment takes the new template and thresholds
    rows[0]["weight"] = 10
    later = assess(take_snapshot(rows, settings), measured, {"张评": {"内部治理": 14, "新指标": 50}})
    assert (later.total, later.level) == (71, "pass")


def test_level_key_accepts_values_labels_and_keys():
    assert level_key("Up to Standard") == "pass" and level_key("优秀") == "excellent" and level_key("fail") == "fail"
    with pytest.raises(ValueError, match="未知的评估等级"):
        level_key("Outstanding")


# ---------------------------------------------------------------- R-CONFIRM
LW = "（《灵武市社会组织孵化基地运营管理方案》四（一）6、四（二）5）"


def test_confirmation_order_and_roles():
    bsu, lgo, staff = {"Business Supervisory Unit"}, {"Leading Group Office"}, {"Center Staff", "Center Head"}
    assert CONFIRM_ORDER == ("Draft", "Assessed", "First-instance Confirmed", "Finally Confirmed")
    assert check_confirmation("Draft", "Assessed", staff).ok
    assert check_confirmation("Assessed", "First-instance Confirmed", bsu).ok
    assert check_confirmation("First-instance Confirmed", "Finally Confirmed", lgo).ok
    skip = check_confirmation("Assessed", "Finally Confirmed", lgo)
    assert not skip.ok and skip.message == f"领导小组办公室最终认定须在“业务主管单位已初审”之后进行，当前为“已评估”{LW}"
    wrong = check_confirmation("Assessed", "First-instance Confirmed", staff | lgo)
    assert not wrong.ok and wrong.message == f"业务主管单位初审确认只能由业务主管单位进行{LW}"
    assert not check_confirmation("First-instance Confirmed", "Finally Confirmed", bsu).ok
    assert check_confirmation("First-instance Confirmed", RETURNED_STATE, lgo).ok
    assert not check_confirmation("Finally Confirmed", RETURNED_STATE, lgo).ok
    assert not check_confirmation("Finally Confirmed", "Assessed", staff).ok


# ---------------------------------------------------------------- reminders, follow-up, certificates
def test_exit_reminder_from_60_days_before_the_cycle_ends():
    end = date(2025, 6, 1)
    assert not exit_due_for_reminder(end, date(2025, 4, 1))
    assert exit_due_for_reminder(end, date(2025, 4, 2))  # exactly 60 days before
    assert exit_due_for_reminder(end, date(2025, 7, 1))
    assert not exit_due_for_reminder(end, date(2025, 4, 20), StandardSettings(exit_reminder_days=30))
    assert exit_due_message("某组织", end, date(2025, 4, 2)) == (
        f"某组织：双孵化周期将于2025年6月1日届满（还有60天），请准备出壳能力评估{cite('8.1.1')}"
    )
    assert "已于2025年6月1日届满，尚未开展" in exit_due_message("某组织", end, date(2025, 6, 2))


def test_follow_up_period_at_most_the_settings_maximum():
    start = date(2027, 10, 15)
    assert check_follow_up_period(start, date(2029, 10, 15)).ok
    long = check_follow_up_period(start, date(2029, 10, 16))
    assert not long.ok and "跟踪服务期最长2年" in long.message and "灵武市" in long.message
    assert check_follow_up_period(start, date(2030, 10, 15), StandardSettings(follow_up_max_months=36)).ok


def test_follow_up_records_and_coverage():
    assert check_follow_up_record("Brand Building", None) is None
    assert "须注明对接的资源" in check_follow_up_record("Resource Linking", None)
    assert check_follow_up_record("Resource Linking", "Volunteer Team") is None
    assert "跟踪服务类型应为" in check_follow_up_record("Party", None)
    gap = follow_up_coverage_finding(["Brand Building"])
    assert not gap.ok and "资源链接、协助有关部门服务和监管" in gap.message
    assert follow_up_coverage_finding(["Brand Building", "Resource Linking", "Joint Supervision"]).ok
    end = date(2028, 10, 15)
    assert follow_up_ending_soon(end, date(2028, 9, 15)) and not follow_up_ending_soon(end, date(2028, 9, 14))
    assert not follow_up_ending_soon(end, date(2028, 10, 16))


def test_certificate_verification_messages():
    assert normalize_certificate_number(" sfh-ry-2026-00001 ") == "SFH-RY-2026-00001"
    assert normalize_certificate_number("<script>") is None and normalize_certificate_number("") is None
    state, text = verification_message("X-1", None)
    assert state == "unknown" and "未查到编号为“X-1”的荣誉证书" in text
    found = {"status": "Valid", "org_name": "甲组织", "level_label": "优秀", "issue_date": "2026-03-01", "issuer": "某中心"}
    state, text = verification_message("X-2", found)
    assert state == "genuine" and "甲组织" in text and "2026年3月1日" in text and text.endswith(cite("8.1.3"))
    state, text = verification_message("X-2", {**found, "status": "Revoked", "revoked_on": "2026-05-01"})
    assert state == "revoked" and "已于2026年5月1日由颁发单位撤销" in text
