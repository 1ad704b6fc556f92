"""Issue 14 §7: a reserve not a whole month in the pool in the year is not measured for the
5 trainings (§7.3.2), like class hours (§7.3.1) and rotation (§7.3.2)."""

import datetime

from shuangfuhua_app.standard.training import class_hours_finding, reserve_training_finding, rotation_finding

YEAR = 2026
AS_OF = datetime.date(YEAR, 12, 20)


def test_zero_whole_months_is_not_applicable_for_every_quota_of_7_3():
    joined = datetime.date(YEAR, 12, 2)  # December not whole, no month after it: 0 months
    for f in (
        reserve_training_finding(0, False, YEAR, AS_OF, joined, person="储备人才甲"),
        class_hours_finding("党务工作者甲", 0, YEAR, AS_OF, joined),
        rotation_finding(0, YEAR, AS_OF, joined, subject="党员甲"),
    ):
        assert f.applicable is False and f.ok is True and f.required == 0, f
    assert "第7.3.2条" in reserve_training_finding(0, True, YEAR, AS_OF, joined).message


def test_one_whole_month_is_measured():
    joined = datetime.date(YEAR, 12, 1)  # the whole of December: 1 month -> ceil(5 × 1/12) = 1
    f = reserve_training_finding(0, True, YEAR, AS_OF, joined)
    assert f.applicable and not f.ok and f.required == 1
