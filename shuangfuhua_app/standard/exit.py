"""Exit (出壳, §8): capability assessment, levels, outcomes, certificate, follow-up
(R-8.1.1a, R-8.1.1b, R-8.1.2, R-8.1.3, R-8.2, R-CONFIRM, R-X-VERIFY).

App. D (the exit indicator system) is referenced by the standard but not reproduced in the
seed; :data:`DEFAULT_EXIT_TEMPLATE` is the app's editable default, built from the five
blocks of §7 (党的建设, 能力提升, 人才培育, 扶持激励, 督导服务) and [LW2021]'s three exit
criteria (注册许可, 团队建设, 项目设计). Level thresholds come from
:class:`~.settings.StandardSettings`.

Decisions where the standard is silent (each documented in the README):

* **Weights total 100.** A template whose weights do not total 100 is refused, so that a
  weight reads as "points of the total" and the level thresholds mean the same for every
  template.
* **Measured indicators** take their score (0..100, scaled to the indicator's maximum) from
  the records through the ``measure_*`` functions below, never from the assessors. When
  the records hold nothing to measure (e.g. no annual service evaluation was ever held) the
  measurement has no score and the indicator falls back to the assessors' scores – the
  message says so. A rule that does not apply to the organization (no party secretary, so
  no reserve pool is required) scores full marks.
* **Per-year quotas over the cycle** (§7.3.1, §7.3.2 say "每年"): the cycle is cut into
  agreement years (协议年度) from the agreement's start; each person's quota for an
  agreement year is pro-rated by the whole months in role, as in ``training.py``.
* **Several assessors**: every assessor scores every manual indicator; the indicator's score
  is their average (at least ``settings.exit_min_assessors``).
* **Snapshot**: an assessment copies the template and the thresholds
  (:func:`take_snapshot`); a template or threshold changed later changes later assessments,
  not this one. Measured figures are frozen when the assessment is submitted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from .admission import add_months_civil, score_errors, weighted_score
from .calendar import DateLike, as_date
from .clauses import cite, cite_source
from .result import Finding, fmt_date, fmt_number
from .settings import DEFAULT_SETTINGS, StandardSettings

#: The four levels of §8.1.1, lowest first.
EXIT_LEVELS: Mapping[str, str] = MappingProxyType(
    {"fail": "不达标", "pass": "达标", "good": "良好", "excellent": "优秀"}
)
#: The level field's values (DocType Select options) -> level key.
LEVEL_VALUES: Mapping[str, str] = MappingProxyType(
    {"Not Up to Standard": "fail", "Up to Standard": "pass", "Good": "good", "Excellent": "excellent"}
)
#: level key -> the level field's value.
LEVEL_OF_KEY: Mapping[str, str] = MappingProxyType({v: k for k, v in LEVEL_VALUES.items()})

#: Outcomes after the assessment: §8.1.2 for 不达标, exit with follow-up otherwise.
EXIT_OUTCOMES: Mapping[str, str] = MappingProxyType(
    {"renew": "重新签订培育协议", "terminate": "终止培育孵化", "exit": "出壳并跟踪服务"}
)

#: [LW2021] 三（二）1.2）“出壳评估机制”: 注册许可、团队建设、项目设计; 一年至两年的跟踪期.
LW_EXIT = cite_source("LW2021", "三（二）1.2）")
#: [LW2021] 四（一）6 and 四（二）5: the business supervisory unit confirms exit results in the
#: first instance, the leading group office finally.
LW_CONFIRM = cite_source("LW2021", "四（一）6、四（二）5")

#: The five blocks of §7 (value of the dimension field -> Chinese label, clause).
EXIT_DIMENSIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Party Building": ("党的建设", "7.1"),
        "Capacity Building": ("能力提升", "7.2"),
        "Talent Cultivation": ("人才培育", "7.3"),
        "Support and Incentives": ("扶持激励", "7.4"),
        "Supervision": ("督导服务", "7.5"),
    }
)

#: An indicator scored by the assessors.
MANUAL = "Manual"
#: Measured sources (value of the source field -> Chinese label, citation).
MEASURED_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Registration or Filing": ("登记或备案情况", cite("7.4.2")),
        "Party Organization": ("党组织设置", cite("7.1.2")),
        "Class Hours": ("党务工作者和业务领军人才培训课时", cite("7.3.1")),
        "Reserve Talent": ("储备人才配备与培训", cite("7.3.2")),
        "Team Structure": ("团队结构", LW_EXIT),
        "Project Design": ("独立设计项目", LW_EXIT),
        "Venture Projects": ("公益微创投项目完成及测评", cite("7.4.5")),
        "Annual Service Evaluation": ("年度服务测评", cite("7.5.2.2")),
        "Resident Satisfaction": ("居民（服务对象）满意度", cite("7.5.2.2")),
        "Credit Evaluation": ("诚信测评", cite("7.5.2.3")),
    }
)

#: Team structure (§7.2, [LW2021] 团队建设): the posts a team that can run on its own has.
#: The app's decision: each of the four counts a quarter of the indicator.
TEAM_MIN_BACKBONE = 2
#: Which workflow states of a venture project count as approved (§7.5.1.5: after the initial
#: coaching) or closed is the caller's input (issue 15 §2: from what each state *means* on the
#: site, ``shuangfuhua_app.workflow_meanings``), never a list of state names here.
#: A closed project's evaluation result when no score was entered (§7.5.2.1; the app's scale).
PROJECT_RESULT_SCORES: Mapping[str, float] = MappingProxyType(
    {"Excellent": 95, "Good": 85, "Qualified": 70, "Unqualified": 0}
)
#: §7.5.2.3 credit status -> score (the app's scale).
CREDIT_SCORES: Mapping[str, float] = MappingProxyType(
    {"Good Standing": 100, "Minor Issues": 60, "Abnormal or Dishonest": 0}
)
_CREDIT_LABELS = {"Good Standing": "信用良好", "Minor Issues": "存在轻微问题", "Abnormal or Dishonest": "异常或失信"}


@dataclass(frozen=True)
class ExitIndicator:
    """One indicator of the exit assessment. ``measure`` is a key of
    :data:`MEASURED_SOURCES` (empty or :data:`MANUAL`: scored by the assessors);
    ``dimension`` a key of :data:`EXIT_DIMENSIONS`."""

    name: str
    dimension: str
    weight: float
    clause: str
    max_score: float = 100
    measure: str = ""
    description: str = ""

    @property
    def measured(self) -> bool:
        return bool(self.measure) and self.measure != MANUAL


#: Default exit indicator template (R-8.1.1b): §7's five blocks and [LW2021]'s exit
#: criteria; 13 indicators, 10 of them measured from the records; weights total 100.
DEFAULT_EXIT_TEMPLATE: tuple[ExitIndicator, ...] = (
    ExitIndicator(
        "党组织覆盖", "Party Building", 10, "7.1.2", measure="Party Organization",
        description="党员3名以上的成立党支部；暂不具备条件的设立党建指导员或党建联络员。"
        "按记录计：符合第7.1.2条得满分；应建支部而仅设指导员或联络员得一半；均未设立不得分。",
    ),
    ExitIndicator(
        "党建活动与“双同步”", "Party Building", 6, "7.1.3",
        description="开展党员咨询、教育培训、政策解读、主题党日和党群公益活动，党建与业务同步孵化、同步发展"
        "（第7.1.3条、第7.1.4条）。评估人员查阅活动记录评分。",
    ),
    ExitIndicator(
        "团队建设", "Capacity Building", 6, "7.2", measure="Team Structure",
        description="名册中有负责人、业务领军人才、党务工作力量（党务工作者、党组织书记、党建指导员或联络员）"
        f"和不少于{TEAM_MIN_BACKBONE}名骨干成员，每项占四分之一（[LW2021] 团队建设）。",
    ),
    ExitIndicator(
        "内部治理与制度建设", "Capacity Building", 10, "7.4.2",
        description="组织架构完整，财务、人事、志愿者管理等制度健全并有效执行，按时年检（年报）"
        "（第7.4.2条、第7.5.1.1条，[LW2021] 团队建设）。评估人员查阅制度文本和执行记录评分。",
    ),
    ExitIndicator(
        "项目设计能力", "Capacity Building", 10, "7.5.1.3", measure="Project Design",
        description="能独立设计项目并通过立项（[LW2021] 项目设计）。按记录计：有项目通过审批得满分；"
        "申报但未获批准得一半；未申报不得分。",
    ),
    ExitIndicator(
        "培训课时达标", "Talent Cultivation", 10, "7.3.1", measure="Class Hours",
        description="党务工作者和业务领军人才每个协议年度培训不少于18课时（按在任整月折算）；"
        "按完成率计分。",
    ),
    ExitIndicator(
        "储备人才队伍", "Talent Cultivation", 6, "7.3.2", measure="Reserve Talent",
        description="党组织书记与后备人选1:2配备，储备人才有个性化培养方案、每年培训不少于5次；"
        "三项完成率的平均。未设党组织书记且无储备人才的不适用，按满分计。",
    ),
    ExitIndicator(
        "登记备案与依法运行", "Support and Incentives", 8, "7.4.2", measure="Registration or Filing",
        description="已依法登记（统一社会信用代码）或备案（备案编号）（[LW2021] 注册许可）。",
    ),
    ExitIndicator(
        "公益项目承接与成效", "Support and Incentives", 10, "7.4.5", measure="Venture Projects",
        description="孵化期内承接的公益微创投项目结项及结项测评结果（第7.4.5条、第7.5.2.1条）；"
        "各结项项目测评分的平均，无结项项目不得分。",
    ),
    ExitIndicator(
        "年度服务测评", "Supervision", 10, "7.5.2.2", measure="Annual Service Evaluation",
        description="最近一次年度服务测评（镇街领导、职能科室、专家、社区）的综合平均分。",
    ),
    ExitIndicator(
        "居民（服务对象）满意度", "Supervision", 6, "7.5.2.2", measure="Resident Satisfaction",
        description="最近一次年度服务测评中“居民（服务对象）满意度”的平均分。",
    ),
    ExitIndicator(
        "诚信状况", "Supervision", 4, "7.5.2.3", measure="Credit Evaluation",
        description="最近一次诚信测评：信用良好得满分，存在轻微问题得60%，异常或失信不得分。",
    ),
    ExitIndicator(
        "督导整改与重大事项报告", "Supervision", 4, "7.5.1.2",
        description="按规定报告重大活动事项，对督导和测评中发现的问题按期整改（第7.5.1.2条、第7.5.2.4条）。"
        "评估人员查阅报告和整改记录评分。",
    ),
)


# ======================================================================= template


def _get(row: Any, name: str, default: Any = None) -> Any:
    if isinstance(row, Mapping):
        return row.get(name, default)
    return getattr(row, name, default)


def indicators_from_rows(rows: Iterable[Any]) -> list[ExitIndicator]:
    """Indicators from dicts or objects (e.g. template child rows) with ``indicator`` (or
    ``name``), ``dimension``, ``weight``, ``max_score``, ``source`` (or ``measure``),
    ``clause`` and ``guidance`` (or ``description``)."""
    out = []
    for row in rows:
        source = str(_get(row, "source") or _get(row, "measure") or "").strip()
        out.append(
            ExitIndicator(
                name=str(_get(row, "indicator") or _get(row, "name") or "").strip(),
                dimension=str(_get(row, "dimension") or "").strip(),
                weight=float(_get(row, "weight") or 0),
                clause=str(_get(row, "clause") or "").strip(),
                max_score=float(_get(row, "max_score") or 100),
                measure="" if source == MANUAL else source,
                description=str(_get(row, "guidance") or _get(row, "description") or ""),
            )
        )
    return out


def exit_template_problems(indicators: Sequence[ExitIndicator]) -> list[str]:
    """R-8.1.1b (§8.1.1, App. D), block: problems of an exit indicator template – none,
    a name twice, a weight or maximum not above 0, an unknown dimension or measured source,
    and weights that do not total 100. Chinese messages."""
    c = cite("8.1.1", appendix="D")
    if not indicators:
        return [f"出壳评估指标体系至少应包含一项指标{c}"]
    problems = []
    seen: set[str] = set()
    for ind in indicators:
        if not ind.name:
            problems.append(f"出壳评估指标须填写名称{c}")
        elif ind.name in seen:
            problems.append(f"出壳评估指标“{ind.name}”重复{c}")
        seen.add(ind.name)
        if ind.weight <= 0:
            problems.append(f"出壳评估指标“{ind.name}”的权重应大于0{c}")
        if ind.max_score <= 0:
            problems.append(f"出壳评估指标“{ind.name}”的满分应大于0{c}")
        if ind.dimension not in EXIT_DIMENSIONS:
            options = "、".join(label for label, _ in EXIT_DIMENSIONS.values())
            problems.append(f"出壳评估指标“{ind.name}”的维度应为{options}之一{c}")
        if ind.measured and ind.measure not in MEASURED_SOURCES:
            problems.append(f"出壳评估指标“{ind.name}”的数据来源“{ind.measure}”无效{c}")
    total = sum(ind.weight for ind in indicators)
    if abs(total - 100) > 0.005:
        problems.append(f"出壳评估指标权重合计应为100，当前为{fmt_number(total)}{c}")
    return problems


def template_coverage_finding(indicators: Sequence[ExitIndicator]) -> Finding:
    """R-8.1.1b (§8.1.1 "双孵化"的各类指标, §5), flag: the template should cover every block
    of §7. ``ok`` when all five are covered; the message names the missing ones."""
    covered = {ind.dimension for ind in indicators}
    missing = [label for key, (label, _) in EXIT_DIMENSIONS.items() if key not in covered]
    c = cite("8.1.1", appendix="D")
    if missing:
        return Finding(
            False, f"出壳评估指标体系未覆盖第7章的以下内容：{'、'.join(missing)}{c}", "R-8.1.1b", "8.1.1"
        )
    return Finding(True, f"出壳评估指标体系覆盖第7章党的建设、能力提升、人才培育、扶持激励、督导服务五大块{c}",
                   "R-8.1.1b", "8.1.1")


def exit_total(
    scores: Mapping[str, float], indicators: Sequence[ExitIndicator] = DEFAULT_EXIT_TEMPLATE
) -> float:
    """R-8.1.1b (§8.1.1, App. D): weighted total 0..100 of one set of indicator scores.
    ``ValueError`` (Chinese message) when the template is invalid (weights not totalling
    100, …) or a score is missing or out of range – check :func:`exit_score_errors` first."""
    problems = exit_template_problems(indicators)
    if problems:
        raise ValueError("；".join(problems))
    return weighted_score(scores, indicators, clause="8.1.1", appendix="D")


def exit_score_errors(
    scores: Mapping[str, float], indicators: Sequence[ExitIndicator] = DEFAULT_EXIT_TEMPLATE
) -> list[str]:
    """R-8.1.1b: Chinese messages for missing or out-of-range indicator scores."""
    return score_errors(scores, indicators, clause="8.1.1", appendix="D")


# ======================================================================= levels


def level_for(score: float, pass_score: float, good_score: float, excellent_score: float) -> str:
    """R-8.1.1b (§8.1.1): level key for a total with the given thresholds (inclusive)."""
    score = float(score)
    if score >= excellent_score:
        return "excellent"
    if score >= good_score:
        return "good"
    if score >= pass_score:
        return "pass"
    return "fail"


def exit_level(score: float, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """R-8.1.1b (§8.1.1): level key for a total score: ``"excellent"`` from
    ``settings.exit_excellent_score``, ``"good"`` from ``exit_good_score``, ``"pass"`` from
    ``exit_pass_score``, else ``"fail"`` (thresholds inclusive)."""
    return level_for(score, settings.exit_pass_score, settings.exit_good_score, settings.exit_excellent_score)


def exit_level_label(score: float, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """Chinese label of :func:`exit_level` (不达标/达标/良好/优秀)."""
    return EXIT_LEVELS[exit_level(score, settings)]


def level_key(level: str) -> str:
    """Key of a level given as key, Chinese label or the level field's value.
    ``ValueError`` (Chinese message) when unknown."""
    level = str(level or "").strip()
    if level in EXIT_LEVELS:
        return level
    if level in LEVEL_VALUES:
        return LEVEL_VALUES[level]
    for key, label in EXIT_LEVELS.items():
        if level == label:
            return key
    raise ValueError(f"未知的评估等级：“{level}”，可选：{'、'.join(EXIT_LEVELS.values())}{cite('8.1.1')}")


_level_key = level_key  # the name the first draft used


def can_start_exit_assessment(agreement_end: DateLike | None, today: DateLike) -> Finding:
    """R-8.1.1a (§8.1.1), gate: the capability assessment takes place once the two-year
    cycle has expired, i.e. after the agreement's last day."""
    c = cite("8.1.1")
    if agreement_end in (None, ""):
        return Finding(
            False, f"尚未签订入驻协议，无法确定双孵化周期{c}", "R-8.1.1a", "8.1.1", enforcement="gate"
        )
    end = as_date(agreement_end)
    if as_date(today) <= end:
        return Finding(
            False,
            f"双孵化周期至{fmt_date(end)}届满，期满后方可开展出壳能力评估{c}",
            "R-8.1.1a",
            "8.1.1",
            enforcement="gate",
        )
    return Finding(
        True,
        f"双孵化周期已于{fmt_date(end)}届满，可以开展出壳能力评估{c}",
        "R-8.1.1a",
        "8.1.1",
        enforcement="gate",
    )


def exit_due_for_reminder(
    agreement_end: DateLike, as_of: DateLike, settings: StandardSettings = DEFAULT_SETTINGS
) -> bool:
    """R-8.1.1a (§8.1.1), remind: the center is reminded of the coming exit assessment from
    ``settings.exit_reminder_days`` (60) days before the cycle's last day on (also after it,
    when no assessment was made)."""
    return as_date(as_of) >= as_date(agreement_end) - timedelta(days=settings.exit_reminder_days)


def exit_due_message(org: str, agreement_end: DateLike, as_of: DateLike) -> str:
    """R-8.1.1a (§8.1.1), remind: the Chinese reminder text."""
    end, today = as_date(agreement_end), as_date(as_of)
    if today > end:
        when = f"双孵化周期已于{fmt_date(end)}届满，尚未开展出壳能力评估"
    else:
        when = f"双孵化周期将于{fmt_date(end)}届满（还有{(end - today).days}天），请准备出壳能力评估"
    return f"{org}：{when}{cite('8.1.1')}"


# ======================================================================= measurements


@dataclass(frozen=True)
class Measurement:
    """What the records say for one measured indicator: ``score`` 0..100 (``None`` – the
    records hold nothing to measure, the assessors score the indicator), the Chinese
    ``basis`` with its citation, and the ``figures`` it came from (JSON-serialisable)."""

    source: str
    score: float | None
    basis: str
    figures: Mapping[str, Any] = field(default_factory=dict)
    applicable: bool = True


def _pct(value: float) -> str:
    return f"{fmt_number(value * 100)}%"


def _no_data(source: str, text: str, figures: Mapping[str, Any] | None = None) -> Measurement:
    label, citation = MEASURED_SOURCES[source]
    return Measurement(
        source, None, f"{label}：{text}，无法按记录计分，由评估人员评分{citation}", dict(figures or {})
    )


def cycle_windows(start: DateLike, end: DateLike) -> list[tuple[date, date, int]]:
    """Agreement years (协议年度) of an incubation cycle ``start``..``end``: ``(first day,
    last day, whole months)`` – 12 months each from the start, the last one up to ``end``
    (fewer months when the cycle is not a whole number of years)."""
    start, end = as_date(start), as_date(end)
    total = 0
    while add_months_civil(start, total + 1) <= end:
        total += 1
    windows = []
    first = 0
    while first < max(total, 1):
        months = min(12, total - first) if total else 0
        w_start = add_months_civil(start, first)
        w_end = end if first + 12 >= total else add_months_civil(start, first + 12) - timedelta(days=1)
        windows.append((w_start, w_end, months))
        first += 12
    return windows


def months_in_role_window(window_start: DateLike, months: int, joined: DateLike | None) -> int:
    """Whole months of an agreement year (``months`` months from ``window_start``) that
    begin on or after ``joined`` (all of them when ``joined`` is empty or earlier)."""
    ws = as_date(window_start)
    if joined in (None, ""):
        return months
    joined = as_date(joined)
    return sum(1 for m in range(months) if add_months_civil(ws, m) >= joined)


def _ceil_half(value: float) -> float:
    return math.ceil(round(float(value) * 2, 9)) / 2


def _in(d: DateLike, start: date, end: date) -> bool:
    return start <= as_date(d) <= end


def measure_class_hours(
    people: Sequence[Mapping[str, Any]],
    start: DateLike,
    end: DateLike,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> Measurement:
    """R-8.1.1b / R-7.3.1a (§7.3.1): class-hour compliance of the party affairs workers and
    business leaders over the cycle.

    ``people``: ``label``, ``joined`` (in role since, or ``None``) and ``attended`` – the
    ``(date, hours)`` of training sessions they attended – or ``(date, hours, source)``, the
    source of the participant row ("QR": a confirmed QR sign-in, anything else typed). Per
    agreement year the requirement is ``settings.annual_class_hours`` pro-rated by whole months
    in role (rounded up to half an hour); the score is 100 × the mean of
    ``min(1, hours / required)``. Nobody in these roles: no score (the assessors score it).

    Issue 16 §4 (the evidence): of the counted hours, how many come from confirmed QR
    sessions and how many from typed rows – per row (``qr_hours``, ``typed_hours``), in total
    (figures ``hours``, ``qr_hours``, ``typed_hours``) and in the basis."""
    src = "Class Hours"
    windows = cycle_windows(start, end)
    rows = []
    for p in people:
        for no, (ws, we, months) in enumerate(windows, 1):
            in_role = months_in_role_window(ws, months, p.get("joined"))
            required = _ceil_half(settings.annual_class_hours * in_role / 12)
            if required <= 0:
                continue
            counted = [(float(e[1] or 0), is_qr_source(e[2] if len(e) > 2 else None))
                       for e in p.get("attended", ()) if _in(e[0], ws, we)]
            hours = round(sum(h for h, _qr in counted), 2)
            qr = round(sum(h for h, from_qr in counted if from_qr), 2)
            rows.append(
                {"person": p.get("label", ""), "year_no": no, "from": ws.isoformat(), "to": we.isoformat(),
                 "hours": hours, "required": required, "qr_hours": qr, "typed_hours": round(hours - qr, 2)}
            )
    if not rows:
        return _no_data(src, "名册中没有在任的党务工作者和业务领军人才")
    attainment = sum(min(1.0, r["hours"] / r["required"]) for r in rows) / len(rows)
    reached = sum(1 for r in rows if r["hours"] >= r["required"])
    total = round(sum(r["hours"] for r in rows), 2)
    qr_total = round(sum(r["qr_hours"] for r in rows), 2)
    typed_total = round(total - qr_total, 2)
    detail = "；".join(f"{r['person']}第{r['year_no']}协议年度{fmt_number(r['hours'])}/{fmt_number(r['required'])}课时"
                      for r in rows)
    basis = (
        f"党务工作者和业务领军人才按协议年度计{len(rows)}人次，达标{reached}人次，课时完成率{_pct(attainment)}"
        f"（{detail}）；{class_hours_evidence(total, qr_total, typed_total)}{cite('7.3.1')}"
    )
    return Measurement(src, round(100 * attainment, 2), basis, {
        "rows": rows, "attainment": round(attainment, 4),
        "hours": total, "qr_hours": qr_total, "typed_hours": typed_total,
    })


#: the participant row's source of a confirmed QR sign-in (issue 16)
QR_SOURCE = "QR"


def is_qr_source(source: Any) -> bool:
    """Issue 16 §4: does a participant row count as evidence of a confirmed QR session?
    Only rows with source "QR" (written when staff confirm the sheet); typed rows, bulk-added
    rows and rows from before the QR sign-in (no source) are typed."""
    return str(source or "").strip() == QR_SOURCE


def class_hours_evidence(total: float, qr: float, typed: float) -> str:
    """Issue 16 §4, R-7.3.1a (§7.3.1): the evidence of the counted class hours – how many come
    from confirmed QR sign-ins and how many were typed."""
    return (f"计入课时{fmt_number(total)}，其中扫码签到确认{fmt_number(qr)}课时，"
            f"手工录入{fmt_number(typed)}课时")


def measure_party_organization(
    party_members: int,
    has_branch: bool,
    has_instructor: bool,
    has_liaison: bool,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> Measurement:
    """R-8.1.1b / R-7.1.2 (§7.1.2): the party organization form. The rule met: 100; an
    organization that should have a branch but has only an instructor or liaison: 50;
    neither: 0."""
    from .party import check_party_organization

    finding = check_party_organization(party_members, has_branch, has_instructor, has_liaison, settings)
    if finding.ok:
        score = 100.0
    elif has_instructor or has_liaison:
        score = 50.0
    else:
        score = 0.0
    figures = {"party_members": int(party_members or 0), "has_branch": bool(has_branch),
               "has_instructor": bool(has_instructor), "has_liaison": bool(has_liaison),
               "threshold": settings.party_branch_threshold}
    return Measurement("Party Organization", score, finding.message, figures)


def measure_reserve_talent(
    secretaries: int,
    reserves: Sequence[Mapping[str, Any]],
    start: DateLike,
    end: DateLike,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> Measurement:
    """R-8.1.1b / R-7.3.2a–b (§7.3.2): the reserve talent pool – three parts, each a
    completion rate, averaged over the parts that apply: the 1:2 ratio to the party
    secretaries (applies with a secretary), personal training plans, and trainings per
    agreement year (``settings.reserve_trainings_per_year`` pro-rated by whole months,
    rounded up). ``reserves``: ``label``, ``joined``, ``has_plan``, ``trainings`` (dates).
    Neither a secretary nor a reserve: not applicable, full marks."""
    src = "Reserve Talent"
    secretaries = int(secretaries or 0)
    c = cite("7.3.2")
    parts: dict[str, float] = {}
    texts = []
    required = secretaries * settings.reserve_ratio
    if secretaries:
        parts["ratio"] = min(1.0, len(reserves) / required) if required else 1.0
        texts.append(f"党组织书记{secretaries}名，按1:{settings.reserve_ratio}应有后备人选{required}名，现有{len(reserves)}名")
    rows = []
    if reserves:
        with_plan = sum(1 for r in reserves if r.get("has_plan"))
        parts["plan"] = with_plan / len(reserves)
        texts.append(f"{with_plan}/{len(reserves)}名储备人才有个性化培养方案")
        for r in reserves:
            for no, (ws, we, months) in enumerate(cycle_windows(start, end), 1):
                in_role = months_in_role_window(ws, months, r.get("joined"))
                need = math.ceil(round(settings.reserve_trainings_per_year * in_role / 12, 9))
                if need <= 0:
                    continue
                done = sum(1 for d in r.get("trainings", ()) if _in(d, ws, we))
                rows.append({"person": r.get("label", ""), "year_no": no, "trainings": done, "required": need})
        if rows:
            parts["trainings"] = sum(min(1.0, x["trainings"] / x["required"]) for x in rows) / len(rows)
            texts.append(
                "培训" + "；".join(f"{x['person']}第{x['year_no']}协议年度{x['trainings']}/{x['required']}次" for x in rows)
            )
    figures = {"secretaries": secretaries, "reserves": len(reserves), "required_reserves": required,
               "rows": rows, "parts": {k: round(v, 4) for k, v in parts.items()}}
    if not parts:
        return Measurement(
            src, 100.0, f"储备人才配备与培训：未设党组织书记，亦无储备人才，不适用，按满分计{c}", figures, applicable=False
        )
    score = round(100 * sum(parts.values()) / len(parts), 2)
    return Measurement(src, score, f"{'，'.join(texts)}，完成率{fmt_number(score)}%{c}", figures)


def measure_registration(org_type: str | None, uscc: str | None, filing_number: str | None) -> Measurement:
    """R-8.1.1b (§7.4.2, [LW2021] 注册许可; §3.1: 依法登记备案): registered with a USCC or
    filed with a filing number – 100; neither – 0."""
    src = "Registration or Filing"
    figures = {"org_type": org_type or "", "uscc": uscc or "", "filing_number": filing_number or ""}
    if org_type == "Registered" and uscc:
        return Measurement(src, 100.0, f"已依法登记，统一社会信用代码{uscc}{cite('7.4.2')}", figures)
    if org_type == "Filed" and filing_number:
        return Measurement(src, 100.0, f"已依法备案，备案编号{filing_number}{cite('7.4.2')}", figures)
    return Measurement(src, 0.0, f"尚无登记或备案记录{cite('7.4.2')}", figures)


def measure_team_structure(counts: Mapping[str, int]) -> Measurement:
    """R-8.1.1b ([LW2021] 团队建设, §7.2): the roster has a head, a business leader, party
    work staff (party affairs worker, party secretary, instructor or liaison) and at least
    :data:`TEAM_MIN_BACKBONE` backbone members – a quarter each. ``counts`` holds
    ``head``, ``business_leader``, ``party_worker``, ``backbone``, ``members``."""
    elements = (
        ("负责人", int(counts.get("head") or 0) >= 1),
        ("业务领军人才", int(counts.get("business_leader") or 0) >= 1),
        ("党务工作力量", int(counts.get("party_worker") or 0) >= 1),
        (f"骨干成员{TEAM_MIN_BACKBONE}名以上", int(counts.get("backbone") or 0) >= TEAM_MIN_BACKBONE),
    )
    have = [name for name, ok in elements if ok]
    lack = [name for name, ok in elements if not ok]
    score = round(100 * len(have) / len(elements), 2)
    text = f"名册现有成员{int(counts.get('members') or 0)}名，骨干成员{int(counts.get('backbone') or 0)}名"
    text += f"；已具备：{'、'.join(have)}" if have else ""
    text += f"；尚缺：{'、'.join(lack)}" if lack else ""
    return Measurement("Team Structure", score, text + LW_EXIT, {k: int(v or 0) for k, v in counts.items()})


def measure_project_design(projects: Sequence[Mapping[str, Any]], approved_states: Collection[str]) -> Measurement:
    """R-8.1.1b ([LW2021] 项目设计: 可以独立设计项目; §7.5.1.3, §7.5.1.5): venture projects
    the organization designed and applied for during the cycle – one approved (its state one
    of ``approved_states``: carried out or closed after approval): 100; applied, none
    approved: 50; none: 0. ``projects``: ``name``, ``project_name``, ``state``."""
    approved = [p for p in projects if p.get("state") in approved_states]
    figures = {"applied": [p.get("name") for p in projects], "approved": [p.get("name") for p in approved]}
    if approved:
        names = "、".join(f"“{p.get('project_name') or p.get('name')}”" for p in approved)
        return Measurement("Project Design", 100.0, f"孵化期内申报项目{len(projects)}个，通过立项{len(approved)}个（{names}）{LW_EXIT}", figures)
    if projects:
        return Measurement("Project Design", 50.0, f"孵化期内申报项目{len(projects)}个，均未通过立项{LW_EXIT}", figures)
    return Measurement("Project Design", 0.0, f"孵化期内未申报公益微创投项目{LW_EXIT}", figures)


def _project_score(p: Mapping[str, Any]) -> float | None:
    score = p.get("evaluation_score")
    if score not in (None, "") and float(score) > 0:
        return float(score)
    return PROJECT_RESULT_SCORES.get(p.get("evaluation_result") or "")


def measure_venture_projects(projects: Sequence[Mapping[str, Any]], closed_states: Collection[str]) -> Measurement:
    """R-8.1.1b (§7.4.5, §7.5.2.1): venture projects completed (closed) and their closing
    evaluation – the mean score of the closed projects (state one of ``closed_states``; the evaluation score, or
    :data:`PROJECT_RESULT_SCORES` for the result when no score was entered). No closed
    project: 0. Closed projects without any evaluation: no score (the assessors score it)."""
    src = "Venture Projects"
    closed = [p for p in projects if p.get("state") in closed_states]
    rows = [{"name": p.get("name"), "project_name": p.get("project_name"), "score": _project_score(p),
             "evaluation_result": p.get("evaluation_result") or ""} for p in closed]
    figures = {"undertaken": len(projects), "closed": len(closed), "rows": rows}
    c = cite("7.4.5")
    if not closed:
        return Measurement(src, 0.0, f"孵化期内承接公益微创投项目{len(projects)}个，无结项项目{c}", figures)
    scored = [r for r in rows if r["score"] is not None]
    if not scored:
        return _no_data(src, f"结项项目{len(closed)}个均无结项测评结果", figures)
    mean = round(sum(r["score"] for r in scored) / len(scored), 2)
    detail = "、".join(f"“{r['project_name'] or r['name']}”{fmt_number(r['score'])}分" for r in scored)
    unscored = len(closed) - len(scored)
    note = f"，{unscored}个结项项目无测评结果未计入" if unscored else ""
    return Measurement(
        src, mean,
        f"孵化期内承接公益微创投项目{len(projects)}个，结项{len(closed)}个，结项测评平均{fmt_number(mean)}分（{detail}）{note}{c}",
        figures,
    )


def measure_service_evaluation(summary: Mapping[str, Any]) -> Measurement:
    """R-8.1.1b (§7.5.2.2, §7.5.2.4): the overall average of the latest annual service
    evaluation (``summary`` as ``support.exit_evaluation_summary`` returns it)."""
    annual = summary.get("annual") or {}
    score = annual.get("overall_score")
    if not annual or score in (None, ""):
        return _no_data("Annual Service Evaluation", "尚无年度服务测评结果")
    figures = {"evaluation": annual.get("name"), "evaluation_year": annual.get("evaluation_year"),
               "overall_score": float(score)}
    return Measurement(
        "Annual Service Evaluation", round(float(score), 2),
        f"{annual.get('evaluation_year')}年度服务测评综合平均分{fmt_number(score)}分{cite('7.5.2.2')}", figures,
    )


def measure_resident_satisfaction(summary: Mapping[str, Any]) -> Measurement:
    """R-8.1.1b (§7.5.2.2): the resident (service recipient) satisfaction average of the
    latest annual service evaluation."""
    annual = summary.get("annual") or {}
    score = annual.get("avg_resident_satisfaction")
    if not annual or score in (None, ""):
        return _no_data("Resident Satisfaction", "最近的年度服务测评中无居民（服务对象）满意度评分")
    figures = {"evaluation": annual.get("name"), "evaluation_year": annual.get("evaluation_year"),
               "avg_resident_satisfaction": float(score)}
    return Measurement(
        "Resident Satisfaction", round(float(score), 2),
        f"{annual.get('evaluation_year')}年度服务测评居民（服务对象）满意度平均{fmt_number(score)}分{cite('7.5.2.2')}",
        figures,
    )


def measure_credit(summary: Mapping[str, Any]) -> Measurement:
    """R-8.1.1b (§7.5.2.3): the latest credit evaluation – :data:`CREDIT_SCORES`."""
    credit = summary.get("credit") or {}
    status = credit.get("credit_status")
    if status not in CREDIT_SCORES:
        return _no_data("Credit Evaluation", "尚无诚信测评结果")
    figures = {"evaluation": credit.get("name"), "evaluation_year": credit.get("evaluation_year"), "credit_status": status}
    return Measurement(
        "Credit Evaluation", CREDIT_SCORES[status],
        f"{credit.get('evaluation_year')}年诚信测评为{_CREDIT_LABELS[status]}{cite('7.5.2.3')}", figures,
    )


# ======================================================================= the assessment


@dataclass(frozen=True)
class ExitSnapshot:
    """What an assessment is scored against, copied when it is made: the indicators and
    the level thresholds (R-8.1.1b). Later changes to the template or the settings do not
    reach a snapshot."""

    indicators: tuple[ExitIndicator, ...]
    pass_score: float
    good_score: float
    excellent_score: float
    min_assessors: int = 1

    def level(self, total: float) -> str:
        return level_for(total, self.pass_score, self.good_score, self.excellent_score)


def take_snapshot(indicators: Iterable[Any], settings: StandardSettings = DEFAULT_SETTINGS) -> ExitSnapshot:
    """R-8.1.1b (§8.1.1, App. D): copy a template (indicators or rows, see
    :func:`indicators_from_rows`) and the settings' thresholds. ``ValueError`` with the
    Chinese problems of :func:`exit_template_problems` when the template is invalid."""
    items = [i if isinstance(i, ExitIndicator) else indicators_from_rows([i])[0] for i in indicators]
    problems = exit_template_problems(items)
    if problems:
        raise ValueError("；".join(problems))
    return ExitSnapshot(
        tuple(items), float(settings.exit_pass_score), float(settings.exit_good_score),
        float(settings.exit_excellent_score), int(settings.exit_min_assessors),
    )


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's result: ``score`` on the indicator's scale, ``points`` its weighted
    share of the total; ``measured`` when the score came from the records."""

    indicator: ExitIndicator
    measured: bool
    measured_score: float | None
    manual_average: float | None
    assessors: int
    score: float | None
    points: float | None
    basis: str


@dataclass(frozen=True)
class ExitResult:
    rows: tuple[IndicatorResult, ...]
    total: float | None
    level: str | None
    errors: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.errors

    @property
    def level_label(self) -> str:
        return EXIT_LEVELS[self.level] if self.level else ""


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def assess(
    snapshot: ExitSnapshot,
    measurements: Mapping[str, Measurement],
    sheets: Mapping[str, Mapping[str, Any]],
) -> ExitResult:
    """R-8.1.1b (§8.1.1, App. D): the result of an assessment.

    ``measurements``: indicator name -> :class:`Measurement` for the measured indicators;
    ``sheets``: assessor -> (indicator name -> score 0..max). A measured indicator with a
    score takes it (scaled to the indicator's maximum) and ignores the assessors; the other
    indicators take the average of the assessors' scores – every assessor scores each of
    them. ``errors`` lists (in Chinese) too few assessors, scores missing, not numbers or
    out of range; ``total``/``level`` are only set when there is no error."""
    c = cite("8.1.1", appendix="D")
    errors: list[str] = []
    if len(sheets) < snapshot.min_assessors:
        errors.append(f"出壳能力评估应由不少于{snapshot.min_assessors}名评估人员评分，当前{len(sheets)}名{c}")
    rows = []
    for ind in snapshot.indicators:
        m = measurements.get(ind.name) if ind.measured else None
        if ind.measured and m is None:
            errors.append(f"指标“{ind.name}”尚未按记录计量{c}")
        if m is not None and m.score is not None:
            score = round(float(m.score) * ind.max_score / 100, 2)
            rows.append(IndicatorResult(ind, True, float(m.score), None, 0, score,
                                        round(ind.weight * score / ind.max_score, 4), m.basis))
            continue
        values = []
        for assessor, sheet in sheets.items():
            value = _number(sheet.get(ind.name))
            if value is None:
                errors.append(f"评估人员“{assessor}”尚未对指标“{ind.name}”评分{c}")
            elif math.isnan(value):
                errors.append(f"评估人员“{assessor}”对指标“{ind.name}”的评分“{sheet.get(ind.name)}”不是数字{c}")
            elif not 0 <= value <= ind.max_score:
                errors.append(
                    f"评估人员“{assessor}”对指标“{ind.name}”的评分应在0至{fmt_number(ind.max_score)}分之间，"
                    f"当前为{fmt_number(value)}分{c}"
                )
            else:
                values.append(value)
        average = round(sum(values) / len(values), 2) if values else None
        basis = m.basis if m is not None else ""
        points = round(ind.weight * average / ind.max_score, 4) if average is not None else None
        rows.append(IndicatorResult(ind, False, None, average, len(values), average, points, basis))
    total = level = None
    if not errors:
        total = round(sum(r.points for r in rows), 2)
        level = snapshot.level(total)
    return ExitResult(tuple(rows), total, level, tuple(errors))


# ======================================================================= R-CONFIRM

#: Workflow states of the exit assessment, in order; "Returned" ends a record that is
#: assessed again (amended).
CONFIRM_ORDER = ("Draft", "Assessed", "First-instance Confirmed", "Finally Confirmed")
RETURNED_STATE = "Returned for Reassessment"
#: state -> (the role that moves a record into it, Chinese name of the step)
CONFIRM_STEPS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "First-instance Confirmed": ("Business Supervisory Unit", "业务主管单位初审确认"),
        "Finally Confirmed": ("Leading Group Office", "领导小组办公室最终认定"),
    }
)
_ROLE_LABELS = {"Business Supervisory Unit": "业务主管单位", "Leading Group Office": "领导小组办公室",
                "Center Staff": "中心工作人员", "Center Head": "中心负责人"}


def check_confirmation(previous: str | None, new: str, roles: Iterable[str]) -> Finding:
    """R-CONFIRM ([LW2021] 四（一）6、四（二）5), gate: exit results are confirmed first by
    the business supervisory unit, finally by the leading group office – one step at a time
    (Assessed -> First-instance Confirmed -> Confirmed), each by its own role. A record may
    be returned for reassessment before the final confirmation. Also holds when a workflow
    is loosened in Desk."""
    roles = set(roles)
    previous = previous or "Draft"
    ok = lambda text: Finding(True, text + LW_CONFIRM, "R-CONFIRM", "8.1.1", enforcement="gate")  # noqa: E731
    bad = lambda text: Finding(False, text + LW_CONFIRM, "R-CONFIRM", "8.1.1", enforcement="gate")  # noqa: E731
    if new == previous:
        return ok("状态未变")
    if new == RETURNED_STATE:
        if previous == "Finally Confirmed":
            return bad("出壳评估结果已由领导小组办公室最终认定，不能退回重新评估")
        return ok("退回重新评估")
    if new in CONFIRM_STEPS:
        role, step = CONFIRM_STEPS[new]
        expected_previous = CONFIRM_ORDER[CONFIRM_ORDER.index(new) - 1]
        if previous != expected_previous:
            return bad(f"{step}须在“{_state_label(expected_previous)}”之后进行，当前为“{_state_label(previous)}”")
        if role not in roles:
            return bad(f"{step}只能由{_ROLE_LABELS[role]}进行")
        return ok(step)
    if new == "Assessed":
        if previous != "Draft":
            return bad(f"出壳评估不能从“{_state_label(previous)}”回到“已评估”")
        return ok("提交评估结果")
    return bad(f"出壳评估不能从“{_state_label(previous)}”改为“{_state_label(new)}”")


_STATE_LABELS = {"Draft": "草稿", "Assessed": "已评估", "First-instance Confirmed": "业务主管单位已初审",
                 "Finally Confirmed": "领导小组办公室已认定", RETURNED_STATE: "退回重新评估"}


def _state_label(state: str | None) -> str:
    return _STATE_LABELS.get(state or "Draft", state or "")


# ======================================================================= outcomes


def allowed_outcomes(level: str) -> tuple[str, ...]:
    """R-8.1.2 (§8.1.2): outcome keys allowed for a level – 不达标: re-sign a new incubation
    agreement or terminate; 达标 and above: exit with follow-up service (§8.2)."""
    return ("renew", "terminate") if level_key(level) == "fail" else ("exit",)


def check_exit_outcome(level: str, outcome: str) -> Finding:
    """R-8.1.2 (§8.1.2), gate: the chosen outcome must fit the level (see
    :func:`allowed_outcomes`). Level and outcome accept keys or Chinese labels."""
    key = level_key(level)
    out = str(outcome or "").strip()
    out = next((k for k, v in EXIT_OUTCOMES.items() if out in (k, v)), out)
    allowed = allowed_outcomes(key)
    clause = "8.1.2" if key == "fail" else "8.2"
    if out in allowed:
        return Finding(
            True,
            f"评估等级为{EXIT_LEVELS[key]}，处理方式为{EXIT_OUTCOMES[out]}{cite(clause)}",
            "R-8.1.2",
            clause,
            enforcement="gate",
        )
    options = "或".join(EXIT_OUTCOMES[k] for k in allowed)
    return Finding(
        False,
        f"评估等级为{EXIT_LEVELS[key]}的社区社会组织应{options}{cite(clause)}",
        "R-8.1.2",
        clause,
        enforcement="gate",
    )


def certificate_due(level: str) -> bool:
    """R-8.1.3 (§8.1.3): an honor certificate (荣誉证书) is awarded to 优秀 orgs."""
    return level_key(level) == "excellent"


def follow_up_required(level: str) -> bool:
    """R-8.2 (§8.2): 达标 and above get follow-up service."""
    return level_key(level) != "fail"


# ======================================================================= R-8.2 follow-up


def follow_up_end_date(
    start: DateLike, settings: StandardSettings = DEFAULT_SETTINGS, months: int | None = None
) -> date:
    """R-8.2 (§8.2): last day of the follow-up service that starts on ``start`` (the exit
    date) and lasts at least ``settings.follow_up_months`` (12; [LW2021]: 1–2 years),
    counted like the agreement term (Civil Code art. 201–202, start day not counted)."""
    months = settings.follow_up_months if months is None else int(months)
    if months < 1:
        raise ValueError(f"跟踪服务期应为正整数个月，当前为{months}{cite('8.2')}")
    return add_months_civil(start, months)


def _span(months: int) -> str:
    return f"{fmt_number(months / 12)}年" if months % 12 == 0 else f"{months}个月"


def check_follow_up_period(
    start: DateLike, end: DateLike, settings: StandardSettings = DEFAULT_SETTINGS
) -> Finding:
    """R-8.2 (§8.2), block: a follow-up period may not be shorter than
    ``settings.follow_up_months`` nor longer than ``settings.follow_up_max_months``
    ([LW2021]: 一年至两年的跟踪期)."""
    earliest = follow_up_end_date(start, settings)
    months = settings.follow_up_months
    span = _span(months)
    if as_date(end) < earliest:
        return Finding(
            False,
            f"跟踪服务期不少于{span}，自{fmt_date(as_date(start))}起应至少至{fmt_date(earliest)}{cite('8.2')}",
            "R-8.2",
            "8.2",
            enforcement="block",
            required=months,
        )
    latest = follow_up_end_date(start, settings, max(settings.follow_up_max_months, months))
    if as_date(end) > latest:
        return Finding(
            False,
            f"跟踪服务期最长{_span(max(settings.follow_up_max_months, months))}，自{fmt_date(as_date(start))}起"
            f"最迟至{fmt_date(latest)}{LW_EXIT}",
            "R-8.2",
            "8.2",
            enforcement="block",
            required=months,
        )
    return Finding(
        True,
        f"跟踪服务期至{fmt_date(as_date(end))}，不少于{span}{cite('8.2')}",
        "R-8.2",
        "8.2",
        enforcement="block",
        required=months,
    )


#: §8.2.2–8.2.4 follow-up services (value -> Chinese label, clause).
FOLLOW_UP_SERVICES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Brand Building": ("品牌塑造", "8.2.2"),
        "Resource Linking": ("资源链接", "8.2.3"),
        "Joint Supervision": ("协助有关部门服务和监管", "8.2.4"),
    }
)
#: §8.2.3 resources linked (value -> Chinese).
RESOURCE_KINDS: Mapping[str, str] = MappingProxyType(
    {"Expert": "专家", "Social Worker": "社工", "Volunteer Team": "志愿者队伍", "Other Resource": "其他资源"}
)


def check_follow_up_record(service_type: str | None, resource_kind: str | None) -> str | None:
    """R-8.2 (§8.2.2–8.2.4), block: a service record names one of the three services; a
    resource-linking record names what was linked (expert, social worker, volunteer team,
    …). ``None`` when fine, else the Chinese message."""
    if service_type not in FOLLOW_UP_SERVICES:
        options = "、".join(label for label, _ in FOLLOW_UP_SERVICES.values())
        return f"跟踪服务类型应为{options}之一，当前为“{service_type or '空'}”{cite('8.2')}"
    if service_type == "Resource Linking" and resource_kind not in RESOURCE_KINDS:
        return f"资源链接服务须注明对接的资源（{'、'.join(RESOURCE_KINDS.values())}）{cite('8.2.3')}"
    return None


def follow_up_coverage_finding(service_types: Iterable[str]) -> Finding:
    """R-8.2 (§8.2.2–8.2.4), flag: which of the three follow-up services have been given."""
    given = set(service_types)
    missing = [label for key, (label, _) in FOLLOW_UP_SERVICES.items() if key not in given]
    if missing:
        return Finding(False, f"跟踪服务尚未开展：{'、'.join(missing)}{cite('8.2')}", "R-8.2", "8.2")
    return Finding(True, f"已开展品牌塑造、资源链接、协助有关部门服务和监管三类跟踪服务{cite('8.2')}", "R-8.2", "8.2")


def follow_up_ending_soon(end: DateLike, as_of: DateLike, settings: StandardSettings = DEFAULT_SETTINGS) -> bool:
    """R-8.2, remind: the follow-up period ends within ``settings.follow_up_reminder_days``."""
    days = (as_date(end) - as_date(as_of)).days
    return 0 <= days <= settings.follow_up_reminder_days


def follow_up_ending_message(org: str, end: DateLike, as_of: DateLike) -> str:
    days = (as_date(end) - as_date(as_of)).days
    return f"{org}：出壳跟踪服务期将于{fmt_date(as_date(end))}届满（还有{days}天），请总结跟踪服务情况{cite('8.2')}"


# ======================================================================= R-8.1.3 / R-X-VERIFY

_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")


def normalize_certificate_number(value: Any) -> str | None:
    """R-X-VERIFY: a certificate number as typed or scanned (spaces and case ignored);
    ``None`` when it cannot be a number the app issues."""
    text = re.sub(r"\s+", "", str(value or "")).upper()
    return text if _NUMBER.match(text) else None


def verification_message(number: str, found: Mapping[str, Any] | None) -> tuple[str, str]:
    """R-X-VERIFY / R-8.1.3 (§8.1.3): ``(state, Chinese message)`` for the public check of a
    certificate number – ``"genuine"``, ``"revoked"`` or ``"unknown"``. ``found`` holds only
    what may be published: ``status``, ``org_name``, ``level_label``, ``issue_date``,
    ``issuer``, ``revoked_on``."""
    if not found:
        return "unknown", (
            f"未查到编号为“{number}”的荣誉证书。请核对编号；编号无误的，该证书不是本系统颁发的，"
            f"请向颁发单位核实{cite('8.1.3')}"
        )
    if found.get("status") == "Revoked":
        when = f"已于{fmt_date(as_date(found['revoked_on']))}" if found.get("revoked_on") else "已"
        return "revoked", f"编号为“{number}”的荣誉证书{when}由颁发单位撤销，不再有效{cite('8.1.3')}"
    return "genuine", (
        f"经核验，编号为“{number}”的荣誉证书真实有效：{found.get('org_name')}在社区社会组织“双孵化”出壳能力评估中"
        f"被评为{found.get('level_label') or EXIT_LEVELS['excellent']}，由{found.get('issuer')}于"
        f"{fmt_date(as_date(found['issue_date']))}颁发{cite('8.1.3')}"
    )
