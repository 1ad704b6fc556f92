"""Portal for organizations and the public notice page (issue 4).

* Public notice page (no login, R-6.3): published notices only, public fields only
  (R-PRIV: no personal data is ever read for a guest), and an objection form that is open
  only during the notice period, asks for contact details, is rate-limited per IP and
  guarded against scripts (honeypot field + a signed, time-stamped arithmetic challenge).
* Organization representatives (R-6.1, R-SCOPE): a representative is a Website User
  linked to exactly one organization by a User Permission; staff invite or re-link one.
  The application is filled in on a Web Form and moved through the workflow as the user.
* "My incubation": the organization's lifecycle from the workflow history.

Isolation itself lives in ``shuangfuhua_app.permissions``; this module adds the portal's
guards (the Web Form saves with ``ignore_permissions``, so the organization is fixed here).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, get_datetime, now_datetime, validate_email_address

from shuangfuhua_app.standard.admission import NOTICE_STATES, notice_state, objection_window_open
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.identity import normalize_mobile, validate_mobile
from shuangfuhua_app.utils import format_cn_date, today

APPLICATION = "Incubation Application"
ORG = "Community Social Organization"
NOTICE = "Public Notice"
REP_ROLE = "Organization Representative"
STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}
#: roles that make a user part of a center or the district: never turned into a representative
DESK_ROLES = STAFF_ROLES | {
    "Review Panel Member", "Township Leader", "Business Supervisory Unit", "Leading Group Office", "Community Worker",
}
#: portal actions: the workflow action an applicant takes from each state
APPLICANT_ACTIONS = {"Draft": "Submit", "Returned": "Resubmit"}
#: … and on the other portal records with a workflow
PORTAL_ACTIONS = {APPLICATION: APPLICANT_ACTIONS, "Venture Project": {"Project Application": "Submit for Coaching"}}

#: objections per IP and hour (anti-abuse, not a number of the standard; site config may raise it)
OBJECTION_RATE_LIMIT = 5
#: the challenge must be at least this old when answered (a person reads the page first) …
CHALLENGE_MIN_SECONDS = 3
#: … and no older than this
CHALLENGE_MAX_SECONDS = 2 * 60 * 60
MAX_CONTENT = 2000
#: attachments of these records are published on the public page (e.g. images in the notice text)
PUBLIC_ATTACHMENT_DOCTYPES = {"Public Notice", "Service Center", "Community"}


# ====================================================================== public notice page


def use_site_language() -> None:
    """Guests get their language from the ``preferred_language`` cookie, the browser's
    Accept-Language, then the site's language (zh for a Chinese center).  Frappe v15 decides
    the request language before it knows the user is a guest and so leaves guests on
    ``conf.lang or "en"``; this re-decides it once the session is known (``before_request``)."""
    if frappe.session and frappe.session.user == "Guest":
        from frappe.translate import get_language

        frappe.local.lang = get_language()


def _notice_items(name: str) -> list[dict]:
    """Only what the notice publishes: organization name, type and field (never people)."""
    return frappe.get_all(
        "Public Notice Item",
        filters={"parent": name, "parenttype": NOTICE, "parentfield": "items"},
        fields=["idx", "org_name", "org_type", "service_field"],
        order_by="idx asc",
        ignore_permissions=True,
    )


def _public_notice(row) -> dict:
    state = notice_state(row.start_date, row.end_date, today())
    return frappe._dict(
        name=row.name,
        title=row.title,
        service_center=row.service_center,
        start_date=row.start_date,
        end_date=row.end_date,
        start_cn=format_cn_date(row.start_date),
        end_cn=format_cn_date(row.end_date),
        working_days=row.working_days,
        state=state,
        state_label=NOTICE_STATES[state],
        objection_open=objection_window_open(row.start_date, row.end_date, today()),
    )


def published_notices() -> dict[str, list[dict]]:
    """R-6.3: every published (submitted) notice, current first, then past ones."""
    rows = frappe.get_all(
        NOTICE,
        filters={"docstatus": 1},
        fields=["name", "title", "service_center", "start_date", "end_date", "working_days"],
        order_by="start_date desc, name desc",
        ignore_permissions=True,
    )
    current, past = [], []
    for row in rows:
        notice = _public_notice(row)
        notice["items"] = _notice_items(row.name)
        (past if notice.state == "ended" else current).append(notice)
    return {"current": current, "past": past}


def public_notice(name: str) -> dict:
    """One published notice for the public page; anything else does not exist for a guest."""
    row = frappe.db.get_value(
        NOTICE,
        {"name": name, "docstatus": 1},
        ["name", "title", "service_center", "start_date", "end_date", "working_days", "notice_text", "contact_info"],
        as_dict=True,
    )
    if not row:
        raise frappe.DoesNotExistError(_("This notice does not exist or has not been published."))
    notice = _public_notice(row)
    notice.update(notice_text=row.notice_text, contact_info=row.contact_info, items=_notice_items(name))
    return notice


# ---------------------------------------------------------------- guard against scripts


def _sign(payload: str) -> str:
    from frappe.utils.password import get_encryption_key

    return hmac.new(get_encryption_key().encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]


def issue_challenge(notice: str) -> dict:
    """A simple sum a person answers; the token binds it to the notice and the time it was shown."""
    a, b = random.randint(1, 9), random.randint(1, 9)
    issued = int(time.time())
    payload = f"{notice}:{issued}:{a}:{b}"
    return {"question": f"{a} + {b} = ?", "token": f"{issued}:{a}:{b}:{_sign(payload)}"}


def _check_challenge(notice: str, token: str | None, answer: str | None) -> str | None:
    """None when the challenge was answered by a person, else the reason (for the log)."""
    try:
        issued, a, b, signature = (token or "").split(":")
        issued, a, b = int(issued), int(a), int(b)
    except ValueError:
        return "malformed token"
    if not hmac.compare_digest(signature, _sign(f"{notice}:{issued}:{a}:{b}")):
        return "bad signature"
    age = time.time() - issued
    if age < CHALLENGE_MIN_SECONDS or age > CHALLENGE_MAX_SECONDS:
        return f"token age {age:.0f}s"
    if cint(answer) != a + b or not str(answer or "").strip().isdigit():
        return "wrong answer"
    if frappe.cache.get_value(_used_key(token)):
        return "token reused"
    return None


def _used_key(token: str) -> str:
    return "sfh:objection-token:" + token.rsplit(":", 1)[-1]


def _objection_rate_limit() -> int:
    return cint(frappe.conf.get("sfh_objection_rate_limit")) or OBJECTION_RATE_LIMIT


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_objection_rate_limit, seconds=60 * 60)
def submit_objection(
    notice: str,
    objector_name: str | None = None,
    contact_phone: str | None = None,
    content: str | None = None,
    item: str | int | None = None,
    contact_email: str | None = None,
    challenge: str | None = None,
    answer: str | None = None,
    website: str | None = None,
):
    """R-6.3: anyone may object while the notice is open, giving name and mobile phone.

    ``website`` is a honeypot a person never sees; ``challenge``/``answer`` come from
    :func:`issue_challenge`.  The objection is recorded as a Notice Objection (channel
    Website) for the center to verify and handle."""
    use_site_language()
    row = frappe.db.get_value(NOTICE, {"name": notice, "docstatus": 1}, ["name", "start_date", "end_date"], as_dict=True)
    if not row:
        frappe.throw(_("This notice does not exist or has not been published."), frappe.DoesNotExistError)
    if website or (reason := _check_challenge(notice, challenge, answer)):
        if not website:
            frappe.logger("shuangfuhua_app").info(f"objection challenge refused for {notice}: {reason}")
        frappe.throw(_("The verification answer is wrong or has expired. Please reload the page and try again."))
    if not objection_window_open(row.start_date, row.end_date, today()):
        frappe.throw(
            _("Objections are accepted only during the notice period, {0} to {1}.").format(
                format_cn_date(row.start_date), format_cn_date(row.end_date)
            )
            + cite("6.3"),
            title=_("Not allowed by the standard"),
        )
    objector_name = (objector_name or "").strip()
    if not objector_name or len(objector_name) > 50:
        frappe.throw(_("Please give your name so that the center can verify the objection with you.") + cite("6.3"))
    if not (contact_phone or "").strip():
        frappe.throw(_("Please give a mobile phone number so that the center can reach you.") + cite("6.3"))
    if message := validate_mobile(contact_phone):
        frappe.throw(message)
    if contact_email and not validate_email_address(contact_email.strip()):
        frappe.throw(_("The email address is not valid."))
    content = (content or "").strip()
    if not content:
        frappe.throw(_("Please describe the objection and the facts it rests on."))
    if len(content) > MAX_CONTENT:
        frappe.throw(_("Please keep the objection within {0} characters.").format(MAX_CONTENT))
    application = None
    if item not in (None, "", "0", 0):
        application = frappe.db.get_value(
            "Public Notice Item", {"parent": notice, "parenttype": NOTICE, "idx": cint(item)}, "application"
        )
        if not application:
            frappe.throw(_("Please choose an organization from this notice."))
    doc = frappe.get_doc(
        {
            "doctype": "Notice Objection",
            "public_notice": notice,
            "application": application,
            "received_on": now_datetime(),
            "channel": "Website",
            "objector_name": objector_name,
            "contact_phone": normalize_mobile(contact_phone),
            "contact_email": (contact_email or "").strip() or None,
            "content": content,
        }
    )
    doc.insert(ignore_permissions=True)
    frappe.cache.set_value(_used_key(challenge), 1, expires_in_sec=CHALLENGE_MAX_SECONDS)  # one objection per challenge
    return {"reference": doc.name, "message": _("Your objection has been received. The center will verify it and contact you.")}


# ====================================================================== representatives


def representative_org(user: str | None = None) -> str | None:
    """The one organization a representative is linked to (R-SCOPE), or None."""
    orgs = frappe.get_all(
        "User Permission", filters={"user": user or frappe.session.user, "allow": ORG}, pluck="for_value",
        ignore_permissions=True,
    )
    return orgs[0] if len(orgs) == 1 else None


def _is_portal_applicant(user: str | None = None) -> bool:
    user = user or frappe.session.user
    if user in ("Administrator", "Guest"):
        return False
    roles = set(frappe.get_roles(user))
    return not (roles & DESK_ROLES) and (REP_ROLE in roles or bool(frappe.flags.in_web_form))


@frappe.whitelist(methods=["POST"])
def invite_representative(organization: str, email: str, full_name: str | None = None, mobile_no: str | None = None):
    """Staff (of the organization's center) invite a representative, or re-link an existing
    portal user to this organization.  A representative belongs to exactly one organization."""
    if not (STAFF_ROLES & set(frappe.get_roles())):
        frappe.throw(_("Only center staff can invite organization representatives."), frappe.PermissionError)
    org = frappe.get_doc(ORG, organization)
    org.check_permission("write")  # staff of another center are refused here (R-SCOPE)
    email = (email or "").strip().lower()
    if not validate_email_address(email):
        frappe.throw(_("The email address is not valid."))
    if mobile_no and (message := validate_mobile(mobile_no)):
        frappe.throw(message)
    mobile_no = normalize_mobile(mobile_no) if mobile_no else None

    created = False
    if frappe.db.exists("User", email):
        user = frappe.get_doc("User", email)
        if user.user_type == "System User" or set(frappe.get_roles(email)) & DESK_ROLES:
            frappe.throw(_("{0} is a staff account and cannot represent an organization.").format(email))
    else:
        if mobile_no and frappe.db.exists("User", {"mobile_no": mobile_no}):
            frappe.throw(_("Another account already uses the mobile number {0}.").format(mobile_no))
        user = frappe.get_doc(
            {
                "doctype": "User",
                "email": email,
                "first_name": (full_name or email.split("@")[0]).strip(),
                "mobile_no": mobile_no,
                "user_type": "Website User",
                "send_welcome_email": 1,
            }
        )
        user.flags.ignore_permissions = True
        user.insert()
        created = True
    if REP_ROLE not in [r.role for r in user.roles]:
        user.flags.ignore_permissions = True
        user.add_roles(REP_ROLE)
    previous = frappe.get_all("User Permission", filters={"user": email, "allow": ORG}, fields=["name", "for_value"])
    relinked_from = [p.for_value for p in previous if p.for_value != organization]
    for p in previous:
        if p.for_value != organization:
            frappe.delete_doc("User Permission", p.name, ignore_permissions=True)
    if not any(p.for_value == organization for p in previous):
        frappe.get_doc(
            {"doctype": "User Permission", "user": email, "allow": ORG, "for_value": organization, "apply_to_all_doctypes": 1}
        ).insert(ignore_permissions=True)
    org.add_comment(
        "Info", _("{0} was linked to this organization as its representative by {1}").format(email, frappe.session.user)
    )
    return {"user": email, "created": created, "relinked_from": relinked_from}


def validate_user_permission(doc, method=None):
    """A representative is linked to exactly one organization (R-SCOPE)."""
    if doc.allow != ORG or REP_ROLE not in frappe.get_roles(doc.user):
        return
    others = frappe.get_all(
        "User Permission",
        filters={"user": doc.user, "allow": ORG, "for_value": ("!=", doc.for_value), "name": ("!=", doc.name or "")},
        pluck="for_value",
    )
    if others:
        frappe.throw(
            _("{0} already represents {1}; an organization representative is linked to exactly one organization.").format(
                doc.user, others[0]
            )
        )


# ====================================================================== portal records

#: what an organization files from the portal (issue 4 §2 and §4).  Web Forms save with
#: ``ignore_permissions``, so for these DocTypes the guards below pin the organization, keep
#: the fields only the center may write, and refuse changes once the center has taken the
#: record up – on every route alike (Web Form, REST), one function for all of them.

#: fields the organization never sets itself (the controller or the portal fills them in;
#: the workflow state is guarded by the workflow's own transition rules)
LOCKED_FIELDS = {
    "Consultation": ("consult_channel", "asked_on", "asked_by", "consultation_status"),
    "Major Event Report": ("reported_on",),
    "Activity Report": ("reported_on",),
}
COMMUNITY_ROLE = "Community Worker"


def _not_linked():
    frappe.throw(_("Your account is not linked to an organization yet. Please contact your service center."),
                 frappe.PermissionError)


def _pin_organization(doc, org: str) -> None:
    """The record belongs to ``org``: the organization and everything fetched from it."""
    doc.organization = org
    values = {
        df.fieldname: df.fetch_from.split(".", 1)[1]
        for df in doc.meta.fields
        if (df.fetch_from or "").startswith("organization.")
    }
    if values:
        fetched = frappe.db.get_value(ORG, org, list(values.values()), as_dict=True) or {}
        for fieldname, source in values.items():
            doc.set(fieldname, fetched.get(source))


def _is_community_applicant(user: str | None = None) -> bool:
    roles = set(frappe.get_roles(user or frappe.session.user))
    return COMMUNITY_ROLE in roles and not (roles & STAFF_ROLES)


def user_communities(user: str | None = None) -> list[str]:
    return frappe.get_all(
        "User Permission", filters={"user": user or frappe.session.user, "allow": "Community"}, pluck="for_value",
        ignore_permissions=True,
    )


def _community_application(doc) -> None:
    """R-6.1.2: a community's user submits the application of a filed organization of its
    community on its behalf (channel "Via Community"); the controller refuses registered ones."""
    if not doc.organization:
        frappe.throw(_("Please choose the organization you apply for."))
    community = frappe.db.get_value(ORG, doc.organization, "community")
    if not community or community not in user_communities():
        frappe.throw(_("You can only apply for organizations of your own community."), frappe.PermissionError)
    _pin_organization(doc, doc.organization)
    doc.channel = "Via Community"
    doc.community = community


def portal_before_insert(doc, method=None):
    """A record filed from the portal belongs to the representative's own organization;
    nobody files for another organization from the portal."""
    if doc.doctype == APPLICATION and _is_community_applicant():
        _community_application(doc)
        return
    if not _is_portal_applicant():
        return
    org = representative_org()
    if not org or not frappe.has_permission(doc.doctype, "create"):
        _not_linked()
    if doc.organization and doc.organization != org:
        frappe.throw(_("You can only file records for your own organization."), frappe.PermissionError)
    _pin_organization(doc, org)
    if doc.doctype == "Consultation":  # §7.4.4: an online question, timed from now
        doc.consult_channel = "Online"
        doc.asked_on = now_datetime()
        doc.asked_by = frappe.utils.get_fullname(frappe.session.user)
        doc.consultation_status = "Awaiting Answer"
    elif doc.doctype == "Venture Project" and not doc.application_date:
        doc.application_date = today()


def _portal_may_change(doc, before) -> str | None:
    """None while the organization may still change the record, else why not."""
    if doc.doctype == "Consultation" and frappe.utils.strip_html(before.answer or "").strip():
        return _("The center has answered this question; please ask a new one.")
    if doc.doctype in ("Major Event Report", "Activity Report") and before.report_status == "Acknowledged":
        return _("The center has acknowledged this report; it can no longer be changed.")
    if doc.doctype == "Venture Project":
        from frappe.model.workflow import get_workflow_name

        workflow = get_workflow_name(doc.doctype)
        editors = frappe.get_all(
            "Workflow Document State", filters={"parent": workflow, "state": before.workflow_state}, pluck="allow_edit"
        ) if workflow else []
        if not set(editors) & set(frappe.get_roles()):
            return _("The venture project is with the center ({0}); it cannot be changed now.").format(
                _(before.workflow_state or "")
            )
    return None


def portal_before_validate(doc, method=None):
    """Before the controller runs: the organization stays the representative's own, a record
    the center has taken up is no longer changed, and fields only the center writes (higher
    permlevels, the workflow state, the controller's fields) keep their values – Frappe
    skips that reset when the Web Form saves with ``ignore_permissions``."""
    if doc.doctype == APPLICATION and _is_community_applicant():
        if not doc.is_new():
            _community_application(doc)
        return
    if not _is_portal_applicant():
        return
    org = representative_org()
    if not org:
        _not_linked()
    if doc.organization != org:
        frappe.throw(_("You can only file records for your own organization."), frappe.PermissionError)
    before = None if doc.is_new() else doc.get_doc_before_save() or frappe.get_doc(doc.doctype, doc.name)
    if before is not None:
        if before.organization != org:
            frappe.throw(_("You can only file records for your own organization."), frappe.PermissionError)
        if reason := _portal_may_change(doc, before):
            frappe.throw(reason, frappe.PermissionError)
    reference = before if before is not None else frappe.new_doc(doc.doctype)
    writable = doc.get_permlevel_access("write")
    for df in doc.meta.get_high_permlevel_fields():
        if df.permlevel not in writable and df.fieldtype not in frappe.model.display_fieldtypes:
            doc.set(df.fieldname, reference.get(df.fieldname))
    if before is not None:
        for fieldname in LOCKED_FIELDS.get(doc.doctype, ()):
            doc.set(fieldname, before.get(fieldname))


def portal_validate(doc, method=None):
    """Child rows can't be taken over from another record by naming them (Web Form posts rows as dicts)."""
    for table in doc.meta.get_table_fields():
        for row in doc.get(table.fieldname) or []:
            if not row.name or row.get("__islocal"):
                continue
            parent = frappe.db.get_value(table.options, row.name, ["parent", "parenttype"])
            if parent and (parent[0] != doc.name or parent[1] != doc.doctype):
                frappe.throw(_("Row {0} does not belong to this record.").format(row.idx), frappe.PermissionError)


# names of the first version (issue 4 §2), kept for callers
application_before_insert = portal_before_insert
application_validate = portal_validate


CHILD_LAYOUT_FIELDTYPES = {"Column Break", "Section Break", "Tab Break"}


def portal_form_context(context, doctype: str):
    """What every portal Web Form needs: its labels translated as the DocType translates them
    (zh rows with a DocType context; the Web Form sends only its own fields' strings and
    renders its title and introduction untranslated), and every column of a child table."""
    context.sfh_messages = {"No.:Title of the 'row number' column": _("No.")}
    for field in context.web_form_doc.web_form_fields:
        for text in [field.label, field.description] + (
            (field.options or "").split("\n") if field.fieldtype == "Select" else []
        ):
            if text:
                context.sfh_messages[text] = _(text, context=doctype)
    if context.introduction_text:
        context.introduction_text = _(context.introduction_text)
    if frappe.form_dict.is_new:
        context.title = _("New {0}").format(_(context.web_form_doc.title or doctype))
    elif context.web_form_title:
        context.web_form_title = _(context.web_form_title)
    for field in context.web_form_doc.web_form_fields:
        if field.fieldtype == "Table":
            meta = frappe.get_meta(field.options)
            field.fields = [
                df.as_dict() for df in meta.fields if df.fieldtype not in CHILD_LAYOUT_FIELDTYPES and not df.hidden
            ]
            for df in field.fields:
                for text in [df.label, df.description] + (
                    (df.options or "").split("\n") if df.fieldtype == "Select" else []
                ):
                    if text:
                        context.sfh_messages[text] = _(text, context=field.options)
    context.sfh_back = {"href": "/my-reports", "label": _("Report and Ask")}
    return context


def _label(doc, fieldname: str) -> str:
    """A field's label as its DocType translates it."""
    return _(doc.meta.get_label(fieldname), context=doc.doctype)


def record_status_lines(doc) -> list[dict]:
    """What the center has said about a portal record, as label/value lines."""
    lines = []
    if doc.doctype == "Consultation":
        lines.append({"label": _("Status"), "value": _(doc.consultation_status or "Awaiting Answer", context=doc.doctype)})
        if doc.answer:
            lines.append({"label": _label(doc, "answer"), "value": frappe.utils.strip_html(doc.answer).strip(),
                          "cls": "sfh-answer"})
    elif doc.doctype in ("Major Event Report", "Activity Report"):
        lines.append({"label": _("Status"), "value": _(doc.report_status or "Reported", context=doc.doctype)})
        if doc.center_comment:
            lines.append({"label": _label(doc, "center_comment"), "value": doc.center_comment, "cls": "sfh-answer"})
    elif doc.doctype == "Venture Project":
        lines.append({"label": _("Status"), "value": _(doc.workflow_state or "Project Application")})
        if doc.granted_amount:
            lines.append({"label": _label(doc, "granted_amount"), "value": frappe.format(doc.granted_amount, "Currency")})
        for fieldname in ("coaching_notes", "approval_comment", "evaluation_comment"):
            if doc.get(fieldname):
                lines.append({"label": _label(doc, fieldname), "value": doc.get(fieldname),
                              "cls": "sfh-answer"})
    return lines


def portal_record_form_context(context, doctype: str):
    """Context of the Web Forms of "Report and Ask": translations, the center's response,
    and a read-only form once the organization may no longer change the record."""
    portal_form_context(context, doctype)
    context.sfh_info = None
    name = frappe.form_dict.name
    if not name or not frappe.db.exists(doctype, name):
        return context
    doc = frappe.get_doc(doctype, name)  # permission checked by the Web Form
    locked = _portal_may_change(doc, doc) if not (STAFF_ROLES & set(frappe.get_roles())) else None
    if locked:
        context.in_edit_mode = context.web_form_doc.in_edit_mode = False
        context.in_view_mode = context.web_form_doc.in_view_mode = True
        context.allow_edit = context.web_form_doc.allow_edit = 0
    context.sfh_info = {"lines": record_status_lines(doc), "locked_message": locked, "back": context.sfh_back}
    return context


def _private_attachment_doctypes() -> set[str]:
    from shuangfuhua_app.permissions import SCOPE_FIELDS

    return set(SCOPE_FIELDS) - PUBLIC_ATTACHMENT_DOCTYPES


def _must_be_private(doctype: str | None) -> bool:
    return doctype in _private_attachment_doctypes() or _is_portal_applicant()


@frappe.whitelist(allow_guest=True)
def upload_file():
    """Frappe's upload_file, but what a representative uploads and anything attached to the
    app's records is stored private (R-PRIV), whatever the uploader's lock icon says."""
    from frappe.handler import upload_file as frappe_upload_file

    if _must_be_private(frappe.form_dict.doctype):
        frappe.form_dict.is_private = 1
    return frappe_upload_file()


def file_after_insert(doc, method=None):
    """Fallback for files created another way (e.g. a Web Form posting a data URL): move
    them to the private folder (R-PRIV)."""
    if doc.is_folder or doc.is_private or (doc.file_url or "").startswith("http"):
        return
    if _must_be_private(doc.attached_to_doctype):
        doc.is_private = 1
        doc.save(ignore_permissions=True)


def applicant_may_edit(doc) -> bool:
    """Mirror of the controller's rule: until the center starts the initial review."""
    from shuangfuhua_app.shuangfuhua_app.doctype.incubation_application.incubation_application import (
        APPLICANT_EDITABLE,
    )

    if doc.docstatus != 0 or doc.workflow_state not in APPLICANT_EDITABLE:
        return False
    return not (doc.workflow_state == "Submitted" and doc.initial_review_result)


@frappe.whitelist(methods=["POST"])
def submit_application(name: str):
    """Submit (from Draft) or resubmit (after being returned) as the user: the workflow's
    role checks and the record's permissions apply."""
    return submit_record(APPLICATION, name)


@frappe.whitelist(methods=["POST"])
def submit_record(doctype: str, name: str):
    """The applicant's one workflow action on a portal record (application: submit or
    resubmit; venture project: submit for coaching), taken as the user."""
    if doctype not in PORTAL_ACTIONS:
        frappe.throw(_("Not permitted"), frappe.PermissionError)
    doc = frappe.get_doc(doctype, name)
    doc.check_permission("write")
    action = PORTAL_ACTIONS[doctype].get(doc.workflow_state)
    if not action:
        frappe.throw(_("This application has already been submitted."))
    doc = apply_workflow(doc, action)
    return {"name": doc.name, "workflow_state": doc.workflow_state, "state_label": _(doc.workflow_state)}


# ====================================================================== my incubation


def workflow_timeline(name: str) -> list[dict]:
    """States an application went through, with dates, from its Version history (R-AUDIT)."""
    doc = frappe.get_doc(APPLICATION, name)
    events = [{"state": "Draft", "on": doc.creation, "comment": None}]
    versions = frappe.get_all(
        "Version",
        filters={"ref_doctype": APPLICATION, "docname": name},
        fields=["creation", "data"],
        order_by="creation asc",
        ignore_permissions=True,
    )
    last_comment = None
    for v in versions:
        try:
            changed = {c[0]: c[2] for c in json.loads(v.data).get("changed", [])}
        except (ValueError, TypeError, IndexError):
            continue
        if "initial_review_comment" in changed:
            last_comment = changed["initial_review_comment"]
        if changed.get("workflow_state"):
            comment = last_comment if changed["workflow_state"] == "Returned" else None
            events.append({"state": changed["workflow_state"], "on": v.creation, "comment": comment})
    if events[-1]["state"] != doc.workflow_state and doc.workflow_state:
        events.append({"state": doc.workflow_state, "on": doc.modified, "comment": None})
    if doc.workflow_state == "Returned" and not events[-1]["comment"]:
        events[-1]["comment"] = doc.initial_review_comment
    for e in events:
        e["label"] = _(e["state"])
        e["on_cn"] = format_cn_date(e["on"]) + " " + get_datetime(e["on"]).strftime("%H:%M")
    return events


def quota_standing(org: str) -> list[dict] | None:
    """The organization's standing against the quotas of §7, when the incubation module
    (issue 3) provides it; the portal works without it."""
    try:
        from shuangfuhua_app import incubation
    except ImportError:
        return None
    if not hasattr(incubation, "compliance_rows"):
        return None
    try:
        rows = incubation.compliance_rows(org)
    except Exception:
        frappe.log_error(title="shuangfuhua_app: quota standing for the portal")
        return None
    return [
        {"ok": bool(r.get("ok")), "message": r.get("message") or ""}
        for r in rows
        if r.get("applicable", True) and r.get("message")
    ]


def my_incubation(user: str | None = None) -> dict:
    """Everything the representative's page shows, read as the user (R-SCOPE)."""
    user = user or frappe.session.user
    org = representative_org(user)
    if not org or not frappe.has_permission(ORG, "read", doc=org, user=user):
        return {"org": None, "community": community_applications(user)}
    org_doc = frappe.get_doc(ORG, org)
    apps = frappe.get_list(
        APPLICATION,
        filters={"organization": org, "docstatus": ("!=", 2)},
        fields=["name", "workflow_state", "application_date", "creation", "docstatus"],
        order_by="creation desc",
    )
    applications = []
    for row in apps:
        doc = frappe.get_doc(APPLICATION, row.name)
        applications.append(
            {
                "name": doc.name,
                "state": doc.workflow_state,
                "state_label": _(doc.workflow_state or "Draft"),
                "application_date": format_cn_date(doc.application_date),
                "timeline": workflow_timeline(doc.name),
                "action": APPLICANT_ACTIONS.get(doc.workflow_state),
                "action_label": _(APPLICANT_ACTIONS.get(doc.workflow_state) or ""),
                "editable": applicant_may_edit(doc),
                "returned_comment": doc.initial_review_comment if doc.workflow_state == "Returned" else None,
                "initial_review_comment": doc.initial_review_comment,
                "notice": doc.public_notice if doc.public_notice else None,
                "notice_period": (
                    f"{format_cn_date(doc.notice_start_date)}至{format_cn_date(doc.notice_end_date)}"
                    if doc.notice_start_date
                    else None
                ),
                "party_member_count": doc.party_member_count,
            }
        )
    agreements = [
        dict(a, start_cn=format_cn_date(a.start_date), end_cn=format_cn_date(a.end_date), signed_cn=format_cn_date(a.signed_on))
        for a in frappe.get_list(
            "Incubation Agreement",
            filters={"organization": org, "docstatus": 1},
            fields=["name", "start_date", "end_date", "signed_on", "cycle_months"],
            order_by="start_date desc",
        )
    ]
    return {
        "org": org_doc,
        "status_label": _(org_doc.incubation_status or "Not Applied"),
        "applications": applications,
        "agreements": agreements,
        "quota": quota_standing(org),
        "trainings": upcoming_trainings(org),
        "evaluations": evaluation_results(org),
        "awards": awards(org),
        "can_apply": not any(a["state"] not in ("Not Admitted",) for a in applications),
    }


def upcoming_trainings(org: str) -> list[dict]:
    """Trainings (R-7.3.1a training types) from today on that serve the organization.
    Activities are the center's records (center scope only); the organization sees just
    the title, type, date, time and place of those it is listed on – never participants."""
    from shuangfuhua_app.standard.activities import TRAINING_TYPES

    rows = frappe.db.sql(
        """
        select distinct a.name, a.activity_title, a.activity_type, a.activity_date, a.start_time, a.end_time, a.place
        from `tabIncubation Activity` a
        join `tabIncubation Activity Organization` o
          on o.parent = a.name and o.parenttype = 'Incubation Activity' and o.parentfield = 'organizations'
        where o.organization = %(org)s and a.activity_date >= %(today)s and a.activity_type in %(types)s
          and a.docstatus < 2
        order by a.activity_date asc, a.start_time asc
        """,
        {"org": org, "today": today(), "types": tuple(sorted(TRAINING_TYPES))},
        as_dict=True,
    )
    return [
        frappe._dict(
            r,
            type_label=_(r.activity_type, context="Incubation Activity"),
            date_cn=format_cn_date(r.activity_date),
            time=(f"{str(r.start_time)[:5]}" + (f"–{str(r.end_time)[:5]}" if r.end_time else "")) if r.start_time else "",
        )
        for r in rows
    ]


def evaluation_results(org: str) -> list[dict]:
    """The organization's periodic evaluations (read as the user: R-SCOPE)."""
    return [
        frappe._dict(
            r,
            type_label=_(r.evaluation_type or "", context="Periodic Evaluation"),
            credit_label=_(r.credit_status, context="Periodic Evaluation") if r.credit_status else "",
            date_cn=format_cn_date(r.evaluation_date),
        )
        for r in frappe.get_list(
            "Periodic Evaluation",
            filters={"organization": org},
            fields=["name", "evaluation_type", "evaluation_year", "evaluation_date", "overall_score", "credit_status",
                    "result_summary"],
            order_by="evaluation_date desc, creation desc",
        )
    ]


def awards(org: str) -> list[dict]:
    return [
        frappe._dict(r, level_label=_(r.honor_level or "", context="Award and Honor"), date_cn=format_cn_date(r.awarded_on))
        for r in frappe.get_list(
            "Award and Honor",
            filters={"organization": org},
            fields=["name", "honor_name", "honor_level", "awarding_body", "awarded_on", "certificate"],
            order_by="awarded_on desc, creation desc",
        )
    ]


def community_applications(user: str | None = None) -> dict | None:
    """For a community's user (R-6.1.2): the filed organizations of its communities and
    their applications, which it submits on their behalf."""
    if not _is_community_applicant(user):
        return None
    communities = user_communities(user)
    orgs = frappe.get_list(
        ORG, filters={"community": ("in", communities or [""]), "org_type": "Filed"}, fields=["name", "org_name"],
        order_by="org_name asc",
    )
    apps = frappe.get_list(
        APPLICATION,
        filters={"community": ("in", communities or [""]), "docstatus": ("!=", 2)},
        fields=["name", "organization", "workflow_state", "channel", "application_date"],
        order_by="creation desc",
    )
    for a in apps:
        a.state_label = _(a.workflow_state or "Draft")
        a.action = APPLICANT_ACTIONS.get(a.workflow_state)
        a.action_label = _(a.action) if a.action else ""
        a.date_cn = format_cn_date(a.application_date)
    return {"communities": communities, "orgs": orgs, "applications": apps}


# ====================================================================== report and ask


def _state_label(doctype: str, value: str | None, default: str) -> str:
    return _(value or default, context=doctype)


def my_reports(user: str | None = None) -> dict:
    """Report and Ask (issue 4 §4): the organization's questions with the center's answers,
    its major-event and activity reports, and its venture projects – read as the user."""
    user = user or frappe.session.user
    org = representative_org(user)
    if not org or not frappe.has_permission(ORG, "read", doc=org, user=user):
        return {"org": None}
    consultations = frappe.get_list(
        "Consultation",
        filters={"organization": org},
        fields=["name", "subject", "topic", "question", "asked_on", "consultation_status", "answer", "answered_on",
                "response_hours"],
        order_by="asked_on desc, creation desc",
    )
    for c in consultations:
        c.status_label = _state_label("Consultation", c.consultation_status, "Awaiting Answer")
        c.answered = c.consultation_status == "Answered"
        c.answer_text = frappe.utils.strip_html(c.answer or "").strip()
        c.asked_cn = format_cn_date(c.asked_on)
        c.answered_cn = format_cn_date(c.answered_on)
    events = frappe.get_list(
        "Major Event Report",
        filters={"organization": org},
        fields=["name", "event_title", "event_date", "reported_on", "report_status", "center_comment"],
        order_by="event_date desc, creation desc",
    )
    for e in events:
        e.status_label = _state_label("Major Event Report", e.report_status, "Reported")
        e.date_cn = format_cn_date(e.event_date)
    projects = frappe.get_list(
        "Venture Project",
        filters={"organization": org},
        fields=["name", "project_name", "project_field", "workflow_state", "budget", "granted_amount"],
        order_by="creation desc",
    )
    for v in projects:
        v.state_label = _(v.workflow_state or "Project Application")
        v.action = PORTAL_ACTIONS["Venture Project"].get(v.workflow_state)
        v.action_label = _(v.action) if v.action else ""
        v.field_label = _(v.project_field or "", context="Venture Project")
        v.reportable = v.workflow_state in ("In Execution", "Closing Evaluation")
    reports = frappe.get_list(
        "Activity Report",
        filters={"organization": org},
        fields=["name", "activity_title", "report_type", "activity_date", "report_status", "center_comment",
                "venture_project"],
        order_by="activity_date desc, creation desc",
    )
    for r in reports:
        r.status_label = _state_label("Activity Report", r.report_status, "Reported")
        r.type_label = _(r.report_type or "Activity Report", context="Activity Report")
        r.date_cn = format_cn_date(r.activity_date)
    return {
        "org": frappe.get_doc(ORG, org),
        "consultations": consultations,
        "events": events,
        "projects": projects,
        "reports": reports,
    }


# ====================================================================== install / migrate


def after_migrate():
    """Guests on the public notice page get the site's language (System Settings keeps the
    "lang" default in sync only when saved as a document; a scripted set_single_value
    leaves it behind)."""
    language = frappe.db.get_single_value("System Settings", "language")
    if language and frappe.db.get_default("lang") != language:
        frappe.db.set_default("lang", language)


def after_install():
    """Once, at install (an administrator may switch both off again; migrate leaves them
    alone): organizations sign up on the portal themselves, and representatives may log
    in with their mobile number (issue 4 §1)."""
    after_migrate()
    frappe.db.set_single_value("Website Settings", "disable_signup", 0)
    frappe.db.set_single_value("System Settings", "allow_login_using_mobile_number", 1)
