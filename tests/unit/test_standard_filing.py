"""R-FILE, R-EXIT-ORG ([10M] 第二条、第三条) and R-HUB ([BJ2016] 第十四条): the framework-free rules
of shuangfuhua_app/standard/filing.py."""

import datetime

import pytest

from shuangfuhua_app.standard.calendar import WorkCalendar
from shuangfuhua_app.standard.filing import (
    FILED_PARTICULARS,
    MODEL_CHARTER,
    certificate_number,
    changed_particulars,
    check_certificate_gate,
    check_change_filing,
    check_termination_order,
    check_termination_vote,
    check_township_gate,
    deadline_finding,
    describe_changes,
    missing_meeting_message,
    missing_meeting_quarter,
    stage_due,
)
from shuangfuhua_app.standard.settings import DEFAULT_SETTINGS

D = datetime.date
TEN = "《培育发展社区社会组织十条措施》"


def test_deadline_defaults_are_settings():
    assert (
        DEFAULT_SETTINGS.filing_committee_days,
        DEFAULT_SETTINGS.filing_township_days,
        DEFAULT_SETTINGS.filing_change_days,
    ) == (5, 10, 7)


def test_stage_due_counts_working_days_over_national_day():
    cal = WorkCalendar()
    # submitted on Mon 2025-09-29: 30 Sep is day 1, 1–8 Oct are the holiday, 9 Oct … (R-CAL)
    assert stage_due(cal, D(2025, 9, 29), 5) == cal.add_working_days(D(2025, 9, 29), 5)
    assert stage_due(cal, D(2025, 9, 29), 5) > D(2025, 10, 8)
    # an ordinary week: Monday + 5 working days = next Monday
    assert stage_due(cal, D(2025, 6, 9), 5) == D(2025, 6, 16)


def test_deadline_finding_overdue_on_time_and_pending():
    late = deadline_finding("committee", D(2025, 6, 16), None, D(2025, 6, 19))
    assert (
        not late.ok
        and "居（村）委会初审已逾期3天" in late.message
        and late.message.endswith(f"（{TEN}第二条）")
    )
    pending = deadline_finding("township", D(2025, 6, 30), None, D(2025, 6, 19))
    assert pending.ok and "应于2025-06-30前完成" in pending.message
    done_late = deadline_finding("change", D(2025, 6, 16), D(2025, 6, 18), D(2025, 6, 20))
    assert not done_late.ok and "逾期2天" in done_late.message
    assert deadline_finding("committee", None, None, D(2025, 6, 19)).applicable is False


def test_changed_particulars_and_change_filing():
    filed = {
        "org_name": "邻里守望队",
        "head_name": "张三",
        "service_scope": "助老",
        "address": "活动室",
        "activity_area": "某社区",
    }
    assert changed_particulars(filed, dict(filed)) == []
    assert changed_particulars(filed, {**filed, "head_name": " 李四 "}) == ["head_name"]
    assert changed_particulars(filed, {**filed, "address": "活动室"}) == []  # whitespace-insensitive
    keys = changed_particulars(filed, {**filed, "head_name": "李四", "activity_area": "两个社区"})
    assert keys == ["head_name", "activity_area"]
    assert describe_changes(filed, {**filed, "head_name": "李四"}, ["head_name"]) == "负责人：张三 → 李四"
    assert set(FILED_PARTICULARS) == {"org_name", "head_name", "service_scope", "address", "activity_area"}
    assert "未变更任何备案事项" in check_change_filing(True, [])
    assert check_change_filing(False, ["head_name"]).endswith(f"（{TEN}第二条（四））")
    assert check_change_filing(True, ["head_name"]) is None


def test_gates_township_after_committee_certificate_after_approval_and_notice():
    assert "居（村）委会初审通过前" in check_township_gate(False)
    assert check_township_gate(True) is None
    assert "未经街道（乡镇）审核同意" in check_certificate_gate(False, D(2025, 6, 1), D(2025, 6, 10))
    assert "公示期（至2025-06-12）结束后" in check_certificate_gate(True, D(2025, 6, 12), D(2025, 6, 12))
    assert check_certificate_gate(True, D(2025, 6, 12), D(2025, 6, 13)) is None
    assert certificate_number("社", 2026, 7) == "社备〔2026〕0007号"


def test_model_charter_carries_the_ten_measures_requirements():
    assert "示范文本" in MODEL_CHARTER and "党的" in MODEL_CHARTER  # 第一条: party leadership written in
    assert "两委" in MODEL_CHARTER  # 第一条: reports to the 两委 and satisfaction ratings
    assert "重新备案" in MODEL_CHARTER and "终止动议" in MODEL_CHARTER


@pytest.mark.parametrize(
    "meeting, total, present, votes, fragment",
    [
        (None, 15, 12, 11, "须先经全体成员会议表决通过"),
        (D(2025, 7, 1), 15, 12, 11, "不能晚于今天"),
        (D(2025, 6, 1), 0, 0, 0, "成员总数"),
        (D(2025, 6, 1), 15, 16, 11, "不能多于成员总数"),
        (D(2025, 6, 1), 15, 9, 9, "未达成员总数15人的2/3"),
        (D(2025, 6, 1), 15, 12, 7, "未达到会成员12人的2/3"),
    ],
)
def test_termination_vote_refusals(meeting, total, present, votes, fragment):
    message = check_termination_vote(meeting, total, present, votes, D(2025, 6, 20))
    assert fragment in message and message.endswith(f"（{TEN}第三条）")


def test_termination_vote_passes_and_order():
    assert check_termination_vote(D(2025, 6, 1), 15, 10, 7, D(2025, 6, 20)) is None  # exactly 2/3 each
    assert "未记录全体成员会议表决通过" in check_termination_order(False, False, "committee")
    assert "居（村）委会报送前" in check_termination_order(True, False, "township")
    assert check_termination_order(True, True, "township") is None


def test_secretary_general_meeting_each_quarter():
    # as of 2025-07-05 the quarter to check is 2025 Q2
    assert missing_meeting_quarter([D(2025, 5, 20)], D(2025, 7, 5)) is None
    assert missing_meeting_quarter([D(2025, 3, 20), D(2025, 7, 1)], D(2025, 7, 5)) == (2025, 2)
    assert missing_meeting_quarter([], D(2025, 1, 10)) == (2024, 4)
    assert missing_meeting_quarter([], D(2025, 7, 5), since=D(2025, 7, 1)) is None  # hub started after Q2
    assert missing_meeting_quarter([], D(2025, 7, 5), since=D(2025, 6, 30)) == (2025, 2)
    assert missing_meeting_message(2025, 2) == (
        "2025年第2季度未召开社会组织秘书长工作例会（原则上至少每个季度召开一次）（京社领办发〔2016〕8号 第十四条）"
    )


# ---------------------------------------------------------------------------- R-HUB §30, R-PERF

from shuangfuhua_app.standard.hub import (
    BRAND_CRITERIA,
    brand_finding,
    check_brand_award,
    performance_score,
)


def test_brand_needs_all_four_criteria_of_article_30():
    all_met = {k: True for k in BRAND_CRITERIA}
    assert brand_finding(all_met).ok and check_brand_award(brand_finding(all_met), "品牌组织奖") is None
    one_unmet = {**all_met, "public_welfare": False, "solid_foundation": None}
    finding = brand_finding(one_unmet)
    assert (
        not finding.ok
        and "未达到：彰显公益特征" in finding.message
        and "未评定：发展基础牢靠" in finding.message
    )
    assert finding.message.endswith("（京社领办发〔2016〕8号 第三十条）")
    assert "才能获得品牌表彰奖励" in check_brand_award(finding, "品牌组织奖")
    assert check_brand_award(finding, None) is None


def test_performance_evaluation_on_the_four_aspects():
    scores = {
        "professional_level": 80,
        "service_efficiency": 90,
        "management_norms": 70,
        "social_economic_benefit": 60,
    }
    assert performance_score(scores) == (75.0, None)
    total, message = performance_score({**scores, "management_norms": None})
    assert (
        total is None and "缺少：管理规范" in message and message.endswith("（杭民发〔2019〕66号 四（六））")
    )
    assert "0至100分" in performance_score({**scores, "service_efficiency": 120})[1]


# ---------------------------------------------------------------------------- R-VOL

from shuangfuhua_app.standard.hub import check_service_hours, time_bank_points


def test_service_hours_and_time_bank_points():
    assert check_service_hours(2.5) is None and check_service_hours("24") is None
    assert "大于0且不超过24小时" in check_service_hours(0)
    assert "当前为25小时" in check_service_hours(25)
    assert "应为数字" in check_service_hours("两小时")
    assert check_service_hours(0).endswith("（《培育发展社区社会组织十条措施》第六条）")
    assert time_bank_points(2.5) == 2.5 and time_bank_points(None) == 0
