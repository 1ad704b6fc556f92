"""Exit (出壳, DB3301/T 0346—2021 §8): gather what the records say for the capability
assessment, apply the consequences of a confirmed result, the daily reminders and the
public certificate check. The rules are in ``shuangfuhua_app.standard.exit``.

Decisions (documented in the README, cited):

* **What is measured, over which period** (R-8.1.1b): the incubation cycle of the assessed
  agreement, start to end. Per-year quotas (§7.3.1 class hours, §7.3.2 reserve trainings)
  are measured per agreement year on the people of the current roster – the same roster,
  activities and rules as the organization's compliance section (``incubation.py``);
  venture projects applied for during the cycle (§7.4.5, [LW2021] 项目设计); the latest
  periodic evaluations (§7.5.2.4, ``incubation.evaluation_results``).
* **Frozen at submission**: every measured indicator keeps its score, its basis and the
  figures it came from (record names, hours, dates) in the assessment; a later correction
  of an activity or an evaluation does not change a submitted assessment.
* **Consequences** of the final confirmation (R-CONFIRM), recorded on the organization and
  on its agreement: 达标 and above – exit with a follow-up service of at least the settings'
  months from the confirmation day (§8.2); 优秀 – also an honor certificate with a unique
  number (§8.1.3); 不达标 – the center's staff are asked to choose a new agreement (a new
  cycle, linked to the old one) or the end of the incubation (§8.1.2).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import get_url, getdate, strip_html

from shuangfuhua_app.admission import refresh_org_status
from shuangfuhua_app.exceptions import ExitOutcomeError, throw
from shuangfuhua_app.incubation import BRANCH_FORMS, _remind, evaluation_results, roster
from shuangfuhua_app.standard.activities import TRAINING_TYPES
from shuangfuhua_app.standard.exit import (
    DEFAULT_EXIT_TEMPLATE,
    EXIT_LEVELS,
    LEVEL_OF_KEY,
    LEVEL_VALUES,
    Measurement,
    check_exit_outcome,
    exit_due_for_reminder,
    exit_due_message,
    follow_up_end_date,
    follow_up_ending_message,
    follow_up_ending_soon,
    measure_class_hours,
    measure_credit,
    measure_party_organization,
    measure_project_design,
    measure_registration,
    measure_reserve_talent,
    measure_resident_satisfaction,
    measure_service_evaluation,
    measure_team_structure,
    measure_venture_projects,
    normalize_certificate_number,
    verification_message,
)
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.utils import ensure_default_template, format_cn_date, get_standard_settings, today
from shuangfuhua_app.workflow_meanings import ADMITTED, APPROVED_PROJECT, CLOSED
from shuangfuhua_app.workflow_paths import state_meaning, states_meaning

ORG = "Community Social Organization"
AGREEMENT = "Incubation Agreement"
PROJECT = "Venture Project"
ASSESSMENT = "Exit Assessment"
TEMPLATE = "Exit Assessment Template"
CERTIFICATE = "Honor Certificate"
FOLLOW_UP = "Follow Up Service"
DEFAULT_TEMPLATE_NAME = "默认出壳能力评估指标体系（DB3301/T 0346—2021 第8.1.1条）"
STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}
#: outcome field values of the assessment -> outcome keys of the rules, and the agreement's record
OUTCOME_KEYS = {"Exit with Follow-up Service": "exit", "Re-sign Agreement": "renew", "End Incubation": "terminate"}
AGREEMENT_OUTCOME = {"exit": "Exited", "renew": "Re-signed", "terminate": "Incubation Ended"}


# ====================================================================== the default template


def ensure_default_exit_template() -> str:
    """Install/migrate: the default indicator system (R-8.1.1b) exists and is the settings'
    default unless a center chose another one. Never overwrites a template staff edited."""
    rows = [
        {
            "indicator": i.name,
            "dimension": i.dimension,
            "source": i.measure or "Manual",
            "weight": i.weight,
            "max_score": i.max_score,
            "clause": i.clause,
            "guidance": i.description,
        }
        for i in DEFAULT_EXIT_TEMPLATE
    ]
    return ensure_default_template(TEMPLATE, DEFAULT_TEMPLATE_NAME, "indicators", rows, "default_exit_template")


# ====================================================================== measuring


def _attendance(members: list[str], start: datetime.date, end: datetime.date) -> dict[str, list]:
    """member -> attended training rows (date, hours, activity, source: "QR" for a confirmed QR
    sign-in, issue 16) between start and end."""
    out: dict[str, list] = defaultdict(list)
    if not members:
        return out
    rows = frappe.db.sql(
        """
        select p.member, a.name as activity, a.activity_date, a.activity_type, p.source,
               coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) as hours
        from `tabIncubation Activity Participant` p
        join `tabIncubation Activity` a on a.name = p.parent
        where p.parenttype = 'Incubation Activity' and p.parentfield = 'participants'
          and a.docstatus < 2 and p.attended = 1 and p.member in %(members)s
          and a.activity_type in %(types)s
          and a.activity_date between %(start)s and %(end)s
        order by a.activity_date, a.name
        """,
        {"members": tuple(members), "types": tuple(TRAINING_TYPES), "start": start, "end": end},
        as_dict=True,
    )
    for row in rows:
        out[row.member].append(row)
    return out


def _projects(org: str, start: datetime.date, end: datetime.date) -> list[dict]:
    """Venture projects the organization applied for during the cycle (§7.4.5)."""
    rows = frappe.get_all(
        "Venture Project",
        filters={"organization": org},
        fields=["name", "project_name", "workflow_state as state", "evaluation_score", "evaluation_result",
                "application_date", "creation", "closed_on"],
        order_by="creation asc",
    )
    out = []
    for r in rows:
        applied = getdate(r.application_date or r.creation)
        if start <= applied <= end:
            out.append({k: r[k] for k in ("name", "project_name", "state", "evaluation_score", "evaluation_result")})
    return out


def measure_sources(org: str, start, end, name_party: bool = False) -> dict[str, Measurement]:
    """R-8.1.1b (§8.1.1): every measured source for ``org`` over its cycle ``start``..``end``
    (ignores permissions: callers check the assessment).

    R-PRIV: the class hours are those of the party affairs workers *and* the business leaders;
    a person listed there who is not a business leader is a party affairs worker. So, unless
    ``name_party`` (a reader with the Party permlevel, :func:`privacy.reads_party`), those
    people are numbered (第1名…), never named by their roster record; the business leaders
    (a post that is not the Party's) keep theirs. The figures frozen in an assessment are
    read by the supervisory unit and the leading group office: they are always numbered."""
    start, end = getdate(start), getdate(end)
    settings = get_standard_settings()
    doc = frappe.db.get_value(
        ORG, org, ["org_type", "uscc", "filing_number", "party_member_count", "party_org_form"], as_dict=True
    )
    people = roster(org)
    attended = _attendance([m.name for m in people], start, end)

    def trained(m) -> list:
        # issue 16 §4: with the row's source, the measure tells QR-confirmed hours from typed ones
        return [(r.activity_date, float(r.hours or 0), r.source) for r in attended[m.name]]

    out: dict[str, Measurement] = {}
    # §7.3.1 class hours of party affairs workers and business leaders
    leaders = [m for m in people if m.is_party_affairs_worker or m.is_business_leader]
    labels, unnamed = {}, 0
    for m in leaders:
        if m.is_business_leader or name_party:
            labels[m.name] = _person_label(m)
        else:
            unnamed += 1
            labels[m.name] = f"第{unnamed}名"
    out["Class Hours"] = measure_class_hours(
        [{"label": labels[m.name], "joined": m.role_start_date, "attended": trained(m)} for m in leaders],
        start, end, settings,
    )
    _add_records(out["Class Hours"], {
        (m.name if labels[m.name] == _person_label(m) else labels[m.name]): [r.activity for r in attended[m.name]]
        for m in leaders
    })
    # §7.1.2 party organization (the admission record's count when the roster has no party member)
    party = [m for m in people if m.is_party_member]
    out["Party Organization"] = measure_party_organization(
        len(party) or int(doc.party_member_count or 0),
        doc.party_org_form in BRANCH_FORMS,
        any(m.is_instructor for m in people) or doc.party_org_form == "Party Instructor",
        any(m.is_liaison for m in people) or doc.party_org_form == "Party Liaison",
        settings,
    )
    # §7.3.2 reserve talent
    reserves = [m for m in people if m.is_reserve]
    out["Reserve Talent"] = measure_reserve_talent(
        sum(1 for m in people if m.is_party_secretary),
        [
            {"label": _person_label(m), "joined": m.role_start_date,
             "has_plan": bool(strip_html(m.training_plan or "").strip()),
             "trainings": [r.activity_date for r in attended[m.name]]}
            for m in reserves
        ],
        start, end, settings,
    )
    # registration / filing; team structure ([LW2021] 注册许可, 团队建设)
    out["Registration or Filing"] = measure_registration(doc.org_type, doc.uscc, doc.filing_number)
    out["Team Structure"] = measure_team_structure(
        {
            "head": sum(1 for m in people if m.is_head),
            "business_leader": sum(1 for m in people if m.is_business_leader),
            "party_worker": sum(
                1 for m in people
                if m.is_party_affairs_worker or m.is_party_secretary or m.is_instructor or m.is_liaison
            ),
            "backbone": sum(1 for m in people if m.is_backbone),
            "members": len(people),
        }
    )
    # §7.4.5 venture projects; [LW2021] 项目设计
    projects = _projects(org, start, end)
    # which states are closed / approved: by their meaning on the site (issue 15 §2)
    out["Venture Projects"] = measure_venture_projects(projects, states_meaning(PROJECT, CLOSED))
    out["Project Design"] = measure_project_design(projects, states_meaning(PROJECT, *APPROVED_PROJECT))
    # §7.5.2 periodic evaluations
    summary = evaluation_results([org])[org]
    out["Annual Service Evaluation"] = measure_service_evaluation(summary)
    out["Resident Satisfaction"] = measure_resident_satisfaction(summary)
    out["Credit Evaluation"] = measure_credit(summary)
    return out


def _add_records(m: Measurement, records: dict) -> None:
    """Keep which records a figure came from next to it (frozen with the assessment)."""
    m.figures["records"] = records  # figures is a plain dict inside the frozen dataclass


def _person_label(m) -> str:
    """A person in the assessment's figures: the roster record, not the name or the Party
    role (R-PRIV: the supervisory unit and the leading group office read the assessment;
    they need the figures, not who is a Party member)."""
    return f"人员{m.name}"


def figures_json(m: Measurement) -> str:
    return json.dumps(m.figures, ensure_ascii=False, sort_keys=True, default=str)


@frappe.whitelist()
def preview_measurements(incubation_agreement: str) -> list[dict]:
    """What the records say today for an agreement's organization (Desk button)."""
    agreement = frappe.get_doc(AGREEMENT, incubation_agreement)
    agreement.check_permission("read")
    from shuangfuhua_app.privacy import reads_party

    found = measure_sources(agreement.organization, agreement.start_date, agreement.end_date, name_party=reads_party())
    return [{"source": k, "score": m.score, "basis": m.basis} for k, m in found.items()]


# ====================================================================== consequences


def level_value(key: str | None) -> str | None:
    return LEVEL_OF_KEY.get(key) if key else None


def apply_consequences(doc) -> None:
    """R-8.1.2, R-8.1.3, R-8.2 (auto): a result has just been finally confirmed."""
    key = LEVEL_VALUES[doc.level]
    day = today()
    settings = get_standard_settings()
    org_values = {"exit_assessment": doc.name, "exit_level": doc.level, "exit_date": day}
    agreement_values = {"exit_assessment": doc.name, "exit_level": doc.level}
    mine = {}
    if key != "fail":
        service = frappe.get_doc(
            {
                "doctype": FOLLOW_UP,
                "organization": doc.organization,
                "exit_assessment": doc.name,
                "incubation_agreement": doc.incubation_agreement,
                "level": doc.level,
                "start_date": day,
                "end_date": follow_up_end_date(day, settings),
            }
        ).insert(ignore_permissions=True)
        mine.update(outcome="Exit with Follow-up Service", outcome_date=day, follow_up_service=service.name)
        org_values["follow_up_service"] = service.name
        agreement_values.update(exit_outcome="Exited", exit_outcome_date=day)
    if key == "excellent":
        certificate = issue_certificate(doc, day)
        mine["honor_certificate"] = certificate
        org_values["honor_certificate"] = certificate
    if mine:
        doc.db_set(mine, update_modified=False)
    frappe.db.set_value(AGREEMENT, doc.incubation_agreement, agreement_values, update_modified=False)
    frappe.db.set_value(ORG, doc.organization, org_values, update_modified=False)
    refresh_org_status(doc.organization)
    if key == "fail":
        message = _("{0}: the exit assessment is Not Up to Standard; choose to re-sign an incubation agreement or to end the incubation (DB3301/T 0346—2021 §8.1.2).").format(doc.org_name)
        _remind(f"R-8.1.2|{doc.name}", "R-8.1.2", doc.organization, doc.service_center, str(day), message, day,
                reference=(ASSESSMENT, doc.name))


def issue_certificate(doc, day) -> str:
    """R-8.1.3 (§8.1.3): the honor certificate of an 优秀 organization; its number is the
    record's name (unique, from a naming series)."""
    center_name = frappe.db.get_value("Service Center", doc.service_center, "center_name") or doc.service_center
    certificate = frappe.get_doc(
        {
            "doctype": CERTIFICATE,
            "organization": doc.organization,
            "issuer": center_name,
            "issue_date": day,
            "level": doc.level,
            "total_score": doc.total_score,
            "exit_assessment": doc.name,
            "incubation_agreement": doc.incubation_agreement,
        }
    )
    certificate.flags.issued_by_app = True
    certificate.insert(ignore_permissions=True)
    return certificate.name


def _decidable(assessment: str, outcome: str):
    """The assessment on which staff choose an outcome: confirmed, 不达标, not decided yet."""
    doc = frappe.get_doc(ASSESSMENT, assessment)
    doc.check_permission("write")
    if not STAFF_ROLES & set(frappe.get_roles()):
        throw(_("Only the center's staff choose what follows an exit assessment."), frappe.PermissionError)
    if doc.docstatus != 1 or state_meaning(ASSESSMENT, doc.workflow_state) != ADMITTED:  # finally confirmed
        throw(_("The exit assessment has not been finally confirmed by the leading group office yet.")
              + cite("8.1.2"), ExitOutcomeError)
    finding = check_exit_outcome(LEVEL_VALUES[doc.level], outcome)
    if not finding.ok:
        throw(finding.message, ExitOutcomeError)
    if doc.outcome:
        throw(_("The outcome of this exit assessment has already been decided: {0}").format(_(doc.outcome)),
              ExitOutcomeError)
    return doc


@frappe.whitelist()
def resign_agreement(assessment: str, start_date: str | None = None) -> str:
    """R-8.1.2 (§8.1.2): 不达标 – a new incubation agreement (a new cycle) linked to the old
    one. Returns the new agreement (a draft the staff complete, sign and submit)."""
    doc = _decidable(assessment, "renew")
    old = frappe.get_doc(AGREEMENT, doc.incubation_agreement)
    start = getdate(start_date) if start_date else max(getdate(old.end_date) + datetime.timedelta(days=1), today())
    day = today()
    frappe.db.set_value(AGREEMENT, old.name, {"exit_outcome": "Re-signed", "exit_outcome_date": day},
                        update_modified=False)
    new = frappe.get_doc(
        {
            "doctype": AGREEMENT,
            "application": old.application,
            "previous_agreement": old.name,
            "renewal_assessment": doc.name,
            "start_date": start,
            "party_a_signatory": old.party_a_signatory,
            "party_b_signatory": old.party_b_signatory,
        }
    ).insert()
    doc.db_set({"outcome": "Re-sign Agreement", "outcome_date": day, "new_agreement": new.name})
    doc.add_comment("Info", _("Re-signed: new incubation agreement {0} (DB3301/T 0346—2021 §8.1.2)").format(new.name))
    refresh_org_status(doc.organization)
    return new.name


@frappe.whitelist()
def end_incubation(assessment: str, note: str | None = None) -> str:
    """R-8.1.2 (§8.1.2): 不达标 – the incubation ends; recorded on the organization and its
    agreement."""
    doc = _decidable(assessment, "terminate")
    day = today()
    doc.db_set({"outcome": "End Incubation", "outcome_date": day, "outcome_note": (note or "").strip() or None})
    frappe.db.set_value(AGREEMENT, doc.incubation_agreement, {"exit_outcome": "Incubation Ended",
                                                              "exit_outcome_date": day}, update_modified=False)
    doc.add_comment("Info", _("Incubation ended (DB3301/T 0346—2021 §8.1.2)"))
    return refresh_org_status(doc.organization)


# ====================================================================== reminders


def assessment_exists_sql(alias: str) -> str:
    """THE definition of "an exit assessment exists" for the agreement joined as ``alias``
    (issue 14 §7): an Exit Assessment of the agreement that is not cancelled – a draft counts,
    the assessment has been started. The daily reminder (:func:`due_agreements`) and the number
    card *Exit Assessments Due (90 Days)* (:func:`exit_assessments_due_count`) both use it."""
    return (
        f"exists (select 1 from `tab{ASSESSMENT}` ea where ea.incubation_agreement = {alias}.`name`"
        " and ea.docstatus < 2)"
    )


def exit_due_sql(alias: str) -> str:
    """`` and …``: the agreement ``alias`` awaits its exit assessment – submitted, no exit
    decision (outcome, renewal) and no assessment (:func:`assessment_exists_sql`)."""
    return (
        f" and {alias}.docstatus = 1 and ifnull({alias}.exit_outcome, '') = ''"
        f" and ifnull({alias}.renewed_by, '') = '' and not {assessment_exists_sql(alias)}"
    )


def due_agreements(as_of: datetime.date) -> list[frappe._dict]:
    """Submitted agreements whose cycle ends within the reminder window (or ended) with no
    exit decision and no exit assessment yet (:func:`exit_due_sql`)."""
    settings = get_standard_settings()
    horizon = as_of + datetime.timedelta(days=settings.exit_reminder_days)
    rows = frappe.db.sql(
        f"""select a.name, a.organization, a.org_name, a.service_center, a.end_date
            from `tab{AGREEMENT}` a where a.end_date <= %(horizon)s {exit_due_sql("a")}
            order by a.end_date asc""",
        {"horizon": horizon},
        as_dict=True,
    )
    return [r for r in rows if exit_due_for_reminder(r.end_date, as_of, settings)]


#: days ahead the number card *Exit Assessments Due (90 Days)* looks
EXIT_CARD_DAYS = 90


@frappe.whitelist()
def exit_assessments_due_count(filters=None) -> dict:
    """Number card *Exit Assessments Due (90 Days)*: agreements of the user's scope whose cycle
    ends within 90 days (or ended) and that await their exit assessment – the reminder's
    definition (:func:`exit_due_sql`)."""
    from shuangfuhua_app.reports import scope_sql

    if not frappe.has_permission(AGREEMENT, "read"):
        raise frappe.PermissionError
    horizon = today() + datetime.timedelta(days=EXIT_CARD_DAYS)
    count = frappe.db.sql(
        f"""select count(*) from `tab{AGREEMENT}` a
            where a.end_date <= %(horizon)s {exit_due_sql("a")} {scope_sql(AGREEMENT, "a")}""",
        {"horizon": horizon},
    )[0][0]
    return {"value": int(count), "fieldtype": "Int", "route": ["List", AGREEMENT]}


JOB = "exit.send_reminders"


def send_reminders(as_of=None) -> list[str]:
    """Daily scheduler job (idempotent): the exit assessment due (R-8.1.1a, once per
    agreement), follow-up periods about to end (R-8.2, once per end date), follow-up
    periods that ended (status). Returns the keys of the reminders created. Each agreement
    and service on its own (issue 15 §3)."""
    from shuangfuhua_app.incubation import send_digests
    from shuangfuhua_app.jobs import FAILED, given_keys, remind_many, run_guarded

    as_of = getdate(as_of) if as_of else today()
    settings = get_standard_settings()
    # R-X-SCALE (issue 18 §1): the reminders already given and each center's staff are read
    # once, and the ledger rows written set-based (a city has thousands of agreements due)
    due = {f"R-8.1.1|{r.name}": r for r in due_agreements(as_of)}
    given = given_keys(due)  # the messages are built for new reminders only
    due = {key: r for key, r in due.items() if key not in given}
    created = remind_many(JOB, (
        {"key": key, "rule": "R-8.1.1a", "organization": r.organization, "service_center": r.service_center,
         "period": str(r.end_date), "message": exit_due_message(r.org_name or r.organization, r.end_date, as_of),
         "due": getdate(r.end_date), "doctype": AGREEMENT, "docname": r.name}
        for key, r in due.items()
    ))
    for s in frappe.get_all(FOLLOW_UP, filters={"service_status": "Active"},
                            fields=["name", "organization", "org_name", "service_center", "end_date"]):
        key = run_guarded(FOLLOW_UP, s.name, JOB, _follow_up_step, s, as_of, settings)
        if key and key is not FAILED:
            created.append(key)
    send_digests(JOB)  # issue 18 §1: one digest per user and day
    return created


def _follow_up_step(s, as_of, settings) -> str | None:
    """One active follow-up service of the daily job: ended when its period is over, its end
    reminded once shortly before (R-8.2)."""
    end = getdate(s.end_date)
    if end < as_of:
        frappe.db.set_value(FOLLOW_UP, s.name, "service_status", "Ended", update_modified=False)
        return None
    if follow_up_ending_soon(end, as_of, settings):
        key = f"R-8.2|{s.name}|{end.isoformat()}"
        if _remind(key, "R-8.2", s.organization, s.service_center, end.isoformat(),
                   follow_up_ending_message(s.org_name or s.organization, end, as_of), end,
                   reference=(FOLLOW_UP, s.name), job=JOB):
            return key
    return None


# ====================================================================== certificates (R-X-VERIFY)


def verification_url(number: str) -> str:
    return get_url(f"/certificates/{number}")


def verify_certificate(number: str | None) -> dict:
    """R-X-VERIFY: what the public page shows for a number – only the organization, the
    level, the date, the issuing center and the status; never anything about a person."""
    normalized = normalize_certificate_number(number)
    found = None
    if normalized:
        row = frappe.db.get_value(
            CERTIFICATE, normalized, ["name", "status", "org_name", "level", "issue_date", "issuer", "revoked_on"],
            as_dict=True,
        )
        if row:
            found = {
                "status": row.status,
                "org_name": row.org_name,
                "level_label": EXIT_LEVELS[LEVEL_VALUES[row.level]] if row.level in LEVEL_VALUES else "",
                "issue_date": row.issue_date,
                "issuer": row.issuer,
                "revoked_on": row.revoked_on,
            }
    shown = normalized or str(number or "").strip()[:40]
    state, message = verification_message(shown, found)
    out = {"number": shown, "state": state, "message": message}
    if found and state != "unknown":
        out.update(
            org_name=found["org_name"], level_label=found["level_label"], issuer=found["issuer"],
            issue_date=format_cn_date(found["issue_date"]),
            revoked_on=format_cn_date(found["revoked_on"]) if found["revoked_on"] else "",
        )
    return out


def qr_svg(text: str, size_mm: float = 28) -> str:
    """An inline SVG QR code of ``text`` (R-X-VERIFY) drawn from Frappe's own ``pyqrcode``
    dependency – no image file, renders in the browser and in wkhtmltopdf alike."""
    import pyqrcode

    code = pyqrcode.create(text, error="M")
    matrix = code.code
    n = len(matrix)
    quiet = 4
    path = "".join(
        f"M{x + quiet},{y + quiet}h1v1h-1z" for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit
    )
    side = n + 2 * quiet
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="{size_mm}mm" '
        f'height="{size_mm}mm" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def certificate_qr(number: str, size_mm: float = 28) -> str:
    """Jinja method for the certificate's print format: the QR code of its verification page."""
    return qr_svg(verification_url(number), size_mm)


def exit_level_label(value: str | None) -> str:
    """Jinja method: 不达标/达标/良好/优秀 for a level field value."""
    return EXIT_LEVELS[LEVEL_VALUES[value]] if value in LEVEL_VALUES else ""


# ====================================================================== the organization's portal


def _portal_exit_filters(org: str) -> dict:
    """The organization's exit assessments "my incubation" lists (R-CONFIRM: once finally confirmed)."""
    return {"organization": org, "docstatus": 1, "workflow_state": "Finally Confirmed"}


def portal_exit_count(org: str) -> int:
    """How many exit results :func:`portal_exit_summary` lists for ``org`` (the user's own)."""
    return frappe.db.count(ASSESSMENT, _portal_exit_filters(org))


def portal_exit_summary(org: str, start: int = 0, page_length: int = 0) -> list[dict]:
    """For "my incubation": the organization's exit results once finally confirmed (R-CONFIRM:
    not before), with the outcome, the certificate and the follow-up service. ``org`` is the
    representative's own organization (the caller checked it). ``page_length`` results from
    ``start`` (0: all); their certificates, follow-up services and service records are read
    with one query each (issue 18 §4: no query per result)."""
    rows = frappe.get_all(
        ASSESSMENT,
        filters=_portal_exit_filters(org),
        fields=["name", "level", "total_score", "final_confirmed_on", "outcome", "outcome_note",
                "honor_certificate", "follow_up_service", "new_agreement"],
        order_by="final_confirmed_on desc, name desc",
        limit_start=start,
        limit_page_length=page_length,
    )
    certificates = {
        c.name: c for c in frappe.get_all(
            CERTIFICATE, filters={"name": ("in", [a.honor_certificate for a in rows if a.honor_certificate] or [""])},
            fields=["name", "status", "issue_date"])
    }
    services = [a.follow_up_service for a in rows if a.follow_up_service]
    follow_ups = {
        s.name: s for s in frappe.get_all(
            FOLLOW_UP, filters={"name": ("in", services or [""])}, fields=["name", "start_date", "end_date", "service_status"])
    }
    records: dict[str, list] = {}
    for r in frappe.get_all("Follow Up Service Record", filters={"parent": ("in", services or [""]), "parenttype": FOLLOW_UP},
                            fields=["parent", "service_date", "service_type", "content"],
                            order_by="service_date desc, idx asc"):
        records.setdefault(r.parent, []).append(r)
    out = []
    for a in rows:
        item = {
            "name": a.name,
            "level_label": exit_level_label(a.level),
            "total_score": a.total_score,
            "confirmed_cn": format_cn_date(a.final_confirmed_on),
            "outcome_label": _(a.outcome, context=ASSESSMENT) if a.outcome else "",
            "certificate": None,
            "follow_up": None,
        }
        c = certificates.get(a.honor_certificate) if a.honor_certificate else None
        if c:
            item["certificate"] = {"number": c.name, "valid": c.status == "Valid", "issued_cn": format_cn_date(c.issue_date),
                                   "verify_url": f"/certificates/{c.name}"}
        s = follow_ups.get(a.follow_up_service) if a.follow_up_service else None
        if s:
            item["follow_up"] = {
                "period": f"{format_cn_date(s.start_date)}至{format_cn_date(s.end_date)}",
                "status_label": _(s.service_status, context=FOLLOW_UP),
                "records": [{"date_cn": format_cn_date(r.service_date),
                             "type_label": _(r.service_type, context="Follow Up Service Record"),
                             "content": r.content} for r in records.get(a.follow_up_service, [])],
            }
        out.append(item)
    return out


def _may_download(doctype: str, name: str) -> frappe._dict:
    """Staff and the confirming bodies download what they may read; an organization's
    representative downloads only its own organization's documents, and the appraisal only
    once finally confirmed (R-CONFIRM, R-SCOPE)."""
    doc = frappe.get_doc(doctype, name)
    if frappe.has_permission(doctype, "read", doc=doc) and not _is_representative():
        return doc
    from shuangfuhua_app.portal.representatives import representative_org

    org = representative_org()
    confirmed = state_meaning(ASSESSMENT, doc.workflow_state) == ADMITTED if doctype == ASSESSMENT else True
    if org and doc.organization == org and confirmed:
        return doc
    raise frappe.PermissionError(_("Not permitted"))


def _is_representative() -> bool:
    roles = set(frappe.get_roles())
    return "Organization Representative" in roles and not (roles & (STAFF_ROLES | {
        "Business Supervisory Unit", "Leading Group Office", "Township Leader"}))


def _send_pdf(doctype: str, name: str, print_format: str, filename: str) -> None:
    """The document as PDF. Rendered as Administrator once :func:`_may_download` allowed it:
    the representative has no read permission on the assessment record itself."""
    user = frappe.session.user
    frappe.set_user("Administrator")
    try:
        pdf = frappe.get_print(doctype, name, print_format=print_format, as_pdf=True, no_letterhead=1)
    finally:
        frappe.set_user(user)
    frappe.local.response.filename = filename
    frappe.local.response.filecontent = pdf
    frappe.local.response.type = "pdf"


@frappe.whitelist()
def download_appraisal(name: str) -> None:
    """出壳鉴定书 as PDF (R-8.1.1b) – for the organization once finally confirmed."""
    doc = _may_download(ASSESSMENT, name)
    _send_pdf(ASSESSMENT, doc.name, "Exit Appraisal", f"出壳鉴定书-{doc.name}.pdf")


@frappe.whitelist()
def download_certificate(name: str) -> None:
    """荣誉证书 as PDF (R-8.1.3)."""
    doc = _may_download(CERTIFICATE, name)
    _send_pdf(CERTIFICATE, doc.name, "Honor Certificate", f"荣誉证书-{doc.name}.pdf")
