import pytest

from shuangfuhua_app.standard.center import (
    REQUIRED_SYSTEMS,
    check_center_staffing,
    check_office_area,
    check_operator,
    check_systems,
    grade_rank,
    missing_systems,
)
from shuangfuhua_app.standard.clauses import cite, cite_source
from shuangfuhua_app.standard.settings import StandardSettings


def test_office_area():
    f = check_office_area(80)
    assert not f.ok and f.rule == "R-4.1d" and f.gap == 20 and f.message.endswith(cite("4.1"))
    assert check_office_area(100).ok
    assert check_office_area(60, StandardSettings(min_center_area=50)).ok  # [HZ2019] configuration
    assert not check_office_area(None).ok


def test_staffing():
    assert check_center_staffing(1, 1).ok
    f = check_center_staffing(0, 0)
    assert not f.ok and "负责人" in f.message and "专职人员" in f.message and f.gap == 2
    assert not check_center_staffing(1, 2, StandardSettings(min_center_fulltime_staff=3)).ok


@pytest.mark.parametrize(
    "text, rank",
    [
        ("AAA", 3),
        ("3A", 3),
        ("3A级", 3),
        ("aaaaa", 5),
        ("５A", 5),
        ("", 0),
        (None, 0),
        ("B", None),
        ("6A", None),
    ],
)
def test_grade_rank(text, rank):
    assert grade_rank(text) == rank


def test_operator_local_needs_no_grade():
    findings = check_operator(is_local=True, grade=None, social_workers=1)
    assert all(f.ok for f in findings) and len(findings) == 2


def test_operator_non_local_grade():
    bad = [f for f in check_operator(False, "AA", 1) if not f.ok]
    assert len(bad) == 1 and "不低于AAA" in bad[0].message and bad[0].message.endswith(cite("4.1"))
    assert all(f.ok for f in check_operator(False, "4A", 1))


def test_operator_social_worker_and_legal_person():
    bad = [f for f in check_operator(True, None, 0, independent_legal_person=False) if not f.ok]
    assert len(bad) == 2


def test_operator_lw2021_checks():
    findings = check_operator(True, "AAA", 1, years_registered=3, lead_social_worker_qualified=False)
    oper = [f for f in findings if f.rule == "R-OPER"]
    assert len(oper) == 2 and not any(f.ok for f in oper)
    assert all(f.message.endswith(cite_source("LW2021", "三（一）")) for f in oper)
    ok = check_operator(True, "AAA", 1, years_registered=4, lead_social_worker_qualified=True)
    assert all(f.ok for f in ok)
    low_grade = check_operator(True, "AA", 1, years_registered=6)
    assert not [f for f in low_grade if f.rule == "R-OPER"][0].ok


def test_systems():
    assert len(REQUIRED_SYSTEMS) == 7
    assert missing_systems(REQUIRED_SYSTEMS) == []
    assert missing_systems(["dual_sync", "入驻和出壳制度"]) == list(REQUIRED_SYSTEMS.values())[2:]
    f = check_systems(["dual_sync"])
    assert not f.ok and f.gap == 6 and f.message.endswith(cite("4.2"))
    assert check_systems(REQUIRED_SYSTEMS.values()).ok
