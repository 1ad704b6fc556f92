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
from frappe.utils import cint, get_datetime, getdate, now_datetime, validate_email_address

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


# ====================================================================== application guards


def application_before_insert(doc, method=None):
    """The portal (a Web Form saves with ignore_permissions) fixes the organization to the
    representative's own; nobody applies for another organization from the portal."""
    if not _is_portal_applicant():
        return
    if not frappe.has_permission(APPLICATION, "create"):
        frappe.throw(_("Your account is not linked to an organization yet. Please contact your service center."),
                     frappe.PermissionError)
    org = representative_org()
    if not org:
        frappe.throw(_("Your account is not linked to an organization yet. Please contact your service center."),
                     frappe.PermissionError)
    if doc.organization and doc.organization != org:
        frappe.throw(_("You can only apply for your own organization."), frappe.PermissionError)
    if not doc.organization:
        doc.organization = org
        values = {}
        for df in doc.meta.fields:
            if (df.fetch_from or "").startswith("organization.") and not doc.get(df.fieldname):
                values[df.fieldname] = df.fetch_from.split(".", 1)[1]
        if values:
            fetched = frappe.db.get_value(ORG, org, list(values.values()), as_dict=True)
            for fieldname, source in values.items():
                doc.set(fieldname, fetched.get(source))


def application_validate(doc, method=None):
    """Child rows can't be taken over from another record by naming them (Web Form posts rows as dicts)."""
    for table in doc.meta.get_table_fields():
        for row in doc.get(table.fieldname) or []:
            if not row.name or row.get("__islocal"):
                continue
            parent = frappe.db.get_value(table.options, row.name, ["parent", "parenttype"])
            if parent and (parent[0] != doc.name or parent[1] != doc.doctype):
                frappe.throw(_("Row {0} does not belong to this record.").format(row.idx), frappe.PermissionError)
    if _is_portal_applicant() and not doc.is_new():
        org = representative_org()
        if doc.organization != org:
            frappe.throw(_("You can only apply for your own organization."), frappe.PermissionError)


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
    doc = frappe.get_doc(APPLICATION, name)
    doc.check_permission("write")
    action = APPLICANT_ACTIONS.get(doc.workflow_state)
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
        return {"org": None}
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
        "can_apply": not any(a["state"] not in ("Not Admitted",) for a in applications),
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
