"""Registration steering (R-REG-STEER, [10M] 第二条 "将辖区内规模较大、符合登记条件的社区社会组织
…引导登记").

The measure names no figures; "规模较大、符合登记条件" is read by the app (its choice, editable in
the settings, flagged there) as three thresholds over a filed organization's records:

* members: current members on its roster ≥ ``steering_min_members`` (default 30 – 50 members
  are the usual floor for a 社会团体's registration; a community one is smaller);
* activity: activities it reported in the last 12 months ≥ ``steering_min_activities``
  (default 4 – one a quarter);
* funds: venture funds granted to it in the last 12 months ≥ ``steering_min_funds`` yuan
  (default 10 000 – the records hold an organization's funds only as granted project funds).

An organization meeting all three is a candidate; staff mark it (one open steering record per
organization), follow it up with dated notes and record the outcome (registered / declined /
not eligible), after which the record is closed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from types import MappingProxyType

from .calendar import DateLike, as_date
from .clauses import cite_source
from .result import Finding, fmt_number

TEN_2 = cite_source("10M", "第二条")
#: outcome value -> Chinese
OUTCOMES: Mapping[str, str] = MappingProxyType(
    {"Registered": "已登记", "Declined": "组织暂不登记", "Not Eligible": "不符合登记条件"}
)
#: the window of activities and funds
WINDOW_DAYS = 365


def window_start(as_of: DateLike) -> datetime.date:
    """R-REG-STEER: first day of the 12 months up to ``as_of`` (activities and funds)."""
    return as_date(as_of) - datetime.timedelta(days=WINDOW_DAYS - 1)


def steering_finding(members: int, activities: int, funds: float, min_members: int, min_activities: int,
                     min_funds: float) -> Finding:
    """R-REG-STEER ([10M] 第二条), flag: a filed organization is a candidate for registration
    when it meets all three thresholds; the message lists the figures and what is short."""
    members, activities, funds = int(members or 0), int(activities or 0), float(funds or 0)
    short = []
    if members < min_members:
        short.append(f"成员{members}人，少于{min_members}人")
    if activities < min_activities:
        short.append(f"近12个月活动{activities}次，少于{min_activities}次")
    if funds < float(min_funds):
        short.append(f"近12个月资金{fmt_number(funds)}元，少于{fmt_number(float(min_funds))}元")
    figures = f"成员{members}人、近12个月活动{activities}次、资金{fmt_number(funds)}元"
    if short:
        return Finding(False, f"暂未达到引导登记条件：{'；'.join(short)}{TEN_2}", "R-REG-STEER", "10M 第二条",
                       figure=3 - len(short), required=3, gap=len(short))
    return Finding(True, f"规模较大，建议引导登记（{figures}）{TEN_2}", "R-REG-STEER", "10M 第二条")


def check_follow_up(follow_up_on: DateLike | None, marked_on: DateLike, today: DateLike) -> str | None:
    """R-REG-STEER, block: a follow-up is dated, not before the marking and not in the future."""
    if not follow_up_on:
        return f"请填写跟进日期{TEN_2}"
    day = as_date(follow_up_on)
    if day < as_date(marked_on) or day > as_date(today):
        return f"跟进日期{day.isoformat()}应在标记日期{as_date(marked_on).isoformat()}与今天之间{TEN_2}"
    return None


def check_outcome_change(old: str | None, new: str | None) -> str | None:
    """R-REG-STEER, block: the outcome is one of :data:`OUTCOMES` and, once recorded, final
    (a new steering record is opened if the situation changes)."""
    if new and new not in OUTCOMES:
        return f"引导登记结果“{new}”无效{TEN_2}"
    if old and new != old:
        return f"引导登记结果已记录为“{OUTCOMES.get(old, old)}”，不能修改；情况变化时请新建引导登记记录{TEN_2}"
    return None


def check_org_type(is_filed: bool) -> str | None:
    """R-REG-STEER, block: only filed (备案) organizations are steered toward registration."""
    return None if is_filed else f"只有已备案的社区社会组织才需引导登记{TEN_2}"
