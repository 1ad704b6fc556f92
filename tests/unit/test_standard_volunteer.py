"""Tier 1: the volunteers' duties of [10M] 第六条 (R-VOL-REDEEM, R-VOL-CREDIT, R-VOL-MATCH)."""

from __future__ import annotations

import datetime

from shuangfuhua_app.standard import volunteer as v

CLAUSE = "第六条"


def test_catalogue_item_costs_points_and_has_whole_stock():
    assert v.check_catalogue_item(10, 3) is None
    assert v.check_catalogue_item(0.5, 0) is None
    for points, stock in ((0, 1), (-1, 1), ("x", 1), (5, -1), (5, 1.5)):
        message = v.check_catalogue_item(points, stock)
        assert message and CLAUSE in message


def test_balance_never_below_zero():
    assert v.check_balance(5, -5) is None
    assert v.check_balance(0, 3) is None
    message = v.check_balance(4.5, -5)
    assert "积分余额不足" in message and CLAUSE in message


def test_redemption_needs_active_item_stock_and_balance():
    ok = dict(balance=12, item_points=4, quantity=3, stock=3, active=1)
    assert v.check_redemption(**ok) is None
    assert "余额不足" in v.check_redemption(**{**ok, "balance": 11.99})
    assert "库存不足" in v.check_redemption(**{**ok, "stock": 2})
    assert "停用" in v.check_redemption(**{**ok, "active": 0})
    for bad in (0, -1, 1.5, "a"):
        assert "兑换数量" in v.check_redemption(**{**ok, "quantity": bad})
    assert v.redemption_cost(2.5, 3) == (7.5, None)


def test_adjustment_needs_reason_and_keeps_balance():
    assert v.check_adjustment(balance=3, points=-3, note="更正") is None
    assert v.check_adjustment(balance=0, points=2, note="补录") is None
    assert "原因" in v.check_adjustment(balance=3, points=1, note="  ")
    assert "非零" in v.check_adjustment(balance=3, points=0, note="x")
    assert "余额不足" in v.check_adjustment(balance=3, points=-3.5, note="x")


def test_earned_delta_books_the_difference():
    assert v.earned_delta(5.5, 0) == 5.5
    assert v.earned_delta(3, 5.5) == -2.5
    assert v.earned_delta(2, 2) == 0


def test_integrity_entry_dated_registered_and_explained():
    today, reg = datetime.date(2026, 6, 1), datetime.date(2025, 1, 1)
    ok = dict(entry_type="No-show", entry_date=today, note="未到岗", today=today, registered_on=reg)
    assert v.check_integrity_entry(**ok) is None
    assert "不能晚于今天" in v.check_integrity_entry(**{**ok, "entry_date": today + datetime.timedelta(days=1)})
    assert "早于该志愿者的注册日期" in v.check_integrity_entry(**{**ok, "entry_date": datetime.date(2024, 12, 31)})
    assert "具体情况" in v.check_integrity_entry(**{**ok, "note": " "})
    assert "类型" in v.check_integrity_entry(**{**ok, "entry_type": "Other"})
    assert CLAUSE in v.check_integrity_entry(**{**ok, "note": ""})


def test_integrity_summary_counts_each_kind():
    assert v.integrity_summary({"Commendation": 2, "No-show": 1}) == "表扬2次，投诉0次，爽约1次"
