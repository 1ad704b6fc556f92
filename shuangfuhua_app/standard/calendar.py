"""Working-day calendar (R-CAL, §6.3).

Working days follow the State Council's holiday schedule (国务院办公厅关于部分节假日安排的
通知): statutory holidays are not working days, make-up working days (调休上班日) falling on a
weekend are. The ``chinese_calendar`` package knows the published schedules (2004–2026 in
version 1.11). For any other year staff must first enter that year's schedule in the
settings (the year becomes *declared*, with its holidays and make-up days as extras);
until then computing a period that touches the year raises :class:`UnknownYearError`.

Precedence, for one day:

1. ``extra_workdays`` / ``extra_holidays`` (staff corrections) decide, whatever the year;
2. in a declared year: Monday–Friday are working days, weekends are not (the library is not
   consulted, so a declaration also overrides it);
3. otherwise ``chinese_calendar`` decides; a year it does not know -> ``UnknownYearError``.

(This module is ``shuangfuhua_app.standard.calendar``; it does not shadow the standard
library's ``calendar`` for absolute imports.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar

from .clauses import cite

DateLike = date | datetime | str

#: Safety bound: no period the app computes spans anywhere near this many days.
_MAX_SCAN_DAYS = 3 * 366


def as_date(value: DateLike) -> date:
    """Normalize a ``date``, ``datetime`` or ISO string (``"2025-10-01"``,
    ``"2025-10-01 09:30:00"``) to a ``date``. Raises ``TypeError``/``ValueError`` otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    raise TypeError(f"不是日期：{value!r}")


def _dates(values: Iterable[DateLike] | None) -> frozenset[date]:
    return frozenset(as_date(v) for v in (values or ()))


class UnknownYearError(ValueError):
    """A period touches a year whose holiday schedule is not known (R-CAL, §6.3).

    ``.year`` is that year; ``.message`` (also ``str(err)``) tells staff what to do.
    """

    def __init__(self, year: int, period: str = "公示期", citation: str | None = None):
        self.year = year
        self.period = period
        self.message = (
            f"系统尚未掌握{year}年的节假日安排，无法计算工作日。请先在双孵化设置中录入{year}年的"
            f"节假日安排（法定节假日和调休上班日）并确认该年度，再计算{period}{citation or cite('6.3')}"
        )
        super().__init__(self.message)

    def about(self, period: str, citation: str | None = None) -> "UnknownYearError":
        """The same error naming the period it is about (issue 17 §2: a filing's deadline is no
        公示期) and, optionally, that period's clause instead of §6.3."""
        return UnknownYearError(self.year, period, citation)


def pending_period_message(period: str, year: int, citation: str = "") -> str:
    """R-CAL: what a record shows while one of its periods waits for the calendar – computed
    once ``year`` is declared in the settings, never blocking the record's own save."""
    return f"{period}待计算：系统尚未掌握{year}年的节假日安排，双孵化设置录入并确认该年度后自动计算{citation}"


#: from this month on, next year's holiday schedule is due (the State Council publishes it
#: in the autumn; periods started in December already reach into January)
DECLARE_FROM_MONTH = 11


def year_to_declare(calendar: "WorkCalendar", as_of: DateLike) -> int | None:
    """R-CAL: from 1 November, next year when the calendar does not know it yet (neither
    declared nor in ``chinese_calendar``) – the workspace asks staff to declare it; else ``None``."""
    as_of = as_date(as_of)
    nxt = as_of.year + 1
    if as_of.month >= DECLARE_FROM_MONTH and not calendar.knows_year(nxt):
        return nxt
    return None


@cache
def library_knows_year(year: int) -> bool:
    """Whether ``chinese_calendar`` has the official schedule of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def find_conflicts(extra_holidays: Iterable[DateLike], extra_workdays: Iterable[DateLike]) -> list[date]:
    """Dates entered both as a holiday and as a working day (sorted) – the settings form
    should refuse them."""
    return sorted(_dates(extra_holidays) & _dates(extra_workdays))


class WorkCalendar:
    """Chinese working-day calendar with staff corrections (R-CAL, §6.3).

    Raises ``ValueError`` (Chinese message) if a date is both an extra holiday and an
    extra working day.
    """

    def __init__(
        self,
        extra_holidays: Iterable[DateLike] = frozenset(),
        extra_workdays: Iterable[DateLike] = frozenset(),
        declared_years: Iterable[int] = frozenset(),
    ):
        self.extra_holidays = _dates(extra_holidays)
        self.extra_workdays = _dates(extra_workdays)
        self.declared_years = frozenset(int(y) for y in (declared_years or ()))
        clash = find_conflicts(self.extra_holidays, self.extra_workdays)
        if clash:
            listed = "、".join(d.isoformat() for d in clash)
            raise ValueError(f"以下日期同时被设为节假日和工作日，请更正：{listed}{cite('6.3')}")

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_holidays={len(self.extra_holidays)}, "
            f"extra_workdays={len(self.extra_workdays)}, declared_years={sorted(self.declared_years)})"
        )

    def knows_year(self, year: int) -> bool:
        """True if working days of ``year`` can be computed (declared or in the library)."""
        return year in self.declared_years or library_knows_year(year)

    def is_working_day(self, d: DateLike) -> bool:
        """R-CAL: whether ``d`` is a working day. Raises :class:`UnknownYearError` for a day
        of an unknown, undeclared year that no extra date covers."""
        d = as_date(d)
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        if d.year in self.declared_years:
            return d.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            raise UnknownYearError(d.year) from None

    def next_working_day(self, d: DateLike, inclusive: bool = False) -> date:
        """First working day after ``d`` (or on ``d`` when ``inclusive``)."""
        d = as_date(d)
        current = d if inclusive else d + timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        raise ValueError(f"{d.isoformat()}之后{_MAX_SCAN_DAYS}天内没有工作日，请检查节假日设置{cite('6.3')}")

    def nth_working_day(self, start: DateLike, n: int) -> date:
        """R-CAL, §6.3: the ``n``-th working day counting from ``start`` inclusive.

        If ``start`` is a working day it is day 1; otherwise counting begins at the next
        working day. ``n`` must be >= 1 (``ValueError`` otherwise). Used for the notice
        period: a notice starting on ``start`` lasting ``n`` working days ends on the
        returned day.
        """
        if int(n) != n or n < 1:
            raise ValueError(f"工作日数应为正整数，当前为{n}")
        current = self.next_working_day(start, inclusive=True)
        for _ in range(int(n) - 1):
            current = self.next_working_day(current)
        return current

    def add_working_days(self, d: DateLike, n: int) -> date:
        """The ``n``-th working day strictly after ``d`` (``n >= 0``; ``n == 0`` -> ``d``)."""
        d = as_date(d)
        if int(n) != n or n < 0:
            raise ValueError(f"工作日数应为非负整数，当前为{n}")
        current = d
        for _ in range(int(n)):
            current = self.next_working_day(current)
        return current

    def working_days_between(self, start: DateLike, end: DateLike) -> int:
        """Number of working days from ``start`` to ``end``, both inclusive (0 if end < start)."""
        start, end = as_date(start), as_date(end)
        count, current = 0, start
        while current <= end:
            count += self.is_working_day(current)
            current += timedelta(days=1)
        return count

    def unknown_years(self, start: DateLike, end: DateLike) -> list[int]:
        """Years between ``start`` and ``end`` (inclusive) that are neither declared nor known
        by the library – what staff must enter first."""
        return [y for y in range(as_date(start).year, as_date(end).year + 1) if not self.knows_year(y)]
