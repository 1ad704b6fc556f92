"""Support, supervision and periodic evaluation (R-7.4, R-7.5.1, R-7.5.2).

* §7.5.2.2 annual service evaluation: raters from township leaders, township functional
  departments, experts and the community score an org on four dimensions (independent
  operation, party organization building, projects undertaken, resident satisfaction); the
  result of each dimension is the plain average of the raters who scored it (the standard
  asks for a 多层面、多方面 evaluation and fixes no weights – the app's decision), the
  overall score the average of the dimension averages. A party that gave no score is flagged.
* [10M] 第一条 (R-RATERS): the organizations' work is rated for satisfaction by the
  村（社区）"两委", the 居（村）民代表 and the 辖区单位 – three more rater parties; an annual
  service evaluation where one of the three gave no resident-satisfaction score is flagged
  (the app's reading: "满意度测评" = the resident-satisfaction dimension). "Community" of
  §7.5.2.2 is the 村（社区）"两委".
* §7.5.1.2 a major-event report (重大活动事项报告) is filed *before* the event.
* §7.4.5 micro-venture projects are in the fields the clause lists; the granted amount
  never exceeds the budget.
* §7.4.4 online consultations record the response time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType

from .calendar import DateLike, as_date
from .clauses import cite, cite_source
from .result import Finding, fmt_number

#: §7.5.2.2 the four rater parties (value -> Chinese)
RATER_PARTIES: Mapping[str, str] = MappingProxyType(
    {
        "Township Leader": "镇街领导",
        "Township Department": "乡镇街道职能科室",
        "Expert": "相关专家",
        "Community": "社区",
    }
)
#: [10M] 第一条 the parties that rate the organizations' work for satisfaction (value -> Chinese)
SATISFACTION_PARTIES: Mapping[str, str] = MappingProxyType(
    {
        "Community": "村（社区）“两委”",
        "Residents' Representative": "居（村）民代表",
        "Unit of the Area": "辖区单位",
    }
)
#: every rater party of the evaluation form, in the form's order (value -> Chinese)
ALL_RATER_PARTIES: Mapping[str, str] = MappingProxyType(
    {**RATER_PARTIES, **SATISFACTION_PARTIES, "Community": "社区（村（社区）“两委”）"}
)
#: §7.5.2.2 the four dimensions (fieldname -> Chinese)
DIMENSIONS: Mapping[str, str] = MappingProxyType(
    {
        "independent_operation": "独立运行",
        "party_org_building": "党组织建设",
        "projects_undertaken": "项目承接",
        "resident_satisfaction": "居民（服务对象）满意度",
    }
)
#: §7.4.5 fields of micro-venture projects (value -> Chinese)
VENTURE_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "Dispute Mediation": "矛盾调处",
        "Consultative Self-governance": "协商自治",
        "Volunteer Service": "志愿服务",
        "Safety Building": "平安创建",
        "Hardship Assistance": "困难帮扶",
        "Neighborhood Mutual Aid": "邻里互助",
        "Rural Revitalization": "乡村振兴",
    }
)


def average_by_dimension(
    rows: Iterable[Mapping[str, float | None]], dimensions: Sequence[str] = tuple(DIMENSIONS)
) -> tuple[dict[str, float | None], float | None]:
    """R-7.5.2 (§7.5.2.2): per-dimension averages of the raters' scores (empty/``None``
    scores are not counted; a dimension nobody scored is ``None``) and the overall score –
    the average of the dimension averages that exist. Rounded to 2 decimals."""
    rows = list(rows)
    averages: dict[str, float | None] = {}
    for dim in dimensions:
        scores = [float(r[dim]) for r in rows if r.get(dim) not in (None, "")]
        averages[dim] = round(sum(scores) / len(scores), 2) if scores else None
    present = [v for v in averages.values() if v is not None]
    overall = round(sum(present) / len(present), 2) if present else None
    return averages, overall


def missing_rater_parties(parties: Iterable[str]) -> list[str]:
    """R-7.5.2 (§7.5.2.2): Chinese names of the four rater parties nobody rated for."""
    given = set(parties)
    return [label for key, label in RATER_PARTIES.items() if key not in given]


def rater_parties_finding(parties: Iterable[str]) -> Finding:
    """R-7.5.2 (§7.5.2.2), flag: the annual service evaluation has raters of all four parties."""
    missing = missing_rater_parties(parties)
    c = cite("7.5.2.2")
    if missing:
        return Finding(
            False,
            f"年度服务测评应由镇街领导、职能科室、相关专家、社区多方参与，缺少：{'、'.join(missing)}{c}",
            "R-7.5.2",
            "7.5.2.2",
            figure=len(RATER_PARTIES) - len(missing),
            required=len(RATER_PARTIES),
            gap=len(missing),
        )
    return Finding(True, f"年度服务测评已有四方测评人员{c}", "R-7.5.2", "7.5.2.2")


def missing_satisfaction_parties(rows: Iterable[Mapping]) -> list[str]:
    """R-RATERS ([10M] 第一条): Chinese names of the satisfaction parties (两委, residents'
    representatives, units of the area) none of whose raters gave a resident-satisfaction
    score (rows: ``{"rater_party": …, "resident_satisfaction": …}``; 0/empty = no score)."""
    scored = {r.get("rater_party") for r in rows if r.get("resident_satisfaction") not in (None, "", 0)}
    return [label for key, label in SATISFACTION_PARTIES.items() if key not in scored]


def satisfaction_parties_finding(rows: Iterable[Mapping]) -> Finding:
    """R-RATERS ([10M] 第一条), flag: the resident-satisfaction dimension is rated by the
    村（社区）"两委", the 居（村）民代表 and the 辖区单位."""
    missing = missing_satisfaction_parties(rows)
    c = cite_source("10M", "第一条")
    if missing:
        return Finding(
            False,
            f"满意度测评应有村（社区）“两委”、居（村）民代表、辖区单位参与，缺少：{'、'.join(missing)}{c}",
            "R-RATERS",
            "10M 第一条",
            figure=len(SATISFACTION_PARTIES) - len(missing),
            required=len(SATISFACTION_PARTIES),
            gap=len(missing),
        )
    return Finding(True, f"满意度测评已有村（社区）“两委”、居（村）民代表、辖区单位参与{c}", "R-RATERS", "10M 第一条")


def check_event_report(submitted_on: DateLike, event_date: DateLike) -> str | None:
    """R-7.5.1 (§7.5.1.2), block: a major-event report is submitted before the event
    (at the latest the day before). ``None`` when fine, else the Chinese message."""
    submitted, event = as_date(submitted_on), as_date(event_date)
    if submitted < event:
        return None
    return (
        f"重大活动事项应在活动开展前报告：活动日期为{event.year}年{event.month}月{event.day}日，"
        f"报告日期为{submitted.year}年{submitted.month}月{submitted.day}日{cite('7.5.1.2')}"
    )


def check_venture_amounts(budget: float | None, granted: float | None) -> str | None:
    """R-7.4 (§7.4.5), block: the granted amount is not negative and does not exceed the budget."""
    budget, granted = float(budget or 0), float(granted or 0)
    if granted < 0 or budget < 0:
        return f"项目预算和资助金额不能为负数{cite('7.4.5')}"
    if granted > budget:
        return f"资助金额{fmt_number(granted)}元超过项目预算{fmt_number(budget)}元{cite('7.4.5')}"
    return None


def check_venture_field(field: str | None) -> str | None:
    """R-7.4 (§7.4.5), block: the project is in one of the fields the clause lists."""
    if field in VENTURE_FIELDS:
        return None
    fields = "、".join(VENTURE_FIELDS.values())
    return f"公益微创投项目应属于{fields}等社区治理领域，当前为“{field or '空'}”{cite('7.4.5')}"


def response_hours(asked: datetime | date | str, answered: datetime | date | str) -> float:
    """R-7.4 (§7.4.4): hours from an online question to its answer (2 decimals, never negative)."""
    a = _as_datetime(asked)
    b = _as_datetime(answered)
    return max(0.0, round((b - a).total_seconds() / 3600, 2))


def _as_datetime(value: datetime | date | str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    return datetime.fromisoformat(text[:19]) if len(text) > 10 else datetime.fromisoformat(text)
