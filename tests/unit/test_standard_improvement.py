"""R-9 (§9 持续改进): feedback, complaints, corrective actions and the yearly review."""

from datetime import date

from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.improvement import (
    SATISFACTION_SCORES,
    action_overdue,
    action_overdue_message,
    check_corrective_action,
    check_feedback,
    check_feedback_closing,
    review_finding,
    review_summary,
)

C9 = cite("9")


def test_feedback_rules():
    assert check_feedback("Satisfaction", "Very Satisfied", "") is None
    assert check_feedback("Satisfaction", None, "很好") == (
        f"满意度评价须选择满意程度（非常满意、满意、基本满意、不满意、非常不满意）{C9}"
    )
    assert check_feedback("Satisfaction", "5", "") is not None
    assert SATISFACTION_SCORES == {"Very Satisfied": 5, "Satisfied": 4, "Fairly Satisfied": 3, "Dissatisfied": 2,
                                   "Very Dissatisfied": 1}
    assert check_feedback("Complaint", None, "  ") == f"投诉须填写具体内容{C9}"
    assert check_feedback("Complaint", None, "培训通知太晚") is None
    assert "反馈类型应为" in check_feedback("Praise", None, "x")
    assert check_feedback_closing("Complaint", "Resolved", "") == f"投诉须填写处理答复后方可办结{C9}"
    assert check_feedback_closing("Complaint", "Resolved", "已改为提前一周通知") is None
    assert check_feedback_closing("Suggestion", "Closed", "") is None


def test_corrective_action_rules():
    ok = dict(action="培训通知提前一周发出", owner="staff@x", due_date="2026-03-31", raised_on="2026-03-01")
    assert check_corrective_action(**ok) is None
    assert check_corrective_action(**{**ok, "owner": None}) == f"整改措施须明确责任人{C9}"
    assert check_corrective_action(**{**ok, "due_date": None}) == f"整改措施须明确完成期限{C9}"
    assert "早于提出日期" in check_corrective_action(**{**ok, "due_date": "2026-02-28"})
    assert check_corrective_action(**ok, status="Completed") == f"已完成的整改措施须填写完成日期{C9}"
    assert "整改结果" in check_corrective_action(**ok, status="Completed", completed_on="2026-03-20")
    assert check_corrective_action(**ok, status="Completed", completed_on="2026-03-20", result="已落实") is None


def test_overdue_actions():
    assert not action_overdue("2026-03-31", "Open", date(2026, 3, 31))
    assert action_overdue("2026-03-31", "In Progress", date(2026, 4, 1))
    assert not action_overdue("2026-03-31", "Completed", date(2026, 4, 1))
    assert not action_overdue("2026-03-31", "Cancelled", date(2026, 4, 1))
    assert action_overdue_message("某中心", "提前通知", "2026-03-31").endswith(f"已过完成期限2026年3月31日，尚未完成，请督促落实{C9}")


def test_review_summary_counts_the_year():
    feedback = [
        {"date": "2026-02-01", "feedback_type": "Satisfaction", "rating": 5},
        {"date": "2026-05-01", "feedback_type": "Satisfaction", "rating": 4},
        {"date": "2025-12-31", "feedback_type": "Satisfaction", "rating": 1},  # last year
        {"date": "2026-06-01", "feedback_type": "Complaint", "status": "Resolved"},
        {"date": "2026-07-01", "feedback_type": "Complaint", "status": "Open"},
        {"date": "2026-08-01", "feedback_type": "Suggestion", "status": "Open"},
    ]
    actions = [
        {"due_date": "2026-06-30", "status": "Completed"},
        {"due_date": "2026-09-30", "status": "Open"},
        {"due_date": "2027-01-31", "status": "In Progress"},
    ]
    s = review_summary(2026, feedback, actions, [{"level": "优秀"}, {"level": "达标"}, {"level": "达标"}], date(2026, 12, 31))
    assert s["feedback"] == {"Satisfaction": 2, "Complaint": 2, "Suggestion": 1}
    assert s["average_rating"] == 4.5 and (s["complaints"], s["complaints_handled"]) == (2, 1)
    assert (s["actions"], s["actions_completed"], s["actions_open"], s["actions_overdue"]) == (3, 1, 2, 1)
    assert s["exit_levels"] == {"优秀": 1, "达标": 2}
    assert "满意度评价2条（平均4.5分，满分5分）" in s["message"] and "逾期1项" in s["message"]
    f = review_finding(s)
    assert not f.ok and "1件投诉尚未办结，1项整改措施逾期未完成" in f.message
