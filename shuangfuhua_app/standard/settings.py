"""Numbers the standard fixes, gathered in one place (R-4.1d, R-4.1e, R-6.3, R-7.1.2,
R-7.3.1a, R-7.3.2a–c, R-8.1.1a, R-8.2, R-OPER).

The defaults of :class:`StandardSettings` are the standard's values; a center's settings
DocType stores its own copy and passes it in via :func:`settings_from_mapping`. Rule
functions never contain these numbers as literals.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, NamedTuple

from .clauses import cite, cite_source
from .grades import grade_rank
from .result import Finding, fmt_number


@dataclass(frozen=True)
class StandardSettings:
    """Configurable numbers, defaulting to DB3301/T 0346—2021 (clause in each comment)."""

    notice_working_days: int = 5  # §6.3 公示期不少于5个工作日
    incubation_cycle_months: int = 24  # §8.1.1 双孵化周期为两年
    follow_up_months: int = 12  # §8.2 跟踪服务期不少于1年 ([LW2021]: 1–2 years)
    party_branch_threshold: int = 3  # §7.1.2 有3名以上党员的要成立党支部
    annual_class_hours: int = 18  # §7.3.1 每年培训不少于18课时
    reserve_ratio: int = 2  # §7.3.2 党组织书记与后备人选1:2
    reserve_trainings_per_year: int = 5  # §7.3.2 储备人才每年培训不少于5次
    rotation_trainings_per_year: int = 1  # §7.3.2 全体党员集中轮训每年不少于1次
    regular_study_per_month: int = 1  # §7.3.2 每月常态化学习不少于1次
    min_center_area: int = 100  # §4.1 d 场地面积不少于100㎡ ([HZ2019]: 50㎡)
    min_center_heads: int = 1  # §4.1 e 配备1名负责人
    min_center_fulltime_staff: int = 1  # §4.1 e 1名以上专职人员
    min_operator_social_workers: int = 1  # §4.1 e 运营方不少于1名专兼职社会工作者
    operator_min_grade: str = "AAA"  # §4.1 e 非本镇街运营方评估等级不低于AAA; [LW2021] 3A以上
    operator_min_years: int = 4  # [LW2021] 三（一）1 注册登记4年及以上
    operator_report_due_days: int = 15  # [LW2021] 四（三）3 每季度出具财务状况 – deadline: the app's default
    pass_score: float = 60.0  # admission review pass mark – set by the center, not by the standard
    # Exit assessment level thresholds (App. D is not reproduced in the seed; the
    # app's defaults, editable): below exit_pass_score -> 不达标.
    exit_pass_score: float = 60.0  # 达标
    exit_good_score: float = 75.0  # 良好
    exit_excellent_score: float = 90.0  # 优秀
    # Exit (§8) – the standard is silent on these; the app's defaults, editable:
    exit_min_assessors: int = 3  # assessors whose scores are averaged (an odd panel, like §6.2.2's)
    exit_reminder_days: int = 60  # remind the center this many days before the cycle ends (§8.1.1)
    follow_up_max_months: int = 24  # [LW2021] 三（二）1.2）②: 一年至两年的跟踪期
    follow_up_reminder_days: int = 30  # remind this many days before a follow-up period ends (§8.2)
    # R-FILE ([10M] 第二条) names no deadline; common local rules – the app's defaults, editable:
    filing_committee_days: int = 5  # residents' committee initial review, working days
    filing_township_days: int = 10  # township review and approval, working days
    filing_change_days: int = 7  # a change of filed particulars filed within, working days


DEFAULT_SETTINGS = StandardSettings()

_FIELD_TYPES: Mapping[str, type] = MappingProxyType(
    {f.name: type(f.default) for f in fields(StandardSettings)}
)


class StandardValue(NamedTuple):
    """Where a setting comes from, and whether the standard fixes a minimum or a value."""

    label: str
    clause: str  # "6.3", or "LW2021 三（一）1" for another seed
    citation: str
    kind: str  # "min": a lower value is weaker than the standard; "exact": any change deviates


def _sv(label: str, clause: str, kind: str = "min") -> StandardValue:
    return StandardValue(label, clause, cite(clause), kind)


#: Settings whose default the standard (or another seed) fixes, with the clause.
STANDARD_VALUES: Mapping[str, StandardValue] = MappingProxyType(
    {
        "notice_working_days": _sv("公示期工作日数", "6.3"),
        "incubation_cycle_months": _sv("双孵化周期月数", "8.1.1", "exact"),
        "follow_up_months": _sv("跟踪服务期月数", "8.2"),
        "party_branch_threshold": _sv("应成立党支部的党员人数", "7.1.2", "exact"),
        "annual_class_hours": _sv("年度培训课时", "7.3.1"),
        "reserve_ratio": _sv("每名党组织书记的后备人选数", "7.3.2"),
        "reserve_trainings_per_year": _sv("储备人才年度培训次数", "7.3.2"),
        "rotation_trainings_per_year": _sv("党员集中轮训年度次数", "7.3.2"),
        "regular_study_per_month": _sv("每月常态化学习次数", "7.3.2"),
        "min_center_area": _sv("服务中心办公场所面积（㎡）", "4.1"),
        "min_center_heads": _sv("服务中心负责人人数", "4.1"),
        "min_center_fulltime_staff": _sv("服务中心专职人员人数", "4.1"),
        "min_operator_social_workers": _sv("运营方专兼职社会工作者人数", "4.1"),
        "operator_min_years": StandardValue(
            "运营方注册登记年限", "LW2021 三（一）1", cite_source("LW2021", "三（一）1"), "min"
        ),
    }
)

#: Chinese labels of every setting (for messages and the settings form).
FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        **{name: sv.label for name, sv in STANDARD_VALUES.items()},
        "operator_min_grade": "非本镇街运营方最低评估等级",
        "operator_report_due_days": "运营方季度财务报告提交期限（季度结束后天数）",
        "pass_score": "入驻评审通过分数线",
        "exit_pass_score": "出壳评估“达标”分数线",
        "exit_good_score": "出壳评估“良好”分数线",
        "exit_excellent_score": "出壳评估“优秀”分数线",
        "exit_min_assessors": "出壳评估最少评估人员数",
        "exit_reminder_days": "双孵化周期届满前提醒天数",
        "follow_up_max_months": "跟踪服务期最长月数",
        "follow_up_reminder_days": "跟踪服务期届满前提醒天数",
        "filing_committee_days": "备案居（村）委会初审期限（工作日）",
        "filing_township_days": "备案街道（乡镇）审核期限（工作日）",
        "filing_change_days": "备案事项变更后申请变更备案期限（工作日）",
    }
)


def _describe(name: str) -> tuple[str, str]:
    """(label, citation-or-empty) of a setting."""
    sv = STANDARD_VALUES.get(name)
    return FIELD_LABELS.get(name, name), (sv.citation if sv else "")


def _coerce(name: str, value: Any) -> Any:
    target = _FIELD_TYPES[name]
    try:
        if target is str:
            return str(value).strip()
        if target is int:
            number = float(str(value).strip()) if isinstance(value, str) else float(value)
            if number != int(number):
                raise ValueError
            return int(number)
        return float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        kind = "整数" if target is int else "数字"
        label, citation = _describe(name)
        raise ValueError(f"双孵化设置“{label}”应为{kind}，当前值为“{value}”{citation}") from None


def settings_from_mapping(
    d: Mapping[str, Any] | None, base: StandardSettings = DEFAULT_SETTINGS
) -> StandardSettings:
    """Build settings from a mapping (e.g. a settings document's ``as_dict()``).

    Unknown keys, ``None`` and empty strings are ignored (the default is kept); values are
    coerced to the field's type (``"5"`` / ``5.0`` -> ``5``). Raises ``ValueError`` with a
    Chinese message when a value cannot be coerced (e.g. ``5.5`` or ``"abc"`` for an
    integer field).
    """
    if not d:
        return base
    changes = {
        name: _coerce(name, value)
        for name, value in d.items()
        if name in _FIELD_TYPES and value is not None and not (isinstance(value, str) and not value.strip())
    }
    return replace(base, **changes)


_AT_LEAST_ONE = frozenset(
    {"notice_working_days", "incubation_cycle_months", "party_branch_threshold", "exit_min_assessors"}
)
_SCORES = frozenset({"pass_score", "exit_pass_score", "exit_good_score", "exit_excellent_score"})


def settings_problems(s: StandardSettings) -> list[str]:
    """Values that make no sense (the settings form should refuse them). Chinese messages."""
    problems = []
    for f in fields(s):
        value = getattr(s, f.name)
        label, citation = _describe(f.name)
        if isinstance(value, (int, float)) and value < 0:
            problems.append(f"双孵化设置“{label}”不能为负数，当前值为{fmt_number(value)}{citation}")
        elif f.name in _AT_LEAST_ONE and value < 1:
            problems.append(f"双孵化设置“{label}”至少为1，当前值为{fmt_number(value)}{citation}")
        elif f.name in _SCORES and value > 100:
            problems.append(f"双孵化设置“{label}”不能超过100分，当前值为{fmt_number(value)}")
    if s.follow_up_max_months < s.follow_up_months:
        problems.append(
            f"跟踪服务期最长月数（{s.follow_up_max_months}）不能少于跟踪服务期月数（{s.follow_up_months}）"
            + cite("8.2")
        )
    if not s.exit_pass_score <= s.exit_good_score <= s.exit_excellent_score:
        problems.append(
            "出壳评估等级分数线应满足 达标 ≤ 良好 ≤ 优秀，当前为"
            f"{fmt_number(s.exit_pass_score)}/{fmt_number(s.exit_good_score)}/"
            f"{fmt_number(s.exit_excellent_score)}" + cite("8.1.1")
        )
    return problems


def deviations_from_standard(
    s: StandardSettings, standard: StandardSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """R-4.* / all numeric rules: settings weaker than (or, for fixed values, different from)
    the standard's values, as flags for the center's compliance matrix. A stricter value
    (e.g. a 7-working-day notice) is not a deviation."""
    out = []
    for name, sv in STANDARD_VALUES.items():
        value, default = getattr(s, name), getattr(standard, name)
        weaker = value < default if sv.kind == "min" else value != default
        if weaker:
            word = "低于" if sv.kind == "min" else "不同于"
            out.append(
                Finding(
                    ok=False,
                    message=f"{sv.label}设置为{fmt_number(value)}，{word}标准规定的{fmt_number(default)}{sv.citation}",
                    rule="R-SETTINGS",
                    clause=sv.clause,
                    figure=value,
                    required=default,
                    subject=name,
                )
            )
    rank, default_rank = grade_rank(s.operator_min_grade), grade_rank(standard.operator_min_grade)
    if rank is None or (default_rank is not None and rank < default_rank):
        out.append(
            Finding(
                ok=False,
                message=f"非本镇街运营方最低评估等级设置为{s.operator_min_grade or '空'}，"
                f"低于标准规定的{standard.operator_min_grade}{cite('4.1')}",
                rule="R-SETTINGS",
                clause="4.1",
                subject="operator_min_grade",
            )
        )
    return out
