"""Filing (备案), change filing and termination of community social organizations
(R-FILE, R-EXIT-ORG: 《培育发展社区社会组织十条措施》第二条、第三条): gather the records, call the
rules of ``shuangfuhua_app.standard.filing`` and apply them to the Organization Filing and
Organization Termination DocTypes, the daily reminders and the organization's records.

Decisions (documented, cited):

* Roles: the residents' committee acts through the **Community Worker** role (scoped to its
  community), the township through the **Township Leader** role (scoped to its center). The
  workflow's role gates are enforced again in the controller, on every route, from the
  workflow *as it is on the site* (issue 15 §1: roles changed in Desk hold): a state the
  user's roles cannot reach from the record's state is refused.
* The fields the reviewers' steps write (dates, reviewers, notice, certificate) are never taken
  from what a user posts: the controller keeps the stored values and writes them itself when the
  state changes (:data:`FILING_PROTECTED`, :data:`TERMINATION_PROTECTED`).
* Deadlines are settings (R-FILE: residents' committee 5, township 10 working days; a change filed
  within 7 working days), counted with the app's working-day calendar (R-CAL); a stage past its
  due day is shown on the record and reminded once (ledger *SFH Reminder*).
* The public notice of an approved filing or termination lasts the settings' notice working days
  (§6.3's 5 by default) from the day of approval; a certificate is issued once it has ended.
* A change of the organization's filed particulars (name, head, address on its record) starts a
  draft change filing; scope and area are changed on a change filing directly.
* Termination closes everything that belongs to the organization and deletes nothing (issue 14
  §8): open applications end in the workflow's "refused" state, open venture projects in its
  "closed" state, open filings in "Not Filed" (states chosen by their meaning, issue 15 §2); the
  signed incubation agreement gets the exit outcome "Terminated"; an application admitted without a
  signed agreement (still open, §6.4) is cancelled, a draft agreement is cancelled with the
  outcome "Terminated", an exit assessment not finally confirmed goes to the workflow's
  "withdrawn" state (cancelled); an active follow-up service
  ends, the hub membership is left; every open ToDo on any of its records is cancelled (the
  reminders of the ledger *SFH Reminder* included); its incubation status becomes "Incubation
  Ended" and its representatives' User Permissions (access grants, not records) are removed –
  each step is written to the termination record (*Closed on Termination*). A terminated
  organization gets no reminder of any kind afterwards (``incubation._remind``).
"""

from __future__ import annotations

import datetime
import re

import frappe
from frappe import _
from frappe.utils import escape_html, get_fullname, getdate

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.calendar import UnknownYearError, pending_period_message
from shuangfuhua_app.standard.filing import (
    CITE_FILING,
    MODEL_CHARTER,
    STAGES,
    certificate_number,
    changed_particulars,
    check_certificate_gate,
    check_change_filing,
    check_termination_order,
    check_termination_vote,
    check_township_gate,
    deadline_finding,
    describe_changes,
    stage_due,
)
from shuangfuhua_app.standard.identity import validate_mobile, validate_resident_id
from shuangfuhua_app.utils import get_standard_settings, get_work_calendar, nth_working_day, today
from shuangfuhua_app.workflow_meanings import ADMITTED, CLOSED, REFUSED, WITHDRAWN
from shuangfuhua_app.workflow_paths import is_open, open_states, roles_for, states_meaning, transition_to

FILING = "Organization Filing"
TERMINATION = "Organization Termination"
ORG = "Community Social Organization"

COMMITTEE = "Residents' Committee Review"
TOWNSHIP = "Township Review"
NOTICE = "Filing Notice"
FILED = "Filed"
RETURNED = "Returned"
NOT_FILED = "Not Filed"
TERMINATED = "Terminated"
TERMINATION_REFUSED = "Termination Refused"
CHANGE = "Change Filing"
NEW = "New Filing"

APPLICANT_ROLES = ("Organization Representative", "Community Worker", "Center Staff", "Center Head")
ADMIN_ROLES = ("System Manager",)

FILING_PROTECTED = (
    "previous_filing",
    "change_due",
    "changes",
    "submitted_on",
    "committee_due",
    "committee_reviewed_on",
    "committee_reviewer",
    "township_due",
    "township_approved_on",
    "township_approver",
    "notice_start",
    "notice_end",
    "certificate_number",
    "certificate_date",
    "deadline_status",
)
TERMINATION_PROTECTED = (
    "applied_on",
    "committee_forwarded_on",
    "township_approved_on",
    "notice_start",
    "notice_end",
    "closure_log",
)

#: filing field -> key of ``standard.filing.FILED_PARTICULARS``; organization field for the same
FILING_KEYS = {
    "filed_name": "org_name",
    "head_name": "head_name",
    "service_scope": "service_scope",
    "address": "address",
    "activity_area": "activity_area",
}
ORG_KEYS = {"org_name": "org_name", "head_name": "head_name", "address": "address"}
APPLICATION = "Incubation Application"
PROJECT = "Venture Project"
ASSESSMENT = "Exit Assessment"
CERTIFICATE_PREFIX = "社"


# ====================================================================== shared helpers


def _period(stage: str) -> str:
    return f"{STAGES[stage][1]}期限"


def _calendar_due(start, days: int, stage: str, pending: bool = False) -> datetime.date | None:
    """The last day of ``stage`` (R-FILE, R-CAL). A year the calendar does not know refuses
    the step with a message naming the stage's period – or, with ``pending`` (a change filing,
    started by the organization's own save: issue 17 §2), leaves the deadline *pending the
    calendar* (``None``; shown on the filing, computed by :func:`compute_pending_deadlines`
    once the year is declared)."""
    try:
        return stage_due(get_work_calendar(), start, days)
    except UnknownYearError as e:
        if pending:
            return None
        from shuangfuhua_app.exceptions import CalendarYearUnknownError

        throw(e.about(_period(stage), CITE_FILING).message, CalendarYearUnknownError)


def _pending_year(doc) -> int | None:
    """The unknown year a change filing's pending deadline waits for (``None``: not pending)."""
    if doc.filing_type != CHANGE or doc.change_due or not doc.change_date:
        return None
    try:
        stage_due(get_work_calendar(), doc.change_date, get_standard_settings().filing_change_days)
    except UnknownYearError as e:
        return e.year
    return None


def compute_pending_deadlines(doc=None, method=None) -> list[str]:
    """``on_change`` of Shuangfuhua Settings (issue 17 §2): change filings whose deadline waits
    for the calendar get it computed once the year is declared; returns their names."""
    frappe.clear_document_cache("Shuangfuhua Settings", "Shuangfuhua Settings")
    days, done = get_standard_settings().filing_change_days, []
    for r in frappe.get_all(
        FILING,
        filters={"filing_type": CHANGE, "change_due": ("is", "not set"), "change_date": ("is", "set")},
        fields=["name", "change_date"],
    ):
        try:
            due = stage_due(get_work_calendar(), r.change_date, days)
        except UnknownYearError:
            continue
        frappe.db.set_value(FILING, r.name, "change_due", due, update_modified=False)
        filing = frappe.get_doc(FILING, r.name)
        frappe.db.set_value(FILING, r.name, "deadline_status", filing_deadline_text(filing, today()), update_modified=False)
        done.append(r.name)
    return done


def _check_roles(doc, previous: str, state: str) -> None:
    """The workflow's role gate, enforced on every route (R-FILE, R-EXIT-ORG): the roles the
    site's workflow allows from ``previous`` to ``state`` (issue 15 §1: as edited in Desk)."""
    if frappe.session.user == "Administrator":
        return
    roles = roles_for(doc.doctype, previous, state)
    if not roles:
        frappe.throw(
            _("The workflow has no transition from “{0}” to “{1}”.").format(_(previous), _(state)),
            frappe.PermissionError,
        )
    if not set(frappe.get_roles()) & (set(roles) | set(ADMIN_ROLES)):
        frappe.throw(
            _("Only {0} may move this record to “{1}”.").format("、".join(_(r) for r in roles), _(state)),
            frappe.PermissionError,
        )


def _keep_protected(doc, before, fields: tuple[str, ...]) -> None:
    for field in fields:
        doc.set(field, before.get(field) if before else None)


def _transition(doc, before) -> tuple[str | None, str]:
    previous = before.workflow_state if before else None
    state = doc.workflow_state or "Draft"
    if before is None and state != "Draft":
        frappe.throw(_("A new record starts as a draft."), frappe.PermissionError)
    return previous, state


def _notice(doc, day: datetime.date) -> None:
    doc.notice_start = day
    doc.notice_end = nth_working_day(day, get_standard_settings().notice_working_days)


def _users_with(allow: str, value: str | None, role: str) -> list[str]:
    if not value:
        return []
    users = frappe.get_all(
        "User Permission", filters={"allow": allow, "for_value": value}, pluck="user", distinct=True
    )
    if not users:
        return []
    return frappe.get_all(
        "Has Role",
        filters={"parent": ("in", users), "role": role, "parenttype": "User"},
        pluck="parent",
        distinct=True,
    )


# ====================================================================== filing (R-FILE)


def _latest_filed(organization: str, exclude: str | None = None) -> frappe._dict | None:
    filters = {"organization": organization, "workflow_state": FILED}
    if exclude:
        filters["name"] = ("!=", exclude)
    rows = frappe.get_all(
        FILING,
        filters=filters,
        fields=["name", *FILING_KEYS],
        order_by="certificate_date desc, creation desc",
        limit=1,
    )
    return rows[0] if rows else None


def _particulars(row) -> dict:
    return {key: row.get(field) for field, key in FILING_KEYS.items()}


def charter_template() -> str:
    """The Ministry's model charter as the Text Editor's HTML (R-FILE)."""
    return "".join(
        f"<p>{escape_html(line)}</p>" for line in MODEL_CHARTER.strip().splitlines() if line.strip()
    )


def validate_filing(doc) -> None:
    """Organization Filing ``validate`` (R-FILE, [10M] 第二条)."""
    before = doc.get_doc_before_save()
    _keep_protected(doc, before, FILING_PROTECTED)
    previous, state = _transition(doc, before)
    if doc.head_id_number and (message := validate_resident_id(doc.head_id_number)):
        throw(message)
    if doc.head_phone and (message := validate_mobile(doc.head_phone)):
        throw(message)
    if not frappe.utils.strip_html(doc.charter or "").strip():
        doc.charter = charter_template()
    if doc.filing_type == CHANGE:
        prior = _latest_filed(doc.organization, exclude=doc.name)
        doc.previous_filing = prior.name if prior else None
        keys = changed_particulars(_particulars(prior), _particulars(doc)) if prior else []
        if message := check_change_filing(bool(prior), keys):
            throw(message)
        doc.changes = describe_changes(_particulars(prior), _particulars(doc), keys)
        if doc.change_date:
            if getdate(doc.change_date) > today():
                frappe.throw(_("The particulars cannot change in the future: {0}").format(doc.change_date))
            doc.change_due = _calendar_due(
                doc.change_date, get_standard_settings().filing_change_days, "change", pending=True
            )
    else:
        other = frappe.db.exists(
            FILING,
            {
                "organization": doc.organization,
                "filing_type": NEW,
                "name": ("!=", doc.name),
                "workflow_state": ("not in", states_meaning(FILING, REFUSED, WITHDRAWN)),
            },
        )
        if other:
            frappe.throw(
                _("{0} is already filed or being filed ({1}); file a change instead.").format(
                    doc.org_name or doc.organization, other
                )
            )
    if previous is not None and state != previous:
        _check_roles(doc, previous, state)
        _filing_step(doc, previous, state)
    doc.deadline_status = filing_deadline_text(doc, today())


def _filing_step(doc, previous: str | None, state: str) -> None:
    settings = get_standard_settings()
    day, user = today(), get_fullname(frappe.session.user)
    if state == COMMITTEE:
        doc.submitted_on = day
        doc.committee_due = _calendar_due(day, settings.filing_committee_days, "committee")
        doc.committee_reviewed_on = doc.committee_reviewer = doc.township_due = None
    elif state in (TOWNSHIP, RETURNED) and previous == COMMITTEE:
        doc.committee_reviewed_on, doc.committee_reviewer = day, user
        if state == TOWNSHIP:
            doc.township_due = _calendar_due(day, settings.filing_township_days, "township")
    elif state in (NOTICE, NOT_FILED):
        if message := check_township_gate(previous == TOWNSHIP and bool(doc.committee_reviewed_on)):
            throw(message)
        doc.township_approved_on, doc.township_approver = day, user
        if state == NOTICE:
            _notice(doc, day)
    elif state == FILED:
        if message := check_certificate_gate(
            previous == NOTICE and bool(doc.township_approved_on), doc.notice_end, day
        ):
            throw(message)
        doc.certificate_date = day
        doc.certificate_number = next_certificate_number(day.year)


def next_certificate_number(year: int) -> str:
    """The next free number of ``year`` (unique column; R-FILE)."""
    pattern = re.compile(rf"〔{year}〕(\d+)号$")
    used = frappe.get_all(
        FILING, filters={"certificate_number": ("like", f"%〔{year}〕%")}, pluck="certificate_number"
    )
    last = max((int(m.group(1)) for n in used if (m := pattern.search(n or ""))), default=0)
    return certificate_number(CERTIFICATE_PREFIX, year, last + 1)


def filing_deadline_text(doc, as_of: datetime.date) -> str:
    """The stages' deadlines as shown on the filing (overdue ones marked)."""
    findings = []
    if year := _pending_year(doc):
        findings.append(frappe._dict(ok=True, message=pending_period_message(_period("change"), year, CITE_FILING)))
    if doc.filing_type == CHANGE and doc.change_due:
        findings.append(deadline_finding("change", doc.change_due, doc.submitted_on, as_of))
    if doc.committee_due:
        findings.append(deadline_finding("committee", doc.committee_due, doc.committee_reviewed_on, as_of))
    if doc.township_due:
        findings.append(deadline_finding("township", doc.township_due, doc.township_approved_on, as_of))
    return "\n".join(("" if f.ok else "⚠ ") + f.message for f in findings)


def filing_on_update(doc) -> None:
    """A certified filing writes the filing number and the filed particulars onto the
    organization (without running its hooks, so no change filing starts from it)."""
    before = doc.get_doc_before_save()
    if doc.workflow_state != FILED or (before and before.workflow_state == FILED):
        return
    values = {
        "org_type": "Filed",
        "filing_number": doc.certificate_number,
        "head_name": doc.head_name,
        "address": doc.address,
        "org_name": doc.filed_name,
    }
    frappe.db.set_value(ORG, doc.organization, values)


@frappe.whitelist(methods=["POST"])
def issue_certificate(filing: str) -> str:
    """R-FILE: issue the filing certificate (the site workflow's transition to "Filed", whatever
    its action is called) – refused for a filing the township has not approved or whose notice
    has not ended."""
    doc = frappe.get_doc(FILING, filing)
    doc.check_permission("write")
    if message := check_certificate_gate(
        doc.workflow_state == NOTICE and bool(doc.township_approved_on), doc.notice_end, today()
    ):
        throw(message)
    return transition_to(doc, FILED).certificate_number


def _change_filing_doc(organization: str, change_date=None) -> frappe.model.document.Document | None:
    prior = _latest_filed(organization)
    if not prior:
        return None
    org = frappe.db.get_value(ORG, organization, ["org_name", "head_name", "address"], as_dict=True)
    values = {field: prior.get(field) for field in FILING_KEYS}
    values.update({"filed_name": org.org_name, "head_name": org.head_name, "address": org.address})
    return frappe.get_doc(
        {
            "doctype": FILING,
            "filing_type": CHANGE,
            "organization": organization,
            "change_date": change_date or today(),
            **values,
        }
    )


@frappe.whitelist(methods=["POST"])
def start_change_filing(organization: str, change_date: str | None = None) -> str:
    """R-FILE 第二条（四）: a draft change filing of ``organization`` from its latest filing and its
    current particulars (staff or its representative); returns its name."""
    frappe.has_permission(ORG, "read", organization, throw=True)
    frappe.has_permission(FILING, "create", throw=True)
    doc = _change_filing_doc(organization, change_date)
    if doc is None:
        throw(check_change_filing(False, []))
    return doc.insert().name


def org_on_update(doc, method=None) -> None:
    """Community Social Organization ``on_update`` (R-FILE 第二条（四）): a change of a filed
    particular (name, head, address) of a filed organization starts a draft change filing, once."""
    prior = _latest_filed(doc.name)
    if not prior:
        return
    current = {ORG_KEYS[f]: doc.get(f) for f in ORG_KEYS}
    filed = {k: v for k, v in _particulars(prior).items() if k in current}
    keys = changed_particulars(filed, current)
    if not keys:
        return
    if frappe.db.exists(
        FILING,
        {"organization": doc.name, "filing_type": CHANGE, "workflow_state": ("in", open_states(FILING))},
    ):
        return
    change = _change_filing_doc(doc.name)
    change.flags.ignore_permissions = True
    change.insert()
    frappe.msgprint(
        _(
            "The filed particulars changed ({0}); change filing {1} was started – file it within {2} working days."
        ).format(
            describe_changes(filed, current, keys), change.name, get_standard_settings().filing_change_days
        ),
        alert=True,
    )


# ====================================================================== termination (R-EXIT-ORG)


def validate_termination(doc) -> None:
    """Organization Termination ``validate`` (R-EXIT-ORG, [10M] 第三条)."""
    before = doc.get_doc_before_save()
    _keep_protected(doc, before, TERMINATION_PROTECTED)
    previous, state = _transition(doc, before)
    vote_message = check_termination_vote(
        doc.meeting_date, doc.members_total, doc.members_present, doc.votes_for, today()
    )
    doc.vote_result = "" if not doc.meeting_date else ("Not Passed" if vote_message else "Passed")
    if (doc.votes_for or 0) + (doc.votes_against or 0) > (doc.members_present or 0) and doc.meeting_date:
        frappe.throw(_("Votes for and against together exceed the members present."))
    if frappe.db.exists(
        TERMINATION,
        {
            "organization": doc.organization,
            "name": ("!=", doc.name),
            "workflow_state": ("not in", states_meaning(TERMINATION, REFUSED, WITHDRAWN)),
        },
    ):
        frappe.throw(_("{0} already has a termination record.").format(doc.org_name or doc.organization))
    if previous is None or state == previous:
        return
    _check_roles(doc, previous, state)
    day = today()
    if state == COMMITTEE:
        if vote_message:
            throw(vote_message)
        doc.applied_on = day
    elif state == TOWNSHIP:
        if message := check_termination_order(doc.vote_result == "Passed", True, "committee"):
            throw(message)
        doc.committee_forwarded_on = day
    elif state in (TERMINATED, TERMINATION_REFUSED):
        if message := check_termination_order(
            doc.vote_result == "Passed", previous == TOWNSHIP and bool(doc.committee_forwarded_on), "township"
        ):
            throw(message)
        doc.township_approved_on = day
        if state == TERMINATED:
            _notice(doc, day)


def _approved(state: str | None) -> bool:
    """The termination's state means it was approved (issue 15 §2)."""
    return bool(state) and state in states_meaning(TERMINATION, ADMITTED)


def termination_on_update(doc) -> None:
    before = doc.get_doc_before_save()
    if _approved(doc.workflow_state) and not (before and _approved(before.workflow_state)):
        log = close_organization(doc.organization, doc.name)
        doc.db_set("closure_log", "\n".join(log), update_modified=False)


def terminated_organizations(organizations: list[str] | None = None) -> set[str]:
    """The organizations whose termination was approved (of ``organizations``, default all)."""
    filters = {"workflow_state": ("in", states_meaning(TERMINATION, ADMITTED))}
    if organizations is not None:
        if not organizations:
            return set()
        filters["organization"] = ("in", list(organizations))
    return set(frappe.get_all(TERMINATION, filters=filters, pluck="organization"))


def is_terminated(organization: str | None) -> bool:
    return bool(organization) and bool(terminated_organizations([organization]))


def _end_state(doctype: str, *meanings: str) -> str:
    from shuangfuhua_app.workflow_paths import first_state_meaning

    state = first_state_meaning(doctype, *meanings)
    if not state:
        frappe.throw(
            _("The workflow of {0} has no state meaning “{1}”; give one in Shuangfuhua Settings.").format(
                _(doctype), _(meanings[0])
            )
        )
    return state


def _org_records(organization: str) -> list[tuple[str, str]]:
    """(doctype, name) of every record that belongs to the organization (the scope declaration's
    organization field), the organization itself first."""
    from shuangfuhua_app.scope import SCOPE_FIELDS

    out = [(ORG, organization)]
    for doctype, fields in SCOPE_FIELDS.items():
        field = fields.get("org")
        if not field or doctype == ORG or not frappe.db.table_exists(doctype):
            continue
        out += [(doctype, n) for n in frappe.get_all(doctype, filters={field: organization}, pluck="name")]
    return out


def close_organization(organization: str, termination: str) -> list[str]:
    """R-EXIT-ORG, issue 14 §8: close everything that belongs to the organization; nothing is
    deleted. Returns the log written to the termination (*Closed on Termination*)."""
    log, day = [], today()

    refused = _end_state(APPLICATION, REFUSED)
    for name in frappe.get_all(
        APPLICATION, filters={"organization": organization, "workflow_state": ("in", open_states(APPLICATION))},
        pluck="name",
    ):
        frappe.db.set_value(APPLICATION, name, "workflow_state", refused)
        _comment(APPLICATION, name, termination)
        log.append(_("Application {0} ended ({1})").format(name, _(refused)))

    # an application admitted whose agreement was never signed: admission ends with the
    # agreement (§6.4), so it is still open – cancelled (its state keeps what was decided)
    admitted = frappe.get_all(
        APPLICATION,
        filters={"organization": organization, "docstatus": 1, "workflow_state": ("in", states_meaning(APPLICATION, ADMITTED))},
        pluck="name",
    )
    signed = set(frappe.get_all(
        "Incubation Agreement", filters={"application": ("in", admitted or [""]), "docstatus": 1}, pluck="application"
    ))
    for name in admitted:
        if name in signed:
            continue
        frappe.db.set_value(APPLICATION, name, "docstatus", 2, update_modified=False)
        _comment(APPLICATION, name, termination)
        log.append(_("Application {0} admitted without a signed agreement: cancelled").format(name))

    # draft (unsigned) agreements: never to be signed – cancelled with the outcome "Terminated"
    for name in frappe.get_all(
        "Incubation Agreement", filters={"organization": organization, "docstatus": 0}, pluck="name"
    ):
        frappe.db.set_value(
            "Incubation Agreement", name, {"docstatus": 2, "exit_outcome": "Terminated", "exit_outcome_date": day},
            update_modified=False,
        )
        _comment("Incubation Agreement", name, termination)
        log.append(_("Draft incubation agreement {0} cancelled (Terminated)").format(name))

    # exit assessments not finally confirmed (draft or awaiting confirmation): withdrawn –
    # the workflow's state meaning "withdrawn" (its cancelled state), nothing deleted
    withdrawn = _end_state(ASSESSMENT, WITHDRAWN)
    for row in frappe.get_all(
        ASSESSMENT, filters={"organization": organization, "docstatus": ("<", 2)}, fields=["name", "workflow_state"]
    ):
        if not is_open(ASSESSMENT, row.workflow_state or "Draft"):
            continue
        name = row.name
        frappe.db.set_value(ASSESSMENT, name, {"workflow_state": withdrawn, "docstatus": 2}, update_modified=False)
        _comment(ASSESSMENT, name, termination)
        log.append(_("Exit assessment {0} not confirmed: withdrawn ({1})").format(name, _(withdrawn)))

    closed = _end_state(PROJECT, CLOSED, REFUSED)
    for name in frappe.get_all(
        PROJECT, filters={"organization": organization, "workflow_state": ("in", open_states(PROJECT))}, pluck="name"
    ):
        frappe.db.set_value(PROJECT, name, {"workflow_state": closed, "closed_on": day})
        _comment(PROJECT, name, termination)
        log.append(_("Venture project {0} closed").format(name))

    not_filed = _end_state(FILING, REFUSED)
    for name in frappe.get_all(
        FILING, filters={"organization": organization, "workflow_state": ("in", open_states(FILING))}, pluck="name"
    ):
        frappe.db.set_value(FILING, name, "workflow_state", not_filed)
        _comment(FILING, name, termination)
        log.append(_("Filing {0} ended ({1})").format(name, _(not_filed)))

    for name in frappe.get_all(
        "Incubation Agreement",
        filters={"organization": organization, "docstatus": 1, "exit_outcome": ("is", "not set")},
        pluck="name",
    ):
        frappe.db.set_value(
            "Incubation Agreement", name, {"exit_outcome": "Terminated", "exit_outcome_date": day}, update_modified=False
        )
        _comment("Incubation Agreement", name, termination)
        log.append(_("Incubation agreement {0} ended (Terminated)").format(name))

    for name in frappe.get_all(
        "Follow Up Service", filters={"organization": organization, "service_status": "Active"}, pluck="name"
    ):
        frappe.db.set_value("Follow Up Service", name, "service_status", "Ended")
        _comment("Follow Up Service", name, termination)
        log.append(_("Follow-up service {0} ended").format(name))

    for name in frappe.get_all(
        "Hub Membership", filters={"organization": organization, "membership_status": "Active"}, pluck="name"
    ):
        frappe.db.set_value("Hub Membership", name, {"membership_status": "Left", "left_on": day})
        _comment("Hub Membership", name, termination)
        log.append(_("Hub membership {0} left").format(name))

    status = frappe.db.get_value(ORG, organization, "incubation_status")
    if status in ("Applying", "In Notice", "Admitted", "Incubating"):
        frappe.db.set_value(ORG, organization, "incubation_status", "Incubation Ended")
        log.append(_("Incubation status: {0} → {1}").format(_(status), _("Incubation Ended")))

    todos = 0
    references = [(dt, n) for dt, n in _org_records(organization) if not (dt == TERMINATION and n == termination)]
    by_type: dict[str, list[str]] = {}
    for ref_type, ref_name in references:
        by_type.setdefault(ref_type, []).append(ref_name)
    for ref_type, names in by_type.items():
        for todo in frappe.get_all(
            "ToDo",
            filters={"reference_type": ref_type, "reference_name": ("in", names), "status": "Open"},
            pluck="name",
        ):
            frappe.db.set_value("ToDo", todo, "status", "Cancelled")
            todos += 1
    if todos:
        log.append(_("{0} open reminders (ToDo) cancelled").format(todos))
    reminders = frappe.db.count("SFH Reminder", {"organization": organization})
    if reminders:
        log.append(_("{0} reminders of the ledger closed; no reminder is given to a terminated organization").format(reminders))

    for perm in frappe.get_all(
        "User Permission", filters={"allow": ORG, "for_value": organization}, fields=["name", "user"]
    ):
        frappe.delete_doc("User Permission", perm.name, ignore_permissions=True)
        log.append(_("Access of representative {0} revoked").format(perm.user))
    _comment(ORG, organization, termination)
    return log


def _comment(doctype: str, name: str, termination: str) -> None:
    frappe.get_doc(doctype, name).add_comment(
        "Info", _("Closed because the organization was terminated ({0}).").format(termination)
    )


# ====================================================================== reminders


def send_reminders(as_of=None) -> list[str]:
    """Daily scheduler job (idempotent, R-FILE): a filing stage past its due day is reminded
    once – the residents' committee's review to the community's workers, the township's to
    its leaders, a change not filed in time to the center's staff; the deadlines shown on the
    filings follow the calendar. Returns the keys of the reminders created by this run. Each
    filing is handled on its own (issue 15 §3, ``jobs.run_guarded``)."""
    from shuangfuhua_app.incubation import send_digests
    from shuangfuhua_app.jobs import FAILED, run_guarded

    as_of = getdate(as_of) if as_of else today()
    created = []
    rows = frappe.get_all(
        FILING,
        filters={"workflow_state": ("in", open_states(FILING))},
        fields=[
            "name",
            "organization",
            "org_name",
            "service_center",
            "community",
            "filing_type",
            "workflow_state",
            "change_date",
            "change_due",
            "submitted_on",
            "committee_due",
            "committee_reviewed_on",
            "township_due",
            "township_approved_on",
            "deadline_status",
        ],
    )
    for r in rows:
        key = run_guarded(FILING, r.name, "filing.send_reminders", _filing_reminder, r, as_of)
        if key and key is not FAILED:
            created.append(key)
    send_digests("filing.send_reminders")  # issue 18 §1: one digest per user and day
    return created


def _filing_reminder(r, as_of: datetime.date) -> str | None:
    """One filing of the daily job: its deadlines shown, its overdue stage reminded once."""
    from shuangfuhua_app.incubation import _remind

    text = filing_deadline_text(r, as_of)
    if text != (r.deadline_status or ""):
        frappe.db.set_value(FILING, r.name, "deadline_status", text, update_modified=False)
    due, stage, users = None, None, None
    if r.workflow_state == COMMITTEE:
        due, stage, users = (
            r.committee_due,
            "committee",
            _users_with("Community", r.community, "Community Worker"),
        )
    elif r.workflow_state == TOWNSHIP:
        due, stage, users = (
            r.township_due,
            "township",
            _users_with("Service Center", r.service_center, "Township Leader"),
        )
    elif r.workflow_state in ("Draft", RETURNED) and r.filing_type == CHANGE:
        due, stage = r.change_due, "change"
    if not due or as_of <= getdate(due):
        return None
    finding = deadline_finding(stage, due, None, as_of)
    key = f"R-FILE|{r.name}|{stage}"
    if _remind(
        key,
        "R-FILE",
        r.organization,
        r.service_center,
        str(due),
        f"{r.org_name}：{finding.message}",
        as_of + datetime.timedelta(days=3),
        users=users or None,
        reference=(FILING, r.name),
        job="filing.send_reminders",
    ):
        return key
    return None


# ====================================================================== archive ([10M] 第二条)

#: the ten measures' archive (第二条 档案（一）–（五）) -> the DocTypes that hold it
ARCHIVE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Charter and Filing Form", (FILING,)),
    ("Member Roster", ("Organization Member",)),
    (
        "Reports to the Two Committees and Satisfaction Results",
        ("Activity Report", "Periodic Evaluation", "Service Feedback"),
    ),
    ("Information Disclosures", ("Organization Publicity",)),
    ("Handling Decisions", (TERMINATION, "Mentoring Visit", "Grade Evaluation")),
)


@frappe.whitelist()
def get_archive(organization: str) -> list[dict]:
    """R-FILE ([10M] 第二条): the organization's archive as the ten measures list it – per section
    the records the user may read (names and dates)."""
    frappe.has_permission(ORG, "read", organization, throw=True)
    out = []
    for label, doctypes in ARCHIVE_SECTIONS:
        records = []
        for doctype in doctypes:
            if not frappe.db.table_exists(doctype) or not frappe.has_permission(doctype, "read"):
                continue
            for row in frappe.get_list(
                doctype,
                filters={"organization": organization},
                fields=["name", "creation"],
                order_by="creation desc",
                limit=50,
            ):
                records.append({"doctype": doctype, "name": row.name, "date": str(row.creation)[:10]})
        out.append({"section": _(label), "records": records})
    return out


# ====================================================================== public notices (no login)


def public_notices(as_of=None, page=1, page_size: int = 20) -> dict:
    """R-FILE 第二条（二）, R-EXIT-ORG 第三条: the filings the township approved and the
    terminations it approved, while their notice runs and for 30 days after – only the name, the
    center, the community and the notice period are published (R-PRIV). A page at a time
    (issue 18 §4: ``page_size`` of each list per page, ``?page=N``), one count and one page
    query per list, no query per row."""
    from shuangfuhua_app.portal.notices import page_number

    as_of = getdate(as_of) if as_of else today()
    since = as_of - datetime.timedelta(days=30)
    fields = ["service_center", "community", "notice_start", "notice_end"]
    lists = {
        "filings": (FILING, {"workflow_state": ("in", (NOTICE, FILED)), "notice_end": (">=", since)},
                    ["filed_name as org_name", "filing_type", *fields]),
        "terminations": (TERMINATION, {"workflow_state": ("in", states_meaning(TERMINATION, ADMITTED)),
                                       "notice_end": (">=", since)}, ["org_name", *fields]),
    }
    totals = {key: frappe.db.count(dt, filters) for key, (dt, filters, _f) in lists.items()}
    pages = max(1, *(-(-n // page_size) for n in totals.values()))
    page = page_number(page, pages)
    out = {}
    for key, (dt, filters, row_fields) in lists.items():
        out[key] = frappe.get_all(dt, filters=filters, fields=row_fields, order_by="notice_start desc, name desc",
                                  limit_start=(page - 1) * page_size, limit_page_length=page_size)
        for row in out[key]:
            row["open"] = getdate(row.notice_end) >= as_of
    out.update(page=page, pages=pages, prev_page=page - 1 if page > 1 else None,
               next_page=page + 1 if page < pages else None, totals=totals)
    return out
