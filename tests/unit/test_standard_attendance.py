"""Tier 1: QR sign-in rules (issue 16; §7.3.1 class hours from presence) – figures computed
here from the rule's words, not from the module."""

from __future__ import annotations

import datetime as dt

import pytest

from shuangfuhua_app.standard import attendance as a

DAY = dt.date(2026, 5, 12)
BOUNDS = (dt.datetime(2026, 5, 12, 9, 0), dt.datetime(2026, 5, 12, 11, 30))  # a 2.5-hour session


def at(h, m=0):
    return dt.datetime(2026, 5, 12, h, m)


def test_token_good_for_its_window_and_one_window_of_grace_only():
    t0 = 1_800_000_000.0
    token = a.make_token("s3cret", "SFH-ACT-2026-00001", t0)
    assert a.check_token(token, "s3cret", t0) is None
    assert a.check_token(token, "s3cret", t0 + 60) is None  # the next minute: grace
    assert a.check_token(token, "s3cret", t0 + 120) is not None  # two windows later: expired
    assert a.check_token(token, "s3cret", t0 - 60) is not None  # from the future
    assert a.token_activity(token) == "SFH-ACT-2026-00001"


def test_token_only_for_its_activity_and_secret():
    t0 = 1_800_000_000.0
    token = a.make_token("s3cret", "SFH-ACT-2026-00001", t0)
    other = token.replace("00001", "00002")
    assert a.check_token(other, "s3cret", t0) is not None
    assert a.check_token(token, "another", t0) is not None
    assert a.check_token(token, None, t0) is not None
    assert a.check_token("garbage", "s3cret", t0) is not None
    # the refusal is one message whatever the cause (no oracle)
    assert len({a.check_token(x, "s3cret", t0 + d) for x, d in ((other, 0), (token, 600), ("x", 0))}) == 1
    assert "二维码" in a.check_token("x", "s3cret", t0)


def test_window_changes_every_minute():
    assert a.WINDOW_SECONDS == 60
    assert a.window_of(120.0) == a.window_of(179.9) == 2
    assert a.make_token("k", "A", 120.0) != a.make_token("k", "A", 180.0)


def test_sign_in_from_thirty_minutes_before_start_until_the_end():
    assert a.sign_in_refusal(at(8, 30), BOUNDS) is None
    assert "尚未开始" in a.sign_in_refusal(at(8, 29), BOUNDS)
    assert a.sign_in_refusal(at(11, 30), BOUNDS) is None
    assert "已结束" in a.sign_in_refusal(at(11, 31), BOUNDS)
    # a sign-out may come up to 30 minutes after the end
    assert a.sign_in_refusal(at(12, 0), BOUNDS, signing_out=True) is None
    assert a.sign_in_refusal(at(12, 1), BOUNDS, signing_out=True) is not None
    assert "未设定" in a.sign_in_refusal(at(9), None)


def test_session_bounds():
    assert a.session_bounds(DAY, dt.time(9), dt.time(11, 30)) == BOUNDS
    assert a.session_bounds(DAY, None, dt.time(11)) is None
    assert a.session_bounds(DAY, dt.time(11), dt.time(9)) is None


@pytest.mark.parametrize(
    "signed_in, signed_out, cap, expected",
    [
        # present from before the start to the end: the session's 2.5 h (capped by nothing)
        (at(8, 40), at(11, 45), None, 2.5),
        # capped at the activity's class hours
        (at(8, 40), at(11, 45), 2.0, 2.0),
        # 9:25–11:30 = 2 h 05 min -> 2.0 (rounded down to the half hour)
        (at(9, 25), at(11, 40), None, 2.0),
        # 9:00–10:29 = 1 h 29 min -> 1.0
        (at(9, 0), at(10, 29), None, 1.0),
        # 9:00–10:30 = 1.5 exactly
        (at(9, 0), at(10, 30), None, 1.5),
        # 29 minutes -> 0
        (at(9, 0), at(9, 29), None, 0.0),
        # before the session only
        (at(8, 30), at(8, 59), None, 0.0),
        # no sign-out: nothing shown
        (at(9, 0), None, None, 0.0),
    ],
)
def test_class_hours_are_presence_within_the_session_rounded_down_to_half_hours(signed_in, signed_out, cap, expected):
    assert a.class_hours(signed_in, signed_out, BOUNDS, cap) == expected


def test_class_hours_without_schedule_are_zero():
    assert a.class_hours(at(9), at(11), None) == 0.0


def test_repeat_scan_within_ten_minutes_is_the_same_sign_in():
    assert a.is_repeat_scan(at(9, 0), at(9, 9))
    assert not a.is_repeat_scan(at(9, 0), at(9, 10))


def test_masked_mobile_shows_only_head_and_tail():
    assert a.mask_mobile("13812340001") == "138****0001"
    assert a.mask_mobile("123") == "***"


def test_name_normalisation():
    assert a.normalize_name(" 张 三\u3000") == "张三"


def test_messages_are_chinese_and_cite_the_clause():
    assert "第7.3.1条" in a.hours_message("张三", 1.5, True)
    assert "未签退" in a.hours_message("张三", 0, False)


def test_form_ticket_lasts_five_minutes_and_is_not_a_scan_token():
    t0 = 1_800_000_000.0
    ticket = a.make_token("s3cret", "SFH-ACT-2026-00001", t0, purpose="form")
    scan = a.make_token("s3cret", "SFH-ACT-2026-00001", t0)
    assert a.check_token(ticket, "s3cret", t0 + 5 * 60, purpose="form") is None
    assert a.check_token(ticket, "s3cret", t0 + 6 * 60, purpose="form") is not None
    assert a.check_token(ticket, "s3cret", t0) is not None  # not a scan token
    assert a.check_token(scan, "s3cret", t0, purpose="form") is not None
