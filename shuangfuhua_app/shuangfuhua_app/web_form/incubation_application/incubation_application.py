"""Web Form 入驻孵化申请 (R-6.1): appendices A, B and C, attachments, saved as a draft.

The Web Form checks the record's own permissions (``apply_document_permissions``), so an
organization's user opens only its own applications (R-SCOPE).  Here the form also turns
read-only once the center has started the initial review, and shows the center's comments.
"""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.portal.forms import APPLICATION, applicant_may_edit, portal_action, portal_form_context


def get_context(context):
    portal_form_context(context, "Incubation Application")

    name = frappe.form_dict.name
    if not name or not frappe.db.exists("Incubation Application", name):
        context.sfh_info = None
        return context
    doc = frappe.get_doc("Incubation Application", name)  # permission checked by the Web Form
    editable = applicant_may_edit(doc)
    staff = bool({"Center Staff", "Center Head", "System Manager"} & set(frappe.get_roles()))
    if not editable and not staff:
        context.in_edit_mode = False
        context.in_view_mode = True
        context.allow_edit = False
        context.web_form_doc.in_edit_mode = False
        context.web_form_doc.in_view_mode = True
        context.web_form_doc.allow_edit = 0
    context.sfh_info = {
        "state": _(doc.workflow_state or "Draft"),
        "editable": editable,
        "locked_message": None if editable else _("The center has started reviewing this application; it can no longer be changed."),
        "returned_comment": doc.initial_review_comment if doc.workflow_state == "Returned" else None,
        "action": portal_action(APPLICATION, doc.workflow_state),
        "labels": {
            "state": _("Status"),
            "returned": _("The center returned the application for revision:"),
            "back": _("My Incubation"),
        },
    }
    return context
