"""The organization's pages: "my incubation" (its lifecycle from the workflow history, quota
standing, trainings, evaluations, awards) and "report and ask" – everything read as the
user, so ``shuangfuhua_app.permissions`` applies (R-SCOPE)."""

from __future__ import annotations

import json
from functools import cache

import frappe
from frappe import _
from frappe.utils import get_datetime

from shuangfuhua_app.portal.forms import applicant_may_edit, portal_action
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


#: the application's fields its timeline and its card need
TIMELINE_FIELDS = ["name", "creation", "modified", "workflow_state", "initial_review_comment"]


def workflow_timelines(rows: list) -> dict[str, list[dict]]:
    """application name -> the states it went through, with dates, from its Version history
    (R-AUDIT), for many applications with ONE query of their Versions (issue 18 §4: no query
    per application). ``rows`` carry :data:`TIMELINE_FIELDS`."""
    if not rows:
        return {}
    versions: dict[str, list] = {}
    for v in frappe.get_all(
        "Version",
        filters={"ref_doctype": APPLICATION, "docname": ("in", [r.name for r in rows])},
        fields=["docname", "creation", "data"],
        order_by="creation asc",
        ignore_permissions=True,
    ):
        versions.setdefault(v.docname, []).append(v)
    return {r.name: _timeline(r, versions.get(r.name, [])) for r in rows}


def _timeline(doc, versions: list) -> list[dict]:
    events = [{"state": "Draft", "on": doc.creation, "comment": None}]
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


#: the application's fields its card on "my incubation" shows
APPLICATION_FIELDS = TIMELINE_FIELDS + ["application_date", "docstatus", "initial_review_result", "public_notice",
                                        "notice_start_date", "notice_end_date", "party_member_count"]


def my_incubation(user: str | None = None, page=None) -> dict:
    """Everything the representative's page shows, read as the user (R-SCOPE). The lists that
    grow over the years (applications, agreements, exit results, evaluations, awards) show
    page ``page`` (issue 18 §4: :data:`~shuangfuhua_app.portal.paging.PAGE_SIZE` each, a fixed
    number of queries whatever their length)."""
    from shuangfuhua_app.portal import paging

    user = user or frappe.session.user
    org = representative_org(user)
    org_doc = frappe.get_doc(ORG, org) if org else None
    if not org_doc or not frappe.has_permission(ORG, "read", doc=org_doc, user=user):
        return {"org": None, "community": community_applications(user, page)}
    lists = {
        "applications": (APPLICATION, {"organization": org, "docstatus": ("!=", 2)}),
        "agreements": ("Incubation Agreement", {"organization": org, "docstatus": 1}),
        "evaluations": ("Periodic Evaluation", {"organization": org}),
        "awards": ("Award and Honor", {"organization": org}),
    }
    totals = {key: paging.count(dt, filters) for key, (dt, filters) in lists.items()}
    from shuangfuhua_app.exit import portal_exit_count

    totals["exit_results"] = portal_exit_count(org)
    pg = paging.pager(page, totals)
    # the page's applications as the user (R-SCOPE), then their fields and their timelines in
    # one query each
    names = [r.name for r in paging.page_rows(APPLICATION, lists["applications"][1], ["name"],
                                              "creation desc, name desc", pg)]
    rows = frappe.get_all(APPLICATION, filters={"name": ("in", names or [""])}, fields=APPLICATION_FIELDS,
                          ignore_permissions=True)
    by_name = {r.name: r for r in rows}
    timelines = workflow_timelines(rows)
    action_of = cache(lambda state: portal_action(APPLICATION, state))
    applications = []
    for name in names:
        doc = by_name.get(name)
        if not doc:
            continue
        applications.append(
            {
                "name": doc.name,
                "state": doc.workflow_state,
                "state_label": _(doc.workflow_state or "Draft"),
                "application_date": format_cn_date(doc.application_date),
                "timeline": timelines.get(doc.name, []),
                "action": (action := action_of(doc.workflow_state)),
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
        for a in paging.page_rows(
            "Incubation Agreement", lists["agreements"][1],
            ["name", "start_date", "end_date", "signed_on", "cycle_months"], "start_date desc, name desc", pg,
        )
    ]
    # a new application once every earlier one (on every page) ended without admission
    # (refused, withdrawn, closed – by what its state means on the site, issue 15 §2): one
    # query for the distinct states
    states = frappe.get_list(APPLICATION, filters=lists["applications"][1], fields=["workflow_state"],
                             group_by="workflow_state", order_by=None, pluck="workflow_state")
    return {
        "org": org_doc,
        "status_label": _(org_doc.incubation_status or "Not Applied"),
        "applications": applications,
        "agreements": agreements,
        "quota": quota_standing(org),
        "trainings": upcoming_trainings(org),
        "evaluations": evaluation_results(org, pg),
        "awards": awards(org, pg),
        "exit_results": exit_results(org, pg),
        "can_apply": all(state_meaning(APPLICATION, s or "Draft") in ENDED - {ADMITTED} for s in states),
        "totals": totals,
        **pg,
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


def evaluation_results(org: str, pg: dict | None = None) -> list[dict]:
    """The organization's periodic evaluations (read as the user: R-SCOPE), page ``pg``."""
    from shuangfuhua_app.portal import paging

    pg = pg or paging.pager(1, 0)
    return [
        frappe._dict(
            r,
            type_label=_(r.evaluation_type or "", context="Periodic Evaluation"),
            credit_label=_(r.credit_status, context="Periodic Evaluation") if r.credit_status else "",
            date_cn=format_cn_date(r.evaluation_date),
        )
        for r in paging.page_rows(
            "Periodic Evaluation",
            {"organization": org},
            ["name", "evaluation_type", "evaluation_year", "evaluation_date", "overall_score", "credit_status",
             "result_summary"],
            "evaluation_date desc, creation desc, name desc",
            pg,
        )
    ]


def exit_results(org: str, pg: dict | None = None) -> list[dict]:
    """Issue 8: the exit results once finally confirmed, the certificate and the follow-up
    service (``shuangfuhua_app.exit.portal_exit_summary``; ``org`` is the user's own), page ``pg``."""
    from shuangfuhua_app.exit import portal_exit_summary

    if pg is None:
        return portal_exit_summary(org)
    return portal_exit_summary(org, start=pg["start"], page_length=pg["page_size"])


def awards(org: str, pg: dict | None = None) -> list[dict]:
    from shuangfuhua_app.portal import paging

    pg = pg or paging.pager(1, 0)
    return [
        frappe._dict(r, level_label=_(r.honor_level or "", context="Award and Honor"), date_cn=format_cn_date(r.awarded_on))
        for r in paging.page_rows(
            "Award and Honor",
            {"organization": org},
            ["name", "honor_name", "honor_level", "awarding_body", "awarded_on", "certificate"],
            "awarded_on desc, creation desc, name desc",
            pg,
        )
    ]


def community_applications(user: str | None = None, page=None) -> dict | None:
    """For a community's user (R-6.1.2): the filed organizations of its communities and
    their applications, which it submits on their behalf – page ``page`` of them (issue 18 §4)."""
    from shuangfuhua_app.portal import paging

    if not is_community_applicant(user):
        return None
    communities = user_communities(user)
    orgs = frappe.get_list(
        ORG, filters={"community": ("in", communities or [""]), "org_type": "Filed"}, fields=["name", "org_name"],
        order_by="org_name asc",
    )
    filters = {"community": ("in", communities or [""]), "docstatus": ("!=", 2)}
    total = paging.count(APPLICATION, filters)
    pg = paging.pager(page, total)
    apps = paging.page_rows(
        APPLICATION, filters, ["name", "organization", "workflow_state", "channel", "application_date"],
        "creation desc, name desc", pg,
    )
    action_of = cache(lambda state: portal_action(APPLICATION, state))
    for a in apps:
        a.state_label = _(a.workflow_state or "Draft")
        a.action = action_of(a.workflow_state)
        a.action_label = _(a.action) if a.action else ""
        a.date_cn = format_cn_date(a.application_date)
    return {"communities": communities, "orgs": orgs, "applications": apps, "total": total, **pg}


# ====================================================================== report and ask


def _state_label(doctype: str, value: str | None, default: str) -> str:
    return _(value or default, context=doctype)


def my_reports(user: str | None = None, page=None) -> dict:
    """Report and Ask (issue 4 §4): the organization's questions with the center's answers,
    its major-event and activity reports, and its venture projects – read as the user; page
    ``page`` of each list (issue 18 §4: a fixed number of queries whatever their length)."""
    from shuangfuhua_app.portal import paging

    user = user or frappe.session.user
    org = representative_org(user)
    org_doc = frappe.get_doc(ORG, org) if org else None
    if not org_doc or not frappe.has_permission(ORG, "read", doc=org_doc, user=user):
        return {"org": None}
    mine = {"organization": org}
    lists = {
        "consultations": ("Consultation", ["name", "subject", "topic", "question", "asked_on", "consultation_status",
                                           "answer", "answered_on", "response_hours"],
                          "asked_on desc, creation desc, name desc"),
        "events": ("Major Event Report", ["name", "event_title", "event_date", "reported_on", "report_status",
                                          "center_comment"], "event_date desc, creation desc, name desc"),
        "projects": ("Venture Project", ["name", "project_name", "project_field", "workflow_state", "budget",
                                         "granted_amount"], "creation desc, name desc"),
        "reports": ("Activity Report", ["name", "activity_title", "report_type", "activity_date", "report_status",
                                        "center_comment", "venture_project"],
                    "activity_date desc, creation desc, name desc"),
    }
    from shuangfuhua_app.resources import portal_needs_count

    totals = {key: paging.count(dt, mine) for key, (dt, _f, _o) in lists.items()}
    totals["resource_needs"] = portal_needs_count(org)
    pg = paging.pager(page, totals)
    out = {key: paging.page_rows(dt, mine, fields, order, pg) for key, (dt, fields, order) in lists.items()}
    consultations, events, projects, reports = (out[k] for k in ("consultations", "events", "projects", "reports"))
    for c in consultations:
        c.status_label = _state_label("Consultation", c.consultation_status, "Awaiting Answer")
        c.answered = c.consultation_status == "Answered"
        c.answer_text = frappe.utils.strip_html(c.answer or "").strip()
        c.asked_cn = format_cn_date(c.asked_on)
        c.answered_cn = format_cn_date(c.answered_on)
    for e in events:
        e.status_label = _state_label("Major Event Report", e.report_status, "Reported")
        e.date_cn = format_cn_date(e.event_date)
    action_of = cache(lambda state: portal_action("Venture Project", state))
    for v in projects:
        v.state_label = _(v.workflow_state or "Project Application")
        v.action = action_of(v.workflow_state)
        v.action_label = _(v.action) if v.action else ""
        v.field_label = _(v.project_field or "", context="Venture Project")
        v.reportable = is_project_underway(v.workflow_state)  # by the state's meaning (issue 15 §2)
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
        "totals": totals,
        **pg,
    }
