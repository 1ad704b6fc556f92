"""Issue 18: a report over a center's thousands of people reads the quotas of §7.3 through
``YearQuotas``, which works out once per start date what depends only on that date. It must
say exactly what the rule functions say, person by person."""

import datetime
import itertools

import pytest

from shuangfuhua_app.standard import training
from shuangfuhua_app.standard.settings import DEFAULT_SETTINGS, StandardSettings
from shuangfuhua_app.standard.training import (
    YearQuotas,
    class_hours_finding,
    reserve_training_finding,
    rotation_finding,
)

YEAR = 2026
#: no date, a start in an earlier year, on the 1st, mid-month, in December (0 or 1 month), next year
JOINED = [None, datetime.date(2023, 5, 17), datetime.date(YEAR, 1, 1), datetime.date(YEAR, 4, 1),
          datetime.date(YEAR, 7, 15), datetime.date(YEAR, 12, 1), datetime.date(YEAR, 12, 2),
          datetime.date(YEAR + 1, 2, 1)]
AS_OF = [datetime.date(YEAR, 2, 10), datetime.date(YEAR, 10, 1), datetime.date(YEAR + 1, 1, 1)]
SETTINGS = [DEFAULT_SETTINGS, StandardSettings(annual_class_hours=24, reserve_trainings_per_year=6,
                                                rotation_trainings_per_year=2)]


@pytest.mark.parametrize("as_of, settings", list(itertools.product(AS_OF, SETTINGS)))
def test_year_quotas_say_what_the_rules_say(as_of, settings):
    quotas = YearQuotas(YEAR, as_of, settings)
    for joined, amount in itertools.product(JOINED, (0, 1, 4.5, 18, 30)):
        assert quotas.class_hours("业务领军人才甲", amount, joined) == class_hours_finding(
            "业务领军人才甲", amount, YEAR, as_of, joined, settings)
        for has_plan in (True, False):
            assert quotas.reserve_training(int(amount), has_plan, joined, "储备人才乙") == reserve_training_finding(
                int(amount), has_plan, YEAR, as_of, joined, settings, "储备人才乙")
        assert quotas.rotation(int(amount), joined, "党员丙") == rotation_finding(
            int(amount), YEAR, as_of, joined, settings, "党员丙")


def test_the_shared_part_is_worked_out_once_per_start_date(monkeypatch):
    calls = []
    real = training.class_hours_terms

    def counting(*args):
        calls.append(args[2])
        return real(*args)

    monkeypatch.setattr(training, "class_hours_terms", counting)
    quotas = YearQuotas(YEAR, datetime.date(YEAR, 10, 1))
    for person in range(300):
        quotas.class_hours(f"业务领军人才{person}", person % 20, JOINED[person % 3])
    assert sorted(calls, key=str) == sorted(JOINED[:3], key=str)


def test_a_prorated_figure_reaches_the_person_named():
    # 15 July: August–December, 5 whole months of 18 h -> 7.5 h; expected by 1 October (Q3 ended):
    # August and September -> 18 × 2 / 12 = 3
    f = YearQuotas(YEAR, datetime.date(YEAR, 10, 1)).class_hours("党务工作者丁", 2, datetime.date(YEAR, 7, 15))
    assert (f.required, f.expected, f.gap, f.ok) == (7.5, 3.0, 5.5, False)
    assert f.message.startswith("党务工作者丁2026年培训 2/7.5 课时（2026年7月15日起任职，按5个整月折算")
