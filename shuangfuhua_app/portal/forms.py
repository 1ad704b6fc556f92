"""The portal's Web Forms: translated labels and child columns, the center's response on a
record, and the applicant's one workflow action (submit / resubmit), taken as the user."""

from __future__ import annotations

import frappe
from frappe import _

from shuangfuhua_app.portal.guard import portal_may_change
from shuangfuhua_app.portal.representatives import APPLICATION, STAFF_ROLES
from shuangfuhua_app.workflow_paths import transition_to

#: portal buttons: the label of the applicant's one step from each state (a label only – the
#: step itself is the workflow's transition to :data:`PORTAL_TARGETS`, whatever its action is
#: called on the site, issue 15 §1)
APPLICANT_ACTIONS = {"Draft": "Submit", "Returned": "Resubmit"}
#: … and on the other portal records with a workflow
PORTAL_ACTIONS = {APPLICATION: APPLICANT_ACTIONS, "Venture Project": {"Project Application": "Submit for Coaching"},
                  # R-FILE: the organization submits its filing to the residents' committee
                  "Organization Filing": {"Draft": "Submit for Filing", "Returned": "Resubmit"}}
#: the state the applicant's step reaches from each state
PORTAL_TARGETS = {
    APPLICATION: {"Draft": "Submitted", "Returned": "Submitted"},
    "Venture Project": {"Project Application": "Initial Coaching"},
    "Organization Filing": {"Draft": "Residents' Committee Review", "Returned": "Residents' Committee Review"},
}

def portal_action(doctype: str, state: str | None) -> str | None:
    """The label of the applicant's step from ``state``: the action the site's workflow gives
    the transition to :data:`PORTAL_TARGETS` today (an action renamed in Desk shows renamed,
    issue 15 §1), else the shipped label; None where the applicant has no step."""
    state = state or ("Project Application" if doctype == "Venture Project" else "Draft")
    target = PORTAL_TARGETS.get(doctype, {}).get(state)
    if not target:
        return None
    from shuangfuhua_app.workflow_paths import transitions_between

    actions = [t.action for t in transitions_between(doctype, state, target)]
    return actions[0] if actions else PORTAL_ACTIONS[doctype].get(state)


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
    elif doc.doctype == "Service Feedback":
        lines.append({"label": _("Status"), "value": _(doc.feedback_status or "Open", context=doc.doctype)})
        if doc.response:
            lines.append({"label": _label(doc, "response"), "value": doc.response, "cls": "sfh-answer"})
    elif doc.doctype == "Venture Project":
        lines.append({"label": _("Status"), "value": _(doc.workflow_state or "Project Application")})
        if doc.granted_amount:
            lines.append({"label": _label(doc, "granted_amount"), "value": frappe.format(doc.granted_amount, "Currency")})
        for fieldname in ("coaching_notes", "approval_comment", "evaluation_comment"):
            if doc.get(fieldname):
                lines.append({"label": _label(doc, fieldname), "value": doc.get(fieldname),
                              "cls": "sfh-answer"})
    elif doc.doctype == "Organization Filing":
        lines.append({"label": _("Status"), "value": _(doc.workflow_state or "Draft")})
        for fieldname in ("committee_opinion", "township_opinion", "notice_end", "certificate_number",
                          "deadline_status"):
            if doc.get(fieldname):
                lines.append({"label": _label(doc, fieldname), "value": str(doc.get(fieldname)), "cls": "sfh-answer"})
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
    locked = portal_may_change(doc, doc) if not (STAFF_ROLES & set(frappe.get_roles())) else None
    if locked:
        context.in_edit_mode = context.web_form_doc.in_edit_mode = False
        context.in_view_mode = context.web_form_doc.in_view_mode = True
        context.allow_edit = context.web_form_doc.allow_edit = 0
    context.sfh_info = {"lines": record_status_lines(doc), "locked_message": locked, "back": context.sfh_back}
    return context


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
    if doctype not in PORTAL_TARGETS:
        frappe.throw(_("Not permitted"), frappe.PermissionError)
    doc = frappe.get_doc(doctype, name)
    doc.check_permission("write")
    target = PORTAL_TARGETS[doctype].get(doc.workflow_state)
    if not target:
        frappe.throw(_("This application has already been submitted."))
    doc = transition_to(doc, target)
    return {"name": doc.name, "workflow_state": doc.workflow_state, "state_label": _(doc.workflow_state)}
