# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""出壳能力评估 — the exit capability assessment of one organization at the end of one
incubation agreement (R-8.1.1a, R-8.1.1b, R-CONFIRM; §8.1.1, App. D, [LW2021] 四).

* The template's indicators and the settings' thresholds are copied into the assessment
  (the template when the assessment is created or its template is changed while a draft,
  the thresholds on every save of the draft); a submitted assessment keeps its copy.
* Measured indicators are taken from the records on every save of the draft and frozen,
  with the figures they came from, when the assessment is submitted (after the cycle ended).
* Every assessor scores every indicator the records do not measure; the average counts.
* Confirmation: first the business supervisory unit, finally the leading group office – one
  step at a time, each by its own role, checked here too, so a workflow loosened in Desk
  does not let a result through out of order or by the wrong role.
* The consequences of the final confirmation: ``shuangfuhua_app.exit.apply_consequences``.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from shuangfuhua_app.exceptions import ExitConfirmationError, StandardRuleError, throw
from shuangfuhua_app.exit import STAFF_ROLES, apply_consequences, figures_json, level_value, measure_sources
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.exit import (
    RETURNED_STATE,
    assess,
    can_start_exit_assessment,
    check_confirmation,
    indicators_from_rows,
    take_snapshot,
)
from shuangfuhua_app.standard.returns import check_exit_return
from shuangfuhua_app.standard.settings import settings_from_mapping
from shuangfuhua_app.system_guard import check_before_stamping
from shuangfuhua_app.utils import today

COPIED = ("indicator", "dimension", "source", "weight", "max_score", "clause", "guidance")


def returned_state(doctype: str, current: str | None) -> str:
    """The site workflow's state of a cancelled (returned) record; ``current`` if it is one."""
    from frappe.model.workflow import get_workflow_name
    from frappe.utils import cint

    name = get_workflow_name(doctype)
    states = [s.state for s in frappe.get_doc("Workflow", name).states if cint(s.doc_status) == 2] if name else []
    if current in states:
        return current
    return states[0] if states else RETURNED_STATE


class ExitAssessment(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF
        from shuangfuhua_app.shuangfuhua_app.doctype.exit_assessment_indicator.exit_assessment_indicator import ExitAssessmentIndicator
        from shuangfuhua_app.shuangfuhua_app.doctype.exit_assessment_score.exit_assessment_score import ExitAssessmentScore
        from shuangfuhua_app.shuangfuhua_app.doctype.exit_assessor.exit_assessor import ExitAssessor

        agreement_end: DF.Date | None
        agreement_start: DF.Date | None
        amended_from: DF.Link | None
        assessment_date: DF.Date
        assessors: DF.Table[ExitAssessor]
        community: DF.Link | None
        excellent_score: DF.Float
        final_confirmation_comment: DF.SmallText | None
        final_confirmed_by: DF.Link | None
        final_confirmed_on: DF.Datetime | None
        first_confirmation_comment: DF.SmallText | None
        first_confirmed_by: DF.Link | None
        first_confirmed_on: DF.Datetime | None
        follow_up_service: DF.Link | None
        good_score: DF.Float
        honor_certificate: DF.Link | None
        incubation_agreement: DF.Link
        indicators: DF.Table[ExitAssessmentIndicator]
        level: DF.Literal["", "Not Up to Standard", "Up to Standard", "Good", "Excellent"]
        measured_on: DF.Datetime | None
        min_assessors: DF.Int
        new_agreement: DF.Link | None
        org_name: DF.Data | None
        organization: DF.Link | None
        outcome: DF.Literal["", "Exit with Follow-up Service", "Re-sign Agreement", "End Incubation"]
        outcome_date: DF.Date | None
        outcome_note: DF.SmallText | None
        pass_score: DF.Float
        result_summary: DF.SmallText | None
        scores: DF.Table[ExitAssessmentScore]
        service_center: DF.Link | None
        template: DF.Link
        total_score: DF.Float
        workflow_state: DF.Link | None
    # end: auto-generated types
    def validate(self):
        self.only_staff_edit_drafts()
        self.set_from_agreement()
        self.validate_unique()
        self.copy_template()
        self.sync_score_rows()
        self.compute(strict=False)

    def before_submit(self):
        if not STAFF_ROLES & set(frappe.get_roles()):
            throw(_("Only the center's staff submit an exit assessment."), frappe.PermissionError)
        finding = can_start_exit_assessment(self.agreement_end, today())
        if not finding.ok:
            throw(finding.message, StandardRuleError)
        self.check_state("Draft", self.workflow_state if self.workflow_state not in (None, "", "Draft") else "Assessed")
        self.compute(strict=True)

    def before_update_after_submit(self):
        # R-X-SYSTEM: no confirmation, outcome or consequence comes from a client – checked
        # before this step stamps the confirmer (the user taking the step) below
        check_before_stamping(self)
        before = self.get_doc_before_save()
        previous = before.workflow_state if before else None
        if self.workflow_state == previous:
            return
        self.check_state(previous, self.workflow_state)
        if self.workflow_state == "First-instance Confirmed":
            self.first_confirmed_by, self.first_confirmed_on = frappe.session.user, now_datetime()
        elif self.workflow_state == "Finally Confirmed":
            self.final_confirmed_by, self.final_confirmed_on = frappe.session.user, now_datetime()

    def on_update_after_submit(self):
        before = self.get_doc_before_save()
        if self.workflow_state == "Finally Confirmed" and (not before or before.workflow_state != "Finally Confirmed"):
            apply_consequences(self)

    def before_cancel(self):
        """R-CONFIRM: a return for reassessment (the workflow's action or ``frappe.client.cancel``)
        only by the body whose step it is – read from the confirmations stored, not from the
        action – and never once the result is finally confirmed or its consequences recorded."""
        stored = frappe.db.get_value(
            self.doctype, self.name,
            ["workflow_state", "first_confirmed_by", "final_confirmed_by", "outcome", "honor_certificate",
             "follow_up_service"], as_dict=True,
        )
        final = bool(stored.final_confirmed_by or stored.outcome or stored.honor_certificate
                     or stored.follow_up_service)
        finding = check_confirmation(stored.workflow_state, RETURNED_STATE, frappe.get_roles())
        if not finding.ok:
            throw(finding.message, ExitConfirmationError)
        finding = check_exit_return(bool(stored.first_confirmed_by), final, frappe.get_roles())
        if not finding.ok:
            throw(finding.message, ExitConfirmationError)
        # frappe.client.cancel does not move the workflow: the record says it was returned (the
        # site workflow's cancelled state, as edited in Desk)
        self.workflow_state = returned_state(self.doctype, self.workflow_state)

    # ------------------------------------------------------------------ helpers
    def check_state(self, previous: str | None, new: str | None):
        """R-CONFIRM: the order of the steps and who takes each (also without the workflow)."""
        finding = check_confirmation(previous, new or previous, frappe.get_roles())
        if not finding.ok:
            throw(finding.message, ExitConfirmationError)

    def only_staff_edit_drafts(self):
        if not STAFF_ROLES & set(frappe.get_roles()):
            throw(_("Only the center's staff prepare an exit assessment; the supervisory unit and the leading group office confirm it."), frappe.PermissionError)

    def set_from_agreement(self):
        agreement = frappe.db.get_value(
            "Incubation Agreement", self.incubation_agreement,
            ["docstatus", "organization", "org_name", "service_center", "community", "start_date", "end_date"],
            as_dict=True,
        )
        if not agreement or agreement.docstatus != 1:
            throw(_("The exit assessment is made on a signed (submitted) incubation agreement.") + cite("8.1.1"))
        for field in ("organization", "org_name", "service_center", "community"):
            self.set(field, agreement[field])
        self.agreement_start, self.agreement_end = agreement.start_date, agreement.end_date

    def validate_unique(self):
        other = frappe.db.exists(
            self.doctype,
            {"incubation_agreement": self.incubation_agreement, "docstatus": ("<", 2), "name": ("!=", self.name)},
        )
        if other:
            throw(_("The incubation agreement already has an exit assessment: {0}").format(other) + cite("8.1.1"))

    def copy_template(self):
        """R-8.1.1b: the template's indicators, copied (a snapshot) when the assessment is
        made and again only when a draft's template is changed."""
        if not self.template:
            self.template = frappe.db.get_single_value("Shuangfuhua Settings", "default_exit_template")
        if not self.template:
            throw(_("Choose the exit indicator template.") + cite("8.1.1", appendix="D"))
        before = self.get_doc_before_save()
        if self.indicators and before and before.template == self.template:
            return
        template = frappe.get_doc("Exit Assessment Template", self.template)
        self.set("indicators", [{field: row.get(field) for field in COPIED} for row in template.indicators])

    def manual_indicators(self, measured: dict) -> list:
        """Indicators the assessors score: the manual ones and measured ones without data."""
        return [r for r in self.indicators
                if r.source in (None, "", "Manual") or measured.get(r.source) is None
                or measured[r.source].score is None]

    def sync_score_rows(self):
        """One score row per assessor and indicator to be scored by the assessors."""
        self._measured = measure_sources(self.organization, self.agreement_start, self.agreement_end)
        wanted = [(a.assessor_name.strip(), r) for a in self.assessors for r in self.manual_indicators(self._measured)]
        existing = {(s.assessor_name, s.indicator): s for s in self.scores}
        rows = []
        for assessor, ind in wanted:
            row = existing.get((assessor, ind.indicator))
            rows.append({
                "assessor_name": assessor, "indicator": ind.indicator, "max_score": ind.max_score,
                "score": row.score if row else None, "comment": row.comment if row else None,
            })
        names = [a.assessor_name.strip() for a in self.assessors]
        if len(names) != len(set(names)):
            throw(_("An assessor is listed twice.") + cite("8.1.1"))
        self.set("scores", rows)

    def compute(self, strict: bool):
        # read from the database, not the document cache: the thresholds decide a result
        settings = settings_from_mapping(frappe.get_single("Shuangfuhua Settings").as_dict())
        try:
            snapshot = take_snapshot(indicators_from_rows(self.indicators), settings)
        except ValueError as e:
            throw(str(e))
        self.pass_score, self.good_score = snapshot.pass_score, snapshot.good_score
        self.excellent_score, self.min_assessors = snapshot.excellent_score, snapshot.min_assessors
        measured = {i.name: self._measured[i.measure] for i in snapshot.indicators if i.measured}
        sheets = {a.assessor_name.strip(): {} for a in self.assessors}
        for s in self.scores:
            if s.assessor_name in sheets:
                sheets[s.assessor_name][s.indicator] = s.score
        result = assess(snapshot, measured, sheets)
        for row, r in zip(self.indicators, result.rows):
            m = measured.get(row.indicator)
            row.measured = int(r.measured)
            row.measured_score = m.score if m is not None and m.score is not None else 0
            row.manual_average = r.manual_average or 0
            row.assessor_count = r.assessors
            row.score = r.score or 0
            row.points = r.points or 0
            row.basis = r.basis or None
            row.figures = figures_json(m) if m is not None else None
        self.measured_on = now_datetime()
        if result.errors:
            if strict:
                throw("；".join(result.errors), StandardRuleError)
            self.total_score, self.level = 0, None
            self.result_summary = "\n".join(result.errors)
            return
        self.total_score, self.level = result.total, level_value(result.level)
        self.result_summary = _("Total {0} points: {1} (DB3301/T 0346—2021 §8.1.1)").format(
            result.total, result.level_label
        )
