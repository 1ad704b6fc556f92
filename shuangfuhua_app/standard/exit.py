"""Exit (出壳, §8): capability assessment levels, outcomes, certificate, follow-up
(R-8.1.1a, R-8.1.1b, R-8.1.2, R-8.1.3, R-8.2).

App. D (the exit indicator system) is referenced by the standard but not reproduced in the
seed; :data:`DEFAULT_EXIT_TEMPLATE` is the app's editable default, built from the §7
dimensions and [LW2021]'s exit criteria (registration, team building, project design).
Level thresholds come from :class:`~.settings.StandardSettings`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from .admission import add_months_civil, score_errors, weighted_score
from .calendar import DateLike, as_date
from .clauses import cite
from .result import Finding, fmt_date, fmt_number
from .settings import DEFAULT_SETTINGS, StandardSettings

#: The four levels of §8.1.1, lowest first.
EXIT_LEVELS: Mapping[str, str] = MappingProxyType(
    {"fail": "不达标", "pass": "达标", "good": "良好", "excellent": "优秀"}
)

#: Outcomes after the assessment: §8.1.2 for 不达标, exit with follow-up otherwise.
EXIT_OUTCOMES: Mapping[str, str] = MappingProxyType(
    {"renew": "重新签订培育协议", "terminate": "终止培育孵化", "exit": "出壳并跟踪服务"}
)


@dataclass(frozen=True)
class ExitIndicator:
    """One indicator of the exit assessment. ``measure`` names the record-derived figure
    the app can pre-fill (empty: scored by the assessors only)."""

    name: str
    dimension: str
    weight: float
    clause: str
    max_score: float = 100
    measure: str = ""
    description: str = ""


#: Default exit indicator template (R-8.1.1b); weights sum to 100.
DEFAULT_EXIT_TEMPLATE: tuple[ExitIndicator, ...] = (
    ExitIndicator(
        "登记备案与依法运行",
        "规范运行",
        10,
        "7.4.2",
        measure="registration",
        description="完成登记或备案，按时年检（年报），无违法违规记录（[LW2021] 注册许可）",
    ),
    ExitIndicator(
        "党组织建设",
        "党的建设",
        15,
        "7.1.2",
        measure="party_org",
        description="按要求成立党支部或设立党建指导员、联络员，开展主题党日等党建活动",
    ),
    ExitIndicator(
        "内部治理与团队建设",
        "规范运行",
        15,
        "7.5.1.1",
        description="组织架构完整，财务、人事等管理制度健全有效（[LW2021] 团队建设）",
    ),
    ExitIndicator(
        "人才培育",
        "人才培育",
        10,
        "7.3.1",
        measure="training_hours",
        description="党务工作者和业务领军人才培训课时达标，储备人才按1:2配备",
    ),
    ExitIndicator(
        "项目设计与执行",
        "能力提升",
        15,
        "7.5.1.3",
        measure="projects",
        description="能独立设计项目并承接执行公益（微）创投等项目（[LW2021] 项目设计）",
    ),
    ExitIndicator(
        "年度服务测评",
        "定期测评",
        15,
        "7.5.2.2",
        measure="service_evaluation",
        description="镇街领导、职能科室、专家、社区的年度服务测评结果",
    ),
    ExitIndicator("居民（服务对象）满意度", "定期测评", 10, "7.5.2.2", measure="satisfaction"),
    ExitIndicator(
        "诚信状况", "定期测评", 10, "7.5.2.3", measure="credit", description="依托信用平台的诚信测评结果"
    ),
)


def exit_total(
    scores: Mapping[str, float], indicators: Sequence[ExitIndicator] = DEFAULT_EXIT_TEMPLATE
) -> float:
    """R-8.1.1b (§8.1.1, App. D): weighted total 0..100. ``ValueError`` (Chinese message)
    when a score is missing or out of range – check :func:`exit_score_errors` first."""
    return weighted_score(scores, indicators, clause="8.1.1", appendix="D")


def exit_score_errors(
    scores: Mapping[str, float], indicators: Sequence[ExitIndicator] = DEFAULT_EXIT_TEMPLATE
) -> list[str]:
    """R-8.1.1b: Chinese messages for missing or out-of-range indicator scores."""
    return score_errors(scores, indicators, clause="8.1.1", appendix="D")


def exit_level(score: float, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """R-8.1.1b (§8.1.1): level key for a total score: ``"excellent"`` from
    ``settings.exit_excellent_score``, ``"good"`` from ``exit_good_score``, ``"pass"`` from
    ``exit_pass_score``, else ``"fail"`` (thresholds inclusive)."""
    score = float(score)
    if score >= settings.exit_excellent_score:
        return "excellent"
    if score >= settings.exit_good_score:
        return "good"
    if score >= settings.exit_pass_score:
        return "pass"
    return "fail"


def exit_level_label(score: float, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """Chinese label of :func:`exit_level` (不达标/达标/良好/优秀)."""
    return EXIT_LEVELS[exit_level(score, settings)]


def _level_key(level: str) -> str:
    level = str(level or "").strip()
    if level in EXIT_LEVELS:
        return level
    for key, label in EXIT_LEVELS.items():
        if level == label:
            return key
    raise ValueError(f"未知的评估等级：“{level}”，可选：{'、'.join(EXIT_LEVELS.values())}{cite('8.1.1')}")


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


def allowed_outcomes(level: str) -> tuple[str, ...]:
    """R-8.1.2 (§8.1.2): outcome keys allowed for a level – 不达标: re-sign a new incubation
    agreement or terminate; 达标 and above: exit with follow-up service (§8.2)."""
    return ("renew", "terminate") if _level_key(level) == "fail" else ("exit",)


def check_exit_outcome(level: str, outcome: str) -> Finding:
    """R-8.1.2 (§8.1.2), gate: the chosen outcome must fit the level (see
    :func:`allowed_outcomes`). Level and outcome accept keys or Chinese labels."""
    key = _level_key(level)
    out = str(outcome or "").strip()
    out = next((k for k, v in EXIT_OUTCOMES.items() if out in (k, v)), out)
    allowed = allowed_outcomes(key)
    if out in allowed:
        clause = "8.1.2" if key == "fail" else "8.2"
        return Finding(
            True,
            f"评估等级为{EXIT_LEVELS[key]}，处理方式为{EXIT_OUTCOMES[out]}{cite(clause)}",
            "R-8.1.2",
            clause,
            enforcement="gate",
        )
    options = "或".join(EXIT_OUTCOMES[k] for k in allowed)
    clause = "8.1.2" if key == "fail" else "8.2"
    return Finding(
        False,
        f"评估等级为{EXIT_LEVELS[key]}的社区社会组织应{options}{cite(clause)}",
        "R-8.1.2",
        clause,
        enforcement="gate",
    )


def certificate_due(level: str) -> bool:
    """R-8.1.3 (§8.1.3): an honor certificate (荣誉证书) is awarded to 优秀 orgs."""
    return _level_key(level) == "excellent"


def follow_up_required(level: str) -> bool:
    """R-8.2 (§8.2): 达标 and above get follow-up service."""
    return _level_key(level) != "fail"


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


def check_follow_up_period(
    start: DateLike, end: DateLike, settings: StandardSettings = DEFAULT_SETTINGS
) -> Finding:
    """R-8.2 (§8.2), block: a follow-up period may not be shorter than
    ``settings.follow_up_months``."""
    earliest = follow_up_end_date(start, settings)
    months = settings.follow_up_months
    span = f"{fmt_number(months / 12)}年" if months % 12 == 0 else f"{months}个月"
    if as_date(end) < earliest:
        return Finding(
            False,
            f"跟踪服务期不少于{span}，自{fmt_date(as_date(start))}起应至少至{fmt_date(earliest)}{cite('8.2')}",
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
