import pytest

from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.party import (
    PARTY_FORMS,
    check_party_organization,
    one_shoulder_rate,
    required_party_form,
)
from shuangfuhua_app.standard.settings import StandardSettings

C712 = cite("7.1.2")


@pytest.mark.parametrize(
    "count, form",
    [
        (0, "instructor_or_liaison"),
        (2, "instructor_or_liaison"),
        (3, "branch"),
        (10, "branch"),
        (None, "instructor_or_liaison"),
    ],
)
def test_required_party_form(count, form):
    assert required_party_form(count) == form
    assert form in PARTY_FORMS


def test_threshold_comes_from_settings():
    assert required_party_form(3, StandardSettings(party_branch_threshold=5)) == "instructor_or_liaison"
    assert check_party_organization(
        4, False, False, False, StandardSettings(party_branch_threshold=4)
    ).message.startswith("党员4名及以上应成立党支部")
    assert (
        "党员不足5名"
        in check_party_organization(
            4, False, False, False, StandardSettings(party_branch_threshold=5)
        ).message
    )


def test_negative_count_rejected():
    with pytest.raises(ValueError):
        required_party_form(-1)


def test_three_or_more_members_without_branch_is_flagged():
    f = check_party_organization(4, has_branch=False, has_instructor=True, has_liaison=True)
    assert not f.ok and f.rule == "R-7.1.2" and f.enforcement == "flag"
    assert f.message == "党员3名及以上应成立党支部，当前党员4名、未建支部" + C712
    assert (f.figure, f.required) == (4, 3)


def test_exactly_three_members_need_a_branch():
    assert not check_party_organization(3, False, True, False).ok
    assert check_party_organization(3, True, False, False).ok


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_members_need_instructor_or_liaison(count):
    f = check_party_organization(count, False, False, False)
    assert not f.ok and "党建指导员或党建联络员" in f.message and f.message.endswith(C712)
    assert check_party_organization(count, False, True, False).ok
    assert check_party_organization(count, False, False, True).ok


def test_ok_message_names_the_posts():
    f = check_party_organization(1, False, True, True)
    assert f.ok and "党建指导员、党建联络员" in f.message


def test_branch_always_satisfies():
    assert check_party_organization(1, True, False, False).ok


def test_one_shoulder_rate_counts_only_orgs_with_secretary():
    orgs = [
        ("张三", "张三"),
        ("李四", "王五"),
        ("赵六", None),
        ("钱七", ""),
        (" 孙八 ", "孙八"),
        (None, "周九"),
    ]
    count, total, rate = one_shoulder_rate(orgs)
    assert (count, total) == (2, 4)
    assert rate == pytest.approx(0.5)


def test_one_shoulder_rate_empty():
    assert one_shoulder_rate([]) == (0, 0, 0.0)
    assert one_shoulder_rate([("a", None)]) == (0, 0, 0.0)
