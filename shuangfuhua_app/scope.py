"""Which records belong to which center, organization and community (R-SCOPE).

Plain data without Frappe, shared by ``hooks.py`` (which DocTypes get the permission hooks)
and ``permissions.py`` (how they are filtered).
"""

#: doctype -> which of its fields carry the center, the organization and the community
SCOPE_FIELDS: dict[str, dict[str, str]] = {
    "Community Social Organization": {"center": "service_center", "org": "name", "community": "community"},
    "Incubation Application": {"center": "service_center", "org": "organization", "community": "community"},
    "Incubation Agreement": {"center": "service_center", "org": "organization", "community": "community"},
    "Application Review": {"center": "service_center"},
    "Review Panel": {"center": "service_center"},
    "Public Notice": {"center": "service_center"},
    "Notice Objection": {"center": "service_center"},
    "Community": {"center": "service_center", "community": "name"},
    # incubation (§7): an activity serves several organizations of one center, so it is
    # scoped by center only – organizations' users do not read activity records.
    "Incubation Activity": {"center": "service_center"},
    "SFH Reminder": {"center": "service_center", "org": "organization"},
    **{
        dt: {"center": "service_center", "org": "organization"}
        for dt in (
            "Organization Member",
            "Venture Project",
            "Consultation",
            "Award and Honor",
            "Grade Evaluation",
            "Mentoring Visit",
            "Major Event Report",
            "Activity Report",
            "Periodic Evaluation",
            "Social Work Exam Record",
            "Organization Publicity",
        )
    },
}

#: what an organization files from the portal (issue 4 §2, §4); ``hooks.py`` gives each the
#: portal's guards (``shuangfuhua_app.portal.guard.portal_before_insert`` etc.)
PORTAL_DOCTYPES: tuple[str, ...] = (
    "Incubation Application",
    "Consultation",
    "Major Event Report",
    "Venture Project",
    "Activity Report",
)
