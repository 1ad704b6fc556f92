"""Fields only the app writes (R-X-SYSTEM, issue 14 §1).

The one declaration of the fields a client – REST, ``frappe.client.*``, a Desk save, a web
form, Data Import, ``run_doc_method``, whatever the user's role – may never set or change:
who confirmed or decided what and when, outcomes, links to the consequences of a decision
(honor certificate, new agreement, follow-up service …), certificate and filing numbers,
computed totals, levels and scores, frozen measures, dates the app stamps.

* ``SYSTEM_SET`` – doctype -> the fields the app writes (child DocTypes included: a row's
  field is checked with its parent's save; a Table field listed here means the table's rows
  are made by the app, not by a client).
* ``EDITABLE`` – doctype -> {field: reason} for every other ``read_only`` field of an app
  DocType: read-only in the form only, and why that is enough.

Tier 1 (tests/unit/test_system_fields.py) fails when a ``read_only`` field of an app DocType
stands in neither, or a declared field does not exist. ``shuangfuhua_app.system_guard``
enforces ``SYSTEM_SET`` (doc_events "*"). Plain data without Frappe.
"""

from __future__ import annotations

#: reasons a read-only field may come from a client
FETCHED = (
    "copied by Frappe from the linked record on every save before submission (fetch_from), and "
    "set again by the controller from that record: a value a client sends never stays"
)
WORKFLOW = (
    "moved only along the site's workflow: Frappe's validate_workflow refuses a state that no "
    "transition open to the user's roles leads to, and the controllers re-check the standard's "
    "gates (R-CONFIRM, R-FILE, R-EXIT-ORG, R-6.*) whatever the workflow says"
)
AMENDED = (
    "Frappe's amendment link (the Desk's Amend button sets it on the client); Frappe accepts only "
    "a cancelled record of the same DocType (Document.validate_amended_from)"
)
RECOMPUTED_NOTICE_END = (
    "computed from the start date and the working-day calendar on every save (R-6.3); the form "
    "clears it when the start date changes, so the client sends an empty value on purpose"
)
RENEWAL_CHECKED = (
    "the renewed agreement: the controller accepts only a signed agreement of the same application "
    "whose exit result was finally confirmed Not Up to Standard with re-signing chosen, once "
    "(R-8.1.2, IncubationAgreement.validate_renewal)"
)

SYSTEM_SET: dict[str, tuple[str, ...]] = {
    # dates the app stamps
    "Activity Report": ("reported_on",),
    "Major Event Report": ("reported_on",),
    # who scored (the signed-in panel member), the template's criteria, the total
    "Application Review": ("reviewer", "reviewer_name", "reviewer_category", "total_score"),
    "Application Review Score": ("criterion", "method", "weight", "max_score"),
    # R-SCREEN: the screening's findings
    "Application Screening": ("screening_status", "criteria_finding"),
    # R-HUB: recognised only when the four criteria are met
    "Brand Evaluation": ("recognised", "result"),
    # the yearly review's figures and the corrective actions it lists
    "Center Annual Review": (
        "figures_as_of", "satisfaction_count", "average_rating", "suggestion_count", "complaint_count",
        "complaints_handled", "action_count", "actions_completed", "actions_overdue", "exits_excellent",
        "exits_good", "exits_pass", "exits_fail", "summary", "finding", "actions",
    ),
    "Center Review Action": (
        "corrective_action", "problem", "action", "owner_user", "due_date", "action_status", "completed_on",
        "overdue",
    ),
    # the organization's status and the consequences of its exit (§8)
    "Community Social Organization": (
        "incubation_status", "exit_assessment", "exit_level", "exit_date", "follow_up_service", "honor_certificate",
    ),
    # who answered and when, the response time
    "Consultation": ("consultation_status", "answered_by", "answered_on", "response_hours"),
    # R-CONFIRM: indicators from the template, frozen measures, total and level, the
    # thresholds copied, the confirmations, the outcome and the links to its consequences
    "Exit Assessment": (
        "indicators", "total_score", "level", "result_summary", "measured_on", "pass_score", "good_score",
        "excellent_score", "min_assessors", "first_confirmed_by", "first_confirmed_on", "final_confirmed_by",
        "final_confirmed_on", "outcome", "outcome_date", "outcome_note", "new_agreement", "follow_up_service",
        "honor_certificate",
    ),
    "Exit Assessment Indicator": (
        "indicator", "dimension", "source", "weight", "max_score", "clause", "guidance", "measured",
        "measured_score", "manual_average", "assessor_count", "score", "points", "basis", "figures",
    ),
    "Exit Assessment Score": ("max_score",),
    "Exit Assessment Template": ("total_weight", "coverage"),
    # made by the final confirmation
    "Follow Up Service": (
        "organization", "exit_assessment", "incubation_agreement", "level", "start_date", "service_status",
        "coverage",
    ),
    # R-X-VERIFY: issued by the final confirmation; revocation stamped by the app
    "Honor Certificate": (
        "organization", "issuer", "issue_date", "level", "total_score", "exit_assessment", "incubation_agreement",
        "verification_url", "revoked_on", "revoked_by",
    ),
    "Hub Membership": ("membership_status",),
    # issue 18 §5: qr_hours, the QR sign-ins' part of person_hours, kept by the controller
    "Incubation Activity": ("attended_count", "person_hours", "qr_hours", "track_note"),
    # issue 16: where a participant row comes from (typed by staff or a confirmed QR sign-in)
    "Incubation Activity Participant": ("source", "sign_in"),
    # issue 16: a QR sign-in is made by the guest page and moved by staff's methods only
    # (shuangfuhua_app.signin): times, hours, the roster match and the confirmation
    "Activity Sign In": (
        "activity", "service_center", "organization", "match_status", "sheet_status", "member", "member_name",
        "phone_masked", "phone_key", "signed_in_at", "signed_out_at", "hours", "confirmed_by", "confirmed_on",
    ),
    # R-8.1.1a: the cycle from the settings: exit outcome and renewal links
    "Incubation Agreement": (
        "cycle_months", "end_date", "renewal_assessment", "exit_assessment", "exit_level", "exit_outcome",
        "exit_outcome_date", "renewed_by",
    ),
    # R-6.*: who submitted and reviewed, panel results, the notice and the agreement
    "Incubation Application": (
        "submitted_by", "party_member_count", "party_finding", "initial_reviewer", "initial_review_date",
        "review_count", "average_score", "admit_votes", "panel_decision", "panel_summary", "public_notice",
        "notice_start_date", "notice_end_date", "notice_result", "incubation_agreement",
    ),
    "Notice Objection": ("handled_by", "handled_on"),
    # R-4.1e, R-OPER: status and termination under the negative list
    "Operating Agreement": ("agreement_status", "termination_date", "termination_clause"),
    "Operator Financial Report": ("due_date",),
    "Operator Quarterly Summary": ("due_date",),
    # R-ILLEGAL ([HZ2019] 三（三）): how it came in and the dates of its steps, by the server
    "Illegal Organization Report": (
        "channel", "received_on", "verified_on", "handed_on_on", "closed_on", "handled_by",
    ),
    # R-REG-STEER ([10M] 第二条): who marked it when, the figures then, when the outcome came
    "Registration Steering": (
        "marked_on", "marked_by", "members_at_marking", "activities_at_marking", "funds_at_marking",
        "criteria_check", "outcome_on",
    ),
    # R-FILE: deadlines, the committee's and the township's steps, the certificate
    "Organization Filing": (
        "previous_filing", "change_due", "changes", "submitted_on", "committee_due", "committee_reviewed_on",
        "committee_reviewer", "township_due", "township_approved_on", "township_approver", "notice_start",
        "notice_end", "certificate_number", "certificate_date", "deadline_status",
    ),
    "Organization Member": ("roles_summary",),
    "Organization Performance Evaluation": ("overall_score",),
    # R-EXIT-ORG: the vote's result, the steps' dates, what was closed
    "Organization Termination": (
        "vote_result", "applied_on", "committee_forwarded_on", "township_approved_on", "notice_start",
        "notice_end", "closure_log",
    ),
    "Periodic Evaluation": (
        "avg_independent_operation", "avg_party_org_building", "avg_projects_undertaken",
        "avg_resident_satisfaction", "overall_score", "rater_check",
    ),
    # the notice's status and its publication
    "Public Notice": ("notice_status", "published_on", "processed_on"),
    "Public Notice Item": ("outcome",),
    "Review Panel": ("category_check", "is_complete"),
    "Review Template": ("total_weight",),
    "Secretary General Meeting": ("meeting_quarter", "attendee_count"),
    "Service Center": ("operator_name",),
    # who gave and who answered the feedback, when, through which channel
    "Service Feedback": ("feedback_date", "channel", "submitted_by", "responded_by", "responded_on"),
    "SFH Workflow Sync": ("file_hash", "synced_modified", "admin_edited"),
    "Venture Project": ("approved_on", "closed_on"),
    # R-LIST / R-EVAL-CONFIRM ([LW2021] 四（一）4–5、四（二）3–4): who submitted, first-reviewed,
    # approved or confirmed, and returned, and when – stamped by the server (oversight.run_chain)
    "Admission List": (
        "submitted_by", "submitted_on", "first_reviewed_by", "first_reviewed_on", "approved_by", "approved_on",
        "returned_by", "returned_on",
    ),
    "Incubation Work Evaluation": (
        "submitted_by", "submitted_on", "first_reviewed_by", "first_reviewed_on", "confirmed_by", "confirmed_on",
        "returned_by", "returned_on",
    ),
    # R-VOL: hours and time-bank points
    "SFH Volunteer": (
        "total_hours", "points", "points_balance", "integrity_summary", "commendation_count", "complaint_count",
        "no_show_count",
    ),
    # R-VOL-CREDIT ([10M] 第六条): who recorded the entry; the center is the volunteer's
    "SFH Volunteer Integrity Entry": ("service_center", "recorded_by"),
    # R-VOL-REDEEM ([10M] 第六条): what a redemption costs and when, the ledger's rows
    "SFH Points Redemption": ("service_center", "points", "redeemed_on", "redeemed_by", "balance_after"),
    "SFH Volunteer Points Entry": (
        "volunteer", "volunteer_name", "service_center", "entry_type", "posting_date", "points", "balance_after",
        "reference_doctype", "reference_name", "note", "recorded_by",
    ),
    "Volunteer Activity": ("total_hours",),
    "Volunteer Service Record": ("points",),
    # R-VOL-MATCH ([10M] 第六条 供需对接): places taken, who posted, the service record; the
    # acceptances are rows the app writes (a volunteer accepts, staff record served / no-show)
    "SFH Volunteer Need": ("accepted_count", "posted_by", "service_activity", "acceptances"),
    "SFH Volunteer Need Acceptance": (
        "volunteer", "volunteer_name", "accepted_on", "acceptance_status", "hours", "service_activity", "integrity_entry",
        "outcome_by",
    ),
    # R-RESOURCE ([HZ2019] 三（四）, [10M] 第五条): who posted, entered and matched, when, and
    # the match's center and organization (the need's)
    "SFH Resource Need": ("channel", "posted_by", "posted_on"),
    "SFH Resource Offer": ("entered_by",),
    "SFH Resource Match": ("matched_by", "matched_on", "service_center", "organization"),
}

EDITABLE: dict[str, dict[str, str]] = {
    "Activity Report": {"org_name": FETCHED, "service_center": FETCHED},
    "Admission List": {"workflow_state": WORKFLOW},
    "Admission List Item": {"organization": FETCHED, "org_name": FETCHED, "average_score": FETCHED},
    "Incubation Work Evaluation": {"workflow_state": WORKFLOW, "operator_name": FETCHED},
    "Incubation Work Evaluation Item": {"org_name": FETCHED},
    "Application Review": {
        "org_name": FETCHED, "service_center": FETCHED, "review_panel": FETCHED, "amended_from": AMENDED,
    },
    "Application Screening": {"organization": FETCHED, "org_name": FETCHED, "service_center": FETCHED},
    "Award and Honor": {"org_name": FETCHED, "service_center": FETCHED},
    "Brand Evaluation": {"org_name": FETCHED, "service_center": FETCHED},
    "Center Annual Review": {"amended_from": AMENDED},
    "Community": {"township": FETCHED},
    "Consultation": {"org_name": FETCHED, "service_center": FETCHED},
    "Exit Assessment": {
        "organization": FETCHED, "org_name": FETCHED, "service_center": FETCHED, "community": FETCHED,
        "workflow_state": WORKFLOW, "agreement_start": FETCHED, "agreement_end": FETCHED, "amended_from": AMENDED,
    },
    "Follow Up Service": {"org_name": FETCHED, "service_center": FETCHED},
    "Grade Evaluation": {"org_name": FETCHED, "service_center": FETCHED},
    "Honor Certificate": {"org_name": FETCHED, "service_center": FETCHED},
    "Hub Membership": {"org_name": FETCHED, "service_center": FETCHED},
    "Incubation Activity Organization": {"org_name": FETCHED, "development_stage": FETCHED},
    "Incubation Agreement": {
        "organization": FETCHED, "org_name": FETCHED, "service_center": FETCHED, "community": FETCHED,
        "party_a": FETCHED, "party_b": FETCHED, "amended_from": AMENDED, "previous_agreement": RENEWAL_CHECKED,
    },
    "Incubation Application": {
        "org_name": FETCHED, "org_type": FETCHED, "service_center": FETCHED, "workflow_state": WORKFLOW,
        "amended_from": AMENDED,
    },
    "Major Event Report": {"org_name": FETCHED, "service_center": FETCHED},
    "Mentoring Visit": {"org_name": FETCHED, "service_center": FETCHED},
    "Notice Objection": {"service_center": FETCHED, "org_name": FETCHED},
    "Operator Financial Report": {"operator_name": FETCHED, "service_center": FETCHED},
    "Operator Quarterly Summary": {"operator_name": FETCHED, "service_center": FETCHED},
    "Registration Steering": {"org_name": FETCHED, "service_center": FETCHED, "community": FETCHED},
    "Operator Performance Evaluation": {"operator_name": FETCHED, "service_center": FETCHED},
    "Organization Filing": {
        "org_name": FETCHED, "service_center": FETCHED, "community": FETCHED, "workflow_state": WORKFLOW,
    },
    "Organization Member": {"org_name": FETCHED, "service_center": FETCHED},
    "Organization Performance Evaluation": {"org_name": FETCHED, "service_center": FETCHED},
    "Organization Publicity": {"org_name": FETCHED, "service_center": FETCHED},
    "Organization Termination": {
        "org_name": FETCHED, "service_center": FETCHED, "community": FETCHED, "workflow_state": WORKFLOW,
    },
    "Periodic Evaluation": {"org_name": FETCHED, "service_center": FETCHED},
    "Public Notice": {"amended_from": AMENDED, "end_date": RECOMPUTED_NOTICE_END},
    "Public Notice Item": {
        "organization": FETCHED, "org_name": FETCHED, "org_type": FETCHED, "service_field": FETCHED,
    },
    "Service Feedback": {"org_name": FETCHED, "service_center": FETCHED},
    "Social Work Exam Record": {"org_name": FETCHED, "service_center": FETCHED, "member_name": FETCHED},
    "Venture Project": {"org_name": FETCHED, "service_center": FETCHED, "workflow_state": WORKFLOW},
    "Volunteer Service Record": {"volunteer_name": FETCHED},
    "SFH Resource Need": {"org_name": FETCHED, "service_center": FETCHED},
    "SFH Resource Match": {"org_name": FETCHED, "provider_name": FETCHED},
    "SFH Points Redemption": {"volunteer_name": FETCHED},
    "SFH Volunteer Integrity Entry": {"volunteer_name": FETCHED},
}
