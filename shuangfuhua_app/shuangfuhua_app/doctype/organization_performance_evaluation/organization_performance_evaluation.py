# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""社会组织绩效评价 (R-PERF, 杭民发〔2019〕66号 四（六）): professional level, service efficiency, management norms, social and economic benefit."""

from __future__ import annotations

from frappe.model.document import Document

from shuangfuhua_app.hub import validate_performance


class OrganizationPerformanceEvaluation(Document):
    def validate(self):
        validate_performance(self)
