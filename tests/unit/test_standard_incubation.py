"""Tier 1 for issue 3's additions to the rules package: activity blocks/types (§5, §7,
R-SERV), R-7.2 track check, R-7.3.1b 一肩挑 finding, R-7.4/R-7.5 support and evaluation."""

from datetime import date, datetime

import pytest

from shuangfuhua_app.standard.activities import (
    ACTIVITY_TYPES,
    BASE_SERVICES,
    BLOCKS,
    ROTATION_TYPES,
    STUDY_TYPES,
    TRAINING_TYPES,
    all_activity_types,
    check_activity_type,
    stage_track_finding,
    track_mismatch,
)
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.evaluation import (
    RATER_PARTIES,
    VENTURE_FIELDS,
    average_by_dimension,
    check_event_report,
    check_venture_amounts,
    check_venture_field,
    missing_rater_parties,
    rater_parties_finding,
    response_hours,
)
from shuangfuhua_app.standard.party import one_shoulder_finding
from shuangfuhua_app.standard.training import stage_key

# ------------------------------------------------------------------ blocks and types


def test_five_blocks_of_section_5():
    assert [label for label, _ in BLOCKS.values()] == ["党的建设", "能力提升", "人才培育", "扶持激励", "督导服务"]
    assert {block for _, block, _ in ACTIVITY_TYPES.values()} == set(BLOCKS)


def test_eight_base_services_of_r_serv():
    assert len(BASE_SERVICES) == 8
    assert set(BASE_SERVICES) <= set(all_activity_types())


def test_type_must_belong_to_its_block():
    assert check_activity_type("Party Building", "Theme Party Day") is None
    assert check_activity_type("Talent Cultivation", "Centralized Rotation") is None
    message = check_activity_type("Party Building", "Salon")
    assert message == "“沙龙”属于“扶持激励”板块，不属于“党的建设”板块" + cite("7.4.3")
    assert "未知的孵化服务板块" in check_activity_type("Exit", "Salon")
    assert "未知的活动类型" in check_activity_type("Supervision", "Party")


@pytest.mark.parametrize("block", list(BLOCKS))
def test_base_services_fit_every_block(block):
    assert check_activity_type(block, "Seed Fund") is None


def test_what_counts_for_the_quotas():
    assert ROTATION_TYPES <= TRAINING_TYPES and "Regular Study" in TRAINING_TYPES
    assert STUDY_TYPES == {"Regular Study", "Theme Party Day"}  # 结合主题党日
    assert not {"Consultation", "Salon", "Mentoring Visit", "Theme Party Day"} & TRAINING_TYPES
    assert TRAINING_TYPES <= set(ACTIVITY_TYPES)


# ------------------------------------------------------------------


def test_stage_key_accepts_the_doctype_values():
    assert stage_key("Startup") == "startup" and stage_key("Growth") == "growth" and stage_key("Mature") == "mature"


def test_track_mismatch():
    assert track_mismatch("Basic Training", "Startup") is None
    assert track_mismatch("Regular Study", "Mature") is None  # not a stage training
    assert track_mismatch("Brand Training", "") is None
    assert track_mismatch("Brand Training", "unknown") is None
    assert track_mismatch("Basic Training", "Mature", "某协会") == "某协会处于成熟型，对应品牌型培训，本次为基础型培训" + cite("7.2.3")


def test_stage_track_finding():
    f = stage_track_finding("Growth")
    assert f.ok and f.rule == "R-7.2" and f.message == "成长期社会组织，应提供专业型培训" + cite("7.2.2")
    assert not stage_track_finding(None).applicable


# ------------------------------------------------------------------ R-7.3.1b


def test_one_shoulder_finding():
    assert one_shoulder_finding(["张三"], ["张三"]).ok
    f = one_shoulder_finding(["张三"], ["李四"])
    assert not f.ok and f.applicable and f.message == "负责人与党组织书记尚未实现“一肩挑”" + cite("7.3.1")
    none = one_shoulder_finding(["张三"], [None, ""])
    assert none.ok and not none.applicable


# ------------------------------------------------------------------ evaluation


def test_average_by_dimension_ignores_missing_scores():
    rows = [
        {"independent_operation": 90, "party_org_building": 80, "projects_undertaken": None, "resident_satisfaction": 70},
        {"independent_operation": 80, "party_org_building": "", "projects_undertaken": None, "resident_satisfaction": 90},
    ]
    averages, overall = average_by_dimension(rows)
    assert averages == {
        "independent_operation": 85,
        "party_org_building": 80,
        "projects_undertaken": None,
        "resident_satisfaction": 80,
    }
    assert overall == pytest.approx(81.67)
    assert average_by_dimension([]) == ({k: None for k in averages}, None)


def test_rater_parties():
    assert len(RATER_PARTIES) == 4
    assert missing_rater_parties(["Expert", "Community"]) == ["镇街领导", "乡镇街道职能科室"]
    f = rater_parties_finding(["Expert", "Expert"])
    assert not f.ok and f.gap == 3 and f.message.endswith(cite("7.5.2.2"))
    assert rater_parties_finding(list(RATER_PARTIES)).ok


def test_major_event_reported_before_the_event():
    assert check_event_report(date(2025, 5, 1), date(2025, 5, 2)) is None
    same_day = check_event_report(date(2025, 5, 2), date(2025, 5, 2))
    assert same_day and "活动开展前报告" in same_day and same_day.endswith(cite("7.5.1.2"))
    assert check_event_report("2025-05-03", "2025-05-02")


def test_venture_fields_and_amounts():
    assert list(VENTURE_FIELDS.values()) == ["矛盾调处", "协商自治", "志愿服务", "平安创建", "困难帮扶", "邻里互助", "乡村振兴"]
    assert check_venture_field("Rural Revitalization") is None
    assert check_venture_field("Culture and Sports").endswith(cite("7.4.5"))
    assert check_venture_amounts(20000, 15000) is None and check_venture_amounts(None, None) is None
    assert check_venture_amounts(20000, 25000) == "资助金额25000元超过项目预算20000元" + cite("7.4.5")
    assert "不能为负数" in check_venture_amounts(100, -1)


def test_response_hours():
    assert response_hours(datetime(2025, 5, 1, 9, 0), datetime(2025, 5, 1, 15, 30)) == 6.5
    assert response_hours("2025-05-01 09:00:00", "2025-05-02 09:00:00.123456") == 24
    assert response_hours(date(2025, 5, 2), date(2025, 5, 1)) == 0
