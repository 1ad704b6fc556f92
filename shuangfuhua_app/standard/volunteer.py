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


# ====================================================== R-VOL-MATCH: 供需对接 ([10M] 第六条)
#
# Decisions (documented): a need is posted for a day and a time of day, for a number of
# volunteers ≥ 1; a place is taken by every acceptance that is not a no-show; a volunteer fits
# a need when they are active, their availability covers the need's weekday and no other need
# they accepted overlaps its time on that day; among those who fit, volunteers are ranked by
# skill (a word of the need's skill found in the volunteer's skills) first, then area (the
# need's community, when it names one, is the volunteer's), then fewer no-shows, then name.

NEED_STATUSES = ("Open", "Closed")
ACCEPTANCE_STATUSES = ("Accepted", "Served", "No-show")
#: weekdays (Monday = 0) a volunteer's availability covers; an empty availability is any time
AVAILABILITY_DAYS = {"Any Time": frozenset(range(7)), "Weekdays": frozenset(range(5)), "Weekends": frozenset({5, 6})}
_SKILL_SPLIT = re.compile(r"[、，,；;/\s]+")


def skill_words(skill) -> list[str]:
    """R-VOL-MATCH: the words of a need's skill (split at 、，,；;/ and spaces)."""
    return [w for w in _SKILL_SPLIT.split(str(skill or "")) if w]


def skill_matches(need_skill, volunteer_skills) -> bool:
    """R-VOL-MATCH: a word of the need's skill is found in the volunteer's skills."""
    have = str(volunteer_skills or "")
    return any(w in have for w in skill_words(need_skill))


def available_on(availability, day: datetime.date) -> bool:
    """R-VOL-MATCH: the volunteer's availability covers the weekday of ``day``."""
    return day.weekday() in AVAILABILITY_DAYS.get(availability or "Any Time", frozenset(range(7)))


def times_overlap(start_a, end_a, start_b, end_b) -> bool:
    """R-VOL-MATCH: two spans of one day overlap (touching ends do not)."""
    return start_a < end_b and start_b < end_a


def service_hours(start: datetime.time, end: datetime.time) -> float:
    """R-VOL-MATCH: the hours of a need's span – what served is recorded as unless staff say otherwise."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return round(minutes / 60, 2)


def places_taken(statuses: Iterable[str]) -> int:
    """R-VOL-MATCH: every acceptance that is not a no-show takes a place."""
    return sum(1 for s in statuses if s != "No-show")


def check_need(*, title, skill, need_date, start_time, end_time, needed, today, taken=0,
               date_changed=True) -> str | None:
    """R-VOL-MATCH: a need says what, which skill, on which day from when to when, for how many
    volunteers (≥ 1 and not fewer than already accepted); a new or moved need is not in the past."""
    if not (title or "").strip():
        return f"请填写志愿需求的名称{CITE_VOL6}"
    if not skill_words(skill):
        return f"请填写志愿需求所需的技能{CITE_VOL6}"
    if need_date is None:
        return f"请填写志愿需求的日期{CITE_VOL6}"
    if date_changed and need_date < today:
        return f"志愿需求的日期{need_date:%Y年%m月%d日}早于今天{CITE_VOL6}"
    if start_time is None or end_time is None:
        return f"请填写志愿需求的开始和结束时间{CITE_VOL6}"
    if not start_time < end_time:
        return f"志愿需求的结束时间{end_time:%H:%M}应晚于开始时间{start_time:%H:%M}{CITE_VOL6}"
    count = _number(needed)
    if count is None or count < 1 or count != int(count):
        return f"所需志愿者人数应为不小于1的整数，当前为“{needed}”{CITE_VOL6}"
    if int(count) < int(taken or 0):
        return f"已有{int(taken)}名志愿者接单，所需人数不能少于{int(taken)}人{CITE_VOL6}"
    return None


def fits(need: Mapping, volunteer: Mapping, busy: Iterable[tuple] = ()) -> bool:
    """R-VOL-MATCH: the volunteer is active, available on the need's weekday and has accepted no
    other need overlapping it (``busy``: (date, start, end) of their other accepted needs)."""
    if (volunteer.get("volunteer_status") or "Active") != "Active":
        return False
    if not available_on(volunteer.get("availability"), need["need_date"]):
        return False
    return not any(
        d == need["need_date"] and times_overlap(s, e, need["start_time"], need["end_time"]) for d, s, e in busy
    )


def rank_matches(need: Mapping, volunteers: Iterable[Mapping], busy: Mapping[str, list] | None = None) -> list[dict]:
    """R-VOL-MATCH ([10M] 第六条 供需对接): the volunteers who fit the need, ranked by skill, then
    area, then fewer no-shows, then name; each with whether skill and area match."""
    busy = busy or {}
    out = []
    for vol in volunteers:
        if not fits(need, vol, busy.get(vol["name"], ())):
            continue
        skill = skill_matches(need.get("skill"), vol.get("skills"))
        area = not need.get("community") or need.get("community") == vol.get("community")
        out.append({
            "volunteer": vol["name"], "volunteer_name": vol.get("volunteer_name"), "skill_match": skill,
            "area_match": area, "no_show_count": int(vol.get("no_show_count") or 0),
        })
    out.sort(key=lambda m: (not m["skill_match"], not m["area_match"], m["no_show_count"],
                            m["volunteer_name"] or "", m["volunteer"]))
    return out


def check_acceptance(*, status, need_date, today, needed, taken, already, clash) -> str | None:
    """R-VOL-MATCH: a volunteer accepts an open need of a day that has not passed, while places
    are left, once, and not overlapping another need they accepted."""
    if status != "Open":
        return f"该志愿需求已关闭，不能接单{CITE_VOL6}"
    if need_date < today:
        return f"该志愿需求的日期{need_date:%Y年%m月%d日}已过，不能接单{CITE_VOL6}"
    if already:
        return f"您已接过该志愿需求，不能重复接单{CITE_VOL6}"
    if int(taken or 0) >= int(needed or 0):
        return f"该志愿需求所需的{int(needed or 0)}名志愿者已满{CITE_VOL6}"
    if clash:
        return f"您在同一时段已接了另一项志愿需求（{clash}），时间冲突{CITE_VOL6}"
    return None


def check_outcome(*, current, outcome, need_date, today, hours=None) -> str | None:
    """R-VOL-MATCH / R-VOL-CREDIT: staff record once, on or after the need's day, that an
    accepted volunteer served (with hours > 0, at most a day) or did not come (爽约)."""
    if outcome not in ("Served", "No-show"):
        return f"服务结果应为已服务或爽约，当前为“{outcome}”{CITE_VOL6}"
    if current != "Accepted":
        return f"该志愿者的服务结果已登记，不能重复登记{CITE_VOL6}"
    if need_date > today:
        return f"志愿需求的日期{need_date:%Y年%m月%d日}尚未到，不能登记服务结果{CITE_VOL6}"
    if outcome == "Served":
        value = _number(hours)
        if value is None or not 0 < value <= 24:
            return f"服务时长应大于0且不超过24小时，当前为“{hours}”{CITE_VOL6}"
    return None
