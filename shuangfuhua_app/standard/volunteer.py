"""Volunteers' duties of 《培育发展社区社会组织十条措施》第六条 beyond hours (R-VOL-REDEEM,
R-VOL-CREDIT, R-VOL-MATCH): time-bank points redeemed against the center's catalogue
(服务积分兑换), the integrity record (诚信记载) and needs matched with volunteers (供需对接).
Framework-free; every message is Chinese and ends with its clause.

Decisions (documented):
* every movement of points is a ledger row; the balance is the sum of the rows and never falls
  below zero – a redemption, an adjustment or a correction of hours that would take it below
  zero is refused;
* a catalogue item costs a whole or fractional number of points (> 0); its stock is a whole
  number ≥ 0; a redemption takes a whole quantity ≥ 1 of an active item in stock;
* a need is matched by skill (a word of the need's skill found in the volunteer's skills),
  area (the need's community, when it names one, is the volunteer's) and time (the volunteer's
  availability covers the need's weekday; no other accepted need overlaps it).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping

from .clauses import cite_source

CITE_VOL6 = cite_source("10M", "第六条")


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# ====================================================== R-VOL-REDEEM: 服务积分兑换 ([10M] 第六条)

ENTRY_TYPES = ("Earned", "Redeemed", "Adjusted")


def check_catalogue_item(points, stock) -> str | None:
    """R-VOL-REDEEM: an item of the center's catalogue costs more than 0 points; its stock is a
    whole number, not negative."""
    value = _number(points)
    if value is None or value <= 0:
        return f"兑换所需积分应大于0，当前为“{points}”{CITE_VOL6}"
    count = _number(stock)
    if count is None or count < 0 or count != int(count):
        return f"库存数量应为不小于0的整数，当前为“{stock}”{CITE_VOL6}"
    return None


def check_balance(balance, delta) -> str | None:
    """R-VOL-REDEEM: the balance after a movement of ``delta`` points is never below zero."""
    after = round(float(balance or 0) + float(delta or 0), 2)
    if after < 0:
        return (
            f"积分余额不足：当前余额{float(balance or 0):g}分，本次变动{float(delta or 0):g}分，"
            f"变动后将为{after:g}分，积分余额不能为负{CITE_VOL6}"
        )
    return None


def redemption_cost(item_points, quantity) -> tuple[float | None, str | None]:
    """R-VOL-REDEEM: the points a redemption of ``quantity`` items takes, or why it is refused."""
    count = _number(quantity)
    if count is None or count < 1 or count != int(count):
        return None, f"兑换数量应为不小于1的整数，当前为“{quantity}”{CITE_VOL6}"
    return round(float(item_points or 0) * int(count), 2), None


def check_redemption(*, balance, item_points, quantity, stock, active) -> str | None:
    """R-VOL-REDEEM: an active item of the catalogue, in stock, paid from the balance."""
    if not active:
        return f"该兑换项目已停用，不能兑换{CITE_VOL6}"
    cost, message = redemption_cost(item_points, quantity)
    if message:
        return message
    if int(float(quantity)) > int(stock or 0):
        return f"库存不足：该项目库存{int(stock or 0)}件，申请兑换{int(float(quantity))}件{CITE_VOL6}"
    return check_balance(balance, -cost)


def check_adjustment(*, balance, points, note) -> str | None:
    """R-VOL-REDEEM: a manual adjustment names its reason, moves points and keeps the balance
    at zero or above."""
    value = _number(points)
    if value is None or value == 0:
        return f"调整积分应为非零数字，当前为“{points}”{CITE_VOL6}"
    if not (note or "").strip():
        return f"积分调整须注明原因{CITE_VOL6}"
    return check_balance(balance, value)


def earned_delta(points_now, points_booked) -> float:
    """R-VOL-REDEEM: the Earned row that brings the ledger to the points of an activity's records
    (a correction of hours books the difference, never rewrites a row)."""
    return round(float(points_now or 0) - float(points_booked or 0), 2)


# ====================================================== R-VOL-CREDIT: 诚信记载 ([10M] 第六条)

INTEGRITY_TYPES = {"No-show": "爽约", "Complaint": "投诉", "Commendation": "表扬"}


def check_integrity_entry(*, entry_type, entry_date, note, today, registered_on=None) -> str | None:
    """R-VOL-CREDIT: an entry of the volunteer's integrity record is a no-show, a complaint or a
    commendation on a day that has come, not before the volunteer registered, and says what
    happened."""
    if entry_type not in INTEGRITY_TYPES:
        return f"诚信记载类型应为爽约、投诉或表扬，当前为“{entry_type}”{CITE_VOL6}"
    if entry_date is None:
        return f"请填写诚信记载的日期{CITE_VOL6}"
    if entry_date > today:
        return f"诚信记载的日期{entry_date:%Y年%m月%d日}不能晚于今天{CITE_VOL6}"
    if registered_on and entry_date < registered_on:
        return f"诚信记载的日期{entry_date:%Y年%m月%d日}早于该志愿者的注册日期{registered_on:%Y年%m月%d日}{CITE_VOL6}"
    if not (note or "").strip():
        return f"请写明{INTEGRITY_TYPES[entry_type]}的具体情况{CITE_VOL6}"
    return None


def integrity_summary(counts: Mapping[str, int]) -> str:
    """R-VOL-CREDIT: the summary shown on the volunteer, e.g. “表扬2次，投诉0次，爽约1次”."""
    return "，".join(f"{label}{int(counts.get(key) or 0)}次" for key, label in
                    (("Commendation", "表扬"), ("Complaint", "投诉"), ("No-show", "爽约")))
