"""Incubation (孵化, DB3301/T 0346—2021 §7): gather the records, call the quota rules of
``shuangfuhua_app.standard`` and turn the findings into the organization's compliance
section and the daily reminders.

Decisions (documented, cited):

* Every quota is measured on the organization's roster (*Organization Member*, active
  members) and on the *Incubation Activity* records – never on typed figures. The one
  fallback: an organization without any party member on its roster uses the party-member
  count of its admission record for R-7.1.2 (§7.1.2), so a freshly admitted organization is
  not shown as "0 party members"; the message source says so.
* Pro-rating (§7.3.1, §7.3.2 state yearly quotas only): as in ``standard/training.py`` – the
  yearly quota is pro-rated by the *whole* calendar months the person holds the role, counted
  from the later of the person's "In Role Since" date and the organization's incubation start
  (its submitted agreement's start date). Required figures round up, reminders' expected
  figures are for completed quarters.
* Which activities count: ``standard/activities.py`` (training types, rotation, study).
  Hours: a participant row's own hours, or else the activity's class hours; only rows ticked
  "attended" count. The monthly regular study (§7.3.2) counts a study/theme-party-day
  activity that lists the organization among those served or has one of its people attending;
  it applies to organizations with at least one party member.
* Organizations "served" by the reminders: status Admitted or Incubating, or with an active
  roster.
* R-7.3.5 (§7.3.5) social-work exam: figures only (people registered, passed, supported in
  the year) from *Social Work Exam Record* – the clause encourages, it sets no quota.
* R-7.5.2 (§7.5.2.4) follow-up actions (rows of *Periodic Evaluation* and *Mentoring Visit*)
  past their due date and not completed are reminded once per action and due date (moving the
  due date re-arms the reminder) to the action's responsible user, or the center's staff when
  it has none (or that user is disabled) – through the same ledger and ToDos as the quotas.
* R-7.5.2 (§7.5.2.4) results for the exit assessment: :func:`evaluation_results`.
* R-PRIV (issue 14 §5): a reminder's text becomes a ToDo on the organization, and Frappe
  shows a ToDo's text on the organization's timeline (the “assigned” comment and the form's
  assignments) to everyone who reads the organization – leaders included. Reminders
  therefore never name a Party member or a party affairs worker (“一名党员…”, “一名党务工作者…”,
  figures only); the names are on the compliance panel (:func:`get_compliance`), which names
  them only for users who read Party membership.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.standard.activities import ROTATION_TYPES, STUDY_TYPES, TRAINING_TYPES, stage_track_finding
from shuangfuhua_app.standard.party import check_party_organization, one_shoulder_finding
from shuangfuhua_app.standard.result import Finding
from shuangfuhua_app.standard.support import (
    exam_participation_finding,
    exit_evaluation_summary,
    follow_up_overdue,
    follow_up_overdue_message,
)
from shuangfuhua_app.standard.training import (
    MONTHS_PER_QUARTER,
    class_hours_finding,
    monthly_study_finding,
    reserve_ratio_finding,
    reserve_training_finding,
    rotation_finding,
)
from shuangfuhua_app.privacy import reads_party
from shuangfuhua_app.utils import findings_table_html, get_standard_settings, today

ORG = "Community Social Organization"
ACTIVITY = "Incubation Activity"
MEMBER = "Organization Member"
EXAM = "Social Work Exam Record"
EVALUATION = "Periodic Evaluation"
#: records whose "follow_up_actions" rows are followed up (R-7.5.2, R-7.5.1)
FOLLOW_UP_PARENTS = ("Periodic Evaluation", "Mentoring Visit")
BRANCH_FORMS = {"Party Branch", "Joint Party Branch"}
SERVED_STATUSES = ("Admitted", "Incubating")

#: role check fields of Organization Member, in the order of the form (label = field label)
ROLE_FIELDS = {
    "is_head": "Head of the Organization",
    "is_party_secretary": "Party Organization Secretary",
    "is_party_member": "Party Member",
    "is_applicant": "Applicant for Party Membership",
    "is_activist": "Party Activist",
    "is_liaison": "Party-building Liaison",
    "is_instructor": "Party-building Instructor",
    "is_party_affairs_worker": "Party Affairs Worker",
    "is_business_leader": "Business Leader",
    "is_reserve": "Reserve Talent",
    "is_backbone": "Backbone Member",
}


def roles_summary(member) -> str:
    return "、".join(_(label) for field, label in ROLE_FIELDS.items() if member.get(field))


# ====================================================================== gathering


def roster(org: str) -> list[frappe._dict]:
    """Active members of an organization (ignores permissions: callers check the org)."""
    return frappe.get_all(
        MEMBER,
        filters={"organization": org, "member_status": "Current Member"},
        fields=["name", "member_name", "role_start_date", "training_plan", *ROLE_FIELDS],
        order_by="creation asc",
    )


def incubation_start(org: str) -> datetime.date | None:
    start = frappe.db.get_value(
        "Incubation Agreement", {"organization": org, "docstatus": 1}, "start_date", order_by="start_date asc"
    )
    return getdate(start) if start else None


def _later(*dates) -> datetime.date | None:
    # dates read from the database are dates already: Frappe's getdate (a parser) only for others
    present = [d if type(d) is datetime.date else getdate(d) for d in dates if d]
    return max(present) if present else None


def attendance(members: list[str], year: int, before: datetime.date | None = None) -> dict[str, list[frappe._dict]]:
    """member -> attended activity rows (date, hours, type) dated in ``year`` (and before
    ``before`` when given)."""
    out: dict[str, list] = defaultdict(list)
    if not members:
        return out
    end = datetime.date(year, 12, 31)
    if before:
        end = min(end, before - datetime.timedelta(days=1))
    rows = frappe.db.sql(
        """
        select p.member, a.activity_date, a.activity_type,
               coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) as hours
        from `tabIncubation Activity Participant` p
        join `tabIncubation Activity` a on a.name = p.parent
        where p.parenttype = 'Incubation Activity' and p.parentfield = 'participants'
          and a.docstatus < 2 and p.attended = 1 and p.member in %(members)s
          and a.activity_date between %(start)s and %(end)s
        """,
        {"members": tuple(members), "start": datetime.date(year, 1, 1), "end": end},
        as_dict=True,
    )
    for row in rows:
        out[row.member].append(row)
    return out


def study_dates(org: str, year: int) -> list[datetime.date]:
    """Dates of the monthly regular study sessions (§7.3.2) of an org in ``year``: study or
    theme-party-day activities that serve it or that its people attended (one per activity)."""
    rows = frappe.db.sql(
        """
        select a.name, a.activity_date from `tabIncubation Activity` a
        where a.docstatus < 2 and a.activity_type in %(types)s
          and a.activity_date between %(start)s and %(end)s
          and (exists (select 1 from `tabIncubation Activity Organization` o
                       where o.parent = a.name and o.parenttype = 'Incubation Activity' and o.organization = %(org)s)
               or exists (select 1 from `tabIncubation Activity Participant` p
                          where p.parent = a.name and p.parenttype = 'Incubation Activity'
                            and p.organization = %(org)s and p.attended = 1))
        """,
        {
            "types": tuple(STUDY_TYPES),
            "start": datetime.date(year, 1, 1),
            "end": datetime.date(year, 12, 31),
            "org": org,
        },
        as_dict=True,
    )
    return [getdate(r.activity_date) for r in rows]


def _person_label(m, reveal: bool = True, anonymous: str = "一名党务工作者") -> str:
    """The subject of a person's class-hours finding (R-7.3.1a). R-PRIV: the Party post
    (party affairs worker) and the name of its holder only when ``reveal``; otherwise a
    business leader is named by that post alone and a party affairs worker who is not one is
    ``anonymous`` (a figure, no name)."""
    if reveal:
        posts = [_(ROLE_FIELDS[f]) for f in ("is_party_affairs_worker", "is_business_leader") if m.get(f)]
        return "、".join(posts) + m.member_name
    if m.get("is_business_leader"):
        return _(ROLE_FIELDS["is_business_leader"]) + m.member_name
    return anonymous


# ====================================================================== compliance


def compliance(org: str, year: int | None = None, as_of=None, reveal: bool | None = None) -> list[Finding]:
    """Every quota of §7 for one organization in ``year`` (default: the year of ``as_of``,
    default today), as findings of the rules in ``shuangfuhua_app.standard``.

    R-PRIV (issue 14 §5): Party members and party affairs workers are named only when
    ``reveal`` (default: the user reads Party membership, ``privacy.reads_party``); for
    anyone else the same findings name no one – “第2名党员”, “第1名党务工作者” – so the figures
    stay and the people do not."""
    if reveal is None:
        reveal = reads_party()
    as_of = getdate(as_of) if as_of else today()
    year = int(year or as_of.year)
    settings = get_standard_settings()
    doc = frappe.db.get_value(
        ORG, org, ["name", "org_name", "development_stage", "party_member_count", "party_org_form"], as_dict=True
    )
    people = roster(org)
    start = incubation_start(org)
    findings: list[Finding] = []

    # party organization form
    party = [m for m in people if m.is_party_member]
    count = len(party) or int(doc.party_member_count or 0)
    has_branch = doc.party_org_form in BRANCH_FORMS
    has_instructor = any(m.is_instructor for m in people) or doc.party_org_form == "Party Instructor"
    has_liaison = any(m.is_liaison for m in people) or doc.party_org_form == "Party Liaison"
    findings.append(check_party_organization(count, has_branch, has_instructor, has_liaison, settings))

    # training track of the org's stage
    findings.append(stage_track_finding(doc.development_stage))

    # R-7.3.1b 一肩挑
    findings.append(
        one_shoulder_finding([m.name for m in people if m.is_head], [m.name for m in people if m.is_party_secretary])
    )

    attended = attendance([m.name for m in people], year)

    # R-7.3.1a class hours of party affairs workers and business leaders
    workers = 0
    for m in people:
        if m.is_party_affairs_worker or m.is_business_leader:
            hours = sum(float(r.hours or 0) for r in attended[m.name] if r.activity_type in TRAINING_TYPES)
            joined = _later(m.role_start_date, start)
            workers += not m.is_business_leader
            label = _person_label(m, reveal, anonymous=f"第{workers}名党务工作者")
            findings.append(class_hours_finding(label, hours, year, as_of, joined, settings))

    # R-7.3.2a reserve ratio, R-7.3.2b reserve trainings and plan
    secretaries = sum(1 for m in people if m.is_party_secretary)
    reserves = [m for m in people if m.is_reserve]
    findings.append(reserve_ratio_finding(secretaries, len(reserves), settings))
    for m in reserves:
        trainings = sum(1 for r in attended[m.name] if r.activity_type in TRAINING_TYPES)
        has_plan = bool(frappe.utils.strip_html(m.training_plan or "").strip())
        joined = _later(m.role_start_date, start)
        findings.append(
            reserve_training_finding(trainings, has_plan, year, as_of, joined, settings, person=f"储备人才{m.member_name}")
        )

    # R-7.3.2c rotation (each party member) and monthly regular study (the org)
    for i, m in enumerate(party, start=1):
        rotations = sum(1 for r in attended[m.name] if r.activity_type in ROTATION_TYPES)
        joined = _later(m.role_start_date, start)
        subject = f"党员{m.member_name}" if reveal else f"第{i}名党员"
        findings.append(rotation_finding(rotations, year, as_of, joined, settings, subject=subject))
    if count:
        findings.append(
            monthly_study_finding(study_dates(org, year), year, as_of, settings, start, subject=doc.org_name)
        )

    # social-work exam participation and support (figures, not a quota)
    exams = frappe.get_all(
        EXAM,
        filters={"organization": org, "exam_year": year},
        fields=["member as person", "exam_year", "exam_result", "study_materials", "tutoring", "fee_subsidy"],
    )
    findings.append(exam_participation_finding(exams, year))
    return findings


def compliance_rows(org: str, year: int | None = None, as_of=None, reveal: bool | None = None) -> list[dict]:
    return [
        {
            "rule": f.rule,
            "clause": f.clause,
            "ok": f.ok,
            "applicable": f.applicable,
            "figure": f.figure,
            "required": f.required,
            "gap": f.gap,
            "subject": f.subject,
            "message": f.message,
        }
        for f in compliance(org, year, as_of, reveal)
    ]


@frappe.whitelist()
def get_compliance(organization: str, year: int | None = None) -> dict:
    """The organization's standing against every quota of §7 (for its form and the portal).
    Party members and party affairs workers are named only for users who read Party
    membership (R-PRIV); others get the same figures naming no one."""
    frappe.has_permission(ORG, "read", organization, throw=True)
    year = int(year) if year else today().year
    rows = compliance_rows(organization, year, reveal=reads_party())
    return {"year": year, "rows": rows, "html": render_html(rows, year)}


def render_html(rows: list[dict], year: int) -> str:
    shortfalls = sum(1 for r in rows if not r["ok"])
    return findings_table_html(rows, _("{0}: {1} shortfall(s) against the standard's quotas").format(year, shortfalls))


# ====================================================================== reminders


#: organizations whose incubation is over (§8): no more §7 quota reminders
LEFT_STATUSES = ("Exited", "Incubation Ended")


#: organizations per batch of the daily job's set-based queries (bounded memory and ``in`` lists)
REMINDER_BATCH = 500


def _served_rows() -> list[frappe._dict]:
    """R-X-SCALE: the organizations served by the reminders in one query – status Admitted or
    Incubating, or with an active roster, and not exited (name, org_name, party figures, center)."""
    return frappe.db.sql(
        """
        select o.name, o.org_name, o.party_member_count, o.party_org_form, o.service_center
        from `tabCommunity Social Organization` o
        where ifnull(o.incubation_status, '') not in %(left)s
          and not exists (select 1 from `tabOrganization Termination` t
                          where t.organization = o.name and t.workflow_state in %(terminated)s)
          and (o.incubation_status in %(served)s
               or exists (select 1 from `tabOrganization Member` m
                          where m.organization = o.name and m.member_status = 'Current Member'))
        order by o.name
        """,
        {"left": LEFT_STATUSES, "served": SERVED_STATUSES, "terminated": _terminated_states()},
        as_dict=True,
    )


def _terminated_states() -> tuple[str, ...]:
    """The states of an approved termination on this site (issue 15 §2)."""
    from shuangfuhua_app.workflow_meanings import ADMITTED
    from shuangfuhua_app.workflow_paths import states_meaning

    return states_meaning("Organization Termination", ADMITTED)


def served_orgs() -> list[str]:
    return [r.name for r in _served_rows()]


def center_staff(center: str) -> list[str]:
    """Enabled users with the Center Staff role scoped to ``center`` (the center's head when
    it has no staff user) – one query (``jobs.staff_by_center``)."""
    from shuangfuhua_app.jobs import staff_by_center

    return staff_by_center([center]).get(center, []) if center else []


def terminated_orgs(orgs) -> set[str]:
    """Those of ``orgs`` with an approved termination (issue 14 §8), in one query."""
    orgs = [o for o in orgs if o]
    if not orgs:
        return set()
    return set(frappe.get_all("Organization Termination", filters={"organization": ("in", orgs),
                              "workflow_state": ("in", _terminated_states())}, pluck="organization"))


def _remind(
    key: str, rule: str, org: str, center: str, period: str, message: str, due,
    users: list[str] | None = None, reference: tuple[str, str] | None = None, job: str | None = None,
) -> bool:
    """Create the reminder once: a ledger row keyed by ``key`` telling ``users`` when given
    (enabled ones), else the center's staff. Written by a daily ``job``, the row is all: its
    users get one digest per day and job (``shuangfuhua_app.digest``, issue 18 §1). Without a
    job (a reminder of one event) each user gets a ToDo at once, referring to ``reference``
    (doctype, name; default the organization)."""
    if frappe.db.exists("SFH Reminder", key):
        return False
    if org and terminated_orgs([org]):
        return False  # issue 14 §8: a terminated organization gets no reminder of any kind
    if users:
        users = frappe.get_all("User", filters={"name": ("in", users), "enabled": 1}, pluck="name")
    users = sorted(users or center_staff(center))
    if not users:
        return False  # nobody to tell yet; tried again on the next run
    ref_type, ref_name = reference or (ORG, org)
    for user in [] if job else users:
        frappe.get_doc(
            {
                "doctype": "ToDo",
                "allocated_to": user,
                "description": message,
                "reference_type": ref_type,
                "reference_name": ref_name,
                "date": due,
                "priority": "Medium",
                "assigned_by": "Administrator",
            }
        ).insert(ignore_permissions=True)
    frappe.get_doc(
        {
            "doctype": "SFH Reminder",
            "reminder_key": key,
            "rule": rule,
            "organization": org,
            "service_center": center,
            "period": period,
            "message": message,
            "assigned_to": ", ".join(users),
            "job": job,
        }
    ).insert(ignore_permissions=True)
    return True


def _rosters(orgs: list[str]) -> dict[str, list[frappe._dict]]:
    """org -> active members (as :func:`roster`), for many organizations in one query."""
    out: dict[str, list] = defaultdict(list)
    if not orgs:
        return out
    fields = ", ".join(f"`{f}`" for f in ROLE_FIELDS)
    for m in frappe.db.sql(
        f"""
        select name, organization, member_name, role_start_date, training_plan, {fields}
        from `tabOrganization Member`
        where organization in %(orgs)s and member_status = 'Current Member'
        order by creation asc
        """,
        {"orgs": tuple(orgs)},
        as_dict=True,
    ):
        out[m.organization].append(m)
    return out


def _incubation_starts(orgs: list[str]) -> dict[str, datetime.date]:
    """org -> start of its first submitted agreement (as :func:`incubation_start`), one query."""
    if not orgs:
        return {}
    rows = frappe.db.sql(
        """
        select organization, min(start_date) from `tabIncubation Agreement`
        where docstatus = 1 and organization in %(orgs)s group by organization
        """,
        {"orgs": tuple(orgs)},
    )
    return {org: getdate(start) for org, start in rows if start}


def attendance_totals(orgs: list[str], start: datetime.date, end: datetime.date) -> dict[str, frappe._dict]:
    """R-X-SCALE: member -> totals of the attended activities dated ``start``..``end`` of the
    active members of ``orgs``, aggregated in SQL: ``training_hours`` and ``trainings``
    (:data:`TRAINING_TYPES`), ``rotations`` (:data:`ROTATION_TYPES`). Same rows as
    :func:`attendance` (a participant row's own hours, else the activity's class hours): the
    participant table is held only by ``Incubation Activity.participants`` (``scope.CHILD_SCOPE``),
    so joining on the activity's name suffices, and the rows are read from the covering index
    ``member_attendance_index`` (see the DocType's ``on_doctype_update``)."""
    if not orgs:
        return {}
    rows = frappe.db.sql(
        """
        select p.member,
               sum(case when a.activity_type in %(training)s
                        then coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) else 0 end) as training_hours,
               sum(case when a.activity_type in %(training)s then 1 else 0 end) as trainings,
               sum(case when a.activity_type in %(rotation)s then 1 else 0 end) as rotations
        from `tabOrganization Member` m
        join `tabIncubation Activity Participant` p on p.member = m.name and p.attended = 1
        join `tabIncubation Activity` a on a.name = p.parent
        where m.organization in %(orgs)s and m.member_status = 'Current Member'
          and a.docstatus < 2 and a.activity_date between %(start)s and %(end)s
        group by p.member
        """,
        {
            "training": tuple(TRAINING_TYPES),
            "rotation": tuple(ROTATION_TYPES),
            "orgs": tuple(orgs),
            "start": start,
            "end": end,
        },
        as_dict=True,
    )
    return {
        r.member: frappe._dict(
            training_hours=float(r.training_hours or 0), trainings=int(r.trainings or 0), rotations=int(r.rotations or 0)
        )
        for r in rows
    }


def study_dates_of(orgs: list[str], year: int) -> dict[str, list[datetime.date]]:
    """org -> dates of its regular study sessions in ``year`` (as :func:`study_dates`, one
    query for many organizations; one date per activity and organization)."""
    out: dict[str, list] = defaultdict(list)
    if not orgs:
        return out
    params = {
        "types": tuple(STUDY_TYPES),
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year, 12, 31),
        "orgs": tuple(orgs),
    }
    rows = frappe.db.sql(
        """
        select o.organization, a.name, a.activity_date
        from `tabIncubation Activity` a
        join `tabIncubation Activity Organization` o on o.parent = a.name and o.parenttype = 'Incubation Activity'
        where a.docstatus < 2 and a.activity_type in %(types)s and a.activity_date between %(start)s and %(end)s
          and o.organization in %(orgs)s
        union
        select p.organization, a.name, a.activity_date
        from `tabIncubation Activity` a
        join `tabIncubation Activity Participant` p on p.parent = a.name
        where a.docstatus < 2 and a.activity_type in %(types)s and a.activity_date between %(start)s and %(end)s
          and p.organization in %(orgs)s and p.attended = 1
        """,
        params,
    )
    for org, _name, date in rows:
        out[org].append(getdate(date))
    return out


def _evaluated(orgs: list[str], year: int) -> set[str]:
    """Organizations of ``orgs`` with an annual service evaluation of ``year`` (any state)."""
    if not orgs:
        return set()
    return {
        r[0]
        for r in frappe.db.sql(
            """
            select distinct organization from `tabPeriodic Evaluation`
            where evaluation_type = 'Annual Service Evaluation' and evaluation_year = %(year)s
              and organization in %(orgs)s
            """,
            {"year": year, "orgs": tuple(orgs)},
        )
    }


def _batch_reminders(docs: list[frappe._dict], as_of: datetime.date) -> dict[str, list[tuple[str, str, str, str]]]:
    """org -> (key, rule, period, message) of what is due on ``as_of`` for the organizations
    ``docs`` (rows with name, org_name, party_member_count, party_org_form): a fixed number
    of set-based queries for the whole batch, the rules of ``shuangfuhua_app.standard`` on
    plain rows (R-X-SCALE)."""
    settings = get_standard_settings()
    orgs = [d.name for d in docs]
    rosters = _rosters(orgs)
    starts = _incubation_starts(orgs)

    last_month = as_of.replace(day=1) - datetime.timedelta(days=1)
    quarter_end = as_of.replace(day=1, month=((as_of.month - 1) // MONTHS_PER_QUARTER) * MONTHS_PER_QUARTER + 1)
    q_last = quarter_end - datetime.timedelta(days=1)
    q_year = q_last.year
    quarter = (q_last.month - 1) // MONTHS_PER_QUARTER + 1
    q_period = f"{q_year}-Q{quarter}"
    totals = attendance_totals(orgs, datetime.date(q_year, 1, 1), min(datetime.date(q_year, 12, 31), q_last))
    eval_year = as_of.year if as_of.month == 12 else as_of.year - 1
    evaluated = _evaluated(orgs, eval_year)

    def party_count(doc) -> int:
        return sum(1 for m in rosters[doc.name] if m.is_party_member) or int(doc.party_member_count or 0)

    study_orgs = [
        d.name for d in docs if party_count(d) and not (starts.get(d.name) and starts[d.name] > last_month)
    ]
    studies = study_dates_of(study_orgs, last_month.year)
    empty = frappe._dict(training_hours=0.0, trainings=0, rotations=0)

    result: dict[str, list] = {}
    for doc in docs:
        org, people, start = doc.name, rosters[doc.name], starts.get(doc.name)
        out = []
        count = party_count(doc)

        # >= threshold party members and no branch (once a month while it lasts)
        if count >= settings.party_branch_threshold and doc.party_org_form not in BRANCH_FORMS:
            f = check_party_organization(count, False, False, False, settings)
            period = f"{as_of:%Y-%m}"
            out.append((f"R-7.1.2|{org}|{period}", "R-7.1.2", period, f"{doc.org_name}：{f.message}"))

        # R-7.3.2c: the last completed month without regular study
        if count and not (start and start > last_month):
            f = monthly_study_finding(
                studies.get(org, []), last_month.year, as_of.replace(day=1), settings,
                _later(start, last_month.replace(day=1)), subject=doc.org_name,
            )
            if not f.ok:
                period = f"{last_month:%Y-%m}"
                out.append((f"R-7.3.2c-study|{org}|{period}", "R-7.3.2c", period, f.message))

        # R-7.3.1a / R-7.3.2b / R-7.3.2c: behind the pro-rated pace at the end of the last completed quarter
        for m in people:
            joined = _later(m.role_start_date, start)
            t = totals.get(m.name, empty)
            checks = []
            if m.is_party_affairs_worker or m.is_business_leader:
                checks.append(
                    ("R-7.3.1a", class_hours_finding(
                        _person_label(m, reveal=False), t.training_hours, q_year, quarter_end, joined, settings))
                )
            if m.is_reserve:
                has_plan = bool(frappe.utils.strip_html(m.training_plan or "").strip())
                checks.append(
                    ("R-7.3.2b", reserve_training_finding(
                        t.trainings, has_plan, q_year, quarter_end, joined, settings, f"储备人才{m.member_name}"))
                )
            if m.is_party_member:
                checks.append(
                    ("R-7.3.2c", rotation_finding(t.rotations, q_year, quarter_end, joined, settings, "一名党员"))
                )
            for rule, f in checks:
                if f.behind_schedule:
                    out.append((f"{rule}|{m.name}|{q_period}", rule, q_period, f"{doc.org_name}：{f.message}"))

        # the annual service evaluation of the year (from December on)
        if not (start and start.year > eval_year) and org not in evaluated:
            message = _("{0}: the annual service evaluation of {1} is due (DB3301/T 0346—2021 §7.5.2.2).").format(
                doc.org_name, eval_year
            )
            out.append((f"R-7.5.2|{org}|{eval_year}", "R-7.5.2", str(eval_year), message))
        result[org] = out
    return result


def reminders_for(org: str, as_of: datetime.date) -> list[tuple[str, str, str, str]]:
    """(key, rule, period, message) of what is due for ``org`` on ``as_of`` (pure gathering)."""
    as_of = getdate(as_of)
    doc = frappe.db.get_value(ORG, org, ["name", "org_name", "party_member_count", "party_org_form"], as_dict=True)
    return _batch_reminders([doc], as_of)[org]


def overdue_follow_ups(as_of: datetime.date) -> list[frappe._dict]:
    """R-7.5.2 (§7.5.2.4): follow-up action rows of :data:`FOLLOW_UP_PARENTS` past their due
    date and not completed, with their record's organization and center."""
    out = []
    for parenttype in FOLLOW_UP_PARENTS:
        rows = frappe.db.sql(
            f"""
            select f.name, f.parent, f.parenttype, f.action, f.owner_user, f.due_date, f.action_status,
                   p.organization, p.org_name, p.service_center
            from `tabFollow Up Action` f join `tab{parenttype}` p on p.name = f.parent
            where f.parenttype = %(parenttype)s and f.parentfield = 'follow_up_actions'
              and p.docstatus < 2 and f.due_date < %(as_of)s
            order by f.due_date, f.name
            """,
            {"parenttype": parenttype, "as_of": as_of},
            as_dict=True,
        )
        out += [r for r in rows if follow_up_overdue(r.due_date, r.action_status, as_of)]
    return out


def _follow_up_sources(rows) -> dict[str, str]:
    """evaluation -> its year and kind, as a reminder names the record a follow-up action came
    from (one query for all of them; other records are named by their type)."""
    evaluations = sorted({r.parent for r in rows if r.parenttype == EVALUATION})
    out: dict[str, str] = {}
    for i in range(0, len(evaluations), 1000):
        for name, kind, year in frappe.get_all(EVALUATION, filters={"name": ("in", evaluations[i : i + 1000])},
                                               fields=["name", "evaluation_type", "evaluation_year"], as_list=True):
            out[name] = f"{year}年{_(kind)}"
    return out


def follow_up_reminders(as_of: datetime.date) -> list[str]:
    """R-7.5.2 (§7.5.2.4), remind: one ledger row per overdue follow-up action and due date,
    telling its responsible user (the center's staff when none). Idempotent through the ledger;
    the reminders already given are read once and the new ones written set-based, a failing
    row on its own (``jobs.remind_many``, issues 15 §3 and 18 §1)."""
    from shuangfuhua_app.jobs import given_keys, remind_many

    keyed = {f"R-7.5.2-follow-up|{r.name}|{getdate(r.due_date).isoformat()}": r for r in overdue_follow_ups(as_of)}
    given = given_keys(keyed)
    new = {key: r for key, r in keyed.items() if key not in given}
    sources = _follow_up_sources(new.values())
    return remind_many(JOB, (
        {"key": key, "rule": "R-7.5.2", "organization": r.organization, "service_center": r.service_center,
         "period": getdate(r.due_date).isoformat(),
         "message": follow_up_overdue_message(r.org_name or r.organization, r.action, getdate(r.due_date),
                                              sources[r.parent] if r.parenttype == EVALUATION else _(r.parenttype)),
         "due": as_of, "users": [r.owner_user] if r.owner_user else None,
         "doctype": r.parenttype, "docname": r.parent}
        for key, r in new.items()
    ))


#: the daily job's name in the ledger (``SFH Reminder.job``) and the Error Log
JOB = "incubation.send_reminders"
#: new reminders created inside the daily job; beyond that they go to background jobs of this size
REMINDER_JOB_SIZE = 1000


def send_reminders(as_of=None) -> list[str]:
    """Daily scheduler job (idempotent): remind the center's staff of §7 quotas falling
    behind, and the responsible users of overdue follow-up actions (§7.5.2.4). Returns the
    keys of the reminders created by this run.

    R-X-SCALE: the organizations are taken in batches of :data:`REMINDER_BATCH`; each batch
    costs a fixed number of set-based queries (roster, agreements, attendance aggregated per
    person, study sessions, evaluations, existing reminders) whatever its size, the quota
    rules run on the plain rows; only reminders not yet in the ledger touch the database.
    The first :data:`REMINDER_JOB_SIZE` new reminders are created here; any more (a quarter's
    end at city scale) are handed to background jobs of that size on the ``long`` queue
    (:func:`create_reminders`, idempotent through the ledger like this job), whose keys are
    not in the returned list."""
    as_of = getdate(as_of) if as_of else today()
    due = as_of + datetime.timedelta(days=7)
    from shuangfuhua_app.jobs import given_keys, staff_by_center

    pending = []
    rows = _served_rows()
    staff_cache = staff_by_center({r.service_center for r in rows})
    for i in range(0, len(rows), REMINDER_BATCH):
        batch = rows[i : i + REMINDER_BATCH]
        due_by_org = _batch_reminders(batch, as_of)
        existing = given_keys([key for items in due_by_org.values() for key, *_rest in items])
        for doc in batch:
            for key, rule, period, message in due_by_org[doc.name]:
                if key in existing:
                    continue
                center = doc.service_center
                if not staff_cache.get(center):
                    continue  # nobody to tell yet; tried again on the next run
                pending.append((key, rule, doc.name, center, period, message, due, staff_cache[center]))
    # the parts go center by center: each part's digests are those of a center or two
    pending.sort(key=lambda r: (r[3] or "", r[0]))
    created = create_reminders(pending[:REMINDER_JOB_SIZE], digest=False)
    for i in range(REMINDER_JOB_SIZE, len(pending), REMINDER_JOB_SIZE):
        frappe.enqueue(
            "shuangfuhua_app.incubation.create_reminders", queue="long", enqueue_after_commit=True,
            reminders=pending[i : i + REMINDER_JOB_SIZE],
        )
    created += follow_up_reminders(as_of)
    send_digests(JOB)
    return created


def create_reminders(reminders: list[tuple], digest: bool = True) -> list[str]:
    """Create reminders (key, rule, org, center, period, message, due, users) not yet in the
    ledger; returns the keys created (background job of :func:`send_reminders`)."""
    from shuangfuhua_app.jobs import remind_many

    created = remind_many(JOB, (
        {"key": key, "rule": rule, "organization": org, "service_center": center, "period": period,
         "message": message, "due": due, "users": users, "doctype": ORG, "docname": org}
        for key, rule, org, center, period, message, due, users in reminders
    ))
    if digest:  # a queued part: the digests of the users its rows tell now count them too
        send_digests(JOB, users={u for r in reminders for u in (r[7] or [])} or None)
    return created


def send_digests(job: str, users=None) -> None:
    """Issue 18 §1: one digest per user told by ``job`` today (see ``shuangfuhua_app.digest``);
    ``users``: only theirs."""
    from shuangfuhua_app.digest import send

    send(job, users=users)


# ====================================================================== results for the exit assessment


def evaluation_results(organizations: list[str] | str | None = None) -> dict[str, dict]:
    """R-7.5.2 (§7.5.2.4: 定期测评的情况纳入社区社会组织出壳考核): per organization the latest
    annual service evaluation (overall average and dimension averages), the latest credit
    status and every project evaluation, plus the follow-up actions still open – see
    ``standard.support.exit_evaluation_summary``. Ignores permissions (callers check);
    ``organizations`` defaults to every organization with an evaluation."""
    if isinstance(organizations, str):
        organizations = [organizations]
    filters = {"docstatus": ("<", 2)}
    if organizations is not None:
        if not organizations:
            return {}
        filters["organization"] = ("in", list(organizations))
    rows = frappe.get_all(
        EVALUATION,
        filters=filters,
        fields=[
            "name", "organization", "evaluation_type", "evaluation_year", "evaluation_date", "overall_score",
            "avg_independent_operation", "avg_party_org_building", "avg_projects_undertaken",
            "avg_resident_satisfaction", "credit_status", "venture_project", "result_summary",
        ],
    )
    open_actions = defaultdict(int)
    if rows:
        for r in frappe.get_all(
            "Follow Up Action",
            filters={"parenttype": EVALUATION, "parent": ("in", [r.name for r in rows]),
                     "action_status": ("!=", "Completed")},
            fields=["parent"],
        ):
            open_actions[r.parent] += 1
    by_org: dict[str, list] = defaultdict(list)
    for r in rows:
        r["open_follow_ups"] = open_actions[r.name]
        by_org[r.organization].append(r)
    orgs = organizations if organizations is not None else sorted(by_org)
    return {org: exit_evaluation_summary(by_org.get(org, [])) for org in orgs}


@frappe.whitelist()
def get_evaluation_results(organization: str) -> dict:
    """The periodic evaluation results of one organization for its exit assessment (R-7.5.2)."""
    frappe.has_permission(ORG, "read", organization, throw=True)
    return evaluation_results([organization])[organization]
