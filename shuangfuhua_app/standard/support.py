"""Talent support, publicity, follow-up and the evaluation results for exit (R-7.3.5, R-7.4,
R-7.5.2).

* §7.3.5 鼓励社区社会组织从业人员参加…全国社会工作者职业资格考试，有条件的地方视情况对参加
  考试人员给予考试教材、考前培训等帮扶激励. The clause sets no quota: the app records who
  registered for which exam level and year, the result and the support given, and shows the
  figures (people registered, people passed, support given) as an *auto* finding – never a
  shortfall. A person counts once per year however many levels or sittings they registered
  for; "passed" counts a person with at least one passed record of that year.
* §7.4.8 加强宣传，向社会公众宣传优秀社区社会组织: each publicity item names its channel and
  carries evidence – a link (http/https) or an attachment (a scan of the newspaper page, a
  photo of the bulletin board).
* §7.5.2.4 对测评过程中发现的相关问题给予反馈，并加强相关的督导服务: a follow-up action that
  is past its due date and not completed is overdue (reminded once per due date).
* §7.5.2.4 定期测评的情况纳入社区社会组织出壳考核: :func:`exit_evaluation_summary` picks, per
  organization, the latest annual service evaluation (§7.5.2.2), the latest credit
  evaluation (§7.5.2.3) and every project evaluation (§7.5.2.1) – "latest" by evaluation
  year, then evaluation date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from .calendar import DateLike, as_date
from .clauses import cite
from .result import Finding, fmt_date, fmt_number

# ======================================================================= R-7.3.5 social-work exam

#: levels of the national social worker qualification exam (value -> Chinese)
EXAM_LEVELS: Mapping[str, str] = MappingProxyType(
    {
        "Assistant Social Worker": "助理社会工作师",
        "Social Worker": "社会工作师",
        "Senior Social Worker": "高级社会工作师",
    }
)
#: outcome of one registration (value -> Chinese); "Registered" = result not known yet
EXAM_RESULTS: Mapping[str, str] = MappingProxyType(
    {"Registered": "已报名", "Passed": "通过", "Failed": "未通过", "Absent": "缺考"}
)
#: §7.3.5 support (fieldname -> Chinese): study materials, pre-exam training, fee subsidy
EXAM_SUPPORTS: Mapping[str, str] = MappingProxyType(
    {"study_materials": "考试教材", "tutoring": "考前培训", "fee_subsidy": "考试费用补贴"}
)


def check_exam_record(
    exam_level: str | None, exam_result: str | None, fee_subsidy: bool, subsidy_amount: float | None
) -> str | None:
    """R-7.3.5 (§7.3.5), block: a known exam level and result; a subsidy amount is not
    negative and is only entered when a fee subsidy is given. ``None`` when fine, else the
    Chinese message."""
    c = cite("7.3.5")
    if exam_level not in EXAM_LEVELS:
        return f"未知的社会工作者职业资格考试级别：“{exam_level or '空'}”，可选：{'、'.join(EXAM_LEVELS.values())}{c}"
    if exam_result not in EXAM_RESULTS:
        return f"未知的考试结果：“{exam_result or '空'}”，可选：{'、'.join(EXAM_RESULTS.values())}{c}"
    amount = float(subsidy_amount or 0)
    if amount < 0:
        return f"考试费用补贴金额不能为负数{c}"
    if amount > 0 and not fee_subsidy:
        return f"填写了补贴金额{fmt_number(amount)}元，但未勾选“考试费用补贴”{c}"
    return None


def exam_participation_finding(records: Iterable[Mapping[str, Any]], year: int) -> Finding:
    """R-7.3.5 (§7.3.5), auto: the organization's social-work exam participation in ``year``.

    ``records`` are the exam records (``person``, ``exam_year``, ``exam_result`` and the
    support flags of :data:`EXAM_SUPPORTS`); only those of ``year`` count. ``figure`` =
    people registered, ``required`` stays ``None`` (the clause encourages, it sets no quota),
    so the finding is always ``ok``; not applicable when nobody registered."""
    rows = [r for r in records if int(r.get("exam_year") or 0) == int(year)]
    people = {str(r.get("person")) for r in rows}
    passed = {str(r.get("person")) for r in rows if r.get("exam_result") == "Passed"}
    supported = {str(r.get("person")) for r in rows if any(r.get(f) for f in EXAM_SUPPORTS)}
    c = cite("7.3.5")
    common = dict(rule="R-7.3.5", clause="7.3.5", enforcement="auto", figure=len(people), period=str(year))
    if not people:
        return Finding(True, f"{year}年尚无社会工作者职业资格考试报名记录{c}", applicable=False, **common)
    kinds = [label for field, label in EXAM_SUPPORTS.items() if any(r.get(field) for r in rows)]
    support = f"，获帮扶{len(supported)}人（{'、'.join(kinds)}）" if supported else "，未记录帮扶"
    return Finding(True, f"{year}年社工考试报名{len(people)}人、通过{len(passed)}人{support}{c}", **common)


# ======================================================================= R-7.4 publicity (§7.4.8)

#: channels of publicity (value -> Chinese)
PUBLICITY_CHANNELS: Mapping[str, str] = MappingProxyType(
    {
        "WeChat Official Account": "微信公众号",
        "Newspaper": "报刊",
        "Bulletin Board": "宣传栏",
        "Website": "网站",
        "Radio or Television": "广播电视",
        "Other": "其他",
    }
)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def check_publicity(channel: str | None, link: str | None, attachment: str | None) -> str | None:
    """R-7.4 (§7.4.8), block: a publicity item has a known channel and evidence – a web link
    (``http://`` or ``https://``) or an attachment. ``None`` when fine, else the Chinese
    message."""
    c = cite("7.4.8")
    if channel not in PUBLICITY_CHANNELS:
        return f"未知的宣传渠道：“{channel or '空'}”，可选：{'、'.join(PUBLICITY_CHANNELS.values())}{c}"
    link = (link or "").strip()
    if link and not _URL.match(link):
        return f"宣传链接应以http://或https://开头，当前为“{link}”{c}"
    if not link and not (attachment or "").strip():
        return f"请填写宣传链接或上传附件（如报刊版面、宣传栏照片）作为宣传佐证{c}"
    return None


# ======================================================================= R-7.5.2 follow-up (§7.5.2.4)

#: statuses of a follow-up action that close it
CLOSED_ACTION_STATUSES = frozenset({"Completed"})


def follow_up_overdue(due_date: DateLike | None, status: str | None, as_of: DateLike) -> bool:
    """R-7.5.2 (§7.5.2.4): a follow-up action is overdue when it has a due date before
    ``as_of`` and is not closed (status not in :data:`CLOSED_ACTION_STATUSES`)."""
    if due_date in (None, "") or status in CLOSED_ACTION_STATUSES:
        return False
    return as_date(due_date) < as_date(as_of)


def follow_up_overdue_message(org: str, action: str, due_date: DateLike, source: str = "") -> str:
    """R-7.5.2 (§7.5.2.4), remind: the Chinese reminder of an overdue follow-up action
    (``source``: where the problem was found, e.g. "2025年度服务测评")."""
    found = f"（{source}发现的问题）" if source else ""
    text = (action or "").strip().replace("\n", " ")
    return (
        f"{org}：跟进措施“{text}”{found}已过完成期限{fmt_date(as_date(due_date))}，尚未完成，"
        f"请反馈并加强督导服务{cite('7.5.2.4')}"
    )


# ======================================================================= R-7.5.2 results for exit

#: §7.5.2.3 credit statuses (value -> Chinese)
CREDIT_STATUSES: Mapping[str, str] = MappingProxyType(
    {"Good Standing": "信用良好", "Minor Issues": "存在轻微问题", "Abnormal or Dishonest": "异常或失信"}
)


def _latest_key(row: Mapping[str, Any]) -> tuple:
    day = row.get("evaluation_date")
    return (int(row.get("evaluation_year") or 0), as_date(day) if day else date.min, str(row.get("name") or ""))


def exit_evaluation_summary(evaluations: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """R-7.5.2 (§7.5.2.4): the periodic evaluation results of one organization as the exit
    assessment (§8.1) takes them.

    ``evaluations`` are its evaluation records (``name``, ``evaluation_type``,
    ``evaluation_year``, ``evaluation_date``, ``overall_score``, the ``avg_*`` dimension
    averages, ``credit_status``, ``venture_project``, ``result_summary``,
    ``open_follow_ups``). Returns ``annual`` (the latest annual service evaluation, §7.5.2.2,
    or ``None``), ``credit`` (the latest credit evaluation with a status, §7.5.2.3, or
    ``None``), ``projects`` (every project evaluation, oldest first, §7.5.2.1),
    ``open_follow_ups`` (follow-up actions not completed, all evaluations) and ``message``
    (Chinese, cited)."""
    rows = list(evaluations)
    annual = [r for r in rows if r.get("evaluation_type") == "Annual Service Evaluation"]
    credit = [r for r in rows if r.get("evaluation_type") == "Credit Evaluation" and r.get("credit_status")]
    projects = sorted((r for r in rows if r.get("evaluation_type") == "Project Evaluation"), key=_latest_key)
    latest_annual = max(annual, key=_latest_key) if annual else None
    latest_credit = max(credit, key=_latest_key) if credit else None
    out: dict[str, Any] = {
        "annual": None,
        "credit": None,
        "projects": [
            {
                "name": r.get("name"),
                "evaluation_year": r.get("evaluation_year"),
                "venture_project": r.get("venture_project"),
                "result_summary": r.get("result_summary"),
            }
            for r in projects
        ],
        "open_follow_ups": sum(int(r.get("open_follow_ups") or 0) for r in rows),
    }
    parts = []
    if latest_annual:
        score = latest_annual.get("overall_score")
        out["annual"] = {
            "name": latest_annual.get("name"),
            "evaluation_year": latest_annual.get("evaluation_year"),
            "overall_score": score,
            **{k: v for k, v in latest_annual.items() if k.startswith("avg_")},
        }
        parts.append(
            f"{latest_annual.get('evaluation_year')}年度服务测评平均分"
            f"{fmt_number(score) if score is not None else '未评分'}"
        )
    else:
        parts.append("尚无年度服务测评")
    if latest_credit:
        status = latest_credit.get("credit_status")
        out["credit"] = {
            "name": latest_credit.get("name"),
            "evaluation_year": latest_credit.get("evaluation_year"),
            "credit_status": status,
            "credit_status_label": CREDIT_STATUSES.get(status, status),
        }
        parts.append(f"诚信测评为{CREDIT_STATUSES.get(status, status)}（{latest_credit.get('evaluation_year')}年）")
    else:
        parts.append("尚无诚信测评")
    parts.append(f"项目测评{len(projects)}次")
    if out["open_follow_ups"]:
        parts.append(f"未完成跟进措施{out['open_follow_ups']}项")
    out["message"] = "，".join(parts) + cite("7.5.2.4")
    return out
