"""Web Form 入驻孵化申请 (R-6.1): appendices A, B and C, attachments, saved as a draft.

The Web Form checks the record's own permissions (``apply_document_permissions``), so an
organization's user opens only its own applications (R-SCOPE).  Here the form also turns
read-only once the center has started the initial review, and shows the center's comments.
"""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.portal import APPLICANT_ACTIONS, applicant_may_edit

CHILD_LAYOUT_FIELDTYPES = {"Column Break", "Section Break", "Tab Break"}


def get_context(context):
    # labels as the application's DocType translates them (zh rows with a DocType context)
    context.sfh_messages = {"No.:Title of the 'row number' column": _("No.")}
    for field in context.web_form_doc.web_form_fields:
        for text in (field.label, field.description):
            if text:
                context.sfh_messages[text] = _(text, context="Incubation Application")
    # the Web Form renders its title and introduction untranslated
    if context.introduction_text:
        context.introduction_text = _(context.introduction_text)
    if frappe.form_dict.is_new:
        context.title = _("New {0}").format(_("Incubation Application"))
    elif context.web_form_title:
        context.web_form_title = _(context.web_form_title)

    # App. C: every column of the party-member row can be filled in (Frappe shows only
    # the list-view columns of a child table on a Web Form by default).
    for field in context.web_form_doc.web_form_fields:
        if field.fieldtype == "Table":
            meta = frappe.get_meta(field.options)
            field.fields = [
                df.as_dict() for df in meta.fields if df.fieldtype not in CHILD_LAYOUT_FIELDTYPES and not df.hidden
            ]
            # the Web Form sends translations only for its own fields: add the table's columns
            for df in field.fields:
                for text in [df.label, df.description] + (
                    (df.options or "").split("\n") if df.fieldtype == "Select" else []
                ):
                    if text:
                        context.sfh_messages[text] = _(text, context=field.options)

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
        "action": APPLICANT_ACTIONS.get(doc.workflow_state),
        "labels": {
            "state": _("Status"),
            "returned": _("The center returned the application for revision:"),
            "back": _("My Incubation"),
        },
    }
    return context
