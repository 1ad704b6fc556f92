"""The center itself (规范化建设, DB3301/T 0346—2021 §4), its third-party operator
([LW2021] 三（一）、四（一）3、四（三）3) and the optional admission screening
([LW2021] 三（二）1.2）): gather the records, call the rules of
``shuangfuhua_app.standard.center`` / ``standard.admission`` and turn the findings into the
center's compliance panel, refusals and the daily reminders.

Decisions (documented, cited):

* Compliance is computed, never typed: the panel (:func:`get_compliance`) is built from the
  Service Center's fields and child tables (staff, funds per year, management systems) and
  from its operating agreements, financial reports and evaluations (R-4.1a–f, R-4.2, R-OPER).
* §4.1 e "1 名负责人和 1 名以上专职人员": the head is counted apart from the full-time staff.
  Staff rows with a "left on" date before the day of the panel do not count. A social worker
  (社会工作者) is a staff member with a social-work qualification (助理社会工作师 or higher);
  the operator's ones are the rows "employed by the operator".
* §4.1 f: the funds of the year under review (default: this year) must be recorded, both
  operating funds and project support funds (more than zero).
* §4.2: a system counts once a document of it has a version and an effective date on or
  before the day of the panel; the newest one is shown.
* R-OPER: an operating agreement is in force between its start and end dates unless a
  negative-list item was recorded ([LW2021] 四（一）3: "出现以下情形者即终止协议"): the
  earliest such record ends it on its date – a complaint (item 4) only once a competent
  department has verified it – and the clause is written on the agreement. Nothing reopens a
  terminated agreement: a new one is signed. Quarterly financial reports are due
  ``operator_report_due_days`` days after the quarter (settings; the plan sets no deadline);
  the daily job reminds the center's staff once per agreement and quarter, for the latest
  quarter that is due. The annual performance evaluation is one per calendar year of the term.
* R-SCREEN: the switch is per center (Service Center "Apply the Screening Criteria and
  Steps"); the record is an *Application Screening* per application; a step is recorded
  with its date and findings (the internal review also with how the interviews were held).
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.exceptions import InvalidIdentifierError, ScreeningIncompleteError, StandardRuleError, throw
from shuangfuhua_app.standard.admission import SCREENING_CRITERIA, check_screening, screening_criteria_finding
from shuangfuhua_app.standard.center import (
    CenterFacts,
    OperatorFacts,
    agreement_status,
    agreement_termination,
    center_findings,
    check_operator_qualification,
    duplicate_years,
    financial_report_finding,
    duplicate_quarter_message,
    missing_report_message,
    missing_summary_message,
    negative_item_clause,
    performance_evaluation_finding,
    quarter_bounds,
    quarters_due,
    report_due_date,
    staff_counts,
)
from shuangfuhua_app.standard.identity import normalize_uscc, validate_mobile, validate_uscc
from shuangfuhua_app.standard.result import Finding
from shuangfuhua_app.utils import findings_table_html, get_standard_settings, today

CENTER = "Service Center"
AGREEMENT = "Operating Agreement"
REPORT = "Operator Financial Report"
SUMMARY = "Operator Quarterly Summary"
EVALUATION = "Operator Performance Evaluation"
SCREENING = "Application Screening"

#: Select values of the DocTypes -> keys of the rules
ROLE_KEYS = {"Head": "head", "Full-time Staff": "fulltime", "Part-time Staff": "parttime"}
EMPLOYER_KEYS = {"Center": "center", "Operator": "operator"}
QUALIFICATION_KEYS = {"Assistant Social Worker": "assistant", "Social Worker": "social_worker", "Senior Social Worker": "senior"}
SYSTEM_KEYS = {
    "Dual Synchronization of Party Building and Business": "dual_sync",
    "Admission and Exit": "admission_exit",
    "Supervision and Training": "supervision_training",
    "Capacity Building Training": "capacity_training",
    "Public Welfare (Micro) Venture": "venture",
    "Consulting Services": "consulting",
    "Publicity Management": "publicity",
}
NEGATIVE_KEYS = {
    "Duties Not Performed as Agreed": "duties",
    "Incubation Work Not Completed on Time": "schedule",
    "Financial Management Not Compliant": "finance",
    "Serious Complaint Verified": "complaint",
    "Other Violation of Law": "law",
}
STATUS_LABELS = {"not_started": "Not Started", "in_force": "In Force", "expired": "Expired", "terminated": "Terminated"}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
FAILED_RESULT = "Fail"


# ====================================================================== Service Center


def validate_center(doc) -> None:
    """Service Center ``validate``: the USCC (R-4.1a, blocked when it fails its check digit),
    staff phones and dates, one funds row a year (R-4.1f)."""
    if doc.uscc:
        doc.uscc = normalize_uscc(doc.uscc)
        if message := validate_uscc(doc.uscc):
            throw(message, InvalidIdentifierError)
    for row in doc.get("staff") or []:
        if row.phone and (message := validate_mobile(row.phone)):
            throw(_("Staff row {0}: {1}").format(row.idx, message), InvalidIdentifierError)
        if row.start_date and row.end_date and getdate(row.end_date) < getdate(row.start_date):
            frappe.throw(_("Staff row {0}: the date of leaving is before the start date.").format(row.idx))
    if dup := duplicate_years(r.fund_year for r in doc.get("funds") or []):
        throw(_("The funds of {0} are entered more than once; enter one row a year (DB3301/T 0346—2021 §4.1 f).").format(
            "、".join(str(y) for y in dup)))


def _active(row, as_of: datetime.date) -> bool:
    return not row.end_date or getdate(row.end_date) >= as_of


def agreement_in_force(center: str, as_of: datetime.date) -> frappe._dict | None:
    """The operating agreement of ``center`` in force on ``as_of`` (the latest started)."""
    rows = frappe.get_all(
        AGREEMENT,
        filters={"service_center": center, "start_date": ("<=", as_of), "end_date": (">=", as_of)},
        fields=["name", "operator_name", "operator_is_local", "evaluation_grade", "independent_legal_person",
                "registered_on", "start_date", "end_date", "termination_date", "termination_clause"],
        order_by="start_date desc, creation desc",
    )
    return next((r for r in rows if not r.termination_date or getdate(r.termination_date) > as_of), None)


def _last_termination(center: str, as_of: datetime.date) -> str:
    row = frappe.get_all(
        AGREEMENT,
        filters={"service_center": center, "termination_date": ("<=", as_of)},
        fields=["termination_clause"],
        order_by="termination_date desc",
        limit=1,
    )
    return row[0].termination_clause if row else ""


def operator_facts(agreement: frappe._dict) -> OperatorFacts:
    reports = frappe.get_all(REPORT, filters={"operating_agreement": agreement.name},
                             fields=["report_year", "report_quarter"])
    evaluations = frappe.get_all(EVALUATION, filters={"operating_agreement": agreement.name},
                                 fields=["evaluation_year", "result"])
    return OperatorFacts(
        name=agreement.operator_name,
        is_local=bool(agreement.operator_is_local),
        grade=agreement.evaluation_grade,
        independent_legal_person=bool(agreement.independent_legal_person),
        registered_on=agreement.registered_on,
        start=agreement.start_date,
        end=agreement.termination_date or agreement.end_date,
        reported_quarters=tuple((int(r.report_year), QUARTERS.index(r.report_quarter) + 1) for r in reports),
        evaluated_years=tuple(int(e.evaluation_year) for e in evaluations),
        failed_years=tuple(int(e.evaluation_year) for e in evaluations if e.result == FAILED_RESULT),
    )


def _staff_rows(doc, as_of: datetime.date) -> tuple[dict, ...]:
    return tuple(
        {
            "role": ROLE_KEYS.get(r.staff_role),
            "employer": EMPLOYER_KEYS.get(r.employer or "Center"),
            "qualification": QUALIFICATION_KEYS.get(r.qualification or ""),
            "project_lead": bool(r.project_lead),
            "active": _active(r, as_of),
        }
        for r in doc.get("staff") or []
    )


def center_facts(doc, as_of: datetime.date) -> CenterFacts:
    """Plain facts of a Service Center document (and its operating agreement in force)."""
    equipment = tuple(k for k, f in (("computers", "has_computers"), ("network", "has_network"),
                                     ("furniture", "has_furniture")) if doc.get(f))
    agreement = agreement_in_force(doc.name, as_of) if doc.operated_by_third_party else None
    return CenterFacts(
        is_private_non_enterprise=doc.registration_type == "Private Non-Enterprise Unit",
        uscc=doc.uscc,
        joint_management=bool(doc.joint_management),
        registration_authority=doc.registration_authority,
        board_led_director_system=bool(doc.board_led_director_system),
        office_area=doc.office_area,
        fixed_independent_office=bool(doc.fixed_independent_office),
        equipment=equipment,
        staff=_staff_rows(doc, as_of),
        funds={int(r.fund_year): (r.operating_funds, r.project_support_funds) for r in doc.get("funds") or [] if r.fund_year},
        systems=tuple(
            {"system": SYSTEM_KEYS.get(r.system, r.system), "version": r.version, "effective_date": r.effective_date}
            for r in doc.get("management_systems") or []
        ),
        operated_by_third_party=bool(doc.operated_by_third_party),
        operator=operator_facts(agreement) if agreement else None,
        last_termination=_last_termination(doc.name, as_of) if doc.operated_by_third_party and not agreement else "",
    )


def compliance(center: str, year: int | None = None, as_of=None, doc=None, settings=None) -> list[Finding]:
    """R-4.1a–f, R-4.2, R-OPER: every clause of §4 for the center, then the settings that
    are weaker than the standard (R-SETTINGS, the site's own numbers). ``doc``: the center
    already loaded (:func:`load_centers`), else it is read."""
    from shuangfuhua_app.standard.settings import deviations_from_standard

    as_of = getdate(as_of) if as_of else today()
    settings = settings or get_standard_settings()
    doc = doc or frappe.get_doc(CENTER, center)
    findings = center_findings(center_facts(doc, as_of), as_of, year, settings)
    return findings + deviations_from_standard(settings)


def compliance_rows(center: str, year: int | None = None, as_of=None, doc=None, settings=None) -> list[dict]:
    return [
        {
            "rule": f.rule, "clause": f.clause, "ok": f.ok, "applicable": f.applicable, "figure": f.figure,
            "required": f.required, "gap": f.gap, "message": f.message,
        }
        for f in compliance(center, year, as_of, doc, settings)
    ]


#: the Service Center's child tables that :func:`center_facts` reads
CENTER_TABLES = (("staff", "Center Staff Member"), ("funds", "Center Fund Year"),
                 ("management_systems", "Center Management System"))


def load_centers(names: list[str]) -> dict[str, frappe._dict]:
    """The centers ``names`` with their child tables, read in one query per table (for the
    district's compliance matrix; :func:`center_facts` takes them like documents)."""
    if not names:
        return {}
    values = {"names": tuple(names), "parenttype": CENTER}
    docs = {d.name: d for d in frappe.db.sql(f"select * from `tab{CENTER}` where name in %(names)s", values, as_dict=True)}
    for field, child in CENTER_TABLES:
        for d in docs.values():
            d[field] = []
        for row in frappe.db.sql(
            f"""select * from `tab{child}` where parenttype = %(parenttype)s and parentfield = %(field)s
                and parent in %(names)s order by parent, idx""",
            {**values, "field": field},
            as_dict=True,
        ):
            docs[row.parent][field].append(row)
    return docs


@frappe.whitelist()
def get_compliance(service_center: str, year: int | None = None) -> dict:
    """The center's standing against §4 of the standard, clause by clause (its form)."""
    frappe.has_permission(CENTER, "read", service_center, throw=True)
    year = int(year) if year else today().year
    rows = compliance_rows(service_center, year)
    head = _("{0} of {1} items of §4 not met (funds of {2})").format(
        sum(1 for r in rows if not r["ok"]), len(rows), year)
    return {"year": year, "rows": rows, "html": render_html(rows, head)}


def render_html(rows: list[dict], head: str) -> str:
    return findings_table_html(rows, head)


# ====================================================================== Operating Agreement


def validate_operating_agreement(doc) -> None:
    """Operating Agreement ``validate``: dates, the operator's USCC, the negative list
    (R-OPER, [LW2021] 四（一）3) and the status."""
    if getdate(doc.end_date) < getdate(doc.start_date):
        frappe.throw(_("The agreement ends before it starts."))
    if doc.operator_uscc:
        doc.operator_uscc = normalize_uscc(doc.operator_uscc)
        if message := validate_uscc(doc.operator_uscc, citation=_cite_41()):
            throw(_("Operator: {0}").format(message), InvalidIdentifierError)
    for row in doc.negative_records:
        if row.item == "Serious Complaint Verified" and row.verified and not row.verified_by:
            frappe.throw(_("Row {0}: name the department that verified the complaint.").format(row.idx))
    before = doc.get_doc_before_save()
    ended = agreement_termination(
        [{"item": NEGATIVE_KEYS[r.item], "record_date": r.record_date, "verified": r.verified} for r in doc.negative_records]
    )
    if before and before.termination_date and not ended:
        throw(_("This agreement was terminated under the negative list on {0}; it cannot be put back in force. "
                "Sign a new operating agreement.").format(before.termination_date), StandardRuleError)
    if ended:
        doc.termination_date = getdate(ended.period)
        doc.termination_clause = ended.message
        if not before or not before.termination_date or getdate(before.termination_date) != doc.termination_date:
            frappe.msgprint(ended.message, title=_("Operating agreement terminated"), indicator="red")
    else:
        doc.termination_date = doc.termination_clause = None
    doc.agreement_status = STATUS_LABELS[agreement_status(doc.start_date, doc.end_date, today(), doc.termination_date)]


def _cite_41() -> str:
    from shuangfuhua_app.standard.clauses import cite

    return cite("4.1")


def sync_center_operator(doc) -> None:
    """The center's "Operator" shows the operator of the agreement in force (R-4.1e)."""
    current = agreement_in_force(doc.service_center, today())
    center = frappe.db.get_value(CENTER, doc.service_center, ["operated_by_third_party", "operator_name"], as_dict=True)
    if current and (not center.operated_by_third_party or center.operator_name != current.operator_name):
        frappe.db.set_value(CENTER, doc.service_center, {"operated_by_third_party": 1,
                                                          "operator_name": current.operator_name})
    elif not current and center.operator_name == doc.operator_name:
        frappe.db.set_value(CENTER, doc.service_center, "operator_name", None)


def operator_findings(agreement: str, as_of=None) -> list[Finding]:
    """R-4.1e, R-OPER: the operator's qualification, reports, evaluations and the negative
    list, for the agreement's own form."""
    as_of = getdate(as_of) if as_of else today()
    doc = frappe.get_doc(AGREEMENT, agreement)
    settings = get_standard_settings()
    center = frappe.get_doc(CENTER, doc.service_center)
    counts = staff_counts(_staff_rows(center, as_of))
    facts = operator_facts(frappe._dict(doc.as_dict()))
    out = check_operator_qualification(
        facts.is_local, facts.grade, counts["operator_social_workers"], facts.independent_legal_person,
        facts.registered_on, counts["lead_qualification"], as_of, settings,
    )
    out.append(financial_report_finding(facts.start, facts.end, as_of, facts.reported_quarters, settings))
    out.append(performance_evaluation_finding(facts.start, facts.end, as_of, facts.evaluated_years, facts.failed_years))
    if doc.termination_clause:
        out.append(Finding(False, doc.termination_clause, "R-OPER", "LW2021 四（一）3"))
    pending = [r for r in doc.negative_records if NEGATIVE_KEYS[r.item] == "complaint" and not r.verified]
    for r in pending:
        out.append(Finding(
            False, _("Complaint of {0} awaits verification by the competent department: {1}").format(
                r.record_date, negative_item_clause("complaint")), "R-OPER", "LW2021 四（一）3", applicable=False,
        ))
    return out


@frappe.whitelist()
def get_operator_compliance(agreement: str) -> dict:
    """The operator's standing (R-4.1e, R-OPER) for the Operating Agreement's form."""
    frappe.has_permission(AGREEMENT, "read", agreement, throw=True)
    findings = operator_findings(agreement)
    rows = [{"rule": f.rule, "clause": f.clause, "ok": f.ok, "applicable": f.applicable, "figure": f.figure,
             "required": f.required, "gap": f.gap, "message": f.message} for f in findings]
    head = _("{0} of {1} items not met").format(sum(1 for r in rows if not r["ok"] and r["applicable"]), len(rows))
    return {"rows": rows, "html": render_html(rows, head)}


def _term(agreement: str) -> frappe._dict:
    return frappe.db.get_value(
        AGREEMENT, agreement, ["start_date", "end_date", "termination_date", "service_center"], as_dict=True
    )


def validate_financial_report(doc) -> None:
    """Operator Financial Report ``validate`` (R-OPER, [LW2021] 四（三）3) and Operator
    Quarterly Summary ``validate`` (R-OPER-SUMMARY, [LW2021] 四（三）4): one per agreement and
    quarter (of its own DocType), for a quarter of the agreement's term; its due date."""
    year, quarter = int(doc.report_year), QUARTERS.index(doc.report_quarter) + 1
    term = _term(doc.operating_agreement)
    first, last = quarter_bounds(year, quarter)
    end = getdate(term.termination_date or term.end_date)
    if last < getdate(term.start_date) or first > end:
        frappe.throw(_("{0} {1} is outside the term of the operating agreement ({2} – {3}).").format(
            year, doc.report_quarter, term.start_date, end))
    other = frappe.db.exists(doc.doctype, {"operating_agreement": doc.operating_agreement, "report_year": year,
                                           "report_quarter": doc.report_quarter, "name": ("!=", doc.name)})
    if other:
        if doc.doctype == REPORT:
            frappe.throw(_("The financial report of {0} {1} is already recorded: {2}").format(year, doc.report_quarter, other))
        throw(duplicate_quarter_message("summary", year, quarter, other))
    doc.due_date = report_due_date(year, quarter, get_standard_settings())


validate_quarterly_summary = validate_financial_report


def validate_performance_evaluation(doc) -> None:
    """Operator Performance Evaluation ``validate`` (R-OPER, [LW2021] 四（一）3): one per
    agreement and year, a year of the term, a score between 0 and 100."""
    term = _term(doc.operating_agreement)
    end = getdate(term.termination_date or term.end_date)
    if not getdate(term.start_date).year <= int(doc.evaluation_year) <= end.year:
        frappe.throw(_("{0} is outside the term of the operating agreement ({1} – {2}).").format(
            doc.evaluation_year, term.start_date, end))
    if doc.score is not None and not 0 <= float(doc.score) <= 100:
        frappe.throw(_("The score is between 0 and 100."))
    other = frappe.db.exists(EVALUATION, {"operating_agreement": doc.operating_agreement,
                                          "evaluation_year": doc.evaluation_year, "name": ("!=", doc.name)})
    if other:
        frappe.throw(_("The performance evaluation of {0} is already recorded: {1}").format(doc.evaluation_year, other))


# ====================================================================== reminders


#: the operator's quarterly duties reminded by the daily job: DocType -> (key prefix, R-id, message)
QUARTERLY_DUTIES = {
    REPORT: ("R-OPER-report", "R-OPER", missing_report_message),  # [LW2021] 四（三）3
    SUMMARY: ("R-OPER-summary", "R-OPER-SUMMARY", missing_summary_message),  # [LW2021] 四（三）4
}


def report_reminders(as_of: datetime.date, doctype: str = REPORT) -> list[tuple[frappe._dict, int, int]]:
    """R-OPER / R-OPER-SUMMARY: (agreement, year, quarter) of the latest quarter due by
    ``as_of`` for which an agreement has no record of ``doctype`` (financial report or
    operations summary) – agreements whose term reaches that quarter."""
    settings = get_standard_settings()
    out = []
    agreements = frappe.get_all(AGREEMENT, fields=["name", "service_center", "operator_name", "start_date", "end_date",
                                                   "termination_date"])
    for a in agreements:
        due = quarters_due(a.start_date, a.termination_date or a.end_date, as_of, settings)
        if not due:
            continue
        year, quarter = due[-1]
        if not frappe.db.exists(doctype, {"operating_agreement": a.name, "report_year": year,
                                          "report_quarter": QUARTERS[quarter - 1]}):
            out.append((a, year, quarter))
    return out


def send_reminders(as_of=None) -> list[str]:
    """Daily scheduler job (idempotent): a missing quarterly financial report ([LW2021]
    四（三）3, R-OPER) or operations summary (四（三）4, R-OPER-SUMMARY) of an operator is
    reminded once (per agreement, duty and quarter) to the center's staff through the ledger
    *SFH Reminder* and ToDos; agreements' statuses follow the calendar (In Force → Expired).
    Returns the keys of the reminders created by this run."""
    from shuangfuhua_app.incubation import send_digests
    from shuangfuhua_app.jobs import remind_many, run_guarded

    as_of = getdate(as_of) if as_of else today()
    settings = get_standard_settings()
    for a in frappe.get_all(AGREEMENT, fields=["name", "start_date", "end_date", "termination_date", "agreement_status"]):
        run_guarded(AGREEMENT, a.name, "center.send_reminders", _agreement_status_step, a, as_of)
    created = remind_many("center.send_reminders", (
        {"key": f"{prefix}|{a.name}|{year}-Q{quarter}", "rule": rule, "organization": None,
         "service_center": a.service_center, "period": f"{year}-Q{quarter}",
         "message": f"{a.operator_name}：{message_of(year, quarter, settings)}", "due": as_of + datetime.timedelta(days=7),
         "doctype": AGREEMENT, "docname": a.name}
        for doctype, (prefix, rule, message_of) in QUARTERLY_DUTIES.items()
        for a, year, quarter in report_reminders(as_of, doctype)
    ))
    send_digests("center.send_reminders")  # issue 18 §1: one digest per user and day
    return created


def _agreement_status_step(a, as_of) -> None:
    """An operating agreement's status follows the calendar (In Force → Expired)."""
    status = STATUS_LABELS[agreement_status(a.start_date, a.end_date, as_of, a.termination_date)]
    if status != a.agreement_status:
        frappe.db.set_value(AGREEMENT, a.name, "agreement_status", status, update_modified=False)


# ====================================================================== screening (R-SCREEN)

STEP_FIELDS = {
    "internal_review": ("internal_review_date", "interview_method", "internal_review_notes"),
    "site_visit": ("site_visit_date", "site_visit_notes"),
    "expert_review": ("expert_review_date", "expert_review_notes"),
}


def _assessed(doc) -> dict:
    return {key: {"Met": True, "Not Met": False}.get(doc.get(key) or "") for key in SCREENING_CRITERIA}


def _steps(doc) -> dict:
    return {step: all(doc.get(f) for f in fields) for step, fields in STEP_FIELDS.items()}


def screening_finding(application: str, service_center: str | None) -> Finding:
    """R-SCREEN: the gate's finding for an application (its center's switch, its record)."""
    enabled = bool(service_center and frappe.db.get_value(CENTER, service_center, "enable_screening"))
    record = frappe.db.get_value(SCREENING, {"application": application}, "name") if enabled else None
    doc = frappe.get_doc(SCREENING, record) if record else None
    return check_screening(enabled, _assessed(doc) if doc else {}, _steps(doc) if doc else {})


def check_screening_gate(application) -> None:
    """R-SCREEN ([LW2021] 三（二）1.2）), gate next to R-6.2.1's: with the center's screening
    switched on, an application passes the initial review only once its screening is recorded."""
    finding = screening_finding(application.name, application.service_center)
    if not finding.ok:
        throw(finding.message, ScreeningIncompleteError)


def validate_screening(doc) -> None:
    """Application Screening ``validate``: status and unmet criteria, shown on the record."""
    for step, fields in STEP_FIELDS.items():
        day = doc.get(fields[0])
        if day and getdate(day) > today():
            frappe.throw(_("The date of a screening step cannot be in the future: {0}").format(day))
    if doc.application:
        center = frappe.db.get_value("Incubation Application", doc.application, "service_center")
        enabled = bool(center and frappe.db.get_value(CENTER, center, "enable_screening"))
    else:
        enabled = False
    if enabled:
        doc.screening_status = check_screening(True, _assessed(doc), _steps(doc)).message
    else:
        doc.screening_status = _("The center has not switched the screening on; this record is kept for reference.")
    doc.criteria_finding = screening_criteria_finding(_assessed(doc)).message
