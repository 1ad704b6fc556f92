"""Party building in incubated orgs (R-7.1.2, R-7.3.1b).

§7.1.2: an org with 3 or more party members (有3名以上党员的 – "以上" includes 3) must set
up a party branch (党支部); an org not (yet) able to set one up gets a party-building
instructor (党建指导员) or liaison (党建联络员). §7.3.1: move step by step towards the org
head also being the party-org head (一肩挑).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from .clauses import cite
from .result import Finding
from .settings import DEFAULT_SETTINGS, StandardSettings

#: Party organization forms an org may need.
PARTY_FORMS: Mapping[str, str] = MappingProxyType(
    {"branch": "党支部", "instructor_or_liaison": "党建指导员或党建联络员"}
)


def _count(value: int | None) -> int:
    count = int(value or 0)
    if count < 0:
        raise ValueError(f"党员人数不能为负数，当前为{count}{cite('7.1.2')}")
    return count


def required_party_form(party_member_count: int | None, settings: StandardSettings = DEFAULT_SETTINGS) -> str:
    """R-7.1.2 (§7.1.2): ``"branch"`` when the org has at least
    ``settings.party_branch_threshold`` party members, else ``"instructor_or_liaison"``.
    Raises ``ValueError`` for a negative count."""
    return (
        "branch" if _count(party_member_count) >= settings.party_branch_threshold else "instructor_or_liaison"
    )


def check_party_organization(
    party_member_count: int | None,
    has_branch: bool,
    has_instructor: bool,
    has_liaison: bool,
    settings: StandardSettings = DEFAULT_SETTINGS,
) -> Finding:
    """R-7.1.2 (§7.1.2), flag: with ``>= settings.party_branch_threshold`` party members
    the org must have a party branch; otherwise (including orgs with no party member) it
    must have a party-building instructor or liaison. A branch always satisfies the rule
    (e.g. a joint branch covering an org with fewer members). ``figure`` = party members,
    ``required`` = the threshold."""
    count = _count(party_member_count)
    threshold = settings.party_branch_threshold
    c = cite("7.1.2")

    def result(ok: bool, text: str) -> Finding:
        return Finding(ok, text + c, "R-7.1.2", "7.1.2", figure=count, required=threshold)

    if has_branch:
        return result(True, f"当前党员{count}名，已成立党支部")
    if count >= threshold:
        return result(False, f"党员{threshold}名及以上应成立党支部，当前党员{count}名、未建支部")
    if has_instructor or has_liaison:
        posts = "、".join(
            p for p, has in (("党建指导员", has_instructor), ("党建联络员", has_liaison)) if has
        )
        return result(True, f"当前党员{count}名，暂不具备组建党支部条件，已设立{posts}")
    return result(
        False, f"党员不足{threshold}名的社会组织应设立党建指导员或党建联络员，当前党员{count}名、均未设立"
    )


def _person(value: object) -> str:
    return "" if value is None else str(value).strip()


def one_shoulder_rate(orgs: Sequence[tuple[object, object]]) -> tuple[int, int, float]:
    """R-7.3.1b (§7.3.1): the 一肩挑 rate – orgs whose head (负责人) is also the secretary of
    its party organization.

    ``orgs`` holds ``(head_person, secretary_person)`` pairs (any identifier: user, member
    id, name). Only orgs with a party-organization secretary are in the denominator.
    Returns ``(count, total, rate)`` with ``rate`` in 0..1 (0.0 when ``total`` is 0).
    """
    count = total = 0
    for head, secretary in orgs:
        head, secretary = _person(head), _person(secretary)
        if not secretary:
            continue
        total += 1
        count += head == secretary
    return count, total, (count / total if total else 0.0)


def one_shoulder_finding(heads: Sequence[object], secretaries: Sequence[object]) -> Finding:
    """R-7.3.1b (§7.3.1), auto: whether the org's head (负责人) is also the secretary of its
    party organization (一肩挑). ``heads``/``secretaries`` are person identifiers. Not
    applicable (``ok``) when the org has no party-organization secretary; otherwise ``ok``
    tells whether one person holds both posts (the clause asks to move towards it
    "逐步实现", so the finding is informative: it never counts as a shortfall)."""
    heads_set = {_person(h) for h in heads if _person(h)}
    secretaries_set = {_person(s) for s in secretaries if _person(s)}
    c = cite("7.3.1")
    if not secretaries_set:
        return Finding(True, f"未设党组织书记，暂不统计“一肩挑”{c}", "R-7.3.1b", "7.3.1", "auto", applicable=False)
    both = bool(heads_set & secretaries_set)
    text = "负责人与党组织书记已实现“一肩挑”" if both else "负责人与党组织书记尚未实现“一肩挑”"
    return Finding(both, text + c, "R-7.3.1b", "7.3.1", "auto", figure=int(both), required=1)
