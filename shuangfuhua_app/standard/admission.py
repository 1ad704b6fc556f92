"""Admission (入壳, §6): application channel, initial and panel review, public notice,
agreement (R-6.1.2, R-6.2.1, R-6.2.2, R-6.3, R-6.4, R-8.1.1a).

Flow (§5): 申请入驻 -> 初审 -> 评审 -> 公示 -> 签订入驻协议.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from .calendar import DateLike, UnknownYearError, WorkCalendar, as_date
from .clauses import cite, cite_source
from .result import Finding, fmt_date, fmt_number
from .settings import DEFAULT_SETTINGS, StandardSettings

# ======================================================================= R-6.1.2 channel

#: Org types: registered with civil affairs (登记) or filed with the township (备案).
ORG_TYPES: Mapping[str, str] = MappingProxyType({"registered": "登记类", "filed": "备案类"})
#: Application channels (§6.1.1 direct to the center, §6.1.2 via the community).
CHANNELS: Mapping[str, str] = MappingProxyType(
    {"direct": "直接向服务中心申请", "community": "经社区报备提交"}
)


_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "登记": "registered",
        "备案": "filed",
        "直接申请": "direct",
        "社区报备": "community",
        "社区": "community",
    }
)


def _key(value: str, table: Mapping[str, str], what: str) -> str:
    """Accept a key, its Chinese label or a short alias; ``ValueError`` for anything else."""
    value = str(value or "").strip()
    if value in table:
        return value
    for k, label in table.items():
        if value == label:
            return k
    if _ALIASES.get(value) in table:
        return _ALIASES[value]
    raise ValueError(f"未知的{what}：“{value}”，可选：{'、'.join(table.values())}")


def channel_allowed(org_type: str, channel: str) -> Finding:
    """R-6.1.2 (§6.1.2): only filed-type (备案类) orgs may apply through their community,
    which submits on their behalf; any org may apply directly (§6.1.1).

    ``org_type``: ``"registered"``/``"filed"``; ``channel``: ``"direct"``/``"community"``
    (Chinese labels of :data:`ORG_TYPES` / :data:`CHANNELS` are accepted too; an unknown
    value raises ``ValueError``).
    """
    org_type = _key(org_type, ORG_TYPES, "组织类型")
    channel = _key(channel, CHANNELS, "申请渠道")
    if channel == "community" and org_type != "filed":
        return Finding(
            False,
            f"只有备案类社区社会组织可以通过社区报备、由社区提交入驻申请；登记类社区社会组织应直接向服务中心申请{cite('6.1.2')}",
            "R-6.1.2",
            "6.1.2",
            enforcement="block",
        )
    clause = "6.1.2" if channel == "community" else "6.1.1"
    return Finding(
        True,
        f"{ORG_TYPES[org_type]}社区社会组织{CHANNELS[channel]}入驻{cite(clause)}",
        "R-6.1.2",
        clause,
        enforcement="block",
    )


# ======================================================================= R-6.1 one open application

#: workflow state of an application that was decided against (§6.2.1 not accepted, §6.2.2
#: rejected at review, §6.3 objection upheld)
NOT_ADMITTED_STATE = "Not Admitted"
#: workflow state of an admitted application; admission ends with the agreement (§6.4)
ADMITTED_STATE = "Admitted"
#: ``docstatus`` of a cancelled record
CANCELLED = 2


def application_is_open(state: str | None, docstatus: int = 0, agreement_signed: bool = False) -> bool:
    """R-6.1 (§5, §6.1–§6.4): an application is *open* from its draft until admission has
    ended – i.e. unless it was cancelled, not admitted (§6.2.1, §6.2.2, §6.3), or admitted
    with the incubation agreement signed (§6.4). An admitted application whose agreement
    is not signed yet is still open: the admission of §5 ends with the agreement.
    """
    if int(docstatus or 0) == CANCELLED or state == NOT_ADMITTED_STATE:
        return False
    return not (state == ADMITTED_STATE and agreement_signed)


def application_open_by_meaning(meaning: str, docstatus: int = 0, agreement_signed: bool = False) -> bool:
    """R-6.1 (§5, §6.1–§6.4), as :func:`application_is_open` but from what the application's
    workflow state *means* on the site (issue 15 §2: ``"open"``, ``"admitted"``, ``"refused"``,
    ``"closed"``, ``"withdrawn"``), so a state added in Desk counts as open unless the center
    gave it another meaning: open while being handled; admitted – open until the agreement
    is signed (§6.4); any other end – not open; a cancelled record is never open."""
    if int(docstatus or 0) == CANCELLED:
        return False
    if meaning == "admitted":
        return not agreement_signed
    return meaning in ("open", "underway")  # underway: still being handled after an approval


def check_one_open_application(
    open_applications: Sequence[tuple[str, str]], changed_meanwhile: bool = False
) -> Finding:
    """R-6.1 (§6.1), block: an organization has at most one open application (see
    :func:`application_is_open`); a second one is refused, naming the open one.

    ``open_applications``: ``(name, state label)`` of the organization's *other* open
    applications, oldest first (the caller translates the workflow state).
    ``changed_meanwhile``: the organization's record changed while this one was being
    saved (another application was created at the same moment); refused too, with a
    request to look again."""
    c = cite("6.1")
    if open_applications:
        listed = "、".join(f"{name}（{state}）" for name, state in open_applications)
        return Finding(
            False,
            f"该社区社会组织已有未办结的入驻申请：{listed}。同一组织同时只能有一份未办结的入驻申请，"
            f"请继续办理该申请，不要重复申请{c}",
            "R-6.1",
            "6.1",
            enforcement="block",
            figure=len(open_applications),
            required=0,
        )
    if changed_meanwhile:
        return Finding(
            False,
            f"该社区社会组织的入驻申请刚刚发生变化（可能已有另一份申请同时提交），"
            f"同一组织同时只能有一份未办结的入驻申请，请刷新后查看再办理{c}",
            "R-6.1",
            "6.1",
            enforcement="block",
        )
    return Finding(True, f"该社区社会组织没有未办结的入驻申请{c}", "R-6.1", "6.1", enforcement="block")


# ======================================================================= R-6.2.1 initial review


def can_enter_panel_review(initial_review_passed: bool) -> Finding:
    """R-6.2.1 (§6.2.1), gate: only applications that passed initial review (初审) reach
    panel review (评审)."""
    if initial_review_passed:
        return Finding(
            True, f"初审已通过，可以进入评审环节{cite('6.2.1')}", "R-6.2.1", "6.2.1", enforcement="gate"
        )
    return Finding(
        False, f"未通过初审的申请不得进入评审{cite('6.2.1')}", "R-6.2.1", "6.2.1", enforcement="gate"
    )


# ======================================================================= R-SCREEN screening ([LW2021])

LW_SCREENING = cite_source("LW2021", "三（二）1.2）")

#: [LW2021] 三（二）1.2） 入住筛选机制: the five conditions for admission into incubation.
SCREENING_CRITERIA: Mapping[str, str] = MappingProxyType(
    {
        "grassroots_nonprofit": "具备公益性、草根性、非营利性的初创社会组织",
        "direct_service": "直接提供公共服务的操作型社会组织，而非倡导型社会组织",
        "viable_model": "拥有解决社会问题和满足社会需求的业务模式",
        "capable_founder": "拥有高素质、高能力的机构创始人",
        "reserve_funds": "一定的储备资金",
    }
)
#: [LW2021] 三（二）1.2）: the screening steps after the application (①《孵化申请书》).
SCREENING_STEPS: Mapping[str, str] = MappingProxyType(
    {
        "internal_review": "内部评审（电话访谈和面谈）",
        "site_visit": "实地考察",
        "expert_review": "专家评审",
    }
)


def check_screening(
    enabled: bool, assessed: Mapping[str, bool | None] | None, steps_done: Mapping[str, bool] | None
) -> Finding:
    """R-SCREEN ([LW2021] 三（二）1.2）), gate: when the center has switched the screening on,
    an application passes the initial review (R-6.2.1, §6.2.1) only once every screening
    criterion of :data:`SCREENING_CRITERIA` is assessed (``True``/``False``, ``None`` = not
    yet) and every step of :data:`SCREENING_STEPS` is recorded. The outcome of a criterion
    does not block (see :func:`screening_criteria_finding`): the center decides."""
    if not enabled:
        return Finding(True, f"服务中心未启用入驻筛选{LW_SCREENING}", "R-SCREEN", "LW2021 三（二）1.2）",
                       enforcement="gate", applicable=False)
    assessed, steps_done = assessed or {}, steps_done or {}
    missing_criteria = [label for key, label in SCREENING_CRITERIA.items() if assessed.get(key) is None]
    missing_steps = [label for key, label in SCREENING_STEPS.items() if not steps_done.get(key)]
    total = len(SCREENING_CRITERIA) + len(SCREENING_STEPS)
    gap = len(missing_criteria) + len(missing_steps)
    common = dict(rule="R-SCREEN", clause="LW2021 三（二）1.2）", enforcement="gate", figure=total - gap,
                  required=total, gap=gap)
    if gap:
        parts = []
        if missing_steps:
            parts.append(f"尚未记录的筛选环节：{'、'.join(missing_steps)}")
        if missing_criteria:
            parts.append(f"尚未评定的筛选条件：{'、'.join(f'“{c}”' for c in missing_criteria)}")
        return Finding(
            False, f"服务中心已启用入驻筛选，筛选完成前申请不能通过初审。{'；'.join(parts)}{LW_SCREENING}", **common
        )
    return Finding(True, f"入驻筛选的条件评定和各环节均已记录{LW_SCREENING}", **common)


def screening_criteria_finding(assessed: Mapping[str, bool | None]) -> Finding:
    """R-SCREEN ([LW2021] 三（二）1.2）), flag: the screening criteria the organization does
    not meet (shown to the initial reviewer; it does not block)."""
    unmet = [label for key, label in SCREENING_CRITERIA.items() if assessed.get(key) is False]
    common = dict(rule="R-SCREEN", clause="LW2021 三（二）1.2）", figure=len(SCREENING_CRITERIA) - len(unmet),
                  required=len(SCREENING_CRITERIA), gap=len(unmet))
    if unmet:
        return Finding(False, f"不符合以下筛选条件：{'、'.join(f'“{c}”' for c in unmet)}{LW_SCREENING}", **common)
    return Finding(True, f"符合全部{len(SCREENING_CRITERIA)}项筛选条件{LW_SCREENING}", **common)


# ======================================================================= R-6.2.2 panel

#: The five member categories of the review panel (§6.2.2), in the standard's order.
PANEL_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "township_leader": "镇街领导",
        "township_department": "镇街职能部门",
        "community_head": "社区负责人",
        "center_head": "服务中心负责人",
        "expert": "专家学者",
    }
)
_PANEL_LABEL_TO_KEY = {label: key for key, label in PANEL_CATEGORIES.items()}


def panel_category_key(category: str) -> str | None:
    """Key of a panel category given its key or Chinese label (``None`` if unknown)."""
    category = str(category or "").strip()
    if category in PANEL_CATEGORIES:
        return category
    return _PANEL_LABEL_TO_KEY.get(category)


def missing_panel_categories(categories: Iterable[str]) -> list[str]:
    """R-6.2.2: Chinese labels of the §6.2.2 categories with no member on the panel, in
    the standard's order. ``categories`` (one per member) may be keys or Chinese labels;
    unknown values are ignored."""
    present = {panel_category_key(c) for c in categories}
    return [label for key, label in PANEL_CATEGORIES.items() if key not in present]


def check_panel(categories: Iterable[str]) -> Finding:
    """R-6.2.2 (§6.2.2), flag: the panel should include all five categories (township
    leaders, township functional departments, community heads, the center head, experts
    and scholars). A missing category does not block the review."""
    missing = missing_panel_categories(categories)
    total = len(PANEL_CATEGORIES)
    if missing:
        return Finding(
            False,
            f"评审小组缺少以下类别的成员：{'、'.join(missing)}{cite('6.2.2')}",
            "R-6.2.2",
            "6.2.2",
            figure=total - len(missing),
            required=total,
            gap=len(missing),
        )
    return Finding(
        True,
        f"评审小组成员涵盖全部{total}类人员{cite('6.2.2')}",
        "R-6.2.2",
        "6.2.2",
        figure=total,
        required=total,
        gap=0,
    )


#: Review methods of §6.2.2: 查看资料, 现场考察, 答辩交流.
REVIEW_METHODS: tuple[str, ...] = ("材料评审", "实地考察", "答辩评审")
REVIEW_METHOD_KEYS: Mapping[str, str] = MappingProxyType(
    {"documents": "材料评审", "site_visit": "实地考察", "defense": "答辩评审"}
)


@dataclass(frozen=True)
class ReviewCriterion:
    """One scored criterion of the review form. ``method`` is one of :data:`REVIEW_METHODS`."""

    name: str
    method: str
    weight: float
    max_score: float = 100
    description: str = ""


#: Default review form (R-6.2.2): the three methods of §6.2.2; weights sum to 100.
DEFAULT_REVIEW_TEMPLATE: tuple[ReviewCriterion, ...] = (
    ReviewCriterion(
        "申报材料完整性与规范性", "材料评审", 20, description="附录A、B、C及附件齐全、规范、真实"
    ),
    ReviewCriterion(
        "服务领域与社区需求契合度", "材料评审", 20, description="服务领域、对象与社区实际需求的契合程度"
    ),
    ReviewCriterion(
        "实地考察：场地、团队与活动开展情况", "实地考察", 30, description="活动场地、成员队伍、已开展活动"
    ),
    ReviewCriterion(
        "答辩：负责人能力与发展规划", "答辩评审", 30, description="负责人能力、发展规划与孵化需求"
    ),
)


def _get(row: Any, name: str, default: Any = None) -> Any:
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def criteria_from_rows(rows: Iterable[Any]) -> list[ReviewCriterion]:
    """Build criteria from dicts or objects with ``name``/``criterion``, ``method``,
    ``weight`` and optional ``max_score`` (e.g. rows of a template child table)."""
    out = []
    for row in rows:
        name = _get(row, "criterion") or _get(row, "name")
        out.append(
            ReviewCriterion(
                name=str(name),
                method=str(_get(row, "method") or ""),
                weight=float(_get(row, "weight") or 0),
                max_score=float(_get(row, "max_score") or 100),
                description=str(_get(row, "description") or ""),
            )
        )
    return out


def template_problems(criteria: Sequence[ReviewCriterion]) -> list[str]:
    """R-6.2.2: problems of a review template (empty, duplicate names, non-positive weights
    or maxima, unknown method, a §6.2.2 method not covered). Chinese messages."""
    c = cite("6.2.2")
    if not criteria:
        return [f"评审模板至少应包含一项评分指标{c}"]
    problems = []
    names = Counter(cr.name for cr in criteria)
    problems += [f"评分指标“{n}”重复{c}" for n, k in names.items() if k > 1]
    problems += [f"评分指标“{cr.name}”的权重应大于0{c}" for cr in criteria if cr.weight <= 0]
    problems += [f"评分指标“{cr.name}”的满分应大于0{c}" for cr in criteria if cr.max_score <= 0]
    problems += [
        f"评分指标“{cr.name}”的评审方式“{cr.method}”无效，应为{'、'.join(REVIEW_METHODS)}之一{c}"
        for cr in criteria
        if cr.method not in REVIEW_METHODS
    ]
    missing = [m for m in REVIEW_METHODS if m not in {cr.method for cr in criteria}]
    if missing:
        problems.append(f"评审模板未包含以下评审方式：{'、'.join(missing)}{c}")
    return problems


def score_errors(
    scores: Mapping[str, float | None],
    criteria: Sequence[ReviewCriterion] = DEFAULT_REVIEW_TEMPLATE,
    *,
    clause: str = "6.2.2",
    appendix: str | None = None,
) -> list[str]:
    """R-6.2.2: Chinese messages for criteria without a score, or with a score outside
    ``0..max_score``. Empty list when the scores are complete and valid.

    Works for any criteria with ``name`` and ``max_score`` (the exit indicators reuse it
    with ``clause="8.1.1", appendix="D"``)."""
    c = cite(clause, appendix=appendix)
    errors = []
    for cr in criteria:
        value = scores.get(cr.name)
        if value is None or value == "":
            errors.append(f"评分指标“{cr.name}”尚未评分{c}")
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            errors.append(f"评分指标“{cr.name}”的得分“{value}”不是数字{c}")
            continue
        if not 0 <= value <= cr.max_score:
            errors.append(
                f"评分指标“{cr.name}”的得分应在0至{fmt_number(cr.max_score)}分之间，当前为{fmt_number(value)}分{c}"
            )
    return errors


def weighted_score(
    scores: Mapping[str, float],
    criteria: Sequence[ReviewCriterion] = DEFAULT_REVIEW_TEMPLATE,
    *,
    clause: str = "6.2.2",
    appendix: str | None = None,
) -> float:
    """R-6.2.2: one reviewer's total on a 0..100 scale:
    ``100 * sum(weight * score / max_score) / sum(weight)``, rounded to 2 decimals.

    ``scores`` maps criterion name -> score (0..max_score). Raises ``ValueError`` whose
    message joins the Chinese messages of :func:`score_errors` when a score is missing or
    out of range (controllers should call :func:`score_errors` first); also when the
    weights do not sum to a positive number. Any criteria with ``name``, ``weight`` and
    ``max_score`` work (``clause``/``appendix`` set the citation).
    """
    errors = score_errors(scores, criteria, clause=clause, appendix=appendix)
    if errors:
        raise ValueError("；".join(errors))
    total_weight = sum(cr.weight for cr in criteria)
    if total_weight <= 0:
        raise ValueError(f"评分模板的权重合计应大于0{cite(clause, appendix=appendix)}")
    achieved = sum(cr.weight * float(scores[cr.name]) / cr.max_score for cr in criteria)
    return round(100 * achieved / total_weight, 2)


#: Reviewer recommendations and their Chinese labels.
RECOMMENDATIONS: Mapping[str, str] = MappingProxyType(
    {"admit": "建议入驻", "reject": "不建议入驻", "revise": "补充材料后再议"}
)


@dataclass(frozen=True)
class ReviewerVote:
    """One panel member's result: total score (0..100) and recommendation.

    ``recommendation`` may be a key of :data:`RECOMMENDATIONS` or its Chinese label (it is
    stored as the key). ``category`` is a panel category key or label. Raises
    ``ValueError`` for an unknown recommendation or a score outside 0..100.
    """

    reviewer: str
    category: str
    total_score: float
    recommendation: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "recommendation", _key(self.recommendation, RECOMMENDATIONS, "评审意见"))
        score = float(self.total_score)
        if not 0 <= score <= 100:
            raise ValueError(
                f"评审专家{self.reviewer}的总分应在0至100分之间，当前为{fmt_number(score)}分{cite('6.2.2')}"
            )
        object.__setattr__(self, "total_score", score)


@dataclass(frozen=True)
class PanelDecision:
    """Outcome of :func:`aggregate_reviews`.

    ``ok`` is False when no decision can be made (no votes, too few votes, a reviewer
    counted twice); then ``decision`` is ``None`` and ``message`` says why. Otherwise
    ``decision`` is ``"admit"`` or ``"reject"`` and ``message`` explains it. ``panel`` is
    the R-6.2.2 panel-composition flag computed from the voters' categories.
    """

    ok: bool
    decision: str | None
    average: float | None
    counts: Mapping[str, int]
    votes: int
    pass_score: float
    message: str
    panel: Finding | None = None
    rule: str = "R-6.2.2"
    clause: str = "6.2.2"

    @property
    def admitted(self) -> bool:
        return self.decision == "admit"


def aggregate_reviews(
    reviews: Sequence[ReviewerVote],
    pass_score: float | None = None,
    settings: StandardSettings = DEFAULT_SETTINGS,
    min_votes: int = 1,
) -> PanelDecision:
    """R-6.2.2 (§6.2.2): the panel's decision from the reviewers' scores and recommendations.

    Admitted when the average total score >= ``pass_score`` (default
    ``settings.pass_score``, set by the center – the standard fixes no mark) AND strictly
    more than half of the reviewers recommend admission (建议入驻; 补充材料后再议 counts as
    not admitting). Otherwise rejected. With fewer than ``min_votes`` votes, or the same
    reviewer twice, no decision is made (``ok=False``).
    """
    pass_score = settings.pass_score if pass_score is None else float(pass_score)
    c = cite("6.2.2")
    counts = {k: 0 for k in RECOMMENDATIONS}
    for v in reviews:
        counts[v.recommendation] += 1
    counts_view = MappingProxyType(counts)
    n = len(reviews)

    def undecided(message: str) -> PanelDecision:
        return PanelDecision(False, None, None, counts_view, n, pass_score, message)

    if n == 0:
        return undecided(f"尚无评审专家提交评分和意见，无法形成评审结论{c}")
    if n < min_votes:
        return undecided(f"已有{n}名评审专家提交意见，至少需要{min_votes}名方可形成评审结论{c}")
    dupes = [r for r, k in Counter(v.reviewer for v in reviews).items() if k > 1]
    if dupes:
        return undecided(f"评审专家{'、'.join(dupes)}重复提交评审意见，请核对后再汇总{c}")

    average = round(sum(v.total_score for v in reviews) / n, 2)
    score_ok = sum(v.total_score for v in reviews) / n >= pass_score
    majority_ok = 2 * counts["admit"] > n
    decision = "admit" if score_ok and majority_ok else "reject"
    tally = "、".join(f"{label}{counts[k]}名" for k, label in RECOMMENDATIONS.items())
    reasons = []
    if not score_ok:
        reasons.append(f"平均分低于{fmt_number(pass_score)}分")
    if not majority_ok:
        reasons.append("建议入驻的评审专家未超过半数")
    verdict = "评审通过，建议入驻" if decision == "admit" else f"评审未通过（{'，'.join(reasons)}）"
    message = (
        f"{n}名评审专家平均分{fmt_number(average)}分（通过分数线{fmt_number(pass_score)}分），"
        f"{tally}，{verdict}{c}"
    )
    panel = check_panel(v.category for v in reviews)
    return PanelDecision(True, decision, average, counts_view, n, pass_score, message, panel)


# ======================================================================= R-6.3 notice


def notice_end_date(
    cal: WorkCalendar, start: DateLike, settings: StandardSettings = DEFAULT_SETTINGS
) -> date:
    """R-6.3 (§6.3): last day of the public notice of the admitted list – the
    ``settings.notice_working_days``-th working day counting from ``start`` (``start``
    itself counts if it is a working day). Computed, never typed.

    Raises :class:`~.calendar.UnknownYearError` when the period reaches a year whose holiday
    schedule is unknown (R-CAL).
    """
    return cal.nth_working_day(start, settings.notice_working_days)


def check_notice_period(
    cal: WorkCalendar, start: DateLike, end: DateLike | None, settings: StandardSettings = DEFAULT_SETTINGS
) -> Finding:
    """R-6.3 (§6.3), block: the notice must last at least ``settings.notice_working_days``
    working days, i.e. ``end`` must not be earlier than :func:`notice_end_date`.

    ``figure`` = working days from start to end, ``required`` = the minimum. An unknown
    year (R-CAL) yields ``ok=False`` with the :class:`UnknownYearError` message instead of
    raising.
    """
    days = settings.notice_working_days
    c = cite("6.3")
    start = as_date(start)
    try:
        earliest = notice_end_date(cal, start, settings)
        if end is None:
            return Finding(
                False,
                f"公示期不少于{days}个工作日：请填写公示截止日期，最早为{fmt_date(earliest)}{c}",
                "R-6.3",
                "6.3",
                enforcement="block",
                required=days,
            )
        end = as_date(end)
        if end < start:
            return Finding(
                False,
                f"公示截止日期{fmt_date(end)}早于开始日期{fmt_date(start)}{c}",
                "R-6.3",
                "6.3",
                enforcement="block",
                figure=0,
                required=days,
                gap=days,
            )
        counted = cal.working_days_between(start, end)
    except UnknownYearError as err:
        return Finding(False, err.message, "R-CAL", "6.3", enforcement="block", required=days)
    if end < earliest:
        return Finding(
            False,
            f"公示期不少于{days}个工作日：自{fmt_date(start)}起公示，截止日期不得早于{fmt_date(earliest)}"
            f"（当前{fmt_date(end)}，仅{counted}个工作日）{c}",
            "R-6.3",
            "6.3",
            enforcement="block",
            figure=counted,
            required=days,
            gap=days - counted,
        )
    return Finding(
        True,
        f"公示期{fmt_date(start)}至{fmt_date(end)}，共{counted}个工作日，不少于{days}个工作日{c}",
        "R-6.3",
        "6.3",
        enforcement="block",
        figure=counted,
        required=days,
        gap=0,
    )


def notice_state(start: DateLike, end: DateLike, today: DateLike) -> str:
    """R-6.3: ``"upcoming"`` before ``start``, ``"open"`` from ``start`` to ``end``
    inclusive, ``"ended"`` after ``end``."""
    start, end, today = as_date(start), as_date(end), as_date(today)
    if today < start:
        return "upcoming"
    if today <= end:
        return "open"
    return "ended"


NOTICE_STATES: Mapping[str, str] = MappingProxyType(
    {"upcoming": "未开始", "open": "公示中", "ended": "公示期满"}
)


def objection_window_open(start: DateLike, end: DateLike, today: DateLike) -> bool:
    """R-6.3: anyone may lodge an objection while the notice is open (start..end inclusive)."""
    return notice_state(start, end, today) == "open"


# ======================================================================= R-6.4 agreement


def check_agreement_allowed(
    notice_end: DateLike | None, today: DateLike, upheld_objections: int = 0, unresolved_objections: int = 0
) -> Finding:
    """R-6.4 (§6.4), gate: the admission agreement is signed only after the notice period has
    ended with no objection upheld. Refused when there was no notice, the notice has not
    ended yet (``today <= notice_end``), an objection was upheld, or objections are still
    being handled – each with its own message."""
    c = cite("6.4")

    def refuse(text: str) -> Finding:
        return Finding(False, text + c, "R-6.4", "6.4", enforcement="gate")

    if notice_end is None or notice_end == "":
        return refuse("入驻名单尚未公示，公示期满无异议后方可签订入驻协议")
    notice_end, today = as_date(notice_end), as_date(today)
    if today <= notice_end:
        return refuse(f"公示期至{fmt_date(notice_end)}届满，公示期满无异议后方可签订入驻协议")
    if upheld_objections > 0:
        return refuse(f"公示期内有{upheld_objections}件异议经核实成立，不得签订入驻协议")
    if unresolved_objections > 0:
        return refuse(f"尚有{unresolved_objections}件异议未处理完毕，处理完毕且异议不成立后方可签订入驻协议")
    return Finding(
        True,
        f"公示期已于{fmt_date(notice_end)}届满且无成立的异议，可以签订入驻协议{c}",
        "R-6.4",
        "6.4",
        enforcement="gate",
    )


# ======================================================================= R-8.1.1a term


def add_months_civil(start: DateLike, months: int) -> date:
    """End of a period of ``months`` months beginning the day after ``start`` (PRC Civil
    Code art. 201–202): the corresponding day of the final month, or that month's last day
    when it has no such day."""
    start = as_date(start)
    index = start.year * 12 + (start.month - 1) + int(months)
    year, month = divmod(index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def agreement_end_date(
    start: DateLike, months: int | None = None, settings: StandardSettings = DEFAULT_SETTINGS
) -> date:
    """R-8.1.1a (§8.1.1): last day of an incubation agreement starting on ``start`` and
    running ``months`` months (default ``settings.incubation_cycle_months`` = the
    standard's two-year cycle).

    Counted per the PRC Civil Code (《民法典》): art. 201 – the day the period starts is not
    counted, counting begins the next day; art. 202 – a period in months ends on the
    corresponding day of the final month, or on that month's last day when there is no
    such day. So 2025-10-14 + 24 -> 2027-10-14; 2024-02-29 + 24 -> 2026-02-28;
    2025-08-31 + 6 -> 2026-02-28. Art. 203 (a last day falling on a statutory holiday
    moves to the next day) concerns deadlines for acts and is not applied to the term.

    ``months`` must be >= 1 (``ValueError`` otherwise).
    """
    months = settings.incubation_cycle_months if months is None else months
    if int(months) != months or months < 1:
        raise ValueError(f"协议期限应为正整数个月，当前为{months}{cite('8.1.1')}")
    return add_months_civil(start, int(months))


#: Citation of the Civil Code articles used for month periods.
CIVIL_CODE_PERIOD_CITE = cite_source("CIVIL", "第二百零一条、第二百零二条")
