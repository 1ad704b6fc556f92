"""Tier 1: needs matched with volunteers, [10M] 第六条 供需对接 (R-VOL-MATCH)."""

from __future__ import annotations

import datetime as dt

from shuangfuhua_app.standard import volunteer as v

CLAUSE = "第六条"
SAT = dt.date(2026, 12, 5)  # a Saturday
MON = dt.date(2026, 12, 7)
T = dt.time


def test_skill_words_and_match():
    assert v.skill_words("助老、心理疏导 / 法律") == ["助老", "心理疏导", "法律"]
    assert v.skill_matches("心理疏导，陪伴", "助老陪伴、心理疏导")
    assert not v.skill_matches("法律咨询", "助老陪伴")
    assert not v.skill_matches("", "助老陪伴")


def test_availability_by_weekday():
    assert v.available_on("Weekends", SAT) and not v.available_on("Weekends", MON)
    assert v.available_on("Weekdays", MON) and not v.available_on("Weekdays", SAT)
    assert v.available_on("Any Time", SAT) and v.available_on(None, MON)


def test_overlap_and_hours():
    assert v.times_overlap(T(9), T(11), T(10), T(12))
    assert not v.times_overlap(T(9), T(10), T(10), T(12))
    assert v.service_hours(T(9), T(11, 30)) == 2.5


def test_check_need():
    ok = dict(title="陪老人", skill="助老", need_date=SAT, start_time=T(9), end_time=T(11), needed=2, today=SAT)
    assert v.check_need(**ok) is None
    for bad in ({"title": " "}, {"skill": "、"}, {"need_date": None}, {"need_date": SAT - dt.timedelta(1)},
                {"end_time": T(9)}, {"needed": 0}, {"needed": 1.5}, {"needed": "x"}, {"taken": 3}):
        message = v.check_need(**{**ok, **bad})
        assert message and CLAUSE in message, bad
    # a need already past may still be corrected as long as its date is not moved
    assert v.check_need(**{**ok, "need_date": SAT - dt.timedelta(1), "date_changed": False}) is None


def test_rank_matches_skill_then_area_then_no_shows_then_name():
    need = {"skill": "心理疏导", "community": "C1", "need_date": SAT, "start_time": T(9), "end_time": T(11)}
    vols = [
        {"name": "V1", "volunteer_name": "甲", "skills": "法律", "community": "C1", "availability": "Any Time"},
        {"name": "V2", "volunteer_name": "乙", "skills": "心理疏导", "community": "C2", "availability": "Weekends"},
        {"name": "V3", "volunteer_name": "丙", "skills": "心理疏导", "community": "C1", "no_show_count": 1},
        {"name": "V4", "volunteer_name": "丁", "skills": "心理疏导", "community": "C1", "availability": "Any Time"},
        {"name": "V5", "volunteer_name": "戊", "skills": "心理疏导", "community": "C1", "availability": "Weekdays"},
        {"name": "V6", "volunteer_name": "己", "skills": "心理疏导", "community": "C1", "volunteer_status": "Inactive"},
        {"name": "V7", "volunteer_name": "庚", "skills": "心理疏导", "community": "C1"},
    ]
    busy = {"V7": [(SAT, T(10), T(12))], "V4": [(SAT, T(11), T(12)), (MON, T(9), T(11))]}
    ranked = v.rank_matches(need, vols, busy)
    assert [m["volunteer"] for m in ranked] == ["V4", "V3", "V2", "V1"]
    assert ranked[2]["skill_match"] and not ranked[2]["area_match"]
    assert not ranked[3]["skill_match"] and ranked[3]["area_match"]
    # a need naming no community matches every area
    assert all(m["area_match"] for m in v.rank_matches({**need, "community": None}, vols, busy))


def test_acceptance():
    ok = dict(status="Open", need_date=SAT, today=SAT, needed=2, taken=1, already=False, clash=None)
    assert v.check_acceptance(**ok) is None
    for bad, word in (({"status": "Closed"}, "已关闭"), ({"today": SAT + dt.timedelta(1)}, "已过"),
                      ({"already": True}, "重复"), ({"taken": 2}, "已满"), ({"clash": "N-1"}, "时间冲突")):
        message = v.check_acceptance(**{**ok, **bad})
        assert message and word in message and CLAUSE in message
    assert v.places_taken(["Accepted", "Served", "No-show"]) == 2


def test_outcome():
    ok = dict(current="Accepted", outcome="Served", need_date=SAT, today=SAT, hours=2)
    assert v.check_outcome(**ok) is None
    assert v.check_outcome(**{**ok, "outcome": "No-show", "hours": None}) is None
    for bad in ({"outcome": "Maybe"}, {"current": "Served"}, {"current": "No-show"},
                {"need_date": SAT + dt.timedelta(1)}, {"hours": 0}, {"hours": 25}, {"hours": "x"}):
        message = v.check_outcome(**{**ok, **bad})
        assert message and CLAUSE in message, bad
