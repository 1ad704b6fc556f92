from datetime import date, datetime

import pytest

from shuangfuhua_app.standard.calendar import (
    UnknownYearError,
    WorkCalendar,
    as_date,
    find_conflicts,
    library_knows_year,
)

CAL = WorkCalendar()


def test_national_day_2025_notice_ends_13_october():
    # 9-30 (day 1), 10-1..10-8 holiday, 10-9, 10-10, 10-11 (make-up Saturday), 10-13.
    assert CAL.nth_working_day(date(2025, 9, 30), 5) == date(2025, 10, 13)


def test_labour_day_2026_counts_make_up_saturday():
    assert CAL.nth_working_day(date(2026, 4, 30), 5) == date(2026, 5, 9)


def test_statutory_holiday_and_make_up_day():
    assert not CAL.is_working_day(date(2025, 10, 1))  # Wednesday, National Day
    assert CAL.is_working_day(date(2025, 9, 28))  # Sunday, make-up workday
    assert not CAL.is_working_day(date(2025, 9, 27))  # plain Saturday
    assert CAL.is_working_day(date(2025, 9, 29))  # plain Monday


def test_start_on_non_working_day_counts_from_next_working_day():
    assert CAL.nth_working_day(date(2025, 10, 1), 1) == date(2025, 10, 9)
    assert CAL.nth_working_day(date(2025, 10, 4), 2) == date(2025, 10, 10)


def test_start_on_working_day_is_day_one():
    assert CAL.nth_working_day(date(2025, 9, 29), 1) == date(2025, 9, 29)


@pytest.mark.parametrize("n", [0, -1, 1.5])
def test_n_must_be_positive_integer(n):
    with pytest.raises(ValueError):
        CAL.nth_working_day(date(2025, 9, 29), n)


def test_datetime_and_string_inputs_are_normalized():
    assert CAL.nth_working_day(datetime(2025, 9, 30, 17, 45), 5) == date(2025, 10, 13)
    assert CAL.nth_working_day("2025-09-30", 5) == date(2025, 10, 13)
    assert CAL.is_working_day(datetime(2025, 10, 1, 9)) is False
    assert as_date("2025-09-30 08:00:00") == date(2025, 9, 30)
    with pytest.raises(TypeError):
        as_date(20250930)


def test_unknown_year_raises_with_chinese_instruction():
    with pytest.raises(UnknownYearError) as info:
        CAL.nth_working_day(date(2026, 12, 28), 5)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.year == 2027
    assert "2027年的节假日安排" in err.message and "设置" in err.message
    assert str(err).endswith("（DB3301/T 0346—2021 第6.3条）")


def test_years_before_library_range_are_unknown_too():
    assert library_knows_year(2004) and library_knows_year(2026)
    assert not library_knows_year(2003) and not library_knows_year(2027)
    with pytest.raises(UnknownYearError) as info:
        CAL.is_working_day(date(2003, 5, 6))
    assert info.value.year == 2003


def test_declared_year_uses_weekends_and_extras():
    cal = WorkCalendar(extra_holidays={date(2027, 1, 1)}, declared_years={2027})
    # 12-28 Mon, 29, 30, 31, (1-1 extra holiday, 1-2/1-3 weekend), 1-4 Mon.
    assert cal.nth_working_day(date(2026, 12, 28), 5) == date(2027, 1, 4)
    plain = WorkCalendar(declared_years=[2027])
    assert plain.nth_working_day(date(2026, 12, 28), 5) == date(2027, 1, 1)
    assert not plain.is_working_day(date(2027, 1, 2))


def test_declaring_a_known_year_overrides_the_library():
    cal = WorkCalendar(declared_years={2025})
    assert cal.is_working_day(date(2025, 10, 1))  # weekday, library not consulted
    assert not cal.is_working_day(date(2025, 9, 28))  # make-up Sunday forgotten unless entered


def test_extras_override_everything():
    cal = WorkCalendar(extra_holidays={"2025-10-13"}, extra_workdays={date(2025, 10, 12)})
    assert not cal.is_working_day(date(2025, 10, 13))
    assert cal.is_working_day(date(2025, 10, 12))  # Sunday made a working day
    assert cal.nth_working_day(date(2025, 9, 30), 5) == date(2025, 10, 12)
    unknown = WorkCalendar(extra_holidays={date(2030, 1, 1)}, extra_workdays={date(2030, 1, 5)})
    assert unknown.is_working_day(date(2030, 1, 1)) is False  # no error: staff decided
    assert unknown.is_working_day(date(2030, 1, 5)) is True
    with pytest.raises(UnknownYearError):
        unknown.is_working_day(date(2030, 1, 2))


def test_conflicting_extras_are_refused():
    assert find_conflicts({date(2025, 1, 1)}, {"2025-01-01", date(2025, 1, 2)}) == [date(2025, 1, 1)]
    with pytest.raises(ValueError, match="同时被设为节假日和工作日"):
        WorkCalendar(extra_holidays={date(2025, 1, 1)}, extra_workdays={date(2025, 1, 1)})


def test_working_days_between_is_inclusive():
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 13)) == 5
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 9, 30)) == 1
    assert CAL.working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    assert CAL.working_days_between(date(2025, 10, 13), date(2025, 9, 30)) == 0


def test_next_and_add_working_days():
    assert CAL.next_working_day(date(2025, 9, 30)) == date(2025, 10, 9)
    assert CAL.next_working_day(date(2025, 9, 30), inclusive=True) == date(2025, 9, 30)
    assert CAL.add_working_days(date(2025, 9, 30), 0) == date(2025, 9, 30)
    assert CAL.add_working_days(date(2025, 9, 30), 4) == date(2025, 10, 13)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2025, 9, 30), -1)


def test_knows_year_and_unknown_years():
    cal = WorkCalendar(declared_years={2028})
    assert cal.knows_year(2025) and cal.knows_year(2028) and not cal.knows_year(2027)
    assert cal.unknown_years(date(2026, 12, 1), date(2028, 1, 1)) == [2027]
