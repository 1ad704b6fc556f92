"""Filing (备案), change filing and termination of community social organizations
(R-FILE, R-EXIT-ORG: 《培育发展社区社会组织十条措施》第二条、第三条): gather the records, call the
rules of ``shuangfuhua_app.standard.filing`` and apply them to the Organization Filing and
Organization Termination DocTypes, the daily reminders and the organization's records.

Decisions (documented, cited):

* Roles: the residents' committee acts through the **Community Worker** role (scoped to its
  community), the township through the **Township Leader** role (scoped to its center). The
  workflow's role gates are enforced again in the controller, on every route
  (:data:`TRANSITION_ROLES`): a state the user's roles cannot reach is refused.
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
* Termination closes the organization's open records and deletes none: open applications end as
  "Not Admitted", open venture projects are closed, open ToDos of the organization are cancelled,
  its incubation status becomes "Incubation Ended", and its representatives' User Permissions
  (access grants, not records) are removed – each step is written to the termination record.
"""

from __future__ import annotations

import datetime
import re

import frappe
from frappe import _
from frappe.utils import escape_html, get_fullname, getdate

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.calendar import UnknownYearError
from shuangfuhua_app.standard.filing import (
    MODEL_CHARTER,
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

#: (doctype, state reached) -> roles that may move a record there (mirrors the shipped workflows)
TRANSITION_ROLES: dict[tuple[str, str], tuple[str, ...]] = {
    (FILING, COMMITTEE): APPLICANT_ROLES,
    (FILING, TOWNSHIP): ("Community Worker",),
    (FILING, RETURNED): ("Community Worker",),
    (FILING, NOTICE): ("Township Leader",),
    (FILING, NOT_FILED): ("Township Leader",),
    (FILING, FILED): ("Township Leader",),
    (TERMINATION, COMMITTEE): APPLICANT_ROLES,
    (TERMINATION, "Draft"): ("Community Worker",),
    (TERMINATION, TOWNSHIP): ("Community Worker",),
    (TERMINATION, TERMINATED): ("Township Leader",),
    (TERMINATION, TERMINATION_REFUSED): ("Township Leader",),
}

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
OPEN_FILING_STATES = ("Draft", RETURNED, COMMITTEE, TOWNSHIP, NOTICE)
OPEN_APPLICATION_STATES = ("Draft", "Submitted", "Returned", "Panel Review", "Recommended", "In Notice")
CLOSED_PROJECT_STATES = ("Project Closed", "Not Approved")
CERTIFICATE_PREFIX = "社"


# ====================================================================== shared helpers


def _calendar_due(start, days: int) -> datetime.date:
    try:
        return stage_due(get_work_calendar(), start, days)
    except UnknownYearError as e:
        from shuangfuhua_app.exceptions import CalendarYearUnknownError

        throw(str(e), CalendarYearUnknownError)


def _check_roles(doc, state: str) -> None:
    """The workflow's role gate, enforced on every route (R-FILE, R-EXIT-ORG)."""
    roles = TRANSITION_ROLES.get((doc.doctype, state))
    if roles is None or frappe.session.user == "Administrator":
        return
    mine = set(frappe.get_roles())
    if not mine & (set(roles) | set(ADMIN_ROLES)):
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
            doc.change_due = _calendar_due(doc.change_date, get_standard_settings().filing_change_days)
    else:
        other = frappe.db.exists(
            FILING,
            {
                "organization": doc.organization,
                "filing_type": NEW,
                "name": ("!=", doc.name),
                "workflow_state": ("!=", NOT_FILED),
            },
        )
        if other:
            frappe.throw(
                _("{0} is already filed or being filed ({1}); file a change instead.").format(
                    doc.org_name or doc.organization, other
                )
            )
    if previous is not None and state != previous:
        _check_roles(doc, state)
        _filing_step(doc, previous, state)
    doc.deadline_status = filing_deadline_text(doc, today())


def _filing_step(doc, previous: str | None, state: str) -> None:
    settings = get_standard_settings()
    day, user = today(), get_fullname(frappe.session.user)
    if state == COMMITTEE:
        doc.submitted_on = day
        doc.committee_due = _calendar_due(day, settings.filing_committee_days)
        doc.committee_reviewed_on = doc.committee_reviewer = doc.township_due = None
    elif state in (TOWNSHIP, RETURNED) and previous == COMMITTEE:
        doc.committee_reviewed_on, doc.committee_reviewer = day, user
        if state == TOWNSHIP:
            doc.township_due = _calendar_due(day, settings.filing_township_days)
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
    """R-FILE: issue the filing certificate (workflow action "Issue Certificate") – refused for
    a filing the township has not approved or whose notice has not ended."""
    doc = frappe.get_doc(FILING, filing)
    doc.check_permission("write")
    if message := check_certificate_gate(
        doc.workflow_state == NOTICE and bool(doc.township_approved_on), doc.notice_end, today()
    ):
        throw(message)
    from frappe.model.workflow import apply_workflow

    return apply_workflow(doc, "Issue Certificate").certificate_number


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
        {"organization": doc.name, "filing_type": CHANGE, "workflow_state": ("in", OPEN_FILING_STATES)},
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
            "workflow_state": ("not in", (TERMINATION_REFUSED,)),
        },
    ):
        frappe.throw(_("{0} already has a termination record.").format(doc.org_name or doc.organization))
    if previous is None or state == previous:
        return
    _check_roles(doc, state)
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


def termination_on_update(doc) -> None:
    before = doc.get_doc_before_save()
    if doc.workflow_state == TERMINATED and not (before and before.workflow_state == TERMINATED):
        log = close_organization(doc.organization, doc.name)
        doc.db_set("closure_log", "\n".join(log), update_modified=False)


def close_organization(organization: str, termination: str) -> list[str]:
    """R-EXIT-ORG: close the organization's open records; nothing is deleted. Returns the log."""
    log = []
    for name in frappe.get_all(
        "Incubation Application",
        filters={"organization": organization, "workflow_state": ("in", OPEN_APPLICATION_STATES)},
        pluck="name",
    ):
        frappe.db.set_value("Incubation Application", name, "workflow_state", "Not Admitted")
        _comment("Incubation Application", name, termination)
        log.append(_("Application {0} ended (Not Admitted)").format(name))
    for name in frappe.get_all(
        "Venture Project",
        filters={"organization": organization, "workflow_state": ("not in", CLOSED_PROJECT_STATES)},
        pluck="name",
    ):
        frappe.db.set_value(
            "Venture Project", name, {"workflow_state": "Project Closed", "closed_on": today()}
        )
        _comment("Venture Project", name, termination)
        log.append(_("Venture project {0} closed").format(name))
    status = frappe.db.get_value(ORG, organization, "incubation_status")
    if status in ("Applying", "In Notice", "Admitted", "Incubating"):
        frappe.db.set_value(ORG, organization, "incubation_status", "Incubation Ended")
        log.append(_("Incubation status: {0} → {1}").format(_(status), _("Incubation Ended")))
    references = [(ORG, organization)] + [
        (dt, n)
        for dt in ("Incubation Application", "Venture Project")
        for n in frappe.get_all(dt, filters={"organization": organization}, pluck="name")
    ]
    todos = 0
    for ref_type, ref_name in references:
        for todo in frappe.get_all(
            "ToDo",
            filters={"reference_type": ref_type, "reference_name": ref_name, "status": "Open"},
            pluck="name",
        ):
            frappe.db.set_value("ToDo", todo, "status", "Cancelled")
            todos += 1
    if todos:
        log.append(_("{0} open reminders (ToDo) cancelled").format(todos))
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
    filings follow the calendar. Returns the keys of the reminders created by this run."""
    from shuangfuhua_app.incubation import _remind

    as_of = getdate(as_of) if as_of else today()
    created = []
    rows = frappe.get_all(
        FILING,
        filters={"workflow_state": ("in", OPEN_FILING_STATES)},
        fields=[
            "name",
            "organization",
            "org_name",
            "service_center",
            "community",
            "filing_type",
            "workflow_state",
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
            continue
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
        ):
            created.append(key)
    return created


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


def public_notices(as_of=None) -> dict:
    """R-FILE 第二条（二）, R-EXIT-ORG 第三条: the filings the township approved and the
    terminations it approved, while their notice runs and for 30 days after – only the name, the
    center, the community and the notice period are published (R-PRIV)."""
    as_of = getdate(as_of) if as_of else today()
    since = as_of - datetime.timedelta(days=30)
    fields = ["service_center", "community", "notice_start", "notice_end"]
    filings = frappe.get_all(
        FILING,
        filters={"workflow_state": ("in", (NOTICE, FILED)), "notice_end": (">=", since)},
        fields=["filed_name as org_name", "filing_type", *fields],
        order_by="notice_start desc",
    )
    terminations = frappe.get_all(
        TERMINATION,
        filters={"workflow_state": TERMINATED, "notice_end": (">=", since)},
        fields=["org_name", *fields],
        order_by="notice_start desc",
    )
    for row in filings + terminations:
        row["open"] = getdate(row.notice_end) >= as_of
    return {"filings": filings, "terminations": terminations}
