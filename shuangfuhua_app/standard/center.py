"""The center itself (规范化建设, §4) and its third-party operator
(R-4.1d, R-4.1e, R-4.2, R-OPER).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from .clauses import cite, cite_source
from .grades import grade_rank
from .result import Finding, fmt_number, gap_of
from .settings import DEFAULT_SETTINGS, StandardSettings


def check_office_area(area: float | None, settings: StandardSettings = DEFAULT_SETTINGS) -> Finding:
    """R-4.1d (§4.1 d), flag: a fixed, independent office of at least
    ``settings.min_center_area`` ㎡ (100; [HZ2019] asked for 50 – configurable)."""
    area = float(area or 0)
    required = settings.min_center_area
    common = dict(rule="R-4.1d", clause="4.1", figure=area, required=required, gap=gap_of(area, required))
    if area >= required:
        return Finding(
            True, f"办公场所面积{fmt_number(area)}㎡，不少于{fmt_number(required)}㎡{cite('4.1')}", **common
        )
    return Finding(
        False,
        f"办公场所面积应不少于{fmt_number(required)}㎡，当前{fmt_number(area)}㎡{cite('4.1')}",
        **common,
    )


def check_center_staffing(
    heads: int | None, fulltime_staff: int | None, settings: StandardSettings = DEFAULT_SETTINGS
) -> Finding:
    """R-4.1e (§4.1 e), flag: at least ``settings.min_center_heads`` head (负责人) and
    ``settings.min_center_fulltime_staff`` full-time staff (专职人员)."""
    heads, staff = int(heads or 0), int(fulltime_staff or 0)
    need_h, need_s = settings.min_center_heads, settings.min_center_fulltime_staff
    problems = []
    if heads < need_h:
        problems.append(f"负责人应不少于{need_h}名，当前{heads}名")
    if staff < need_s:
        problems.append(f"专职人员应不少于{need_s}名，当前{staff}名")
    gap = gap_of(heads, need_h) + gap_of(staff, need_s)
    if problems:
        return Finding(
            False,
            f"{'；'.join(problems)}{cite('4.1')}",
            "R-4.1e",
            "4.1",
            figure=heads + staff,
            required=need_h + need_s,
            gap=gap,
        )
    return Finding(
        True,
        f"配备负责人{heads}名、专职人员{staff}名{cite('4.1')}",
        "R-4.1e",
        "4.1",
        figure=heads + staff,
        required=need_h + need_s,
        gap=0,
    )


def check_operator(
    is_local: bool,
    grade: str | None,
    social_workers: int | None,
    independent_legal_person: bool = True,
    years_registered: float | None = None,
    lead_social_worker_qualified: bool | None = None,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """R-4.1e (§4.1 e) and R-OPER ([LW2021] 三（一）), flags for a third-party operator.

    §4.1 e: the operator is a professional social-service organization with independent
    legal personality, with at least ``settings.min_operator_social_workers`` (part- or
    full-time) social worker; an operator from outside the township needs an evaluation
    grade not below ``settings.operator_min_grade`` (AAA).
    [LW2021]: registered for at least ``settings.operator_min_years`` years with grade 3A or
    above (any operator), project lead qualified as social worker (社会工作师). The
    [LW2021] checks run only when their data is given (``years_registered`` /
    ``lead_social_worker_qualified`` not ``None``). Returns every finding, ok or not.
    """
    out: list[Finding] = []
    c41 = cite("4.1")
    min_rank = grade_rank(settings.operator_min_grade) or 0
    rank = grade_rank(grade)
    shown = str(grade or "").strip() or "未评估"

    out.append(
        Finding(
            bool(independent_legal_person),
            (
                "运营方为具有独立法人资格的专业社会服务机构"
                if independent_legal_person
                else "运营方应为具有独立法人资格的专业社会服务机构"
            )
            + c41,
            "R-4.1e",
            "4.1",
        )
    )
    workers, need = int(social_workers or 0), settings.min_operator_social_workers
    out.append(
        Finding(
            workers >= need,
            (
                f"运营方配备专兼职社会工作者{workers}名"
                if workers >= need
                else f"运营方应配备不少于{need}名专兼职社会工作者，当前{workers}名"
            )
            + c41,
            "R-4.1e",
            "4.1",
            figure=workers,
            required=need,
            gap=gap_of(workers, need),
        )
    )
    if not is_local:
        ok = rank is not None and rank >= min_rank
        out.append(
            Finding(
                ok,
                (
                    f"非本乡镇街道的运营方评估等级为{shown}，不低于{settings.operator_min_grade}"
                    if ok
                    else f"非本乡镇街道的运营方评估等级应不低于{settings.operator_min_grade}，当前为{shown}"
                )
                + c41,
                "R-4.1e",
                "4.1",
                figure=rank,
                required=min_rank,
            )
        )
    lw = cite_source("LW2021", "三（一）")
    if years_registered is not None:
        years, need_y = float(years_registered), settings.operator_min_years
        ok = years >= need_y and rank is not None and rank >= min_rank
        out.append(
            Finding(
                ok,
                (
                    f"运营方注册登记{fmt_number(years)}年、评估等级{shown}"
                    if ok
                    else f"运营方应在民政部门注册登记{need_y}年及以上"
                    f"且评估等级为{settings.operator_min_grade}以上，"
                    f"当前注册登记{fmt_number(years)}年、评估等级{shown}"
                )
                + lw,
                "R-OPER",
                "LW2021 三（一）1",
                figure=years,
                required=need_y,
                gap=gap_of(years, need_y),
            )
        )
    if lead_social_worker_qualified is not None:
        out.append(
            Finding(
                bool(lead_social_worker_qualified),
                (
                    "运营项目负责人已取得社会工作师资格"
                    if lead_social_worker_qualified
                    else "运营项目负责人应取得社会工作师资格"
                )
                + lw,
                "R-OPER",
                "LW2021 三（一）3",
            )
        )
    return out


#: The seven management systems of §4.2 a–g.
REQUIRED_SYSTEMS: Mapping[str, str] = MappingProxyType(
    {
        "dual_sync": "党的建设与业务发展“双同步”制度",
        "admission_exit": "入驻和出壳制度",
        "supervision_training": "督导培训制度",
        "capacity_training": "能力建设培训制度",
        "venture": "公益（微）创投制度",
        "consulting": "咨询服务制度",
        "publicity": "宣传管理制度",
    }
)


def missing_systems(present: Iterable[str]) -> list[str]:
    """R-4.2 (§4.2): Chinese names of the §4.2 systems not among ``present`` (keys or
    names), in the standard's order."""
    have = set()
    for item in present:
        item = str(item or "").strip()
        have.add(next((k for k, v in REQUIRED_SYSTEMS.items() if item in (k, v)), item))
    return [label for key, label in REQUIRED_SYSTEMS.items() if key not in have]


def check_systems(present: Iterable[str]) -> Finding:
    """R-4.2 (§4.2), flag: all seven management systems exist (as effective documents)."""
    missing = missing_systems(present)
    total = len(REQUIRED_SYSTEMS)
    common = dict(rule="R-4.2", clause="4.2", figure=total - len(missing), required=total, gap=len(missing))
    if missing:
        return Finding(False, f"尚缺以下管理制度：{'、'.join(missing)}{cite('4.2')}", **common)
    return Finding(True, f"{total}项管理制度齐全{cite('4.2')}", **common)
