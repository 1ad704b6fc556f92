# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""重大活动事项报告 (R-7.5.1 §7.5.1.2): filed by the organization before the event."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.evaluation import check_event_report
from shuangfuhua_app.utils import today


class MajorEventReport(Document):
    def validate(self):
        if self.is_new() or not self.reported_on:
            self.reported_on = today()
        before = self.get_doc_before_save()
        if self.is_new() or (before and str(before.event_date) != str(self.event_date)):
            if message := check_event_report(self.reported_on if self.is_new() else today(), self.event_date):
                throw(message)
