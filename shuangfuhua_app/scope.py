"""Which records belong to which center, organization and community (R-SCOPE).

The one declaration of isolation.  Every DocType of the app stands in exactly one of:

* ``SCOPE_FIELDS`` – a record of a center (and, where it has them, of an organization and a
  community): the fields that say which;
* ``CHILD_SCOPE`` – a child table: the DocTypes whose rows it holds.  A row is read only by
  whoever may read its parent record – also through ``get_list(..., parent=…)``, which
  Frappe answers for child tables without looking at the parent's records;
* ``SHARED_DOCTYPES`` – configuration that belongs to no center or organization, with the
  reason.

Frappe's own DocTypes that hold a center's data (Data Import) stand in ``FRAPPE_SCOPE_FIELDS``
and are scoped the same way.  Files attached to a record of any of these kinds are read only by
whoever may read that record; a private file attached to any other DocType only by its owner.  Tier 1 fails for a DocType that stands in none of them (tests/unit/test_scope.py).
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
    "Service Center": {"center": "name"},
    # incubation (§7): an activity serves several organizations of one center, so it is
    # scoped by center only – organizations' users do not read activity records.
    "Incubation Activity": {"center": "service_center"},
    # issue 16: QR sign-ins at an activity, scoped like the activity (by center)
    "Activity Sign In": {"center": "service_center"},
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
            # exit (§8) and continuous improvement (§9)
            "Exit Assessment",
            "Honor Certificate",
            "Follow Up Service",
            "Service Feedback",
        )
    },
    # §9: the center's own corrective actions and yearly review – no organization's users read them
    "Corrective Action": {"center": "service_center"},
    "Center Annual Review": {"center": "service_center"},
    # §4 / [LW2021]: the center's third-party operation – the center's own records
    "Operating Agreement": {"center": "service_center"},
    "Operator Financial Report": {"center": "service_center"},
    "Operator Quarterly Summary": {"center": "service_center"},  # [LW2021] 四（三）4
    # R-ILLEGAL ([HZ2019] 三（三）): the center's own handling of reports (no organization reads them)
    "Illegal Organization Report": {"center": "service_center"},
    # R-REG-STEER ([10M] 第二条): the center's steering of a filed organization toward registration
    "Registration Steering": {"center": "service_center", "org": "organization", "community": "community"},
    "Operator Performance Evaluation": {"center": "service_center"},
    # R-SCREEN: the center's screening of an application (no role of the organization reads it)
    "Application Screening": {"center": "service_center", "org": "organization"},
    # R-FILE / R-EXIT-ORG ([10M] 第二条、第三条): filing and termination go through the residents'
    # committee (Community Worker, scoped by community) and the township (Township Leader, by center)
    "Organization Filing": {"center": "service_center", "org": "organization", "community": "community"},
    "Organization Termination": {"center": "service_center", "org": "organization", "community": "community"},
    # R-HUB / R-PERF ([BJ2016], [HZ2019] 四（六）): the hub's members, brand and performance
    # evaluations (the organization reads its own) and its secretary-general meetings (the center's)
    "Hub Membership": {"center": "service_center", "org": "organization"},
    "Brand Evaluation": {"center": "service_center", "org": "organization"},
    "Organization Performance Evaluation": {"center": "service_center", "org": "organization"},
    "Secretary General Meeting": {"center": "service_center"},
    # R-VOL ([10M] 第六条): the center's volunteers and volunteer activities; a volunteer reads
    # only their own hours, on /my-volunteer-hours (shuangfuhua_app/volunteer.py)
    "SFH Volunteer": {"center": "service_center"},
    "Volunteer Activity": {"center": "service_center"},
    # R-VOL-MATCH ([10M] 第六条 供需对接): a need of the center, posted by the center, an
    # organization (its representative reads its own) or a community (its worker reads its own)
    "SFH Volunteer Need": {"center": "service_center", "org": "organization", "community": "community"},
    # R-VOL-REDEEM ([10M] 第六条 服务积分兑换): the center's catalogue, its volunteers' redemptions
    # and points ledger (a volunteer reads their own on /my-volunteer-hours, server-side)
    "SFH Points Catalogue Item": {"center": "service_center"},
    "SFH Points Redemption": {"center": "service_center"},
    "SFH Volunteer Points Entry": {"center": "service_center"},
    # R-VOL-CREDIT ([10M] 第六条 诚信记载): the volunteers' integrity record, the center's
    "SFH Volunteer Integrity Entry": {"center": "service_center"},
    # R-RESOURCE ([HZ2019] 三（四）, [10M] 第五条): an organization's resource needs (its
    # representatives read and post their own), the offers the center keeps, the center's matches
    # (an organization reads its needs' outcomes on /my-reports, server-side)
    "SFH Resource Need": {"center": "service_center", "org": "organization"},
    "SFH Resource Offer": {"center": "service_center"},
    "SFH Resource Match": {"center": "service_center", "org": "organization"},
    # R-TARGET ([LW2021] 二): the center's annual targets (no organization's users read them)
    "Annual Target": {"center": "service_center"},
    # R-LIST / R-EVAL-CONFIRM ([LW2021] 四（一）4–5、四（二）3–4): the center's admission lists and
    # incubation work evaluations, reviewed by its supervisory unit (scoped by center like the
    # center's staff) and the district's leading group office
    "Admission List": {"center": "service_center"},
    "Incubation Work Evaluation": {"center": "service_center"},
}

#: child table -> the DocTypes that hold it (read as its parent record is read)
CHILD_SCOPE: dict[str, tuple[str, ...]] = {
    "Application Party Member": ("Incubation Application",),
    "Application Review Score": ("Application Review",),
    "Evaluation Rater Score": ("Periodic Evaluation",),
    "Follow Up Action": ("Mentoring Visit", "Periodic Evaluation"),
    "Incubation Activity Organization": ("Incubation Activity",),
    "Incubation Activity Participant": ("Incubation Activity",),
    "Public Notice Item": ("Public Notice",),
    "Review Panel Member": ("Review Panel",),
    "Review Template Criterion": ("Review Template",),
    "SFH Calendar Day": ("Shuangfuhua Settings",),
    "SFH Declared Year": ("Shuangfuhua Settings",),
    "SFH Workflow State Meaning": ("Shuangfuhua Settings",),
    "Venture Milestone": ("Venture Project",),
    "Exit Assessor": ("Exit Assessment",),
    "Exit Assessment Score": ("Exit Assessment",),
    "Exit Assessment Indicator": ("Exit Assessment",),
    "Exit Assessment Template Indicator": ("Exit Assessment Template",),
    "Follow Up Service Record": ("Follow Up Service",),
    "Center Review Action": ("Center Annual Review",),
    # §4.1 e, §4.1 f, §4.2: the center's staff, funds and management systems
    "Center Staff Member": ("Service Center",),
    "Center Fund Year": ("Service Center",),
    "Center Management System": ("Service Center",),
    "Operator Negative Record": ("Operating Agreement",),
    "Secretary General Meeting Attendee": ("Secretary General Meeting",),
    "Volunteer Service Record": ("Volunteer Activity",),
    "SFH Volunteer Need Acceptance": ("SFH Volunteer Need",),  # R-VOL-MATCH
    "Admission List Item": ("Admission List",),
    "Incubation Work Evaluation Item": ("Incubation Work Evaluation",),
    "Registration Steering Follow Up": ("Registration Steering",),
}

#: Frappe's own DocTypes that hold a center's data, scoped like ``SCOPE_FIELDS`` (the field is
#: added by the app: ``shuangfuhua_app.data_import.CUSTOM_FIELDS``).  Kept apart because tier 1
#: checks ``SCOPE_FIELDS`` against the app's DocType files.
#: * Data Import (R-X-IMPORT, R-PRIV): an import file may hold resident ID numbers; the import,
#:   its log and its file belong to the center of the user who created it.
FRAPPE_SCOPE_FIELDS: dict[str, dict[str, str]] = {
    "Data Import": {"center": "service_center"},
}

#: DocTypes of no center or organization: read by role alone, and why that is safe
SHARED_DOCTYPES: dict[str, str] = {
    "Shuangfuhua Settings": "the site's numbers of the standard and its working-day calendar; no one's data",
    "Review Template": "scoring criteria used by every center's panels; no one's data",
    "Exit Assessment Template": "the exit indicator system (App. D) shared by every center; no one's data",
    "SFH Workflow Sync": "the app's ledger of the workflows it wrote; System Manager only",
}


def scoped_doctypes() -> set[str]:
    """Every DocType of the app whose records (or rows) belong to a center or an organization."""
    return set(SCOPE_FIELDS) | set(CHILD_SCOPE)


def record_scope_fields() -> dict[str, dict[str, str]]:
    """``SCOPE_FIELDS`` and ``FRAPPE_SCOPE_FIELDS``: every DocType whose records are scoped."""
    return {**SCOPE_FIELDS, **FRAPPE_SCOPE_FIELDS}


#: what an organization files from the portal (issue 4 §2, §4); ``hooks.py`` gives each the
#: portal's guards (``shuangfuhua_app.portal.guard.portal_before_insert`` etc.)
PORTAL_DOCTYPES: tuple[str, ...] = (
    "Incubation Application",
    "Consultation",
    "Major Event Report",
    "Venture Project",
    "Activity Report",
    "Service Feedback",  # R-9 (§9): satisfaction, complaints, suggestions
    "Organization Filing",  # R-FILE ([10M] 第二条): the filing request and change filing
    "SFH Resource Need",  # R-RESOURCE ([HZ2019] 三（四）, [10M] 第五条): what the organization needs
)
