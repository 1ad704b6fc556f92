# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""A center's meaning for a workflow state (issue 15 §2): a state added in Desk is "open"
until a row here says otherwise; a row for a shipped state overrides its shipped meaning."""

from frappe.model.document import Document


class SFHWorkflowStateMeaning(Document):
    pass
