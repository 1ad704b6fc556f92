# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""入驻孵化协议 — signed only after a clean notice (R-6.4); the term is computed (R-8.1.1a).

A renewal (R-8.1.2, §8.1.2: 重新签订培育协议 after an exit assessment that was 不达标) is a
new agreement on the same admitted application, linked to the agreement it renews; the app
drafts it from the assessment (``shuangfuhua_app.exit.resign_agreement``)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from shuangfuhua_app.admission import objection_counts, process_notice, refresh_org_status
from shuangfuhua_app.exceptions import AgreementNotAllowedError, throw
from shuangfuhua_app.standard.admission import agreement_end_date, check_agreement_allowed
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.utils import format_cn_date, get_standard_settings, today
from shuangfuhua_app.workflow_meanings import ADMITTED
from shuangfuhua_app.workflow_paths import state_meaning

APPLICATION = "Incubation Application"


class IncubationAgreement(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        amended_from: DF.Link | None
        application: DF.Link
        community: DF.Link | None
        cycle_months: DF.Int
        end_date: DF.Date | None
        exit_assessment: DF.Link | None
        exit_level: DF.Literal["", "Not Up to Standard", "Up to Standard", "Good", "Excellent"]
        exit_outcome: DF.Literal["", "Exited", "Re-signed", "Incubation Ended"]
        exit_outcome_date: DF.Date | None
        org_name: DF.Data | None
        organization: DF.Link | None
        party_a: DF.Data | None
        party_a_signatory: DF.Data | None
        party_b: DF.Data | None
        party_b_signatory: DF.Data | None
        previous_agreement: DF.Link | None
        renewal_assessment: DF.Link | None
        renewed_by: DF.Link | None
        service_center: DF.Link | None
        signed_on: DF.Date | None
        signed_scan: DF.Attach | None
        start_date: DF.Date
        terms: DF.TextEditor | None
    # end: auto-generated types
    def validate(self):
        app = self.validate_admission()
        self.validate_unique()
        self.compute_term()
        self.set_parties(app)
        if not self.terms:
            self.terms = default_terms(self)

    def on_submit(self):
        frappe.db.set_value(APPLICATION, self.application, "incubation_agreement", self.name)
        if self.previous_agreement:
            frappe.db.set_value("Incubation Agreement", self.previous_agreement, "renewed_by", self.name,
                                update_modified=False)
        else:
            self.take_over_party_figures()
        refresh_org_status(self.organization)

    def take_over_party_figures(self):
        """The organization's record starts from what the admitted application declared
        (App. B/C): party-member count and party organization form, so that the §7.1.2
        check has a figure before the roster is entered."""
        app = frappe.db.get_value(
            APPLICATION, self.application, ["party_member_count", "party_org_form"], as_dict=True
        )
        values = {"party_member_count": app.party_member_count}
        if app.party_org_form:
            values["party_org_form"] = app.party_org_form
        frappe.db.set_value("Community Social Organization", self.organization, values)

    def on_cancel(self):
        frappe.db.set_value(APPLICATION, self.application, "incubation_agreement", self.previous_agreement or None)
        refresh_org_status(self.organization)

    def validate_admission(self):
        """R-6.4: after the notice ended with no upheld (or pending) objection."""
        app = frappe.get_doc(APPLICATION, self.application)
        if app.public_notice and app.workflow_state == "In Notice":
            process_notice(app.public_notice)  # the notice may have ended since the last scheduler run
            app.reload()
        upheld, unresolved = objection_counts(app.public_notice, app.name) if app.public_notice else (0, 0)
        finding = check_agreement_allowed(app.notice_end_date, today(), upheld, unresolved)
        if not finding.ok:
            throw(finding.message, AgreementNotAllowedError)
        if state_meaning(APPLICATION, app.workflow_state) != ADMITTED:  # by its meaning (issue 15 §2)
            throw(_("The application has not been admitted.") + cite("6.4"), AgreementNotAllowedError)
        return app

    def validate_unique(self):
        if self.previous_agreement:
            self.validate_renewal()
            return
        other = frappe.db.exists(
            "Incubation Agreement",
            {"application": self.application, "docstatus": 1, "name": ("!=", self.name), "previous_agreement": ("is", "not set")},
        )
        if other and not self.amended_from:
            throw(_("The application already has an agreement: {0}").format(other))

    def validate_renewal(self):
        """R-8.1.2 (§8.1.2): a new cycle only after an exit assessment of the renewed agreement
        that was finally confirmed as Not Up to Standard, with re-signing chosen; one renewal
        per agreement."""
        previous = frappe.db.get_value(
            "Incubation Agreement", self.previous_agreement,
            ["application", "docstatus", "exit_outcome", "exit_assessment", "renewed_by"], as_dict=True,
        )
        if not previous or previous.docstatus != 1 or previous.application != self.application:
            throw(_("A renewal renews a signed agreement of the same application.") + cite("8.1.2"))
        level = frappe.db.get_value("Exit Assessment", previous.exit_assessment, ["level", "workflow_state"], as_dict=True) \
            if previous.exit_assessment else None
        if not level or state_meaning("Exit Assessment", level.workflow_state) != ADMITTED \
                or level.level != "Not Up to Standard" \
                or previous.exit_outcome != "Re-signed":
            throw(_("An agreement is re-signed only after its exit assessment was confirmed as Not Up to Standard and re-signing was chosen.") + cite("8.1.2"))
        other = frappe.db.exists(
            "Incubation Agreement",
            {"previous_agreement": self.previous_agreement, "docstatus": ("<", 2), "name": ("!=", self.name)},
        )
        if other and not self.amended_from:
            throw(_("The agreement has already been renewed: {0}").format(other) + cite("8.1.2"))
        self.renewal_assessment = previous.exit_assessment

    def compute_term(self):
        """R-8.1.1a: cycle months from the settings; end date per the Civil Code, never typed."""
        self.cycle_months = get_standard_settings().incubation_cycle_months
        self.end_date = agreement_end_date(self.start_date, self.cycle_months)

    def set_parties(self, app):
        self.organization, self.service_center, self.community = app.organization, app.service_center, app.community
        self.org_name = app.org_name
        self.party_a = frappe.db.get_value("Service Center", app.service_center, "center_name")
        self.party_b = app.org_name


def default_terms(doc) -> str:
    """Default agreement text following DB3301/T 0346—2021 §7 and §8."""
    return frappe.render_template(
        "shuangfuhua_app/templates/includes/agreement_terms.html",
        {
            "doc": doc,
            "settings": get_standard_settings(),
            "start": format_cn_date(doc.start_date),
            "end": format_cn_date(doc.end_date),
        },
    )
