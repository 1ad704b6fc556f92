"""R-7.3.5 social-work exam, R-7.4 publicity (§7.4.8), R-7.5.2 follow-up and the exit feed."""

from datetime import date

from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.support import (
    check_exam_record,
    check_publicity,
    exam_participation_finding,
    exit_evaluation_summary,
    follow_up_overdue,
    follow_up_overdue_message,
)

C735, C748, C7524 = cite("7.3.5"), cite("7.4.8"), cite("7.5.2.4")


# ------------------------------------------------------------------


def test_exam_record_checks():
    assert check_exam_record("Social Worker", "Registered", False, None) is None
    assert check_exam_record("Assistant Social Worker", "Passed", True, 300) is None
    assert "未知的社会工作者职业资格考试级别" in check_exam_record("Doctor", "Passed", False, 0)
    assert check_exam_record(None, "Passed", False, 0).endswith(C735)
    assert "未知的考试结果" in check_exam_record("Social Worker", "Maybe", False, 0)
    assert check_exam_record("Social Worker", "Passed", True, -1) == f"考试费用补贴金额不能为负数{C735}"
    assert "未勾选“考试费用补贴”" in check_exam_record("Social Worker", "Passed", False, 200)


def test_exam_participation_counts_people_once_per_year():
    records = [
        # one person, two levels in 2025: counted once; passed one of them
        {"person": "p1", "exam_year": 2025, "exam_result": "Failed", "tutoring": 1},
        {"person": "p1", "exam_year": 2025, "exam_result": "Passed", "study_materials": 1},
        {"person": "p2", "exam_year": 2025, "exam_result": "Registered"},
        {"person": "p3", "exam_year": 2025, "exam_result": "Absent", "fee_subsidy": 1},
        {"person": "p4", "exam_year": 2024, "exam_result": "Passed", "tutoring": 1},  # another year
    ]
    f = exam_participation_finding(records, 2025)
    assert f.ok and f.applicable and f.rule == "R-7.3.5" and f.clause == "7.3.5" and f.enforcement == "auto"
    assert (f.figure, f.required, f.gap) == (3, None, None)  # no quota: never a shortfall
    assert f.message == f"2025年社工考试报名3人、通过1人，获帮扶2人（考试教材、考前培训、考试费用补贴）{C735}"
    f24 = exam_participation_finding(records, 2024)
    assert f24.message == f"2024年社工考试报名1人、通过1人，获帮扶1人（考前培训）{C735}"


def test_exam_participation_without_records_or_support():
    none = exam_participation_finding([], 2025)
    assert none.ok and not none.applicable and none.figure == 0 and none.message.endswith(C735)
    plain = exam_participation_finding([{"person": "p", "exam_year": "2025", "exam_result": "Registered"}], 2025)
    assert plain.message == f"2025年社工考试报名1人、通过0人，未记录帮扶{C735}"


# ------------------------------------------------------------------ publicity


def test_publicity_needs_channel_and_evidence():
    assert check_publicity("WeChat Official Account", "https://mp.weixin.qq.com/s/abc", None) is None
    assert check_publicity("Newspaper", None, "/private/files/page.pdf") is None
    assert check_publicity("Bulletin Board", "", "/files/photo.jpg") is None
    assert "未知的宣传渠道" in check_publicity("Billboard", "https://x.cn", None)
    assert check_publicity(None, "https://x.cn", None).endswith(C748)
    assert check_publicity("Website", None, None) == (
        f"请填写宣传链接或上传附件（如报刊版面、宣传栏照片）作为宣传佐证{C748}"
    )
    assert "应以http://或https://开头" in check_publicity("Website", "javascript:alert(1)", None)
    assert "应以http://或https://开头" in check_publicity("Website", "www.example.com", "/files/a.jpg")


# ------------------------------------------------------------------ follow-up


def test_follow_up_overdue():
    as_of = date(2026, 3, 10)
    assert follow_up_overdue(date(2026, 3, 9), "Planned", as_of)
    assert follow_up_overdue("2026-01-31", "Delayed", as_of)  # delayed is not closed
    assert not follow_up_overdue(date(2026, 3, 10), "Planned", as_of)  # due today: not yet
    assert not follow_up_overdue(date(2026, 3, 1), "Completed", as_of)
    assert not follow_up_overdue(None, "Planned", as_of)
    assert not follow_up_overdue("", None, as_of)


def test_follow_up_message():
    text = follow_up_overdue_message("邻里互助会", "完善财务制度\n并上墙", date(2026, 3, 9), "2025年度服务测评")
    assert text == (
        f"邻里互助会：跟进措施“完善财务制度 并上墙”（2025年度服务测评发现的问题）已过完成期限2026年3月9日，"
        f"尚未完成，请反馈并加强督导服务{C7524}"
    )
    assert "发现的问题" not in follow_up_overdue_message("甲", "整改", "2026-01-01")


# ------------------------------------------------------------------ results for exit


def test_exit_summary_takes_the_latest_results():
    rows = [
        {"name": "E1", "evaluation_type": "Annual Service Evaluation", "evaluation_year": 2025,
         "evaluation_date": "2025-12-20", "overall_score": 83.75, "avg_independent_operation": 85},
        {"name": "E0", "evaluation_type": "Annual Service Evaluation", "evaluation_year": 2024,
         "evaluation_date": "2026-01-05", "overall_score": 70},  # entered later, for an earlier year
        {"name": "C1", "evaluation_type": "Credit Evaluation", "evaluation_year": 2025,
         "evaluation_date": "2025-06-01", "credit_status": "Good Standing"},
        {"name": "C2", "evaluation_type": "Credit Evaluation", "evaluation_year": 2025,
         "evaluation_date": "2025-11-01", "credit_status": "Minor Issues", "open_follow_ups": 2},
        {"name": "C3", "evaluation_type": "Credit Evaluation", "evaluation_year": 2026, "credit_status": None},
        {"name": "P2", "evaluation_type": "Project Evaluation", "evaluation_year": 2025,
         "venture_project": "VP-2", "result_summary": "结项良好"},
        {"name": "P1", "evaluation_type": "Project Evaluation", "evaluation_year": 2024,
         "venture_project": "VP-1", "result_summary": "中期整改"},
    ]
    s = exit_evaluation_summary(rows)
    assert s["annual"] == {"name": "E1", "evaluation_year": 2025, "overall_score": 83.75, "avg_independent_operation": 85}
    assert s["credit"]["name"] == "C2" and s["credit"]["credit_status_label"] == "存在轻微问题"  # C3 has no status
    assert [p["name"] for p in s["projects"]] == ["P1", "P2"]
    assert s["open_follow_ups"] == 2
    assert s["message"] == (
        f"2025年度服务测评平均分83.75，诚信测评为存在轻微问题（2025年），项目测评2次，未完成跟进措施2项{C7524}"
    )


def test_exit_summary_without_evaluations():
    s = exit_evaluation_summary([])
    assert s["annual"] is None and s["credit"] is None and s["projects"] == [] and s["open_follow_ups"] == 0
    assert s["message"] == f"尚无年度服务测评，尚无诚信测评，项目测评0次{C7524}"
