"""Organization representatives (R-6.1, R-SCOPE).

A representative is a Website User linked to exactly one organization by a User
Permission; staff invite or re-link one.  A community's worker (R-6.1.2) is linked to its
community.  Who is who is decided here, for the portal's guard and pages.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import validate_email_address

from shuangfuhua_app.standard.identity import normalize_mobile, validate_mobile

APPLICATION = "Incubation Application"
ORG = "Community Social Organization"
REP_ROLE = "Organization Representative"
COMMUNITY_ROLE = "Community Worker"
STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}
#: roles that make a user part of a center or the district: never turned into a representative
DESK_ROLES = STAFF_ROLES | {
    "Review Panel Member", "Township Leader", "Business Supervisory Unit", "Leading Group Office", "Community Worker",
}


def representative_org(user: str | None = None) -> str | None:
    """The one organization a representative is linked to (R-SCOPE), or None."""
    orgs = frappe.get_all(
        "User Permission", filters={"user": user or frappe.session.user, "allow": ORG}, pluck="for_value",
        ignore_permissions=True,
    )
    return orgs[0] if len(orgs) == 1 else None


def is_portal_applicant(user: str | None = None) -> bool:
    user = user or frappe.session.user
    if user in ("Administrator", "Guest"):
        return False
    roles = set(frappe.get_roles(user))
    return not (roles & DESK_ROLES) and (REP_ROLE in roles or bool(frappe.flags.in_web_form))


def is_community_applicant(user: str | None = None) -> bool:
    roles = set(frappe.get_roles(user or frappe.session.user))
    return COMMUNITY_ROLE in roles and not (roles & STAFF_ROLES)


def user_communities(user: str | None = None) -> list[str]:
    return frappe.get_all(
        "User Permission", filters={"user": user or frappe.session.user, "allow": "Community"}, pluck="for_value",
        ignore_permissions=True,
    )


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
        # before anything is changed: the account's present organizations must all be the
        # inviting user's to write (R-SCOPE) – another center's representative is not taken
        check_relink_allowed(email, organization)
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
    previous = frappe.get_all(
        "User Permission", filters={"user": email, "allow": ORG}, fields=["name", "for_value"], ignore_permissions=True
    )
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


def check_relink_allowed(user: str, organization: str) -> None:
    """Moving a representative from its organization to ``organization`` is for someone who
    may write both (holds both scopes, R-SCOPE).  Otherwise refused before anything changes,
    with a message naming neither the other organization nor its center."""
    present = frappe.get_all(
        "User Permission", filters={"user": user, "allow": ORG, "for_value": ("!=", organization)}, pluck="for_value",
        ignore_permissions=True,
    )
    for other in present:
        # a permission on an organization that no longer exists grants nothing: it may go
        if frappe.db.exists(ORG, other) and not frappe.has_permission(ORG, "write", doc=other):
            frappe.throw(
                _("This account already represents another organization, which you do not manage; "
                  "only someone who manages both organizations can move it."),
                frappe.PermissionError,
            )


def validate_user_permission(doc, method=None):
    """A representative is linked to exactly one organization (R-SCOPE).  The message names
    no other organization (whoever edits User Permissions need not read it)."""
    if doc.allow != ORG or REP_ROLE not in frappe.get_roles(doc.user):
        return
    others = frappe.get_all(
        "User Permission",
        filters={"user": doc.user, "allow": ORG, "for_value": ("!=", doc.for_value), "name": ("!=", doc.name or "")},
        pluck="for_value",
        ignore_permissions=True,
    )
    if others:
        frappe.throw(
            _("{0} already represents another organization; an organization representative is linked to exactly one organization.").format(
                doc.user
            )
        )
