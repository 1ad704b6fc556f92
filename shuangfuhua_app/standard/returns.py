"""Who may send a decision back (issue 14 §2): only the body whose step it is, and nothing
decided finally (R-CONFIRM for exit results, R-FILE for filings, R-EXIT-ORG for terminations).

"Whose step it is" is read from what the record says was decided – the confirmations and
the dates of the steps – not from the name of a workflow action or state:

* exit result ([LW2021] 四（一）6、四（二）5): no confirmation yet – the business supervisory
  unit's step (the center head may still withdraw the center's own result, nobody outside the
  center having decided on it); confirmed in the first instance – the leading group office's
  step (the supervisory unit has decided and the center head no longer can); finally
  confirmed – no one;
* filing ([10M] 第二条): submitted, not reviewed – the residents' committee's step
  (Community Worker); reviewed – the township's step (Township Leader); approved, refused or
  certified by the township – no one;
* termination ([10M] 第三条): applied – the residents' committee's step; forwarded – the
  township's; decided by the township – no one.

Framework-free; the controllers pass the record's facts and the user's roles.
"""

from __future__ import annotations

from collections.abc import Iterable

from shuangfuhua_app.standard.clauses import cite_source
from shuangfuhua_app.standard.result import Finding

SUPERVISORY_UNIT = "Business Supervisory Unit"
LEADING_GROUP_OFFICE = "Leading Group Office"
CENTER_HEAD = "Center Head"
COMMITTEE = "Community Worker"
TOWNSHIP = "Township Leader"

ROLE_LABELS = {
    SUPERVISORY_UNIT: "业务主管单位",
    LEADING_GROUP_OFFICE: "领导小组办公室",
    CENTER_HEAD: "中心负责人",
    COMMITTEE: "居（村）民委员会",
    TOWNSHIP: "乡镇（街道）",
}

CITE_CONFIRM = cite_source("LW2021", "四（一）6、四（二）5")
CITE_FILING = cite_source("10M", "第二条")
CITE_TERMINATION = cite_source("10M", "第三条")


def _finding(ok: bool, text: str, rule: str, cite: str, clause: str) -> Finding:
    return Finding(ok, text + cite, rule, clause, enforcement="gate")


def _who(bodies: tuple[str, ...]) -> str:
    return "或".join(ROLE_LABELS[b] for b in bodies)


def exit_return_bodies(first_confirmed: bool, final_confirmed: bool) -> tuple[str, ...]:
    """The roles that may return a submitted exit result now (none once finally confirmed)."""
    if final_confirmed:
        return ()
    if first_confirmed:
        return (LEADING_GROUP_OFFICE,)
    return (SUPERVISORY_UNIT, CENTER_HEAD)


def check_exit_return(first_confirmed: bool, final_confirmed: bool, roles: Iterable[str]) -> Finding:
    """R-CONFIRM, gate: a submitted exit result is returned for reassessment only by the body
    whose step it is; a finally confirmed result by no one."""
    rule = ("R-CONFIRM", CITE_CONFIRM, "8.1.1")
    if final_confirmed:
        return _finding(False, "出壳评估结果已由领导小组办公室最终认定，任何人不能退回重新评估", *rule)
    bodies = exit_return_bodies(first_confirmed, final_confirmed)
    if set(roles) & set(bodies):
        return _finding(True, "退回重新评估", *rule)
    if first_confirmed:
        return _finding(False, "业务主管单位已初审确认，现由领导小组办公室认定，只有领导小组办公室可以退回重新评估", *rule)
    return _finding(False, f"出壳评估结果待业务主管单位初审，只有{_who(bodies)}可以退回重新评估", *rule)


def filing_return_bodies(submitted: bool, committee_reviewed: bool, township_decided: bool) -> tuple[str, ...]:
    if township_decided or not submitted:
        return ()
    return (TOWNSHIP,) if committee_reviewed else (COMMITTEE,)


def check_filing_return(
    submitted: bool, committee_reviewed: bool, township_decided: bool, roles: Iterable[str]
) -> Finding:
    """R-FILE, gate: a filing under review is returned only by the body reviewing it now."""
    rule = ("R-FILE", CITE_FILING, "")
    if township_decided:
        return _finding(False, "乡镇（街道）已作出备案决定，备案不能再退回", *rule)
    if not submitted:
        return _finding(False, "备案尚未提交审核，无需退回", *rule)
    bodies = filing_return_bodies(submitted, committee_reviewed, township_decided)
    if set(roles) & set(bodies):
        return _finding(True, "退回修改", *rule)
    return _finding(False, f"备案现由{_who(bodies)}审核，只有{_who(bodies)}可以退回", *rule)


def termination_return_bodies(applied: bool, committee_forwarded: bool, township_decided: bool) -> tuple[str, ...]:
    if township_decided or not applied:
        return ()
    return (TOWNSHIP,) if committee_forwarded else (COMMITTEE,)


def check_termination_return(
    applied: bool, committee_forwarded: bool, township_decided: bool, roles: Iterable[str]
) -> Finding:
    """R-EXIT-ORG, gate: a termination under review is returned only by the body reviewing it now."""
    rule = ("R-EXIT-ORG", CITE_TERMINATION, "")
    if township_decided:
        return _finding(False, "乡镇（街道）已对终止申请作出决定，不能再退回", *rule)
    if not applied:
        return _finding(False, "终止申请尚未提交居（村）民委员会，无需退回", *rule)
    bodies = termination_return_bodies(applied, committee_forwarded, township_decided)
    if set(roles) & set(bodies):
        return _finding(True, "退回修改", *rule)
    return _finding(False, f"终止申请现由{_who(bodies)}审核，只有{_who(bodies)}可以退回", *rule)
