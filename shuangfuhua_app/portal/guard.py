"""The portal's save guard (R-SCOPE): what an organization files from the portal belongs to it.

Web Forms save with ``ignore_permissions``, so for the DocTypes in
``shuangfuhua_app.scope.PORTAL_DOCTYPES`` these ``doc_events`` pin the organization, keep
the fields only the center may write, and refuse changes once the center has taken the
record up – on every route alike (Web Form, REST), one function for all of them.
Reading is guarded by ``shuangfuhua_app.permissions``.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from shuangfuhua_app.portal.representatives import (
    APPLICATION,
    ORG,
    is_community_applicant,
    is_portal_applicant,
    representative_org,
    user_communities,
)
from shuangfuhua_app.scope import SCOPE_FIELDS
from shuangfuhua_app.utils import today

#: fields the organization never sets itself (the controller or the portal fills them in;
#: the workflow state is guarded by the workflow's own transition rules)
LOCKED_FIELDS = {
    "Consultation": ("consult_channel", "asked_on", "asked_by", "consultation_status"),
    "Major Event Report": ("reported_on",),
    "Activity Report": ("reported_on",),
    "Service Feedback": ("channel", "submitted_by", "feedback_date"),
}


def _not_linked():
    frappe.throw(_("Your account is not linked to an organization yet. Please contact your service center."),
                 frappe.PermissionError)


def _pin_organization(doc, org: str) -> None:
    """The record belongs to ``org``: the organization, its scope fields (center, community)
    and the read-only copies are taken from the organization's record; what the applicant
    may correct (fetched only when empty: founded date, head, address, …) stays as sent."""
    doc.organization = org
    pinned = set(SCOPE_FIELDS.get(doc.doctype, {}).values())
    values = {
        df.fieldname: df.fetch_from.split(".", 1)[1]
        for df in doc.meta.fields
        if (df.fetch_from or "").startswith("organization.")
    }
    if values:
        fetched = frappe.db.get_value(ORG, org, list(values.values()), as_dict=True) or {}
        for fieldname, source in values.items():
            df = doc.meta.get_field(fieldname)
            if df.fetch_if_empty and fieldname not in pinned and doc.get(fieldname):
                continue
            doc.set(fieldname, fetched.get(source))


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
    if doc.doctype == APPLICATION and is_community_applicant():
        _community_application(doc)
        return
    if not is_portal_applicant():
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


def portal_may_change(doc, before) -> str | None:
    """None while the organization may still change the record, else why not."""
    if doc.doctype == "Consultation" and frappe.utils.strip_html(before.answer or "").strip():
        return _("The center has answered this question; please ask a new one.")
    if doc.doctype in ("Major Event Report", "Activity Report") and before.report_status == "Acknowledged":
        return _("The center has acknowledged this report; it can no longer be changed.")
    if doc.doctype == "Service Feedback" and (before.feedback_status != "Open" or (before.response or "").strip()):
        return _("The center is handling this feedback; it can no longer be changed.")
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
    if doc.doctype == "SFH Resource Need" and before.status != "Open":  # R-RESOURCE: the center took it up
        return _("The center has taken this need up; it can no longer be changed.")
    if doc.doctype == "Organization Filing" and (before.workflow_state or "Draft") not in ("Draft", "Returned"):
        return _("The filing is being reviewed ({0}); it cannot be changed now.").format(_(before.workflow_state or ""))
    return None


def portal_before_validate(doc, method=None):
    """Before the controller runs: the organization stays the representative's own, a record
    the center has taken up is no longer changed, and fields only the center writes (higher
    permlevels, the workflow state, the controller's fields) keep their values – Frappe
    skips that reset when the Web Form saves with ``ignore_permissions``."""
    if doc.doctype == APPLICATION and is_community_applicant():
        if not doc.is_new():
            _community_application(doc)
        return
    if not is_portal_applicant():
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
        if reason := portal_may_change(doc, before):
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
