"""Hub-type center functions (R-HUB [BJ2016] §30, R-PERF [HZ2019] 四（六）) and the volunteers' time
bank (R-VOL [10M] §6, 《培育发展社区社会组织十条措施》第六条): the four criteria of
a public-welfare service brand (京社领办发〔2016〕8号 第三十条) and the performance evaluation of
organizations on the 2019 guideline's four aspects (杭民发〔2019〕66号 四（六）). Framework-free.

Decisions (documented): a brand is recognised – and an award may be given – only when all four
criteria of 第三十条 are met (the norms say a brand "应达到以下标准"); the performance evaluation
scores each aspect 0–100, the overall score is their plain average (the guideline sets no weights).
"""

from __future__ import annotations

from collections.abc import Mapping

from .clauses import cite_source
from .result import Finding

CITE_BRAND = cite_source("BJ2016", "第三十条")
CITE_PERF = cite_source("HZ2019", "四（六）")

#: 第三十条（一）–（四）
BRAND_CRITERIA: Mapping[str, str] = {
    "brand_effect": "品牌效应突出",
    "public_welfare": "彰显公益特征",
    "core_business": "体现核心业务",
    "solid_foundation": "发展基础牢靠",
}

#: 四（六）: 专业水平、服务效率、管理规范及社会经济效益
PERFORMANCE_ASPECTS: Mapping[str, str] = {
    "professional_level": "专业水平",
    "service_efficiency": "服务效率",
    "management_norms": "管理规范",
    "social_economic_benefit": "社会经济效益",
}
MAX_SCORE = 100


def brand_finding(assessed: Mapping[str, bool | None]) -> Finding:
    """R-HUB (BJ2016 §30): all four criteria met → a brand; else the unmet/unassessed ones."""
    unmet = [label for key, label in BRAND_CRITERIA.items() if assessed.get(key) is False]
    open_ = [label for key, label in BRAND_CRITERIA.items() if assessed.get(key) is None]
    if not unmet and not open_:
        return Finding(
            True, f"四项品牌标准均已达到，认定为社会组织公益服务品牌{CITE_BRAND}", "R-HUB", "BJ2016 第三十条"
        )
    parts = []
    if unmet:
        parts.append(f"未达到：{'、'.join(unmet)}")
    if open_:
        parts.append(f"未评定：{'、'.join(open_)}")
    return Finding(
        False, f"{'；'.join(parts)}，不能认定为公益服务品牌{CITE_BRAND}", "R-HUB", "BJ2016 第三十条"
    )


def check_brand_award(finding: Finding, award: str | None) -> str | None:
    """R-HUB (BJ2016 §30, §32（三）): an award only for a recognised brand."""
    if award and not finding.ok:
        return f"只有四项品牌标准均已达到的组织才能获得品牌表彰奖励{CITE_BRAND}"
    return None


def performance_score(scores: Mapping[str, float | None]) -> tuple[float | None, str | None]:
    """R-PERF (HZ2019 四（六）; §7.5.2 of the standard evaluates likewise): (average of the four
    aspects, None) or (None, the Chinese message of what is missing or out of range)."""
    missing = [label for key, label in PERFORMANCE_ASPECTS.items() if scores.get(key) in (None, "")]
    if missing:
        return None, f"绩效评价须对四个方面评分，缺少：{'、'.join(missing)}{CITE_PERF}"
    bad = [label for key, label in PERFORMANCE_ASPECTS.items() if not 0 <= float(scores[key]) <= MAX_SCORE]
    if bad:
        return None, f"评分应在0至{MAX_SCORE}分之间：{'、'.join(bad)}{CITE_PERF}"
    return round(sum(float(scores[k]) for k in PERFORMANCE_ASPECTS) / len(PERFORMANCE_ASPECTS), 2), None


# ====================================================================== volunteers (R-VOL, [10M] §6)

CITE_VOL = cite_source("10M", "第六条")
#: time bank: one point per hour served (the ten measures name time banks and points, no rate –
#: the app's decision)
POINTS_PER_HOUR = 1
MAX_HOURS_PER_RECORD = 24


def check_service_hours(hours) -> str | None:
    """R-VOL ([10M] §6 服务记录): the hours of one volunteer at one activity – more than 0, at most
    a day."""
    try:
        value = float(hours)
    except (TypeError, ValueError):
        return f"服务时长应为数字，当前为“{hours}”{CITE_VOL}"
    if not 0 < value <= MAX_HOURS_PER_RECORD:
        return f"单次活动服务时长应大于0且不超过{MAX_HOURS_PER_RECORD}小时，当前为{value:g}小时{CITE_VOL}"
    return None


def time_bank_points(hours) -> float:
    """R-VOL ([10M] §6 时间银行、服务积分): points for ``hours`` served."""
    return round(float(hours or 0) * POINTS_PER_HOUR, 2)
