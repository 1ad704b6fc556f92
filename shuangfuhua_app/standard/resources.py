"""Resource needs and offers matched by the center (R-RESOURCE).

[HZ2019] 三（四） "整合供需信息……为供需双方牵线搭桥……与政府、高校、企业、基金会以及专家学者等各方
建立并保持良好的合作关系" and [10M] 第五条 (community charity resources, 社区基金会, 链接资源):
organizations post what they need, the center keeps what enterprises, foundations, experts and
communities offer, and the center's staff connect the two and record how it ended.

The rules are the app's reading of the clauses (they name no procedure):

* an offer fits a need when it is of the same center, of the same kind and still available on
  the day the need must be met (an offer without an end date is open-ended);
* a need is posted with its kind, a description and the day it is needed by, not in the past;
* a match joins a need with a fitting offer; a closed need is matched no more;
* a match's outcome (connected / agreed / not pursued) has its date, neither before the day of
  the match nor in the future.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from .clauses import cite_source

KINDS: Mapping[str, str] = MappingProxyType(
    {
        "Funds": "资金",
        "Venue": "场地",
        "Expertise": "专业支持",
        "Volunteers": "志愿者",
        "Materials": "物资",
        "Other": "其他",
    }
)
PROVIDER_TYPES: Mapping[str, str] = MappingProxyType(
    {"Enterprise": "企业", "Foundation": "基金会", "Expert": "专家学者", "Community": "社区", "Other": "其他"}
)
NEED_STATUSES: Mapping[str, str] = MappingProxyType({"Open": "待对接", "Matched": "已对接", "Closed": "已关闭"})
OUTCOMES: Mapping[str, str] = MappingProxyType(
    {"Connected": "已牵线", "Agreed": "已达成合作", "Not Pursued": "未继续"}
)
CITE = cite_source("HZ2019", "三（四）") + cite_source("10M", "第五条")
MAX_DESCRIPTION = 2000


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def offer_fits(need: Mapping[str, Any], offer: Mapping[str, Any]) -> bool:
    """R-RESOURCE ([HZ2019] 三（四）, [10M] 第五条): the offer is of the need's center and kind
    and available on the day the need must be met (no end date: open-ended)."""
    if not need.get("center") or need.get("center") != offer.get("center"):
        return False
    if not need.get("kind") or need.get("kind") != offer.get("kind"):
        return False
    until, needed_by = _date(offer.get("available_until")), _date(need.get("needed_by"))
    return until is None or (needed_by is not None and until >= needed_by)


def fitting_offers(need: Mapping[str, Any], offers: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The offers that fit ``need`` (:func:`offer_fits`), in the order given."""
    return [o for o in offers if offer_fits(need, o)]


def check_need(kind: str | None, description: str | None, needed_by: Any, today: Any, *, is_new: bool) -> str | None:
    """R-RESOURCE, a need as posted: a known kind, a description, the day it is needed by
    (not in the past when posted). ``None`` when fine, else the Chinese message."""
    if kind not in KINDS:
        return f"请选择需求类别（{'、'.join(KINDS.values())}）{CITE}"
    text = (description or "").strip()
    if not text:
        return f"请说明需要什么资源{CITE}"
    if len(text) > MAX_DESCRIPTION:
        return f"需求说明不能超过{MAX_DESCRIPTION}字{CITE}"
    needed = _date(needed_by)
    if needed is None:
        return f"请填写需要资源的截止日期{CITE}"
    if is_new and needed < _date(today):
        return f"需要资源的截止日期（{needed.isoformat()}）不能早于今天{CITE}"
    return None


def check_offer(provider_type: str | None, provider_name: str | None, kind: str | None, description: str | None) -> str | None:
    """R-RESOURCE, an offer as entered by the center: who provides what."""
    if provider_type not in PROVIDER_TYPES:
        return f"请选择资源提供方类型（{'、'.join(PROVIDER_TYPES.values())}）{CITE}"
    if not (provider_name or "").strip():
        return f"请填写资源提供方名称{CITE}"
    if kind not in KINDS:
        return f"请选择资源类别（{'、'.join(KINDS.values())}）{CITE}"
    if len((description or "").strip()) > MAX_DESCRIPTION:
        return f"资源说明不能超过{MAX_DESCRIPTION}字{CITE}"
    return None


def check_need_status(status: str | None, has_match: bool) -> str | None:
    """R-RESOURCE: a need is "matched" only when the center has matched it with an offer."""
    if status not in NEED_STATUSES:
        return f"需求状态“{status or '空'}”无效{CITE}"
    if status == "Matched" and not has_match:
        return f"该需求尚未与任何资源对接，不能标为“{NEED_STATUSES['Matched']}”{CITE}"
    return None


def check_match(need: Mapping[str, Any], offer: Mapping[str, Any], need_status: str | None) -> str | None:
    """R-RESOURCE: the center matches an open (or already matched) need with a fitting offer."""
    if need_status == "Closed":
        return f"该需求已关闭，不能再对接资源{CITE}"
    if need.get("center") != offer.get("center"):
        return f"资源与需求不属于同一服务中心，不能对接{CITE}"
    if need.get("kind") != offer.get("kind"):
        kind, offered = KINDS.get(need.get("kind"), need.get("kind")), KINDS.get(offer.get("kind"), offer.get("kind"))
        return f"资源类别（{offered}）与需求类别（{kind}）不一致，不能对接{CITE}"
    if not offer_fits(need, offer):
        return (
            f"该资源提供至{_date(offer.get('available_until'))}，"
            f"早于需求的截止日期{_date(need.get('needed_by'))}，不能对接{CITE}"
        )
    return None


def check_outcome(outcome: str | None, outcome_date: Any, matched_on: Any, today: Any) -> str | None:
    """R-RESOURCE: the outcome of a match is one of the known ones and has its date, neither
    before the match nor in the future; a date without an outcome is refused."""
    when = _date(outcome_date)
    if not outcome:
        return f"请先选择对接结果，再填写结果日期{CITE}" if when else None
    if outcome not in OUTCOMES:
        return f"对接结果“{outcome}”无效{CITE}"
    if when is None:
        return f"请填写对接结果的日期{CITE}"
    matched = _date(matched_on)
    if matched and when < matched:
        return f"对接结果日期（{when.isoformat()}）不能早于对接日期（{matched.isoformat()}）{CITE}"
    if when > _date(today):
        return f"对接结果日期（{when.isoformat()}）不能晚于今天{CITE}"
    return None
