"""Filing (备案), change filing and termination of community social organizations
(R-FILE [10M] §2, R-EXIT-ORG [10M] §3: 《培育发展社区社会组织十条措施》第二条、第三条) and the
hub's quarterly secretary-general meetings (R-HUB [BJ2016] §14: 京社领办发〔2016〕8号 第十四条).
Framework-free.

Decisions (documented, cited):

* Deadlines: the ten measures name no deadline; local rules commonly give the residents'
  committee 5 and the township 10 working days and ask for a change to be filed within 7
  working days. They are settings (``filing_committee_days``, ``filing_township_days``,
  ``filing_change_days``), counted in working days (R-CAL) from the day after the request
  reached the stage (``WorkCalendar.add_working_days``).
* The filed particulars are the organization's name, head, service scope, address and area
  of activity; a change of any of them is filed again (第二条（四）) – a change filing with no
  changed particular is refused.
* The township approves only after the residents' committee's initial review (第二条（一）（二）);
  a certificate is issued only for an approved filing whose notice has ended.
* Termination (第三条): "经全体成员会议表决通过". The ten measures set no quorum; the app follows
  the Ministry's model charter (《社区社会组织章程示范文本》: 会员大会须有2/3以上会员出席，终止动议
  须经到会会员2/3以上表决通过) – the app's decision, stated in the message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from fractions import Fraction

from .calendar import WorkCalendar
from .clauses import cite_source
from .result import Finding

CITE_FILING = cite_source("10M", "第二条")
CITE_CHANGE = cite_source("10M", "第二条（四）")
CITE_EXIT = cite_source("10M", "第三条")
CITE_MEETING = cite_source("BJ2016", "第十四条")

#: the particulars a filing records; a change of one of them is filed again (第二条（四）)
FILED_PARTICULARS: Mapping[str, str] = {
    "org_name": "组织名称",
    "head_name": "负责人",
    "service_scope": "业务范围",
    "address": "活动地址",
    "activity_area": "活动区域",
}

#: the stages with a deadline: (setting, Chinese name of who acts)
STAGES: Mapping[str, tuple[str, str]] = {
    "committee": ("filing_committee_days", "居（村）委会初审"),
    "township": ("filing_township_days", "街道（乡镇）审核"),
    "change": ("filing_change_days", "变更备案申请"),
}

#: the model charter's quorum and majority for termination (the app's decision, see above)
TERMINATION_QUORUM = Fraction(2, 3)
TERMINATION_MAJORITY = Fraction(2, 3)

MODEL_CHARTER = """社区社会组织章程（参照民政部办公厅《社区社会组织章程示范文本》）

第一章 总则
第一条 本组织名称：＿＿＿＿＿＿。
第二条 本组织是由＿＿＿＿社区居民自愿组成，在社区范围内开展活动的非营利性社区社会组织。
第三条 本组织坚持中国共产党的全面领导，在街道（乡镇）党（工）委统一领导下，由社区党组织兜底管理，根据中国共产党章程的规定，设立中国共产党的组织，开展党的活动，为党组织的活动提供必要条件。
第四条 本组织遵守宪法、法律、法规和国家政策，践行社会主义核心价值观，遵守社会道德风尚。
第五条 本组织接受街道办事处（乡镇人民政府）的备案管理和居（村）民委员会的日常指导。
第六条 本组织活动地址：＿＿＿＿＿＿；活动区域：＿＿＿＿＿＿。

第二章 业务范围
第七条 本组织的业务范围：＿＿＿＿＿＿。

第三章 成员
第八条 本组织成员须拥护本组织章程，自愿加入，有在本组织业务领域内的服务意愿。
第九条 成员享有选举权、被选举权和表决权，参加本组织活动，对本组织工作提出批评建议并进行监督，入会自愿、退会自由。
第十条 成员履行遵守本组织章程、执行本组织决议、维护本组织合法权益的义务。

第四章 组织机构和负责人
第十一条 本组织的最高权力机构是全体成员会议。全体成员会议须有2/3以上的成员出席方能召开，其决议须经到会成员半数以上表决通过方能生效。
第十二条 本组织负责人由全体成员会议选举产生，任期＿＿年。负责人：＿＿＿＿＿＿。
第十三条 本组织定期向村（社区）“两委”报告工作，接受村（社区）“两委”、居（村）民代表和辖区单位的满意度测评。

第五章 资产管理和使用原则
第十四条 本组织的经费来源于成员自愿捐赠、政府购买服务、公益创投资助和其他合法收入，全部用于本章程规定的业务范围和事业发展，不得在成员中分配。
第十五条 本组织建立规范的财务管理制度，定期公开财务信息，接受成员和社区居民监督。

第六章 章程的修改、终止程序
第十六条 本组织章程的修改须经全体成员会议表决通过，并向街道办事处（乡镇人民政府）重新备案。
第十七条 本组织完成宗旨或自行解散的，由负责人提出终止动议，须经到会成员2/3以上表决通过，向居（村）委会提出申请，经街道办事处（乡镇人民政府）批准后予以公示。
第十八条 本组织终止后的剩余财产，在街道办事处（乡镇人民政府）监督下，用于发展与本组织宗旨相关的公益事业。

第七章 附则
第十九条 本章程经＿＿＿＿年＿＿月＿＿日全体成员会议表决通过。
第二十条 本章程自街道办事处（乡镇人民政府）备案之日起生效。
"""


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _clean(value) -> str:
    return " ".join(str(value or "").split())


# ====================================================================== filing (R-FILE)


def stage_due(calendar: WorkCalendar, start, working_days: int) -> datetime.date:
    """R-FILE: the last day of a stage that began on ``start`` and has ``working_days``
    working days (counted from the next working day)."""
    return calendar.add_working_days(_date(start), int(working_days))


def deadline_finding(stage: str, due, done_on, as_of) -> Finding:
    """R-FILE: is the stage done by its due day? Overdue when it is not done and ``as_of`` is
    after the due day, or it was done late."""
    label = STAGES[stage][1]
    due, done_on, as_of = _date(due), _date(done_on), _date(as_of)
    if due is None:
        return Finding(True, f"{label}尚未开始", "R-FILE", "10M 第二条", applicable=False, subject=stage)
    if done_on is not None:
        ok = done_on <= due
        word = "按期" if ok else f"逾期{(done_on - due).days}天"
        return Finding(
            ok,
            f"{label}已于{done_on.isoformat()}完成（期限{due.isoformat()}，{word}）{CITE_FILING}",
            "R-FILE",
            "10M 第二条",
            subject=stage,
        )
    if as_of > due:
        return Finding(
            False,
            f"{label}已逾期{(as_of - due).days}天（期限{due.isoformat()}）{CITE_FILING}",
            "R-FILE",
            "10M 第二条",
            subject=stage,
        )
    return Finding(
        True, f"{label}应于{due.isoformat()}前完成{CITE_FILING}", "R-FILE", "10M 第二条", subject=stage
    )


def changed_particulars(filed: Mapping, current: Mapping) -> list[str]:
    """R-FILE 第二条（四）: the keys of :data:`FILED_PARTICULARS` whose value differs."""
    return [k for k in FILED_PARTICULARS if _clean(filed.get(k)) != _clean(current.get(k))]


def describe_changes(filed: Mapping, current: Mapping, keys: Iterable[str]) -> str:
    """``负责人：张三 → 李四；活动地址：… → …`` for the change filing."""
    return "；".join(
        f"{FILED_PARTICULARS[k]}：{_clean(filed.get(k)) or '（空）'} → {_clean(current.get(k)) or '（空）'}"
        for k in keys
    )


def check_change_filing(previous_filed: bool, keys: list[str]) -> str | None:
    """R-FILE 第二条（四）: a change filing refers to a filed (certified) filing and changes at
    least one filed particular."""
    if not previous_filed:
        return f"变更备案须针对已颁发备案证书的备案{CITE_CHANGE}"
    if not keys:
        return f"变更备案未变更任何备案事项（{'、'.join(FILED_PARTICULARS.values())}）{CITE_CHANGE}"
    return None


def check_township_gate(committee_passed: bool) -> str | None:
    """R-FILE 第二条（一）（二）: the township reviews only what the residents' committee passed."""
    if not committee_passed:
        return f"居（村）委会初审通过前，街道（乡镇）不能审核同意备案{CITE_FILING}"
    return None


def check_certificate_gate(approved: bool, notice_end, as_of) -> str | None:
    """R-FILE 第二条（二）: the certificate follows the township's approval and its notice."""
    if not approved:
        return f"备案未经街道（乡镇）审核同意，不能颁发备案证书{CITE_FILING}"
    notice_end, as_of = _date(notice_end), _date(as_of)
    if notice_end is None or as_of <= notice_end:
        return f"备案公示期（至{notice_end.isoformat() if notice_end else '未定'}）结束后方可颁发备案证书{CITE_FILING}"
    return None


def certificate_number(prefix: str, year: int, sequence: int) -> str:
    """The filing certificate's number: ``{prefix}备〔2026〕0001号`` (unique per site)."""
    return f"{prefix}备〔{int(year)}〕{int(sequence):04d}号"


# ====================================================================== termination (R-EXIT-ORG)


def check_termination_vote(meeting_date, members_total, present, votes_for, as_of) -> str | None:
    """R-EXIT-ORG 第三条: the members' meeting voted the termination – a date not in the
    future, attendance of at least 2/3 of the members, at least 2/3 of those present in favour
    (the model charter's figures, the app's decision)."""
    meeting = _date(meeting_date)
    if meeting is None:
        return f"终止活动须先经全体成员会议表决通过，请记录会议日期、出席人数和表决结果{CITE_EXIT}"
    if meeting > _date(as_of):
        return f"成员会议日期{meeting.isoformat()}不能晚于今天{CITE_EXIT}"
    total, present, votes_for = int(members_total or 0), int(present or 0), int(votes_for or 0)
    if total <= 0:
        return f"请填写组织成员总数{CITE_EXIT}"
    if present > total or votes_for > present:
        return f"出席人数（{present}）不能多于成员总数（{total}），赞成票（{votes_for}）不能多于出席人数{CITE_EXIT}"
    if Fraction(present, total) < TERMINATION_QUORUM:
        return (
            f"成员会议出席{present}人，未达成员总数{total}人的2/3，表决无效"
            f"（参照《社区社会组织章程示范文本》）{CITE_EXIT}"
        )
    if Fraction(votes_for, present) < TERMINATION_MAJORITY:
        return (
            f"终止动议赞成{votes_for}票，未达到会成员{present}人的2/3，未通过"
            f"（参照《社区社会组织章程示范文本》）{CITE_EXIT}"
        )
    return None


def check_termination_order(vote_recorded: bool, committee_forwarded: bool, stage: str) -> str | None:
    """R-EXIT-ORG 第三条: vote → application to the residents' committee → township approval."""
    if not vote_recorded:
        return f"未记录全体成员会议表决通过，不能提出终止申请{CITE_EXIT}"
    if stage == "township" and not committee_forwarded:
        return f"居（村）委会报送前，街道（乡镇）不能批准终止{CITE_EXIT}"
    return None


# ====================================================================== hub meetings (R-HUB)


def quarter_of(d) -> tuple[int, int]:
    d = _date(d)
    return d.year, (d.month - 1) // 3 + 1


def previous_quarter(as_of) -> tuple[int, int]:
    year, quarter = quarter_of(as_of)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def missing_meeting_quarter(meeting_dates: Iterable, as_of, since=None) -> tuple[int, int] | None:
    """R-HUB (BJ2016 第十四条（一）: 原则上至少每个季度召开一次): the last completed quarter
    before ``as_of`` when it had no secretary-general meeting – ``None`` when it had one, or
    when it ended before ``since`` (the hub's start)."""
    year, quarter = previous_quarter(as_of)
    if since is not None:
        start = _date(since)
        quarter_end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1)
        if start >= quarter_end:
            return None
    if any(quarter_of(d) == (year, quarter) for d in meeting_dates if d):
        return None
    return year, quarter


def missing_meeting_message(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度未召开社会组织秘书长工作例会（原则上至少每个季度召开一次）{CITE_MEETING}"
