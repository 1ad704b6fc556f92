"""The center itself (规范化建设, §4) and its third-party operator
(R-4.1a–f, R-4.2, R-OPER).

§4.1 a)–f) and §4.2 a)–g) each give one finding for the center's compliance panel
(``Finding.clause`` names the item, e.g. "4.1 d)"); the operator's rules come from
[LW2021] 三（一） (qualification), 四（一）3 (performance evaluation, negative list) and
四（三）3 (quarterly financial position). Where the seeds are silent (the report's
deadline, calendar-year evaluations) the decision is written in the function's docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .clauses import cite, cite_source
from .grades import grade_rank
from .result import Finding, fmt_date, fmt_number, gap_of
from .settings import DEFAULT_SETTINGS, StandardSettings


def check_office_area(area: float | None, settings: StandardSettings = DEFAULT_SETTINGS) -> Finding:
    """R-4.1d (§4.1 d), flag: a fixed, independent office of at least
    ``settings.min_center_area`` ㎡ (100; [HZ2019] asked for 50 – configurable)."""
    area = float(area or 0)
    required = settings.min_center_area
    common = dict(rule="R-4.1d", clause="4.1 d)", figure=area, required=required, gap=gap_of(area, required))
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
            "4.1 e)",
            figure=heads + staff,
            required=need_h + need_s,
            gap=gap,
        )
    return Finding(
        True,
        f"配备负责人{heads}名、专职人员{staff}名{cite('4.1')}",
        "R-4.1e",
        "4.1 e)",
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
            "4.1 e)",
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
            "4.1 e)",
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
                "4.1 e)",
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


# ====================================================================== §4.1 a–c registration and governance
#
# Clause items are written "4.1 a)" … "4.1 f)" in ``Finding.clause`` (the compliance panel's
# clause column); messages cite §4.1 as the rest of the package does.

#: GB 32100 positions 1–2 of a USCC: registration authority 5 (civil affairs) and
#: organization category 2 (民办非企业单位 / 社会服务机构).
USCC_PNEU_PREFIX = "52"
USCC_CATEGORY_LABELS: Mapping[str, str] = MappingProxyType(
    {"51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他民政登记的组织"}
)


def check_registration(is_private_non_enterprise: bool, uscc: str | None) -> Finding:
    """R-4.1a (§4.1 a), flag: the center is registered as a 民办非企业单位 (社会服务机构) and
    carries a valid unified social credit code (checked with ``stdnum.cn.uscc``) whose
    positions 1–2 are ``52`` (civil affairs, 民办非企业单位 – GB 32100)."""
    from .identity import normalize_uscc, validate_uscc

    c41 = cite("4.1")
    common = dict(rule="R-4.1a", clause="4.1 a)")
    if not is_private_non_enterprise:
        return Finding(False, f"服务中心应登记为民办非企业单位（社会服务机构）{c41}", **common)
    number = normalize_uscc(uscc)
    if problem := validate_uscc(number, citation=c41):
        return Finding(False, f"服务中心的{problem}", **common)
    if not number.startswith(USCC_PNEU_PREFIX):
        kind = USCC_CATEGORY_LABELS.get(number[:2], "非民政登记的组织")
        return Finding(
            False,
            f"统一社会信用代码{number}前两位为“{number[:2]}”（{kind}），"
            f"民办非企业单位应为“{USCC_PNEU_PREFIX}”，请核对登记类型{c41}",
            **common,
        )
    return Finding(True, f"服务中心登记为民办非企业单位，统一社会信用代码{number}{c41}", **common)


def check_joint_management(joint: bool, registration_authority: str | None = None) -> Finding:
    """R-4.1a (§4.1 b), flag: the center is managed and guided jointly by its registration
    authority (登记管理机关) and the township (乡镇街道); both must be on record."""
    authority = str(registration_authority or "").strip()
    c41 = cite("4.1")
    common = dict(rule="R-4.1a", clause="4.1 b)")
    if joint and authority:
        return Finding(True, f"接受登记管理机关（{authority}）与乡镇（街道）共同管理与指导{c41}", **common)
    missing = []
    if not joint:
        missing.append("未确认接受登记管理机关与乡镇（街道）共同管理与指导")
    if not authority:
        missing.append("未填写登记管理机关")
    return Finding(False, f"{'，'.join(missing)}{c41}", **common)


def check_governance(board_led_director_system: bool) -> Finding:
    """R-4.1a (§4.1 c), flag: 理事会领导下的中心主任负责制 (board-led director responsibility)."""
    c41 = cite("4.1")
    if board_led_director_system:
        return Finding(True, f"实行理事会领导下的中心主任负责制{c41}", "R-4.1a", "4.1 c)")
    return Finding(False, f"应实行理事会领导下的中心主任负责制{c41}", "R-4.1a", "4.1 c)")


# ====================================================================== §4.1 d office and equipment

#: §4.1 d: "配备工作所需的电脑、网络、桌椅等办公设施与设备"
REQUIRED_EQUIPMENT: Mapping[str, str] = MappingProxyType({"computers": "电脑", "network": "网络", "furniture": "桌椅"})


def check_premises(fixed_independent: bool) -> Finding:
    """R-4.1d (§4.1 d), flag: the office is fixed and independent (固定独立的办公场所)."""
    c41 = cite("4.1")
    if fixed_independent:
        return Finding(True, f"拥有固定独立的办公场所{c41}", "R-4.1d", "4.1 d)")
    return Finding(False, f"应拥有固定独立的办公场所{c41}", "R-4.1d", "4.1 d)")


def check_equipment(present: Iterable[str]) -> Finding:
    """R-4.1d (§4.1 d), flag: computers, network and furniture are in place (keys of
    :data:`REQUIRED_EQUIPMENT` or their Chinese names)."""
    have = {str(p).strip() for p in present}
    missing = [label for key, label in REQUIRED_EQUIPMENT.items() if key not in have and label not in have]
    total = len(REQUIRED_EQUIPMENT)
    common = dict(rule="R-4.1d", clause="4.1 d)", figure=total - len(missing), required=total, gap=len(missing))
    if missing:
        return Finding(False, f"办公设施与设备尚缺：{'、'.join(missing)}{cite('4.1')}", **common)
    return Finding(True, f"已配备电脑、网络、桌椅等办公设施与设备{cite('4.1')}", **common)


# ====================================================================== §4.1 e staff

#: Social-work qualifications (全国社会工作者职业资格) from the lowest; ``Senior`` includes
#: the ones below it. [LW2021] 三（一）3 asks the project lead for 社会工作师 or higher.
QUALIFICATIONS: Mapping[str, str] = MappingProxyType(
    {"assistant": "助理社会工作师", "social_worker": "社会工作师", "senior": "高级社会工作师"}
)
_QUALIFICATION_RANK = {key: rank for rank, key in enumerate(QUALIFICATIONS, start=1)}


def qualification_rank(qualification: str | None) -> int:
    """0 without a qualification, 1 助理社会工作师, 2 社会工作师, 3 高级社会工作师 (key or name)."""
    text = str(qualification or "").strip()
    for key, label in QUALIFICATIONS.items():
        if text in (key, label):
            return _QUALIFICATION_RANK[key]
    return 0


def lead_qualified(qualification: str | None) -> bool:
    """R-OPER ([LW2021] 三（一）3): the operator's project lead holds 社会工作师 or higher."""
    return qualification_rank(qualification) >= _QUALIFICATION_RANK["social_worker"]


# ====================================================================== §4.1 f funds


def check_funds(year: int, operating: float | None, project_support: float | None) -> Finding:
    """R-4.1f (§4.1 f), flag: stable operating funds and project support funds for the
    organizations it incubates, both recorded (greater than zero) for ``year``."""
    operating, support = float(operating or 0), float(project_support or 0)
    c41 = cite("4.1")
    common = dict(rule="R-4.1f", clause="4.1 f)", period=str(year))
    missing = [label for label, value in (("运营经费", operating), ("培育对象项目扶持经费", support)) if value <= 0]
    if missing:
        return Finding(False, f"{year}年度未登记{'和'.join(missing)}{c41}", **common)
    return Finding(
        True,
        f"{year}年度运营经费{fmt_number(operating)}元、培育对象项目扶持经费{fmt_number(support)}元{c41}",
        **common,
    )


def duplicate_years(years: Iterable[int | None]) -> list[int]:
    """R-4.1f (§4.1 f): years entered more than once in the funds table (one row a year)."""
    seen, dup = set(), []
    for y in years:
        if y in seen and y not in dup:
            dup.append(y)
        seen.add(y)
    return sorted(int(y) for y in dup if y)


# ====================================================================== §4.2 systems as documents

_SYSTEM_ITEMS = "abcdefg"


def system_clause(key: str) -> str:
    """R-4.2: "4.2 a)" … "4.2 g)" for the keys of :data:`REQUIRED_SYSTEMS`."""
    return f"4.2 {_SYSTEM_ITEMS[list(REQUIRED_SYSTEMS).index(key)]})"


def _system_key(value: str | None) -> str | None:
    text = str(value or "").strip()
    return next((k for k, v in REQUIRED_SYSTEMS.items() if text in (k, v)), None)


def system_findings(documents: Iterable[Mapping], as_of) -> list[Finding]:
    """R-4.2 (§4.2), flag: one finding per system of §4.2 a)–g) (in that order).

    ``documents``: mappings with ``system`` (key or Chinese name), ``version`` and
    ``effective_date``. A system is in place when a document of it has a version and an
    effective date on or before ``as_of``; the newest such document is named. A document
    without version or effective date, or effective only later, does not count, and the
    finding says why. Documents of other systems (§4.2 "包含但不限于") are ignored here.
    """
    from .calendar import as_date

    as_of = as_date(as_of)
    c42 = cite("4.2")
    by_key: dict[str, list[Mapping]] = {k: [] for k in REQUIRED_SYSTEMS}
    for doc in documents:
        key = _system_key(doc.get("system"))
        if key:
            by_key[key].append(doc)
    out = []
    for key, label in REQUIRED_SYSTEMS.items():
        common = dict(rule="R-4.2", clause=system_clause(key), subject=key, figure=0, required=1, gap=1)
        docs = by_key[key]
        in_force = sorted(
            (d for d in docs if str(d.get("version") or "").strip() and d.get("effective_date")
             and as_date(d["effective_date"]) <= as_of),
            key=lambda d: as_date(d["effective_date"]),
        )
        if in_force:
            d = in_force[-1]
            common.update(figure=1, gap=0)
            out.append(Finding(
                True, f"{label}（{str(d['version']).strip()}，{fmt_date(as_date(d['effective_date']))}起施行）{c42}",
                **common,
            ))
            continue
        if not docs:
            out.append(Finding(False, f"缺少{label}{c42}", **common))
            continue
        reasons = []
        if any(not str(d.get("version") or "").strip() for d in docs):
            reasons.append("未注明版本号")
        if any(not d.get("effective_date") for d in docs):
            reasons.append("未注明施行日期")
        later = [as_date(d["effective_date"]) for d in docs if d.get("effective_date") and as_date(d["effective_date"]) > as_of]
        if later:
            reasons.append(f"{fmt_date(min(later))}起才施行")
        out.append(Finding(False, f"{label}尚未有效：{'、'.join(reasons)}{c42}", **common))
    return out


# ====================================================================== R-OPER the operating agreement

LW_OPERATOR = cite_source("LW2021", "三（一）")
LW_NEGATIVE = cite_source("LW2021", "四（一）3")
LW_FINANCE = cite_source("LW2021", "四（三）3")
LW_SUMMARY = cite_source("LW2021", "四（三）4")
LW_EVALUATION = cite_source("LW2021", "四（一）3")
MONTHS_PER_QUARTER = 3  # calendar structure
QUARTERS_PER_YEAR = 4  # calendar structure

#: [LW2021] 四（一）3: the negative list of the third-party operation; any one item recorded
#: ends the operating agreement ("出现以下情形者即终止协议，并在限期内停止工作").
NEGATIVE_LIST: Mapping[str, str] = MappingProxyType(
    {
        "duties": "未按协议规定内容履行工作职责的",
        "schedule": "未按期完成培育孵化各项工作的",
        "finance": "未按照有关财务会计规章制度规定做好财务管理的",
        "complaint": "被入驻社会组织投诉，并经有关部门核实，情节严重的",
        "law": "有其他违反国家法律法规行为的",
    }
)
_NEGATIVE_ORDINALS = "一二三四五"
#: items that count only once a competent department has verified them (item 4: "经有关部门核实")
NEGATIVE_NEEDS_VERIFICATION = frozenset({"complaint"})


def years_registered(registered_on, as_of) -> int | None:
    """R-OPER ([LW2021] 三（一）1): completed years since registration with civil affairs
    (as a person's age is counted); ``None`` when the date is unknown."""
    from .calendar import as_date

    if not registered_on:
        return None
    start, today = as_date(registered_on), as_date(as_of)
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return max(years, 0)


def negative_item_clause(item: str) -> str:
    """R-OPER: the wording of a negative-list item with its citation, e.g.
    "负面清单第三项：未按照有关财务会计规章制度规定做好财务管理的（《灵武…》四（一）3）"."""
    key = _negative_key(item)
    ordinal = _NEGATIVE_ORDINALS[list(NEGATIVE_LIST).index(key)]
    return f"负面清单第{ordinal}项：{NEGATIVE_LIST[key]}{LW_NEGATIVE}"


def _negative_key(item: str) -> str:
    text = str(item or "").strip()
    for key, label in NEGATIVE_LIST.items():
        if text in (key, label):
            return key
    raise ValueError(f"未知的负面清单事项：“{text}”，可选：{'、'.join(NEGATIVE_LIST.values())}")


def negative_record_counts(item: str, verified: bool) -> bool:
    """R-OPER ([LW2021] 四（一）3): does a recorded negative-list item end the agreement?
    Every item does, except a complaint (item 4) not yet verified by a competent department."""
    return _negative_key(item) not in NEGATIVE_NEEDS_VERIFICATION or bool(verified)


def agreement_termination(records: Iterable[Mapping]) -> Finding | None:
    """R-OPER ([LW2021] 四（一）3), auto: the record that ends the operating agreement – the
    earliest (by ``record_date``) of ``records`` (mappings with ``item``, ``record_date``,
    ``verified``) that counts (:func:`negative_record_counts`) – as a finding whose message
    names the clause; ``None`` when no record counts."""
    from .calendar import as_date

    counting = [r for r in records if r.get("record_date") and negative_record_counts(r["item"], r.get("verified"))]
    if not counting:
        return None
    first = min(counting, key=lambda r: as_date(r["record_date"]))
    day = as_date(first["record_date"])
    return Finding(
        False,
        f"{fmt_date(day)}记录{negative_item_clause(first['item'])[:-len(LW_NEGATIVE)]}，运营委托协议即行终止，"
        f"运营方应在限期内停止工作{LW_NEGATIVE}",
        "R-OPER",
        "LW2021 四（一）3",
        enforcement="auto",
        subject=_negative_key(first["item"]),
        period=day.isoformat(),
    )


def agreement_status(start, end, as_of, terminated_on=None) -> str:
    """R-OPER: ``"not_started"``, ``"in_force"``, ``"expired"`` or ``"terminated"`` on ``as_of``
    (an agreement ended under the negative list stays terminated)."""
    from .calendar import as_date

    as_of = as_date(as_of)
    if terminated_on and as_date(terminated_on) <= as_of:
        return "terminated"
    if start and as_of < as_date(start):
        return "not_started"
    if end and as_of > as_date(end):
        return "expired"
    return "in_force"


def quarter_of(day) -> tuple[int, int]:
    """(year, quarter 1–4) of a date."""
    from .calendar import as_date

    day = as_date(day)
    return day.year, (day.month - 1) // MONTHS_PER_QUARTER + 1


def quarter_bounds(year: int, quarter: int):
    """First and last day of a calendar quarter."""
    import datetime

    first = datetime.date(year, (quarter - 1) * MONTHS_PER_QUARTER + 1, 1)
    nxt = (
        datetime.date(year + 1, 1, 1)
        if quarter == QUARTERS_PER_YEAR
        else datetime.date(year, quarter * MONTHS_PER_QUARTER + 1, 1)
    )
    return first, nxt - datetime.timedelta(days=1)


def report_due_date(year: int, quarter: int, settings: StandardSettings = DEFAULT_SETTINGS):
    """R-OPER ([LW2021] 四（三）3 asks for the financial position every quarter, no deadline):
    the app's decision – due ``settings.operator_report_due_days`` calendar days after the
    quarter ends (15: the usual deadline of quarterly financial statements)."""
    import datetime

    return quarter_bounds(year, quarter)[1] + datetime.timedelta(days=settings.operator_report_due_days)


def quarters_due(start, end, as_of, settings: StandardSettings = DEFAULT_SETTINGS) -> list[tuple[int, int]]:
    """R-OPER ([LW2021] 四（三）3): the calendar quarters overlapping the agreement's term
    (``start``–``end``, the termination date when it ended early) whose report is due by
    ``as_of`` (see :func:`report_due_date`), oldest first."""
    from .calendar import as_date

    if not start:
        return []
    start, as_of = as_date(start), as_date(as_of)
    last = min(as_date(end), as_of) if end else as_of
    out = []
    year, quarter = quarter_of(start)
    while quarter_bounds(year, quarter)[0] <= last:
        if report_due_date(year, quarter, settings) < as_of:
            out.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == QUARTERS_PER_YEAR else (year, quarter + 1)
    return out


def missing_report_message(year: int, quarter: int, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """R-OPER: "运营方2025年第2季度财务状况报告未提交（应于2025年7月15日前提交）（…四（三）3）"."""
    due = report_due_date(year, quarter, settings)
    return f"运营方{year}年第{quarter}季度财务状况报告未提交（应于{fmt_date(due)}前提交）{LW_FINANCE}"


def missing_summary_message(year: int, quarter: int, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """R-OPER-SUMMARY ([LW2021] 四（三）4 "按季度对孵化基地运行情况进行总结", no deadline): the
    operator's quarterly operations summary is due as the financial report (the app's choice:
    ``operator_report_due_days`` after the quarter)."""
    due = report_due_date(year, quarter, settings)
    return f"运营方{year}年第{quarter}季度孵化基地运行情况总结未提交（应于{fmt_date(due)}前提交）{LW_SUMMARY}"


def duplicate_quarter_message(kind: str, year: int, quarter: int, other: str) -> str:
    """R-OPER / R-OPER-SUMMARY: one financial report (``kind`` "financial") or operations
    summary ("summary") per operating agreement and quarter."""
    what, c = ("财务状况报告", LW_FINANCE) if kind == "financial" else ("孵化基地运行情况总结", LW_SUMMARY)
    return f"该运营协议{year}年第{quarter}季度的{what}已经提交（{other}），每季度只提交一份{c}"


def financial_report_finding(
    start, end, as_of, reported: Iterable[tuple[int, int]], settings: StandardSettings = DEFAULT_SETTINGS
) -> Finding:
    """R-OPER ([LW2021] 四（三）3), flag+remind: every quarter of the term whose report is
    due has a financial report; the missing quarters are listed."""
    due = quarters_due(start, end, as_of, settings)
    have = {(int(y), int(q)) for y, q in reported}
    missing = [yq for yq in due if yq not in have]
    common = dict(
        rule="R-OPER", clause="LW2021 四（三）3", figure=len(due) - len(missing), required=len(due), gap=len(missing)
    )
    if missing:
        listed = "、".join(f"{y}年第{q}季度" for y, q in missing)
        return Finding(False, f"运营方尚未提交{listed}的财务状况报告{LW_FINANCE}", **common)
    return Finding(True, f"运营方已按季度提交财务状况报告（{len(due)}个季度）{LW_FINANCE}", **common)


def evaluation_years_due(start, end, as_of) -> list[int]:
    """R-OPER ([LW2021] 四（一）3 绩效考核, yearly): the app's decision – one performance
    evaluation per calendar year of the term, due once that year is over (or the agreement
    has ended)."""
    from .calendar import as_date

    if not start:
        return []
    as_of = as_date(as_of)
    last = min(as_date(end), as_of) if end else as_of
    years = range(as_date(start).year, last.year + 1)
    return [y for y in years if y < as_of.year or (end and as_date(end) < as_of and y == as_date(end).year)]


def performance_evaluation_finding(start, end, as_of, evaluated: Iterable[int], failed: Iterable[int] = ()) -> Finding:
    """R-OPER ([LW2021] 四（一）3), flag: every year of the term that is over has an annual
    performance evaluation of the operator; failed evaluations are named."""
    due = evaluation_years_due(start, end, as_of)
    have = {int(y) for y in evaluated}
    missing = [y for y in due if y not in have]
    failed = sorted({int(y) for y in failed})
    common = dict(rule="R-OPER", clause="LW2021 四（一）3", figure=len(due) - len(missing), required=len(due), gap=len(missing))
    problems = []
    if missing:
        problems.append(f"{'、'.join(f'{y}年度' for y in missing)}尚未开展运营方绩效考核")
    if failed:
        problems.append(f"{'、'.join(f'{y}年度' for y in failed)}绩效考核不合格")
    if problems:
        return Finding(False, f"{'；'.join(problems)}{LW_EVALUATION}", **common)
    return Finding(True, f"运营方年度绩效考核已开展（{len(due)}个年度）{LW_EVALUATION}", **common)


def check_operator_qualification(
    is_local: bool,
    grade: str | None,
    social_workers: int | None,
    independent_legal_person: bool,
    registered_on,
    lead_qualification: str | None,
    as_of,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """R-4.1e (§4.1 e) and R-OPER ([LW2021] 三（一）1、3): :func:`check_operator` with the
    years registered computed from the registration date and the project lead's
    qualification (社会工作师 or higher); an unknown registration date is a finding too."""
    years = years_registered(registered_on, as_of)
    out = check_operator(
        is_local,
        grade,
        social_workers,
        independent_legal_person=independent_legal_person,
        years_registered=years,
        lead_social_worker_qualified=lead_qualified(lead_qualification),
        settings=settings,
    )
    if years is None:
        out.append(Finding(False, f"未填写运营方在民政部门的登记日期，无法核对注册登记年限{LW_OPERATOR}",
                           "R-OPER", "LW2021 三（一）1"))
    return out


# ====================================================================== the compliance panel


@dataclass(frozen=True)
class OperatorFacts:
    """What the operating agreement in force records about the operator (R-OPER)."""

    name: str = ""
    is_local: bool = False
    grade: str | None = None
    independent_legal_person: bool = True
    registered_on: Any = None
    start: Any = None
    end: Any = None
    reported_quarters: tuple[tuple[int, int], ...] = ()
    evaluated_years: tuple[int, ...] = ()
    failed_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class CenterFacts:
    """What the Service Center's record holds, as plain data (R-4.1a–f, R-4.2).

    ``staff``: mappings with ``role`` (``head``/``fulltime``/``parttime``), ``employer``
    (``center``/``operator``), ``qualification`` (key or name of :data:`QUALIFICATIONS`,
    empty for none), ``project_lead`` and ``active``. ``funds``: year -> (operating,
    project support). ``systems``: see :func:`system_findings`. ``operator`` is the
    agreement in force when the center is run by a third party (``None`` if there is none;
    ``last_termination`` then says why the last one ended, if it was under the negative list).
    """

    is_private_non_enterprise: bool = False
    uscc: str | None = None
    joint_management: bool = False
    registration_authority: str | None = None
    board_led_director_system: bool = False
    office_area: float | None = None
    fixed_independent_office: bool = False
    equipment: tuple[str, ...] = ()
    staff: tuple[Mapping, ...] = ()
    funds: Mapping[int, tuple[float | None, float | None]] = field(default_factory=dict)
    systems: tuple[Mapping, ...] = ()
    operated_by_third_party: bool = False
    operator: OperatorFacts | None = None
    last_termination: str = ""


def staff_counts(staff: Iterable[Mapping]) -> dict[str, Any]:
    """R-4.1e (§4.1 e): heads, full-time staff, the operator's social workers (any
    qualification) and its project lead's qualification, from the active staff rows."""
    active = [s for s in staff if s.get("active", True)]
    operator = [s for s in active if s.get("employer") == "operator"]
    lead = next((s for s in operator if s.get("project_lead")), None)
    return {
        "heads": sum(1 for s in active if s.get("role") == "head"),
        "fulltime": sum(1 for s in active if s.get("role") == "fulltime"),
        "operator_social_workers": sum(1 for s in operator if qualification_rank(s.get("qualification")) > 0),
        "lead_qualification": lead.get("qualification") if lead else None,
    }


def center_findings(
    facts: CenterFacts, as_of, year: int | None = None, settings: StandardSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    """R-4.1a–f, R-4.2, R-OPER: every clause of §4 for the center's compliance panel, in
    the standard's order – §4.1 a)–f) (with the operator's rules after §4.1 e) when the
    center is run by a third party) and §4.2 a)–g). ``year``: the year whose funds are
    checked (default: the year of ``as_of``)."""
    from .calendar import as_date

    as_of = as_date(as_of)
    year = int(year or as_of.year)
    out = [
        check_registration(facts.is_private_non_enterprise, facts.uscc),
        check_joint_management(facts.joint_management, facts.registration_authority),
        check_governance(facts.board_led_director_system),
        check_premises(facts.fixed_independent_office),
        check_office_area(facts.office_area, settings),
        check_equipment(facts.equipment),
    ]
    counts = staff_counts(facts.staff)
    out.append(check_center_staffing(counts["heads"], counts["fulltime"], settings))
    if facts.operated_by_third_party:
        op = facts.operator
        if op is None:
            why = f"：{facts.last_termination}" if facts.last_termination else ""
            out.append(Finding(
                False, f"服务中心委托第三方运营，但没有有效的运营委托协议{why}{cite('4.1')}", "R-OPER", "4.1 e)"
            ))
        else:
            out += check_operator_qualification(
                op.is_local, op.grade, counts["operator_social_workers"], op.independent_legal_person,
                op.registered_on, counts["lead_qualification"], as_of, settings,
            )
            out.append(financial_report_finding(op.start, op.end, as_of, op.reported_quarters, settings))
            out.append(performance_evaluation_finding(op.start, op.end, as_of, op.evaluated_years, op.failed_years))
    operating, support = facts.funds.get(year, (None, None))
    out.append(check_funds(year, operating, support))
    out += system_findings(facts.systems, as_of)
    return out
