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
    # R-REG-STEER ([10M] 第二条 "规模较大、符合登记条件") names no figures – the app's defaults, editable:
    steering_min_members: int = 30  # current members on the roster
    steering_min_activities: int = 4  # activities reported in the last 12 months
    steering_min_funds: int = 10000  # yuan of venture funds granted in the last 12 months


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
        "steering_min_members": "引导登记：成员人数不少于",
        "steering_min_activities": "引导登记：近12个月活动次数不少于",
        "steering_min_funds": "引导登记：近12个月资金（元）不少于",
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
    {
        "notice_working_days",
        "incubation_cycle_months",
        "party_branch_threshold",
        "exit_min_assessors",
        "filing_committee_days",
        "filing_township_days",
        "filing_change_days",
    }
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


# ====================================================================== bounds (issue 14 §6)
#
# Every number of the settings has its bounds. A value the standard (or another seed) forbids
# is *refused* (:func:`settings_refusals`); a value the standard leaves open and the app fills
# with its own default is *flagged* when changed (:func:`open_setting_flags`), so the center
# knows it departs from a choice of the app and not from the standard.

_DB = "DB3301"


class SettingBound(NamedTuple):
    """One bound of one setting, with the clause that fixes it."""

    name: str
    low: float | None  # the value may not be lower than this (None: no lower bound)
    high: float | None  # … nor higher than this
    rule: str  # Chinese: what the clause says
    source: str  # "DB3301" (the standard) or a key of ``clauses.SOURCES``
    clause: str  # "6.3" for the standard, "三（一）1" for another seed

    @property
    def citation(self) -> str:
        return cite(self.clause) if self.source == _DB else cite_source(self.source, self.clause)


def _b(name, low, high, rule, clause, source=_DB) -> SettingBound:
    return SettingBound(name, low, high, rule, source, clause)


_LW_FOLLOW_UP = "三（二）1.2）②"

#: Bounds the seeds fix: a value outside is refused (R-SETTINGS). Several bounds per setting
#: are possible (a minimum from the standard and a maximum from [LW2021]).
SETTING_BOUNDS: tuple[SettingBound, ...] = (
    _b("notice_working_days", 5, None, "公示期不少于5个工作日", "6.3"),
    _b("incubation_cycle_months", 24, 24, "双孵化周期为两年（24个月）", "8.1.1"),
    _b("follow_up_months", 12, None, "跟踪服务期不少于1年（12个月）", "8.2"),
    _b("follow_up_months", None, 24, "出壳后一年至两年的跟踪期（至多24个月）", _LW_FOLLOW_UP, "LW2021"),
    _b("follow_up_max_months", 12, None, "跟踪服务期不少于1年（12个月）", "8.2"),
    _b("follow_up_max_months", None, 24, "出壳后一年至两年的跟踪期（至多24个月）", _LW_FOLLOW_UP, "LW2021"),
    _b("party_branch_threshold", 3, 3, "有3名以上党员的，要成立社会组织党支部", "7.1.2"),
    _b("annual_class_hours", 18, None, "每年开展党务工作者和业务领军人才培训不少于18课时", "7.3.1"),
    _b("reserve_ratio", 2, None, "党组织书记与后备人选1:2", "7.3.2"),
    _b("reserve_trainings_per_year", 5, None, "储备人才每年开展培训不少于5次", "7.3.2"),
    _b("rotation_trainings_per_year", 1, None, "每年开展全体党员集中轮训不少于1次", "7.3.2"),
    _b("regular_study_per_month", 1, None, "每月开展常态化学习不少于1次", "7.3.2"),
    # §4.1 d asks for 100 ㎡; [HZ2019] asked for 50 ㎡ (REQUIREMENTS R-4.1d: configurable) – below
    # 50 no seed allows it (refused); 50–99 is flagged as below the standard (see deviations).
    _b("min_center_area", 50, None, "服务中心办公场所面积不少于50㎡", "五（三）", "HZ2019"),
    _b("min_center_heads", 1, None, "应配备1名负责人", "4.1"),
    _b("min_center_fulltime_staff", 1, None, "应配备1名以上专职人员", "4.1"),
    _b("min_operator_social_workers", 1, None, "运营方配备不少于1名专兼职社会工作者", "4.1"),
    _b("operator_min_years", 4, None, "运营方在民政部门注册登记4年及以上", "三（一）1", "LW2021"),
    _b("operator_report_due_days", None, 90, "运营方每季度出具财务状况（提交期限不能超过一个季度）", "四（三）3", "LW2021"),
)

#: Minimum evaluation grade of an operator from outside the township (§4.1 e: 不低于AAA).
GRADE_BOUND = _b("operator_min_grade", 3, None, "非本乡镇街道的运营机构评估等级不低于AAA", "4.1")

#: Settings the seeds leave open; the app's default (``DEFAULT_SETTINGS``) is its own choice.
#: name -> what the seeds say about it (shown with the flag).
OPEN_SETTINGS: Mapping[str, str] = MappingProxyType(
    {
        "pass_score": "标准未规定入驻评审通过分数线" + cite("6.2.2"),
        "exit_pass_score": "标准附录D未收录出壳评估等级分数线" + cite("8.1.1", appendix="D"),
        "exit_good_score": "标准附录D未收录出壳评估等级分数线" + cite("8.1.1", appendix="D"),
        "exit_excellent_score": "标准附录D未收录出壳评估等级分数线" + cite("8.1.1", appendix="D"),
        "exit_min_assessors": "标准未规定出壳评估人员人数" + cite("8.1.1"),
        "exit_reminder_days": "标准未规定周期届满前的提醒时间" + cite("8.1.1"),
        "follow_up_reminder_days": "标准未规定跟踪服务期届满前的提醒时间" + cite("8.2"),
        "operator_report_due_days": "方案只规定每季度出具财务状况，未规定提交期限" + cite_source("LW2021", "四（三）3"),
        "filing_committee_days": "十条措施未规定居（村）委会初审期限" + cite_source("10M", "第二条"),
        "filing_township_days": "十条措施未规定街道（乡镇）审核期限" + cite_source("10M", "第二条"),
        "filing_change_days": "十条措施未规定变更备案的申请期限" + cite_source("10M", "第二条"),
        "steering_min_members": "十条措施未规定“规模较大、符合登记条件”的成员人数" + cite_source("10M", "第二条"),
        "steering_min_activities": "十条措施未规定“规模较大”的活动次数" + cite_source("10M", "第二条"),
        "steering_min_funds": "十条措施未规定“符合登记条件”的资金数额" + cite_source("10M", "第二条"),
    }
)

#: The shortest month, for bounds in days derived from a period in months.
_SHORTEST_MONTH_DAYS = 28


def settings_refusals(s: StandardSettings) -> list[Finding]:
    """R-SETTINGS: values the seeds forbid, one finding each (``ok=False``, ``enforcement``
    "block"); ``required`` is the bound broken, ``subject`` the setting, ``period`` "low" or
    "high" (which side). The settings form refuses the save with these messages."""
    out = []
    for bound in SETTING_BOUNDS:
        value = getattr(s, bound.name)
        label = FIELD_LABELS.get(bound.name, bound.name)
        for side, limit, word in (("low", bound.low, "不能少于"), ("high", bound.high, "不能超过")):
            if limit is None or (value >= limit if side == "low" else value <= limit):
                continue
            out.append(
                Finding(
                    ok=False,
                    message=f"双孵化设置“{label}”{word}{fmt_number(limit)}，当前值为{fmt_number(value)}："
                    f"{bound.rule}{bound.citation}",
                    rule="R-SETTINGS",
                    clause=bound.clause,
                    enforcement="block",
                    figure=value,
                    required=limit,
                    subject=bound.name,
                    period=side,
                )
            )
    rank = grade_rank(s.operator_min_grade)
    if rank is None or rank < GRADE_BOUND.low:
        out.append(
            Finding(
                ok=False,
                message=f"双孵化设置“{FIELD_LABELS['operator_min_grade']}”不能低于AAA，当前值为"
                f"{s.operator_min_grade or '空'}：{GRADE_BOUND.rule}{GRADE_BOUND.citation}",
                rule="R-SETTINGS",
                clause=GRADE_BOUND.clause,
                enforcement="block",
                figure=rank,
                required=GRADE_BOUND.low,
                subject="operator_min_grade",
                period="low",
            )
        )
    # reminders inside the period they remind of (a reminder before the period began is none)
    for name, months, clause in (
        ("exit_reminder_days", s.incubation_cycle_months, "8.1.1"),
        ("follow_up_reminder_days", s.follow_up_months, "8.2"),
    ):
        limit = months * _SHORTEST_MONTH_DAYS
        if getattr(s, name) > limit:
            out.append(
                Finding(
                    ok=False,
                    message=f"双孵化设置“{FIELD_LABELS[name]}”不能超过{limit}天（{months}个月的期间之内），"
                    f"当前值为{fmt_number(getattr(s, name))}{cite(clause)}",
                    rule="R-SETTINGS",
                    clause=clause,
                    enforcement="block",
                    figure=getattr(s, name),
                    required=limit,
                    subject=name,
                    period="high",
                )
            )
    return out


def open_setting_flags(s: StandardSettings, app: StandardSettings = DEFAULT_SETTINGS) -> list[Finding]:
    """Settings the seeds leave open whose value differs from the app's default: flags (a
    warning on the settings form, never a refusal), plus an office area between [HZ2019]'s 50
    and the standard's 100 ㎡ (allowed by REQUIREMENTS R-4.1d, below §4.1 d)."""
    out = []
    for name, why in OPEN_SETTINGS.items():
        value, default = getattr(s, name), getattr(app, name)
        if value != default:
            out.append(
                Finding(
                    ok=False,
                    message=f"“{FIELD_LABELS[name]}”设置为{fmt_number(value)}，不同于本系统默认值"
                    f"{fmt_number(default)}：{why}，可由中心自定",
                    rule="R-SETTINGS",
                    clause="",
                    figure=value,
                    required=default,
                    subject=name,
                )
            )
    if s.min_center_area < app.min_center_area:
        out.append(
            Finding(
                ok=False,
                message=f"“{FIELD_LABELS['min_center_area']}”设置为{fmt_number(s.min_center_area)}，低于标准规定的"
                f"{fmt_number(app.min_center_area)}㎡{cite('4.1')}（杭民发〔2019〕66号为50㎡）",
                rule="R-SETTINGS",
                clause="4.1",
                figure=s.min_center_area,
                required=app.min_center_area,
                subject="min_center_area",
            )
        )
    return out


_REMINDED = {"exit_reminder_days": "双孵化周期月数", "follow_up_reminder_days": "跟踪服务期月数"}


def bounds_table() -> list[dict[str, str]]:
    """Every setting with its bounds and clause, for the README and the settings form:
    ``{"setting", "label", "default", "refused", "clause", "rule"}``."""
    rows = []
    for f in fields(StandardSettings):
        label, default = FIELD_LABELS[f.name], getattr(DEFAULT_SETTINGS, f.name)
        bounds = [b for b in SETTING_BOUNDS if b.name == f.name]
        if f.name == "operator_min_grade":
            bounds = [GRADE_BOUND]
        refused = [f"> {_REMINDED[f.name]}×{_SHORTEST_MONTH_DAYS}天"] if f.name in _REMINDED else []
        for b in bounds:
            if f.name == "operator_min_grade":
                refused.append("< AAA")
            elif b.low is not None and b.low == b.high:
                refused.append(f"≠ {fmt_number(b.low)}")
            else:
                if b.low is not None:
                    refused.append(f"< {fmt_number(b.low)}")
                if b.high is not None:
                    refused.append(f"> {fmt_number(b.high)}")
        rows.append(
            {
                "setting": f.name,
                "label": label,
                "default": str(default) if isinstance(default, str) else fmt_number(default),
                "refused": "；".join(refused),
                "clause": "；".join(b.citation[1:-1] for b in bounds) or OPEN_SETTINGS.get(f.name, ""),
                "rule": "；".join(b.rule for b in bounds),
            }
        )
    return rows
