"""Reports of suspected illegal social organizations (R-ILLEGAL, [HZ2019] 三（三）
"捕捉和上报非法社会组织违法活动").

The center takes a report in (staff entry or the public form), verifies it, hands it on to the
registration authority (民政部门/登记管理机关) and closes it with the outcome. The steps and
what each needs are the app's reading of the clause (the guideline names no procedure):

* Received → Verified → Handed On → Closed, one step forward at a time; a report that proves
  unfounded may be closed from Received or Verified (with its outcome); nothing reopens a
  closed report (a new report is taken in).
* Handing on needs the authority it goes to; closing needs the outcome.
* The date of each step is the day the server records it (never typed).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .clauses import cite_source

#: status value -> Chinese, in the order of the steps
STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "Received": "已接收",
        "Verified": "已核实",
        "Handed On": "已移交登记管理机关",
        "Closed": "已办结",
    }
)
#: status -> the field holding the day it was reached (stamped by the server)
STATUS_DATES: Mapping[str, str] = MappingProxyType(
    {"Verified": "verified_on", "Handed On": "handed_on_on", "Closed": "closed_on"}
)
#: status -> the statuses it may move to
MOVES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Received": ("Verified", "Closed"),
        "Verified": ("Handed On", "Closed"),
        "Handed On": ("Closed",),
        "Closed": (),
    }
)
HZ = cite_source("HZ2019", "三（三）")
MAX_DESCRIPTION = 2000


def check_status_move(old: str | None, new: str | None) -> str | None:
    """R-ILLEGAL ([HZ2019] 三（三）), block: a new report starts Received; then one step
    forward (or closed as unfounded). ``None`` when allowed, else the Chinese message."""
    if new not in STATUSES:
        return f"线索状态“{new or '空'}”无效{HZ}"
    if old is None:
        return None if new == "Received" else f"新线索的状态应为“{STATUSES['Received']}”{HZ}"
    if new == old or new in MOVES.get(old, ()):
        return None
    if old == "Closed":
        return f"线索已办结，不能再改为“{STATUSES[new]}”；如有新情况请另行登记线索{HZ}"
    allowed = "、".join(f"“{STATUSES[s]}”" for s in MOVES[old])
    return f"线索当前为“{STATUSES[old]}”，只能改为{allowed}，不能改为“{STATUSES[new]}”{HZ}"


def check_step_fields(status: str, handed_on_to: str | None, outcome: str | None) -> str | None:
    """R-ILLEGAL ([HZ2019] 三（三）), block: handing on names the registration authority
    (民政部门/登记管理机关); closing records the outcome."""
    if status == "Handed On" and not (handed_on_to or "").strip():
        return f"移交时请填写接收线索的民政部门（登记管理机关）{HZ}"
    if status == "Closed" and not (outcome or "").strip():
        return f"办结时请填写处理结果{HZ}"
    return None


def check_public_report(org_name: str | None, description: str | None, center: str | None) -> str | None:
    """R-ILLEGAL ([HZ2019] 三（三）), block: a report from the public form names the
    organization (as reported, ≤ 140 characters), describes the activity (≤ 2000) and
    chooses a center."""
    org_name, description = (org_name or "").strip(), (description or "").strip()
    if not center:
        return f"请选择线索所在的街道（乡镇）社会组织服务中心{HZ}"
    if not org_name or len(org_name) > 140:
        return f"请填写涉嫌非法社会组织的名称（140字以内）{HZ}"
    if not description:
        return f"请描述其开展的活动情况{HZ}"
    if len(description) > MAX_DESCRIPTION:
        return f"活动描述请控制在{MAX_DESCRIPTION}字以内{HZ}"
    return None
