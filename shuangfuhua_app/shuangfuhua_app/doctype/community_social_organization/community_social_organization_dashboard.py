"""Connections of an organization: its people and incubation records (§7)."""

from frappe import _


def get_data():
    return {
        "fieldname": "organization",
        "transactions": [
            {"label": _("People"), "items": ["Organization Member", "Social Work Exam Record"]},
            {"label": _("Admission"), "items": ["Incubation Application", "Incubation Agreement"]},
            {"label": _("Support and Incentives"), "items": ["Consultation", "Venture Project", "Award and Honor", "Grade Evaluation", "Organization Publicity"]},
            {"label": _("Supervision"), "items": ["Mentoring Visit", "Major Event Report", "Periodic Evaluation"]},
        ],
    }
