"""[10M] 第二条 (R-REG-STEER): steering larger filed organizations toward registration."""

import datetime

from shuangfuhua_app.standard.settings import DEFAULT_SETTINGS, OPEN_SETTINGS
from shuangfuhua_app.standard.steering import (
    OUTCOMES,
    check_follow_up,
    check_org_type,
    check_outcome_change,
    steering_finding,
    window_start,
)

TEN = "（《培育发展社区社会组织十条措施》第二条）"


def test_thresholds_are_settings_flagged_as_the_apps_choice():
    assert (DEFAULT_SETTINGS.steering_min_members, DEFAULT_SETTINGS.steering_min_activities,
            DEFAULT_SETTINGS.steering_min_funds) == (30, 4, 10000)
    for name in ("steering_min_members", "steering_min_activities", "steering_min_funds"):
        assert OPEN_SETTINGS[name].endswith(TEN)


def test_window_is_the_last_twelve_months():
    assert window_start(datetime.date(2026, 6, 30)) == datetime.date(2025, 7, 1)


def test_all_three_thresholds_make_a_candidate():
    f = steering_finding(30, 4, 10000, 30, 4, 10000)
    assert f.ok and f.rule == "R-REG-STEER" and f.message.endswith(TEN)
    f = steering_finding(29, 4, 9999.5, 30, 4, 10000)
    assert not f.ok and f.gap == 2
    assert "成员29人，少于30人" in f.message and "资金9999.5元，少于10000元" in f.message


def test_follow_up_dates_and_final_outcome():
    assert "跟进日期" in check_follow_up(None, "2026-01-01", "2026-02-01")
    assert check_follow_up("2025-12-31", "2026-01-01", "2026-02-01").endswith(TEN)
    assert check_follow_up("2026-02-02", "2026-01-01", "2026-02-01")
    assert check_follow_up("2026-01-15", "2026-01-01", "2026-02-01") is None
    assert check_outcome_change(None, "Registered") is None
    assert check_outcome_change("Registered", "Registered") is None
    assert "不能修改" in check_outcome_change("Declined", "Registered")
    assert "无效" in check_outcome_change(None, "Maybe")
    assert set(OUTCOMES) == {"Registered", "Declined", "Not Eligible"}


def test_only_filed_organizations_are_steered():
    assert check_org_type(True) is None
    assert "已备案" in check_org_type(False)
