"""The organization's pages: "my incubation" (its lifecycle from the workflow history, quota
standing, trainings, evaluations, awards) and "report and ask" – everything read as the
user, so ``shuangfuhua_app.permissions`` applies (R-SCOPE)."""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import get_datetime

from shuangfuhua_app.portal.forms import APPLICATION, applicant_may_edit, portal_action
from shuangfuhua_app.portal.representatives import (
    APPLICATION,
    ORG,
    is_community_applicant,
    representative_org,
    user_communities,
)
from shuangfuhua_app.utils import format_cn_date, today
from shuangfuhua_app.workflow_meanings import ADMITTED, ENDED
from shuangfuhua_app.workflow_paths import is_project_underway, state_meaning


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
    org_doc = frappe.get_doc(ORG, org) if org else None
    if not org_doc or not frappe.has_permission(ORG, "read", doc=org_doc, user=user):
        return {"org": None, "community": community_applications(user)}
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
                "action": (action := portal_action(APPLICATION, doc.workflow_state)),
                "action_label": _(action or ""),
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
        "exit_results": exit_results(org),
        # a new application once every earlier one ended without admission (refused, withdrawn,
        # closed – by what its state means on the site, issue 15 §2)
        "can_apply": all(state_meaning(APPLICATION, a["state"] or "Draft") in ENDED - {ADMITTED} for a in applications),
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


def exit_results(org: str) -> list[dict]:
    """Issue 8: the exit results once finally confirmed, the certificate and the follow-up
    service (``shuangfuhua_app.exit.portal_exit_summary``; ``org`` is the user's own)."""
    from shuangfuhua_app.exit import portal_exit_summary

    return portal_exit_summary(org)


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
    if not is_community_applicant(user):
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
        a.action = portal_action(APPLICATION, a.workflow_state)
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
    org_doc = frappe.get_doc(ORG, org) if org else None
    if not org_doc or not frappe.has_permission(ORG, "read", doc=org_doc, user=user):
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
        v.action = portal_action("Venture Project", v.workflow_state)
        v.action_label = _(v.action) if v.action else ""
        v.field_label = _(v.project_field or "", context="Venture Project")
        v.reportable = is_project_underway(v.workflow_state)  # by the state's meaning (issue 15 §2)
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
        "org": org_doc,
        "consultations": consultations,
        "events": events,
        "projects": projects,
        "reports": reports,
    }
