"""Capacity building and talent training (R-7.2, R-7.3.1a, R-7.3.2a–c).

Quotas are per calendar year; an activity counts towards the year of its date.

Pro-rating (a design decision of the app, documented for §7.3.1/§7.3.2 which state yearly
quotas without saying how to treat someone who takes up a role during the year): the
annual quota is multiplied by the number of *whole* calendar months the person holds the
role in that year, divided by 12. Someone starting on the 1st of a month has that month;
someone starting later in the month starts counting from the next month. Hours are
rounded up to the next half hour, counts up to the next whole number, so pro-rating never
asks for less than the standard's pace.

Reminders use an expected-to-date figure: the quota times the whole months elapsed *and*
in role, divided by 12 (by default only months of completed quarters count, for quarterly
reminders). Expected counts are rounded down so nobody is reminded before falling behind.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .calendar import DateLike, as_date
from .clauses import cite
from .result import Finding, fmt_date, fmt_number, gap_of
from .settings import DEFAULT_SETTINGS, StandardSettings

# ======================================================================= R-7.2 stages

#: Development stages of §7.2 (keys, Chinese labels).
STAGES: Mapping[str, str] = MappingProxyType({"startup": "初创期", "growth": "成长期", "mature": "成熟型"})
#: Training track of each stage: §7.2.1 基础性, §7.2.2 专业化, §7.2.3 品牌化.
TRACKS: Mapping[str, str] = MappingProxyType(
    {"startup": "基础型培训", "growth": "专业型培训", "mature": "品牌型培训"}
)
STAGE_CLAUSES: Mapping[str, str] = MappingProxyType(
    {"startup": "7.2.1", "growth": "7.2.2", "mature": "7.2.3"}
)
#: Label of trainings open to every stage (e.g. §7.3.3 general trainings, party trainings).
GENERAL_TRACK = "通用培训"

_STAGE_ALIASES = {"成熟期": "mature", "初创型": "startup", "成长型": "growth"}


def stage_key(stage: str) -> str:
    """Key of a stage given its key, Chinese label or track label. ``ValueError`` (Chinese
    message) when unknown."""
    value = str(stage or "").strip()
    if value in STAGES:
        return value
    if value.lower() in STAGES:  # the DocType's option values: Startup / Growth / Mature
        return value.lower()
    for table in (STAGES, TRACKS):
        for key, label in table.items():
            if value == label:
                return key
    if value in _STAGE_ALIASES:
        return _STAGE_ALIASES[value]
    raise ValueError(f"未知的发展阶段：“{value}”，可选：{'、'.join(STAGES.values())}{cite('7.2')}")


def training_track(stage: str) -> str:
    """R-7.2 (§7.2): the training track of a stage – 初创期 -> 基础型培训, 成长期 ->
    专业型培训, 成熟型 -> 品牌型培训. ``ValueError`` for an unknown stage."""
    return TRACKS[stage_key(stage)]


def track_matches(stage: str, training_track: str | None) -> bool:
    """R-7.2 (§7.2): whether a training of ``training_track`` is the right one for an org of
    ``stage``. A training without track (``None``/empty/:data:`GENERAL_TRACK`) is open to
    every stage. ``ValueError`` for an unknown stage or track."""
    if (
        training_track is None
        or not str(training_track).strip()
        or str(training_track).strip() == GENERAL_TRACK
    ):
        return True
    return stage_key(stage) == stage_key(training_track)


# ======================================================================= year arithmetic

MONTHS_PER_QUARTER = 3  # calendar structure, not a figure of the standard


def ceil_half(value: float) -> float:
    """Round up to the next multiple of 0.5 (``7.2`` -> ``7.5``, ``7.5`` -> ``7.5``)."""
    return math.ceil(round(float(value) * 2, 9)) / 2


def months_in_role(year: int, joined: DateLike | None) -> int:
    """Whole calendar months of ``year`` in which someone who took up the role on ``joined``
    held it for the whole month (12 when ``joined`` is ``None`` or before the year)."""
    if joined is None or joined == "":
        return 12
    joined = as_date(joined)
    if joined.year < year:
        return 12
    if joined.year > year:
        return 0
    return 12 - joined.month + (1 if joined.day == 1 else 0)


def months_elapsed(year: int, as_of: DateLike) -> int:
    """Calendar months of ``year`` that have fully ended by ``as_of`` (a month has ended
    once ``as_of`` is on or after the 1st of the next month)."""
    as_of = as_date(as_of)
    if as_of.year > year:
        return 12
    if as_of.year < year:
        return 0
    return as_of.month - 1


def year_in_progress(year: int, as_of: DateLike) -> bool:
    """True while ``as_of`` falls within ``year`` (the yearly quota can still be reached)."""
    return as_date(as_of).year == year


def _months_elapsed_in_role(year: int, as_of: DateLike, joined: DateLike | None, by_quarter: bool) -> int:
    elapsed = months_elapsed(year, as_of)
    if by_quarter:
        elapsed -= elapsed % MONTHS_PER_QUARTER
    first_month = 13 - months_in_role(year, joined)
    return max(0, elapsed - first_month + 1)


def count_in_year(dates: Iterable[DateLike], year: int) -> int:
    """How many activity dates fall in ``year`` (activities count in their date's year)."""
    return sum(1 for d in dates if as_date(d).year == year)


def sum_in_year(records: Iterable[tuple[DateLike, float]], year: int) -> float:
    """Sum of ``(date, amount)`` records dated in ``year`` (e.g. class hours)."""
    return float(sum(float(amount or 0) for d, amount in records if as_date(d).year == year))


# ======================================================================= R-7.3.1a class hours


def required_class_hours(
    year: int, joined: DateLike | None = None, settings: StandardSettings = DEFAULT_SETTINGS
) -> float:
    """R-7.3.1a (§7.3.1): hours required of one party affairs worker or business leader in
    ``year``: ``settings.annual_class_hours`` pro-rated by whole months in role, rounded up
    to half an hour (see the module docstring)."""
    return ceil_half(settings.annual_class_hours * months_in_role(year, joined) / 12)


def expected_hours_to_date(
    year: int,
    as_of: DateLike,
    joined: DateLike | None = None,
    settings: StandardSettings = DEFAULT_SETTINGS,
    by_quarter: bool = True,
) -> float:
    """R-7.3.1a (§7.3.1), for reminders: hours that should have been reached by ``as_of`` –
    ``settings.annual_class_hours * m / 12`` where ``m`` counts the whole months of
    ``year`` elapsed by ``as_of`` (only completed quarters when ``by_quarter``) during
    which the person held the role. Rounded to 2 decimals."""
    months = _months_elapsed_in_role(year, as_of, joined, by_quarter)
    return round(settings.annual_class_hours * months / 12, 2)


def class_hours_terms(
    year: int, as_of: DateLike, joined: DateLike | None = None, settings: StandardSettings = DEFAULT_SETTINGS
) -> tuple[int, float, float, str, str]:
    """R-7.3.1a (§7.3.1): the part of :func:`class_hours_finding` that is the same for everyone
    who took up the post on ``joined`` – (whole months in role, hours required, hours expected
    to date, the pro-rating note, the progress note while the year runs). A report over
    thousands of people computes it once per date (:class:`YearQuotas`)."""
    in_role = months_in_role(year, joined)
    required = required_class_hours(year, joined, settings)
    expected = expected_hours_to_date(year, as_of, joined, settings)
    note = ""
    if 0 < in_role < 12:
        note = (
            f"（{fmt_date(as_date(joined))}起任职，按{in_role}个整月折算，"
            f"年度标准{fmt_number(settings.annual_class_hours)}课时）"
        )
    tail = ""
    if year_in_progress(year, as_of):
        tail = f"，截至{fmt_date(as_date(as_of))}按进度应完成{fmt_number(expected)}课时"
    return in_role, required, expected, note, tail


def class_hours_finding(
    person: str,
    hours: float | None,
    year: int,
    as_of: DateLike,
    joined: DateLike | None = None,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> Finding:
    """R-7.3.1a (§7.3.1), flag+remind: party affairs workers (党务工作者) and business
    leaders (业务领军人才) get at least ``settings.annual_class_hours`` (18) class hours of
    training per calendar year.

    ``person`` is how the person is named in the message (e.g. "党务工作者张三");
    ``hours`` are the hours dated in ``year``; ``joined`` is when the person took up the
    role (pro-rated by whole remaining months, rounded up to half an hour – see the module
    docstring). ``ok`` compares with the annual requirement; ``expected`` is the quarterly
    expected-to-date figure for reminders (:func:`expected_hours_to_date`), so
    ``behind_schedule`` tells whether to remind while the year runs.
    """
    return _class_hours(person, hours, year, class_hours_terms(year, as_of, joined, settings))


def _class_hours(person: str, hours: float | None, year: int, terms: tuple) -> Finding:
    hours = float(hours or 0)
    in_role, required, expected, note, tail = terms
    gap = gap_of(hours, required)
    subject = person or "党务工作者和业务领军人才"
    c = cite("7.3.1")
    common = dict(
        rule="R-7.3.1a",
        clause="7.3.1",
        figure=hours,
        required=required,
        gap=gap,
        expected=expected,
        subject=person,
        period=str(year),
    )
    if in_role == 0:
        return Finding(
            True, f"{subject}{year}年任职不足一个整月，本年度不作培训课时要求{c}", applicable=False, **common
        )
    head = f"{subject}{year}年培训 {fmt_number(hours)}/{fmt_number(required)} 课时{note}"
    if hours >= required:
        return Finding(True, f"{head}，已达标{c}", **common)
    return Finding(False, f"{head}，差{fmt_number(gap)}课时{tail}{c}", **common)


# ======================================================================= R-7.3.2a reserve ratio


def reserve_ratio_finding(
    secretaries: int | None, reserves: int | None, settings: StandardSettings = DEFAULT_SETTINGS
) -> Finding:
    """R-7.3.2a (§7.3.2), flag: the reserve talent pool holds ``settings.reserve_ratio`` (2)
    reserve candidates per party-organization secretary (1:2). An org without a secretary
    is not subject to the rule (``ok=True``, ``applicable=False``)."""
    secretaries, reserves = int(secretaries or 0), int(reserves or 0)
    ratio = settings.reserve_ratio
    required = secretaries * ratio
    c = cite("7.3.2")
    common = dict(
        rule="R-7.3.2a", clause="7.3.2", figure=reserves, required=required, gap=gap_of(reserves, required)
    )
    if secretaries <= 0:
        return Finding(
            True,
            f"未设党组织书记，不适用党组织书记与后备人选1:{ratio}配备要求{c}",
            applicable=False,
            **common,
        )
    head = f"党组织书记{secretaries}名，按1:{ratio}应有后备人选{required}名，当前{reserves}名"
    if reserves >= required:
        return Finding(True, f"{head}，已达标{c}", **common)
    return Finding(False, f"{head}，差{required - reserves}名{c}", **common)


# ======================================================================= R-7.3.2b/c counts


def _required_count(quota: int, year: int, joined: DateLike | None) -> int:
    return math.ceil(round(quota * months_in_role(year, joined) / 12, 9))


def _expected_count(quota: int, year: int, as_of: DateLike, joined: DateLike | None) -> int:
    return math.floor(round(quota * _months_elapsed_in_role(year, as_of, joined, True) / 12, 9))


def count_terms(quota: int, year: int, as_of: DateLike, joined: DateLike | None = None) -> tuple[int, int]:
    """R-7.3.2b/c (§7.3.2): (count required in ``year``, count expected by ``as_of``) of a
    yearly ``quota`` for someone in the post since ``joined`` – the part of
    :func:`reserve_training_finding` and :func:`rotation_finding` shared by everyone who
    took up the post that day."""
    return _required_count(quota, year, joined), _expected_count(quota, year, as_of, joined)


def reserve_training_finding(
    trainings: int | None,
    has_plan: bool,
    year: int,
    as_of: DateLike,
    joined: DateLike | None = None,
    settings: StandardSettings = DEFAULT_SETTINGS,
    person: str = "",
) -> Finding:
    """R-7.3.2b (§7.3.2), flag+remind: each reserve candidate has a personal training plan
    (个性化培养方案) and at least ``settings.reserve_trainings_per_year`` (5) trainings per
    calendar year. ``joined``: when the person entered the reserve pool (pro-rated by whole
    months, rounded up). Both conditions are reported in one message. Not a whole month in
    the pool in ``year`` (0 months): not applicable (``applicable=False``), as for class hours
    and rotation."""
    terms = count_terms(settings.reserve_trainings_per_year, year, as_of, joined)
    return _reserve_training(trainings, has_plan, year, terms, person)


def _reserve_training(trainings: int | None, has_plan: bool, year: int, terms: tuple, person: str) -> Finding:
    trainings = int(trainings or 0)
    required, expected = terms
    subject = person or "储备人才"
    c = cite("7.3.2")
    common = dict(
        rule="R-7.3.2b",
        clause="7.3.2",
        figure=trainings,
        required=required,
        gap=gap_of(trainings, required),
        expected=expected,
        subject=person,
        period=str(year),
    )
    if required == 0:  # not a whole month in the pool this year, like class hours and rotation
        return Finding(
            True, f"{subject}{year}年入库不足一个整月，本年度不作培训次数要求{c}", applicable=False, **common
        )
    problems = []
    if trainings < required:
        problems.append(f"{year}年培训 {trainings}/{required} 次，差{required - trainings}次")
    if not has_plan:
        problems.append("尚未制定个性化培养方案")
    if problems:
        return Finding(False, f"{subject}{'；'.join(problems)}{c}", **common)
    return Finding(
        True, f"{subject}已制定个性化培养方案，{year}年培训 {trainings}/{required} 次，已达标{c}", **common
    )


def rotation_finding(
    rotations: int | None,
    year: int,
    as_of: DateLike,
    joined: DateLike | None = None,
    settings: StandardSettings = DEFAULT_SETTINGS,
    subject: str = "",
) -> Finding:
    """R-7.3.2c (§7.3.2), flag+remind: all party members take part in at least
    ``settings.rotation_trainings_per_year`` (1) centralized rotation training (集中轮训)
    per calendar year. ``rotations`` counts those dated in ``year``; ``joined`` (e.g. the
    org's entry into incubation or the member's transfer) pro-rates by whole months,
    rounded up – so any whole month still requires one."""
    terms = count_terms(settings.rotation_trainings_per_year, year, as_of, joined)
    return _rotation(rotations, year, terms, subject)


def _rotation(rotations: int | None, year: int, terms: tuple, subject: str) -> Finding:
    rotations = int(rotations or 0)
    required, expected = terms
    who = subject or "全体党员"
    c = cite("7.3.2")
    common = dict(
        rule="R-7.3.2c",
        clause="7.3.2",
        figure=rotations,
        required=required,
        gap=gap_of(rotations, required),
        expected=expected,
        subject=subject,
        period=str(year),
    )
    if required == 0:
        return Finding(
            True, f"{who}{year}年不足一个整月，本年度不作集中轮训要求{c}", applicable=False, **common
        )
    if rotations >= required:
        return Finding(True, f"{who}{year}年集中轮训 {rotations}/{required} 次，已达标{c}", **common)
    return Finding(
        False, f"{who}{year}年集中轮训 {rotations}/{required} 次，差{required - rotations}次{c}", **common
    )


class YearQuotas:
    """The quotas of §7.3 (R-7.3.1a, R-7.3.2b, R-7.3.2c) for one ``year``, read on ``as_of``
    under ``settings``, for many people: what depends only on the day someone took up the
    post (months in role, required and expected figures, the pro-rating note) is worked out
    once per day and shared, so a report over a center's thousands of people formats only
    each person's own figure. Each method returns exactly what the module's function of the
    same rule returns for the same arguments."""

    def __init__(self, year: int, as_of: DateLike, settings: StandardSettings = DEFAULT_SETTINGS):
        self.year, self.as_of, self.settings = year, as_of, settings
        self._hours: dict = {}
        self._reserve: dict = {}
        self._rotation: dict = {}

    def class_hours(self, person: str, hours: float | None, joined: DateLike | None = None) -> Finding:
        """:func:`class_hours_finding` (R-7.3.1a)."""
        terms = self._hours.get(joined)
        if terms is None:
            terms = self._hours[joined] = class_hours_terms(self.year, self.as_of, joined, self.settings)
        return _class_hours(person, hours, self.year, terms)

    def reserve_training(
        self, trainings: int | None, has_plan: bool, joined: DateLike | None = None, person: str = ""
    ) -> Finding:
        """:func:`reserve_training_finding` (R-7.3.2b)."""
        terms = self._reserve.get(joined)
        if terms is None:
            quota = self.settings.reserve_trainings_per_year
            terms = self._reserve[joined] = count_terms(quota, self.year, self.as_of, joined)
        return _reserve_training(trainings, has_plan, self.year, terms, person)

    def rotation(self, rotations: int | None, joined: DateLike | None = None, subject: str = "") -> Finding:
        """:func:`rotation_finding` (R-7.3.2c)."""
        terms = self._rotation.get(joined)
        if terms is None:
            quota = self.settings.rotation_trainings_per_year
            terms = self._rotation[joined] = count_terms(quota, self.year, self.as_of, joined)
        return _rotation(rotations, self.year, terms, subject)


def _month_counts(sessions: Mapping[int, int] | Iterable[int | DateLike], year: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    if isinstance(sessions, Mapping):
        return {int(m): int(k or 0) for m, k in sessions.items()}
    for item in sessions:
        if isinstance(item, int) and not isinstance(item, bool):
            month = item
        else:
            d = as_date(item)
            if d.year != year:
                continue
            month = d.month
        counts[month] = counts.get(month, 0) + 1
    return counts


def monthly_study_findings(
    months_with_study: Mapping[int, int] | Iterable[int | DateLike],
    year: int,
    as_of: DateLike,
    settings: StandardSettings = DEFAULT_SETTINGS,
    incubation_start: DateLike | None = None,
) -> list[int]:
    """R-7.3.2c (§7.3.2): months (1..12) of ``year`` without the required regular study
    session(s) (常态化学习, with the theme party day), ``settings.regular_study_per_month``
    per month.

    ``months_with_study`` is a set/list of month numbers (each entry one session), a
    mapping month -> number of sessions, or session dates (only those in ``year`` count).
    Only months fully elapsed by ``as_of`` are checked, and – when ``incubation_start`` is
    given – only from the month the org entered incubation (inclusive).
    """
    counts = _month_counts(months_with_study, year)
    first = 1
    if incubation_start not in (None, ""):
        start = as_date(incubation_start)
        if start.year > year:
            return []
        if start.year == year:
            first = start.month
    last = months_elapsed(year, as_of)
    return [m for m in range(first, last + 1) if counts.get(m, 0) < settings.regular_study_per_month]


def monthly_study_finding(
    months_with_study: Mapping[int, int] | Iterable[int | DateLike],
    year: int,
    as_of: DateLike,
    settings: StandardSettings = DEFAULT_SETTINGS,
    incubation_start: DateLike | None = None,
    subject: str = "",
) -> Finding:
    """R-7.3.2c (§7.3.2), flag: :func:`monthly_study_findings` as one finding (``figure`` =
    months checked with study, ``required`` = months checked, ``gap`` = months missing)."""
    missing = monthly_study_findings(months_with_study, year, as_of, settings, incubation_start)
    first = 1
    if incubation_start not in (None, "") and as_date(incubation_start).year == year:
        first = as_date(incubation_start).month
    checked = max(0, months_elapsed(year, as_of) - first + 1)
    if incubation_start not in (None, "") and as_date(incubation_start).year > year:
        checked = 0
    c = cite("7.3.2")
    per = settings.regular_study_per_month
    common = dict(
        rule="R-7.3.2c",
        clause="7.3.2",
        figure=checked - len(missing),
        required=checked,
        gap=len(missing),
        subject=subject,
        period=str(year),
    )
    who = subject or ""
    if missing:
        months = "、".join(f"{m}月" for m in missing)
        return Finding(False, f"{who}{year}年{months}未开展每月不少于{per}次的常态化学习{c}", **common)
    return Finding(
        True, f"{who}{year}年已结束的{checked}个月均按要求开展常态化学习{c}", applicable=checked > 0, **common
    )
