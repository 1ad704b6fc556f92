"""The five service blocks of incubation and the activity types within them (R-7.1.3, R-7.2,
R-7.3, R-7.4, R-7.5.1, R-SERV).

§5: 孵化包含党的建设、能力提升、人才培育、扶持激励、督导服务五大块内容. Each block is one
chapter of §7 (7.1 … 7.5.1). Activity types are the concrete activities that chapter names;
the eight base services of [LW2021] §3(二)1 may be recorded in any block (they serve several).

Which activities count for the quotas (a design decision of the app, documented here):

* R-7.3.1a class hours and R-7.3.2b reserve trainings count every attended activity of a
  **training** type (:data:`TRAINING_TYPES`): party member education and policy reading
  (§7.1.3), the stage trainings (§7.2), centralized rotation and regular study (§7.3.2 calls
  them the two "training channels"), leader/backbone and general trainings (§7.3.3–7.3.4) and
  project operation training (§7.4.5). Consultations, visits, salons, services are not
  trainings.
* R-7.3.2c rotation counts :data:`ROTATION_TYPES`; the monthly regular study counts
  :data:`STUDY_TYPES` – a regular study session or a theme party day (the clause says the
  study is held 结合主题党日, "together with the theme party day").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .clauses import cite
from .result import Finding
from .training import STAGES, stage_key, training_track

#: block value -> (Chinese label, clause of §7)
BLOCKS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Party Building": ("党的建设", "7.1"),
        "Capacity Building": ("能力提升", "7.2"),
        "Talent Cultivation": ("人才培育", "7.3"),
        "Support and Incentives": ("扶持激励", "7.4"),
        "Supervision": ("督导服务", "7.5.1"),
    }
)

#: activity type -> (Chinese label, block, clause)
ACTIVITY_TYPES: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        "Theme Party Day": ("主题党日", "Party Building", "7.1.3"),
        "Party Member Education": ("党员教育培训", "Party Building", "7.1.3"),
        "Policy Reading": ("政策解读", "Party Building", "7.1.3"),
        "Party Member Consultation": ("党员咨询服务", "Party Building", "7.1.3"),
        "Party-Mass Public Welfare Activity": ("党群公益活动", "Party Building", "7.1.4"),
        "Basic Training": ("基础型培训", "Capacity Building", "7.2.1"),
        "Professional Training": ("专业型培训", "Capacity Building", "7.2.2"),
        "Brand Training": ("品牌型培训", "Capacity Building", "7.2.3"),
        "Centralized Rotation": ("集中轮训", "Talent Cultivation", "7.3.2"),
        "Regular Study": ("常态化学习", "Talent Cultivation", "7.3.2"),
        "Talent Training": ("党务工作者和业务领军人才培训", "Talent Cultivation", "7.3.1"),
        "General Training": ("培育发展与日常运作培训", "Talent Cultivation", "7.3.3"),
        "Leader and Backbone Training": ("负责人和骨干人才培训", "Talent Cultivation", "7.3.4"),
        "Social Work Exam Support": ("社会工作职业资格考试帮扶", "Talent Cultivation", "7.3.5"),
        "Consultation": ("咨询服务", "Support and Incentives", "7.4.1"),
        "Registration and Evaluation Guidance": ("登记备案与年检评估指导", "Support and Incentives", "7.4.2"),
        "Exchange Visit": ("考察见学", "Support and Incentives", "7.4.3"),
        "Public Welfare Lecture": ("公益讲座", "Support and Incentives", "7.4.3"),
        "Salon": ("沙龙", "Support and Incentives", "7.4.3"),
        "Project Operation Training": ("项目运营培训", "Support and Incentives", "7.4.5"),
        "Publicity": ("宣传推介", "Support and Incentives", "7.4.8"),
        "Mentoring Visit": ("督导陪伴", "Supervision", "7.5.1.1"),
        "Project Guidance": ("项目开发与执行指导", "Supervision", "7.5.1.3"),
        "Venture Application Coaching": ("公益创投初审辅导", "Supervision", "7.5.1.5"),
    }
)

#: R-SERV: the eight base services of [LW2021] §3(二)1 – recordable in any block.
BASE_SERVICES: Mapping[str, str] = MappingProxyType(
    {
        "Public Space Service": "公共空间服务",
        "Financial Custody": "财务托管",
        "Seed Fund": "种子基金",
        "Capacity Building Service": "能力建设",
        "Information Sharing": "信息共享",
        "Registration Assistance": "登记协助",
        "Resource Matching": "资源对接",
        "Management Consulting": "管理咨询",
    }
)

TRAINING_TYPES = frozenset(
    {
        "Party Member Education",
        "Policy Reading",
        "Basic Training",
        "Professional Training",
        "Brand Training",
        "Centralized Rotation",
        "Regular Study",
        "Talent Training",
        "General Training",
        "Leader and Backbone Training",
        "Project Operation Training",
    }
)
ROTATION_TYPES = frozenset({"Centralized Rotation"})
STUDY_TYPES = frozenset({"Regular Study", "Theme Party Day"})
#: stage-track trainings of §7.2 -> the stage they are for
TRACK_TYPES: Mapping[str, str] = MappingProxyType(
    {"Basic Training": "startup", "Professional Training": "growth", "Brand Training": "mature"}
)


def all_activity_types() -> list[str]:
    """Every recordable type: §7's activity types, then the eight base services."""
    return [*ACTIVITY_TYPES, *BASE_SERVICES]


def type_label(activity_type: str) -> str:
    if activity_type in ACTIVITY_TYPES:
        return ACTIVITY_TYPES[activity_type][0]
    return BASE_SERVICES.get(activity_type, activity_type)


def check_activity_type(block: str, activity_type: str) -> str | None:
    """R-7.1.3/R-SERV (§5, §7): ``None`` when ``activity_type`` belongs to ``block`` (base
    services belong to every block), else the Chinese message naming the right block."""
    if block not in BLOCKS:
        return f"未知的孵化服务板块：“{block}”{cite('5')}"
    if activity_type in BASE_SERVICES:
        return None
    if activity_type not in ACTIVITY_TYPES:
        return f"未知的活动类型：“{activity_type}”{cite('7')}"
    label, right_block, clause = ACTIVITY_TYPES[activity_type]
    if right_block == block:
        return None
    return (
        f"“{label}”属于“{BLOCKS[right_block][0]}”板块，不属于“{BLOCKS[block][0]}”板块{cite(clause)}"
    )


def track_mismatch(activity_type: str, stage: str | None, org: str = "") -> str | None:
    """R-7.2 (§7.2), flag: a stage training (basic/professional/brand) given to an org whose
    development stage calls for another track. ``None`` when it matches, the type is not a
    stage training, or the stage is unknown/empty."""
    if activity_type not in TRACK_TYPES or not stage:
        return None
    try:
        key = stage_key(stage)
    except ValueError:
        return None
    if key == TRACK_TYPES[activity_type]:
        return None
    clause = {"startup": "7.2.1", "growth": "7.2.2", "mature": "7.2.3"}[key]
    return (
        f"{org or '该组织'}处于{STAGES[key]}，对应{training_track(key)}，"
        f"本次为{type_label(activity_type)}{cite(clause)}"
    )


def stage_track_finding(stage: str | None) -> Finding:
    """R-7.2 (§7.2), auto: the training track an org's stage calls for. Not applicable when
    the stage is empty or unknown."""

    try:
        key = stage_key(stage or "")
    except ValueError:
        return Finding(True, f"未设定发展阶段，无法确定培训类型{cite('7.2')}", "R-7.2", "7.2", "auto", applicable=False)
    clause = {"startup": "7.2.1", "growth": "7.2.2", "mature": "7.2.3"}[key]
    return Finding(True, f"{STAGES[key]}社会组织，应提供{training_track(key)}{cite(clause)}", "R-7.2", clause, "auto")
