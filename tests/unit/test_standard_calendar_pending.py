"""Issue 17 §2: a calendar gap names the period it is about; next year's schedule is asked
for from 1 November."""

from datetime import date

import pytest

from shuangfuhua_app.standard.calendar import (
    UnknownYearError,
    WorkCalendar,
    library_knows_year,
    pending_period_message,
    year_to_declare,
)

UNKNOWN = next(y for y in range(2026, 2100) if not library_knows_year(y))


def test_the_message_names_the_period_and_its_clause():
    cal = WorkCalendar()
    with pytest.raises(UnknownYearError) as info:
        cal.add_working_days(date(UNKNOWN - 1, 12, 28), 7)
    err = info.value.about("变更备案申请期限", "（《培育发展社区社会组织十条措施》第二条）")
    assert err.year == UNKNOWN and "再计算变更备案申请期限" in err.message and "公示期" not in err.message
    assert err.message.endswith("第二条）")
    assert "公示期" in info.value.message  # the notice keeps its own wording


def test_pending_message():
    text = pending_period_message("变更备案申请期限", UNKNOWN)
    assert text.startswith("变更备案申请期限待计算") and f"{UNKNOWN}年" in text


def test_next_year_is_asked_for_from_the_first_of_november_until_declared():
    cal = WorkCalendar()
    before = UNKNOWN - 1
    assert year_to_declare(cal, date(before, 10, 31)) is None
    assert year_to_declare(cal, date(before, 11, 1)) == UNKNOWN
    assert year_to_declare(cal, date(before, 12, 31)) == UNKNOWN
    assert year_to_declare(WorkCalendar(declared_years={UNKNOWN}), date(before, 11, 1)) is None
    assert year_to_declare(cal, date(before - 1, 11, 1)) is None  # the library knows `before`
