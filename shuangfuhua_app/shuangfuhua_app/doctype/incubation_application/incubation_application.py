# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻孵化申请 — App. A/B/C of DB3301/T 0346—2021 (R-6.1, R-6.1.2, R-6.2.1, R-6.2.2, R-6.3)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.admission import refresh_org_status
from shuangfuhua_app.exceptions import (
    InitialReviewGateError,
    InvalidIdentifierError,
    OpenApplicationError,
    StandardRuleError,
    throw,
)
from shuangfuhua_app.standard.admission import (
    ReviewerVote,
    aggregate_reviews,
    application_open_by_meaning,
    can_enter_panel_review,
    channel_allowed,
    check_one_open_application,
)
from shuangfuhua_app.standard.identity import (
    birth_date_from_resident_id,
    gender_from_resident_id,
    normalize_resident_id,
    validate_mobile,
    validate_resident_id,
)
from shuangfuhua_app.standard.party import check_party_organization
from shuangfuhua_app.utils import get_standard_settings, today

STAFF_ROLES = {"Center Staff", "Center Head", "System Manager"}
APPLICANT_ROLES = {"Organization Representative", "Community Worker"}
#: states in which the applicant may still change the application (R-6.1; issue: edit
#: until the center starts the initial review)
APPLICANT_EDITABLE = {"Draft", "Returned", "Submitted"}
BRANCH_FORMS = {"Party Branch", "Joint Party Branch"}
CHANNEL_KEYS = {"Direct": "direct", "Via Community": "community"}
ORG_TYPE_KEYS = {"Registered": "registered", "Filed": "filed"}
RECOMMENDATION_KEYS = {"Admit": "admit", "Reject": "reject", "Revise": "revise"}


class IncubationApplication(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.application_party_member.application_party_member import ApplicationPartyMember

        achievements: DF.SmallText | None
        activist_count: DF.Int
        address: DF.Data | None
        admit_votes: DF.Int
        amended_from: DF.Link | None
        application_date: DF.Date | None
        average_score: DF.Float
        channel: DF.Literal["Direct", "Via Community"]
        charter: DF.Attach | None
        community: DF.Link | None
        development_stage: DF.Literal["Startup", "Growth", "Mature"]
        founded_date: DF.Date | None
        head_name: DF.Data | None
        head_phone: DF.Data | None
        incubation_agreement: DF.Link | None
        initial_review_comment: DF.SmallText | None
        initial_review_date: DF.Date | None
        initial_review_result: DF.Literal["", "Passed", "Returned", "Not Accepted"]
        initial_reviewer: DF.Link | None
        instructor_name: DF.Data | None
        liaison_name: DF.Data | None
        main_activities: DF.SmallText
        member_count: DF.Int
        member_roster: DF.Attach | None
        needs: DF.SmallText
        notice_end_date: DF.Date | None
        notice_result: DF.Literal["", "Pending", "No Objection", "Objection Upheld"]
        notice_start_date: DF.Date | None
        org_name: DF.Data | None
        org_type: DF.Literal["Registered", "Filed"]
        organization: DF.Link
        other_attachment: DF.Attach | None
        panel_decision: DF.Literal["", "Admit", "Reject"]
        panel_summary: DF.SmallText | None
        party_activities: DF.SmallText | None
        party_applicant_count: DF.Int
        party_finding: DF.SmallText | None
        party_member_count: DF.Int
        party_members: DF.Table[ApplicationPartyMember]
        party_org_established: DF.Date | None
        party_org_form: DF.Literal["", "Party Branch", "Joint Party Branch", "Party Instructor", "Party Liaison", "None"]
        party_org_name: DF.Data | None
        party_secretary: DF.Data | None
        public_notice: DF.Link | None
        registration_certificate: DF.Attach | None
        review_count: DF.Int
        review_panel: DF.Link | None
        review_template: DF.Link | None
        service_center: DF.Link | None
        service_field: DF.Literal["Community Service", "Charity and Mutual Aid", "Culture and Sports", "Elderly and Children", "Dispute Mediation", "Consultative Self-governance", "Volunteer Service", "Safety Building", "Hardship Assistance", "Neighborhood Mutual Aid", "Rural Revitalization", "Other"]
        service_targets: DF.Data | None
        submitted_by: DF.Link | None
        volunteer_count: DF.Int
        workflow_state: DF.Link | None
    # end: auto-generated types
    def validate(self):
        self.validate_applicant_may_edit()
        self.validate_one_open_application()
        self.validate_party_members()
        self.validate_phone()
        self.validate_channel()
        self.check_party_organization()
        self.record_initial_review()
        self.refresh_panel_result()
        self.refresh_notice()
        self.validate_transition_gates()

    def on_update(self):
        refresh_org_status(self.organization)

    def on_submit(self):
        refresh_org_status(self.organization)

    def on_cancel(self):
        refresh_org_status(self.organization)

    # ------------------------------------------------------------------ helpers
    @property
    def previous_state(self) -> str | None:
        before = self.get_doc_before_save()
        return before.workflow_state if before else None

    def _is_staff(self) -> bool:
        return bool(STAFF_ROLES & set(frappe.get_roles()))

    # ------------------------------------------------------------------ validations
    def validate_applicant_may_edit(self):
        """An applicant edits only while the center has not started the initial review."""
        if self.is_new() or self._is_staff() or not (APPLICANT_ROLES & set(frappe.get_roles())):
            return
        before = self.get_doc_before_save()
        if before.workflow_state not in APPLICANT_EDITABLE or (
            before.workflow_state == "Submitted" and before.initial_review_result
        ):
            frappe.throw(
                _("The center has started reviewing this application; it can no longer be changed."),
                frappe.PermissionError,
            )

    def validate_one_open_application(self):
        """R-6.1 (§6.1): an organization has at most one open application – from its draft
        until it is not admitted, or admitted with the agreement signed (see
        ``standard.admission.application_open_by_meaning``, from the meaning of each state on the
        site). Checked when an application is created
        or moved to another organization.

        Two applications created at the same moment: the organization's row is locked, so
        applicants of one organization queue here; the queries below read this transaction's
        snapshot, which may predate a concurrent application, but that application changed
        the organization's incubation status (``refresh_org_status`` on its insert), so a
        difference between the snapshot's and the latest committed status refuses too. No
        range locks are taken on the applications (they deadlock concurrent inserts)."""
        before = self.get_doc_before_save()
        if not self.organization or (before is not None and before.organization == self.organization):
            return
        org = "Community Social Organization"
        seen = frappe.db.get_value(org, self.organization, "incubation_status")
        latest = frappe.db.get_value(org, self.organization, "incubation_status", for_update=True)
        others = frappe.get_all(
            "Incubation Application",
            filters={"organization": self.organization, "docstatus": ("<", 2), "name": ("!=", self.name or "")},
            fields=["name", "workflow_state", "docstatus"],
            order_by="creation asc",
        )
        # issue 15 §2: what each state means on this site, not a list of state names
        from shuangfuhua_app.workflow_meanings import ADMITTED
        from shuangfuhua_app.workflow_paths import state_meaning

        meaning = {o.name: state_meaning(self.doctype, o.workflow_state or "Draft") for o in others}
        admitted = [o.name for o in others if meaning[o.name] == ADMITTED]
        signed = set(
            frappe.get_all(
                "Incubation Agreement", filters={"application": ("in", admitted), "docstatus": 1}, pluck="application"
            )
            if admitted
            else ()
        )
        open_ones = [
            (o.name, _(o.workflow_state or "Draft"))
            for o in others
            if application_open_by_meaning(meaning[o.name], o.docstatus, o.name in signed)
        ]
        finding = check_one_open_application(open_ones, changed_meanwhile=seen != latest)
        if not finding.ok:
            throw(finding.message, OpenApplicationError)

    def validate_party_members(self):
        """App. C rows: resident ID checked with stdnum.cn.ric (R-6.1, R-PRIV)."""
        for row in self.party_members:
            if row.resident_id:
                row.resident_id = normalize_resident_id(row.resident_id)
                if message := validate_resident_id(row.resident_id):
                    throw(_("Row {0}: {1}").format(row.idx, message), InvalidIdentifierError)
                row.birth_date = row.birth_date or birth_date_from_resident_id(row.resident_id)
                if not row.gender and (gender := gender_from_resident_id(row.resident_id)):
                    row.gender = "Male" if gender == "男" else "Female"
            if row.phone and (message := validate_mobile(row.phone)):
                throw(_("Row {0}: {1}").format(row.idx, message), InvalidIdentifierError)
        self.party_member_count = len(self.party_members)

    def validate_phone(self):
        if self.head_phone and (message := validate_mobile(self.head_phone)):
            throw(message, InvalidIdentifierError)

    def validate_channel(self):
        """R-6.1.2: only a filed organization may apply through its community."""
        if not self.org_type:
            self.org_type = frappe.db.get_value("Community Social Organization", self.organization, "org_type")
        finding = channel_allowed(ORG_TYPE_KEYS[self.org_type], CHANNEL_KEYS[self.channel or "Direct"])
        if not finding.ok:
            throw(finding.message)
        if self.channel == "Via Community" and not self.community:
            throw(_("An application through the community must name the community (DB3301/T 0346—2021 §6.1.2)."))

    def check_party_organization(self):
        """R-7.1.2 (flag): the party organization form that App. C's count calls for."""
        finding = check_party_organization(
            self.party_member_count,
            has_branch=self.party_org_form in BRANCH_FORMS,
            has_instructor=bool(self.instructor_name) or self.party_org_form == "Party Instructor",
            has_liaison=bool(self.liaison_name) or self.party_org_form == "Party Liaison",
            settings=get_standard_settings(),
        )
        self.party_finding = ("" if finding.ok else "⚠ ") + finding.message

    def record_initial_review(self):
        before = self.get_doc_before_save()
        if self.initial_review_result and (not before or before.initial_review_result != self.initial_review_result):
            if self.initial_review_result in ("Returned", "Not Accepted") and not self.initial_review_comment:
                frappe.throw(_("Please give the initial review comment for the organization."))
            self.initial_reviewer = frappe.session.user
            self.initial_review_date = today()
            if self.initial_review_result == "Passed":
                from shuangfuhua_app.center import check_screening_gate

                check_screening_gate(self)  # R-SCREEN: the center's screening is recorded first

    def refresh_panel_result(self):
        """R-6.2.2: aggregate the submitted reviews into the panel decision (auto)."""
        reviews = frappe.get_all(
            "Application Review",
            filters={"application": self.name, "docstatus": 1},
            fields=["reviewer", "reviewer_category", "total_score", "recommendation"],
        )
        if not reviews:
            self.review_count = self.admit_votes = self.average_score = 0
            self.panel_decision = self.panel_summary = None
            return
        decision = aggregate_reviews(
            [
                ReviewerVote(r.reviewer, r.reviewer_category or "", r.total_score, RECOMMENDATION_KEYS[r.recommendation])
                for r in reviews
            ],
            settings=get_standard_settings(),
        )
        self.review_count = decision.votes
        self.admit_votes = decision.counts["admit"]
        self.average_score = decision.average or 0
        self.panel_decision = {"admit": "Admit", "reject": "Reject"}.get(decision.decision)
        self.panel_summary = decision.message + (
            "\n" + decision.panel.message if decision.panel and not decision.panel.ok else ""
        )

    def refresh_notice(self):
        """R-6.3: the notice this application is on, read from the published notice."""
        rows = frappe.get_all(
            "Public Notice Item",
            filters={"application": self.name, "docstatus": 1},
            fields=["parent", "outcome"],
            order_by="creation desc",
            limit=1,
        )
        if not rows:
            return
        notice = frappe.db.get_value("Public Notice", rows[0].parent, ["start_date", "end_date"], as_dict=True)
        self.public_notice = rows[0].parent
        self.notice_start_date, self.notice_end_date = notice.start_date, notice.end_date
        self.notice_result = {"Admitted": "No Objection", "Objection Upheld": "Objection Upheld"}.get(rows[0].outcome, "Pending")

    def validate_transition_gates(self):
        """Gates that hold even if an administrator loosens the workflow in Desk."""
        state, before = self.workflow_state, self.previous_state
        if state == before:
            return
        if state in ("Submitted",) and before in (None, "Draft", "Returned"):
            self.submitted_by = frappe.session.user
        if state == "Panel Review":
            finding = can_enter_panel_review(self.initial_review_result == "Passed")
            if not finding.ok:
                throw(finding.message, InitialReviewGateError)
            from shuangfuhua_app.center import check_screening_gate

            check_screening_gate(self)  # R-SCREEN ([LW2021] 三（二）1.2）), next to R-6.2.1's gate
        if state == "Recommended" and self.panel_decision != "Admit":
            throw(_("The panel has not recommended admission (DB3301/T 0346—2021 §6.2.2)."), StandardRuleError)
        if state == "In Notice":
            # R-LIST ([LW2021] 四（一）4、四（二）3): with the Lingwu chain on, noticed only from an
            # approved admission list (also when a workflow edited in Desk moves it by hand)
            from shuangfuhua_app.oversight import check_applications_listed

            check_applications_listed([self.name])
        if state == "Admitted" and self.notice_result != "No Objection":
            throw(
                _("Admission follows a public notice that ended with no upheld objection (DB3301/T 0346—2021 §6.3)."),
                StandardRuleError,
            )

