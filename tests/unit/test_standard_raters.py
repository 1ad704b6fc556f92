"""[10M] 第一条 (R-RATERS): satisfaction raters 村（社区）"两委", 居（村）民代表, 辖区单位."""

from shuangfuhua_app.standard.evaluation import (
    ALL_RATER_PARTIES,
    RATER_PARTIES,
    SATISFACTION_PARTIES,
    missing_satisfaction_parties,
    satisfaction_parties_finding,
)


def test_the_three_satisfaction_parties_are_rater_parties():
    assert set(SATISFACTION_PARTIES) == {"Community", "Residents' Representative", "Unit of the Area"}
    assert set(RATER_PARTIES) | set(SATISFACTION_PARTIES) == set(ALL_RATER_PARTIES)
    assert len(ALL_RATER_PARTIES) == 6


def test_a_party_without_a_satisfaction_score_is_missing():
    rows = [
        {"rater_party": "Community", "resident_satisfaction": 80},
        {"rater_party": "Residents' Representative", "resident_satisfaction": 0},  # 0 = not scored
        {"rater_party": "Expert", "resident_satisfaction": 90},
    ]
    assert missing_satisfaction_parties(rows) == ["居（村）民代表", "辖区单位"]
    f = satisfaction_parties_finding(rows)
    assert not f.ok and f.rule == "R-RATERS" and f.gap == 2 and f.figure == 1
    assert "缺少：居（村）民代表、辖区单位" in f.message
    assert f.message.endswith("（《培育发展社区社会组织十条措施》第一条）")


def test_all_three_parties_scored_is_fine():
    rows = [{"rater_party": p, "resident_satisfaction": 75} for p in SATISFACTION_PARTIES]
    f = satisfaction_parties_finding(rows)
    assert f.ok and "第一条" in f.message


# ---------------------------------------------------------------- [LW2021] 四（三）4 (R-OPER-SUMMARY)
import datetime  # noqa: E402

from shuangfuhua_app.standard.center import duplicate_quarter_message, missing_summary_message  # noqa: E402
from shuangfuhua_app.standard.settings import DEFAULT_SETTINGS  # noqa: E402


def test_missing_summary_is_due_as_the_financial_report():
    msg = missing_summary_message(2025, 1, DEFAULT_SETTINGS)
    due = datetime.date(2025, 3, 31) + datetime.timedelta(days=DEFAULT_SETTINGS.operator_report_due_days)
    assert msg.startswith("运营方2025年第1季度孵化基地运行情况总结未提交")
    assert f"应于{due.year}年{due.month}月{due.day}日前提交" in msg
    assert msg.endswith("（《灵武市社会组织孵化基地运营管理方案》四（三）4）")


def test_one_summary_per_quarter_message():
    msg = duplicate_quarter_message("summary", 2025, 2, "SFH-OQS-2025-00001")
    assert "2025年第2季度的孵化基地运行情况总结已经提交（SFH-OQS-2025-00001）" in msg
    assert msg.endswith("四（三）4）")
