"""Continuous improvement (持续改进, §9; R-9): satisfaction feedback and complaints from
organizations, corrective actions with owners and due dates, and the center's yearly review.

The seed reproduces only the heading of §9; what a center's staff expect, and what the app
does (documented in the README):

* an organization rates the center's service (five grades, 5 points = very satisfied) or complains; a
  complaint is answered in writing, and closing it needs the answer;
* a problem – from a complaint, a feedback item, the yearly review or anywhere else – gets a
  corrective action with one responsible person and a due date; an action past its due
  date and not completed is overdue (reminded once per due date);
* once a year the center reviews its service: the feedback, the complaints and how they
  were handled, the corrective actions and their state, the exit results of the year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from .calendar import DateLike, as_date
from .clauses import cite
from .result import Finding, fmt_date, fmt_number

C9 = cite("9")

#: kinds of feedback (value -> Chinese)
FEEDBACK_TYPES: Mapping[str, str] = MappingProxyType(
    {"Satisfaction": "满意度评价", "Complaint": "投诉", "Suggestion": "意见建议"}
)
#: satisfaction ratings (value of the rating field -> Chinese)
SATISFACTION_RATINGS: Mapping[str, str] = MappingProxyType(
    {
        "Very Satisfied": "非常满意",
        "Satisfied": "满意",
        "Fairly Satisfied": "基本满意",
        "Dissatisfied": "不满意",
        "Very Dissatisfied": "非常不满意",
    }
)
#: rating -> score 1..5 (5 = very satisfied), for the yearly average
SATISFACTION_SCORES: Mapping[str, int] = MappingProxyType(
    {value: len(SATISFACTION_RATINGS) - i for i, value in enumerate(SATISFACTION_RATINGS)}
)
#: statuses of a feedback item
FEEDBACK_CLOSED = frozenset({"Resolved", "Closed"})
#: statuses of a corrective action
ACTION_DONE = frozenset({"Completed"})
ACTION_STATUSES = ("Open", "In Progress", "Completed", "Cancelled")


def check_feedback(feedback_type: str | None, rating: str | None, content: str | None) -> str | None:
    """R-9 (§9), block: a known kind; a satisfaction evaluation carries one of the five
    ratings (:data:`SATISFACTION_RATINGS`); a complaint or suggestion says what it is
    about. ``None`` when fine, else the Chinese message."""
    if feedback_type not in FEEDBACK_TYPES:
        return f"反馈类型应为{'、'.join(FEEDBACK_TYPES.values())}之一{C9}"
    if feedback_type == "Satisfaction":
        if rating not in SATISFACTION_RATINGS:
            return f"满意度评价须选择满意程度（{'、'.join(SATISFACTION_RATINGS.values())}）{C9}"
    elif not str(content or "").strip():
        return f"{FEEDBACK_TYPES[feedback_type]}须填写具体内容{C9}"
    return None


def check_feedback_closing(feedback_type: str | None, status: str | None, response: str | None) -> str | None:
    """R-9 (§9), block: a complaint is closed only with the center's written answer."""
    if feedback_type == "Complaint" and status in FEEDBACK_CLOSED and not str(response or "").strip():
        return f"投诉须填写处理答复后方可办结{C9}"
    return None


def check_corrective_action(
    action: str | None, owner: str | None, due_date: DateLike | None, raised_on: DateLike | None,
    status: str | None = None, completed_on: DateLike | None = None, result: str | None = None,
) -> str | None:
    """R-9 (§9), block: a corrective action says what is done, by whom (one responsible
    user) and by when (not before the day it was raised); a completed one has its date and
    result. ``None`` when fine, else the Chinese message."""
    if not str(action or "").strip():
        return f"请填写整改措施{C9}"
    if not owner:
        return f"整改措施须明确责任人{C9}"
    if due_date in (None, ""):
        return f"整改措施须明确完成期限{C9}"
    if raised_on not in (None, "") and as_date(due_date) < as_date(raised_on):
        return f"完成期限{fmt_date(as_date(due_date))}早于提出日期{fmt_date(as_date(raised_on))}{C9}"
    if status in ACTION_DONE:
        if completed_on in (None, ""):
            return f"已完成的整改措施须填写完成日期{C9}"
        if not str(result or "").strip():
            return f"已完成的整改措施须填写整改结果{C9}"
    return None


def action_overdue(due_date: DateLike | None, status: str | None, as_of: DateLike) -> bool:
    """R-9 (§9), remind: past its due date and neither completed nor cancelled."""
    if due_date in (None, "") or status in ACTION_DONE or status == "Cancelled":
        return False
    return as_date(due_date) < as_date(as_of)


def action_overdue_message(center: str, action: str, due_date: DateLike) -> str:
    text = str(action or "").strip().replace("\n", " ")
    return f"{center}：整改措施“{text}”已过完成期限{fmt_date(as_date(due_date))}，尚未完成，请督促落实{C9}"


def review_summary(
    year: int,
    feedback: Iterable[Mapping[str, Any]],
    actions: Iterable[Mapping[str, Any]],
    exits: Iterable[Mapping[str, Any]] = (),
    as_of: DateLike | None = None,
) -> dict[str, Any]:
    """R-9 (§9), auto: the figures of a center's yearly review – feedback of ``year`` by
    kind, the average satisfaction rating (``rating``: 1..5 points), complaints and how many were handled, corrective
    actions raised in the year or still open (completed, open, overdue as of ``as_of``), and
    the exit results confirmed in the year by level. ``message`` is the Chinese summary."""
    fb = [f for f in feedback if as_date(f["date"]).year == year]
    by_type = {k: sum(1 for f in fb if f.get("feedback_type") == k) for k in FEEDBACK_TYPES}
    ratings = [
        int(f["rating"]) for f in fb if f.get("feedback_type") == "Satisfaction" and f.get("rating") not in (None, "")
    ]
    average = round(sum(ratings) / len(ratings), 2) if ratings else None
    complaints = [f for f in fb if f.get("feedback_type") == "Complaint"]
    handled = sum(1 for f in complaints if f.get("status") in FEEDBACK_CLOSED)
    acts = list(actions)
    done = sum(1 for a in acts if a.get("status") in ACTION_DONE)
    cancelled = sum(1 for a in acts if a.get("status") == "Cancelled")
    overdue = sum(1 for a in acts if as_of is not None and action_overdue(a.get("due_date"), a.get("status"), as_of))
    open_ = len(acts) - done - cancelled
    levels: dict[str, int] = {}
    for e in exits:
        levels[e["level"]] = levels.get(e["level"], 0) + 1
    parts = [
        f"{year}年收到满意度评价{by_type['Satisfaction']}条"
        + (f"（平均{fmt_number(average)}分，满分5分）" if average is not None else ""),
        f"投诉{by_type['Complaint']}件、已办结{handled}件",
        f"意见建议{by_type['Suggestion']}条",
        f"整改措施{len(acts)}项，已完成{done}项、未完成{open_}项" + (f"（其中逾期{overdue}项）" if overdue else ""),
    ]
    if levels:
        parts.append("出壳评估" + "、".join(f"{k}{v}家" for k, v in levels.items()))
    return {
        "year": year,
        "feedback": by_type,
        "average_rating": average,
        "complaints": len(complaints),
        "complaints_handled": handled,
        "actions": len(acts),
        "actions_completed": done,
        "actions_open": open_,
        "actions_overdue": overdue,
        "exit_levels": levels,
        "message": "；".join(parts) + C9,
    }


def review_finding(summary: Mapping[str, Any]) -> Finding:
    """R-9 (§9), flag: a yearly review with complaints not handled or overdue actions."""
    problems = []
    if summary["complaints"] > summary["complaints_handled"]:
        problems.append(f"{summary['complaints'] - summary['complaints_handled']}件投诉尚未办结")
    if summary["actions_overdue"]:
        problems.append(f"{summary['actions_overdue']}项整改措施逾期未完成")
    if problems:
        return Finding(False, f"{summary['year']}年度：{'，'.join(problems)}{C9}", "R-9", "9")
    return Finding(True, f"{summary['year']}年度投诉均已办结，无逾期整改措施{C9}", "R-9", "9")
