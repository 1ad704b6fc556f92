# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
"""A volunteer's acceptance of a need and its outcome (R-VOL-MATCH); rows are written by the app."""

from frappe.model.document import Document


class SFHVolunteerNeedAcceptance(Document):
    pass
