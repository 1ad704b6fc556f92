"""[HZ2019] 三（四）, [10M] 第五条 (R-RESOURCE): resource needs and offers matched by the center."""

import datetime

import pytest

from shuangfuhua_app.standard.resources import (
    KINDS,
    NEED_STATUSES,
    OUTCOMES,
    PROVIDER_TYPES,
    check_match,
    check_need,
    check_need_status,
    check_offer,
    check_outcome,
    fitting_offers,
    offer_fits,
)

D = datetime.date
NEED = {"center": "A", "kind": "Venue", "needed_by": "2026-06-30"}


def cites(message: str) -> bool:
    return "三（四）" in message and "第五条" in message and any("\u4e00" <= c <= "\u9fff" for c in message)


@pytest.mark.parametrize(
    "offer, fits",
    [
        ({"center": "A", "kind": "Venue", "available_until": None}, True),  # open-ended
        ({"center": "A", "kind": "Venue", "available_until": "2026-06-30"}, True),  # the very day
        ({"center": "A", "kind": "Venue", "available_until": D(2026, 12, 31)}, True),
        ({"center": "A", "kind": "Venue", "available_until": "2026-06-29"}, False),  # ends a day early
        ({"center": "B", "kind": "Venue", "available_until": None}, False),  # another center
        ({"center": "A", "kind": "Funds", "available_until": None}, False),  # another kind
    ],
)
def test_offer_fits_same_center_same_kind_available_on_the_day(offer, fits):
    assert offer_fits(NEED, offer) is fits


def test_fitting_offers_keeps_exactly_the_fitting_ones_in_order():
    offers = [
        {"name": 1, "center": "A", "kind": "Venue", "available_until": "2027-01-01"},
        {"name": 2, "center": "A", "kind": "Venue", "available_until": "2026-01-01"},
        {"name": 3, "center": "B", "kind": "Venue"},
        {"name": 4, "center": "A", "kind": "Venue"},
    ]
    assert [o["name"] for o in fitting_offers(NEED, offers)] == [1, 4]
    assert offer_fits({"center": None, "kind": "Venue"}, {"center": None, "kind": "Venue"}) is False


def test_need_as_posted():
    today = "2026-05-01"
    assert check_need("Venue", "活动场地", "2026-05-01", today, is_new=True) is None
    for args in (("Car", "x", "2026-06-01"), ("Venue", "  ", "2026-06-01"), ("Venue", "x", None),
                 ("Venue", "x", "2026-04-30"), ("Venue", "长" * 2001, "2026-06-01")):
        message = check_need(*args, today, is_new=True)
        assert message and cites(message), args
    # a need saved again after its day has passed is not refused for it
    assert check_need("Venue", "x", "2026-04-30", today, is_new=False) is None


def test_offer_as_entered():
    assert check_offer("Foundation", "某基金会", "Funds", "小额资助") is None
    for args in (("Bank", "x", "Funds", ""), ("Expert", " ", "Expertise", ""), ("Expert", "张", "Time", "")):
        message = check_offer(*args)
        assert message and cites(message), args


def test_need_status_matched_only_with_a_match():
    assert check_need_status("Open", False) is None and check_need_status("Closed", True) is None
    assert check_need_status("Matched", True) is None
    assert cites(check_need_status("Matched", False))
    assert cites(check_need_status("Done", True))


def test_match_needs_a_fitting_offer_and_an_unclosed_need():
    ok = {"center": "A", "kind": "Venue", "available_until": None}
    assert check_match(NEED, ok, "Open") is None and check_match(NEED, ok, "Matched") is None
    assert cites(check_match(NEED, ok, "Closed"))
    assert cites(check_match(NEED, {**ok, "center": "B"}, "Open"))
    assert "场地" in check_match(NEED, {**ok, "kind": "Funds"}, "Open")
    assert "2026-06-29" in check_match(NEED, {**ok, "available_until": "2026-06-29"}, "Open")


def test_outcome_has_its_date_between_match_and_today():
    today, matched = "2026-05-10", "2026-05-01"
    assert check_outcome(None, None, matched, today) is None
    assert check_outcome("Agreed", "2026-05-01", matched, today) is None
    assert check_outcome("Not Pursued", "2026-05-10", matched, today) is None
    for outcome, when in (("Agreed", None), ("Won", "2026-05-02"), ("Connected", "2026-04-30"),
                          ("Connected", "2026-05-11"), (None, "2026-05-02")):
        message = check_outcome(outcome, when, matched, today)
        assert message and cites(message), (outcome, when)


def test_labels_are_chinese():
    for mapping in (KINDS, PROVIDER_TYPES, NEED_STATUSES, OUTCOMES):
        assert all(any("\u4e00" <= c <= "\u9fff" for c in v) for v in mapping.values())
