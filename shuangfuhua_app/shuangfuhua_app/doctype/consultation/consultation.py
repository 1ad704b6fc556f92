# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""咨询服务 (R-7.4 §7.4.1, §7.4.4): questions from organizations – online through the portal
or taken by staff – and the center's answer with who answered, when, and the response time."""

from __future__ import annotations

import frappe
from frappe.model.document import Document
from frappe.utils import now_datetime

from shuangfuhua_app.standard.evaluation import response_hours


class Consultation(Document):
    def validate(self):
        if not self.asked_on:
            self.asked_on = now_datetime()
        answered = bool(frappe.utils.strip_html(self.answer or "").strip())
        if answered and not self.answered_on:
            self.answered_by = frappe.session.user
            self.answered_on = now_datetime()
            self.response_hours = response_hours(self.asked_on, self.answered_on)
        self.consultation_status = "Answered" if answered else "Awaiting Answer"
