"""The Lingwu plan's oversight chain ([LW2021] 四（一）4–5、四（二）3–4; R-LIST, R-EVAL-CONFIRM).

Two records go through the same two bodies, one step after the other:

* the *Admission List* (入驻名单) of a round – the applications the panel recommended – is
  first-reviewed by the business supervisory unit (四（二）3 负责初审入驻社会组织名单) and
  approved by the leading group office (四（一）4 负责审定入驻社会组织名单); R-LIST makes it
  optional (the settings' switch, off by default: the Hangzhou standard goes from the panel
  straight to the public notice); when on, no application is publicly noticed before its
  list is approved;
* the *Incubation Work Evaluation* (孵化工作评估) – the operator's yearly comprehensive
  evaluation of the incubated organizations (四（三）4) – is first-reviewed by the supervisory
  unit (四（二）4 负责初审孵化工作评估结果) and confirmed by the leading group office
  (四（一）5 对孵化工作评估结果进行认定).

Each step is judged from what the record says was done (submitted, first-reviewed, approved –
the stamps the server records), never from the name of a workflow action, so the gates hold
whatever an administrator does to the workflow in Desk. Framework-free: the controllers pass
the stored facts and the user's roles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shuangfuhua_app.standard.clauses import cite_source
from shuangfuhua_app.standard.result import Finding

SUPERVISORY_UNIT = "Business Supervisory Unit"
LEADING_GROUP_OFFICE = "Leading Group Office"
CENTER_STAFF = "Center Staff"
CENTER_HEAD = "Center Head"
PREPARERS = (CENTER_STAFF, CENTER_HEAD)

ROLE_LABELS = {
    SUPERVISORY_UNIT: "业务主管单位",
    LEADING_GROUP_OFFICE: "领导小组办公室",
    CENTER_STAFF: "中心工作人员",
    CENTER_HEAD: "中心负责人",
}

#: the steps of the chain (what a change of state does, read by the controllers from the
#: shipped states; a state added in Desk takes no step of its own)
SUBMIT = "submit"
FIRST_REVIEW = "first_review"
FINAL = "final"  # the list's approval (审定) or the evaluation's confirmation (认定)
RETURN = "return"
STEPS = (SUBMIT, FIRST_REVIEW, FINAL, RETURN)

LIST = "list"
EVALUATION = "evaluation"

CITE_LIST = cite_source("LW2021", "四（一）4、四（二）3")
CITE_EVALUATION = cite_source("LW2021", "四（一）5、四（二）4")


@dataclass(frozen=True)
class Kind:
    rule: str
    cite: str
    subject: str  # 入驻名单 / 孵化工作评估结果
    final_word: str  # 审定 / 认定


KINDS: Mapping[str, Kind] = {
    LIST: Kind("R-LIST", CITE_LIST, "入驻社会组织名单", "审定"),
    EVALUATION: Kind("R-EVAL-CONFIRM", CITE_EVALUATION, "孵化工作评估结果", "认定"),
}


@dataclass(frozen=True)
class Facts:
    """What the stored record says was done (the server's stamps)."""

    submitted: bool = False
    first_reviewed: bool = False
    final: bool = False  # approved (list) / confirmed (evaluation)


def _finding(kind: str, ok: bool, text: str) -> Finding:
    k = KINDS[kind]
    return Finding(ok, text + k.cite, k.rule, k.cite.strip("（）"), enforcement="gate")


def _who(roles: Iterable[str]) -> str:
    return "或".join(ROLE_LABELS[r] for r in roles)


def return_bodies(facts: Facts) -> tuple[str, ...]:
    """Who may send the record back now: the body whose step it is (none once final)."""
    if facts.final or not facts.submitted:
        return ()
    if facts.first_reviewed:
        return (LEADING_GROUP_OFFICE,)
    return (SUPERVISORY_UNIT,)


def check_step(kind: str, step: str, facts: Facts, roles: Iterable[str]) -> Finding:
    """R-LIST / R-EVAL-CONFIRM, gate: the record goes 提交 → 业务主管单位初审 → 领导小组办公室
    审定/认定, one step at a time, each by its own body; a return only by the body whose step
    it is and never once the leading group office has decided."""
    if kind not in KINDS or step not in STEPS:
        raise ValueError(f"未知的审核环节：{kind} {step}")
    k = KINDS[kind]
    roles = set(roles)
    ok = lambda text: _finding(kind, True, text)  # noqa: E731
    bad = lambda text: _finding(kind, False, text)  # noqa: E731
    if facts.final and step != SUBMIT:
        return bad(f"{k.subject}已由领导小组办公室{k.final_word}，不能再变更")
    if step == SUBMIT:
        if facts.final:
            return bad(f"{k.subject}已由领导小组办公室{k.final_word}，不能再提交")
        if facts.submitted:
            return bad(f"{k.subject}已提交，待业务主管单位初审")
        if not roles & set(PREPARERS):
            return bad(f"{k.subject}只能由{_who(PREPARERS)}提交")
        return ok(f"提交{k.subject}")
    if step == FIRST_REVIEW:
        if not facts.submitted:
            return bad(f"{k.subject}尚未提交，不能初审")
        if facts.first_reviewed:
            return bad(f"{k.subject}已由业务主管单位初审")
        if SUPERVISORY_UNIT not in roles:
            return bad(f"{k.subject}的初审只能由业务主管单位进行")
        return ok(f"业务主管单位初审{k.subject}")
    if step == FINAL:
        if not facts.first_reviewed:
            return bad(f"{k.subject}的{k.final_word}须在业务主管单位初审之后进行")
        if LEADING_GROUP_OFFICE not in roles:
            return bad(f"{k.subject}的{k.final_word}只能由领导小组办公室进行")
        return ok(f"领导小组办公室{k.final_word}{k.subject}")
    # RETURN
    bodies = return_bodies(facts)
    if not bodies:
        return bad(f"{k.subject}尚未提交，无需退回")
    if roles & set(bodies):
        return ok(f"退回{k.subject}")
    if facts.first_reviewed:
        return bad(f"业务主管单位已初审，现由领导小组办公室{k.final_word}，只有领导小组办公室可以退回")
    return bad(f"{k.subject}待业务主管单位初审，只有业务主管单位可以退回")


def check_notice_on_approved_lists(required: bool, applications: Mapping[str, bool]) -> Finding:
    """R-LIST ([LW2021] 四（一）4、四（二）3), gate when switched on in the settings: an
    application is publicly noticed only once it stands on an admission list the leading group
    office approved. ``applications``: application -> whether it stands on an approved list.
    Switched off (the Hangzhou standard, DB3301/T 0346—2021 §6.3): the notice follows the
    panel directly."""
    if not required:
        return Finding(True, "未启用入驻名单审定，评审后直接公示" + CITE_LIST, "R-LIST", CITE_LIST.strip("（）"),
                       enforcement="gate", applicable=False)
    missing = [a for a, approved in applications.items() if not approved]
    if missing:
        return _finding(
            LIST, False,
            f"以下申请尚未列入经业务主管单位初审、领导小组办公室审定的入驻社会组织名单，不能公示：{'、'.join(missing)}",
        )
    return _finding(LIST, True, "入驻社会组织名单已经领导小组办公室审定")
