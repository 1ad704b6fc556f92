app_name = "shuangfuhua_app"
app_title = "双孵化"
app_publisher = "shuangfuhua_app contributors"
app_description = "Double incubation (双孵化) of community social organizations per DB 3301/T 0346—2021"
app_email = "noreply@example.com"
app_license = "mit"
required_apps = []  # ERPNext is optional; nothing here imports it.

# Roles are created by the install/migrate hooks (R-ROLE); see shuangfuhua_app/setup/install.py.

after_install = "shuangfuhua_app.setup.install.after_install"
after_migrate = "shuangfuhua_app.setup.install.after_migrate"
before_uninstall = "shuangfuhua_app.setup.install.before_uninstall"

# Record-level isolation (R-SCOPE, R-PRIV): a center's staff see their center's records,
# an organization's representative sees only that organization's records.
_SCOPED = [
    "Community Social Organization",
    "Incubation Application",
    "Application Review",
    "Review Panel",
    "Public Notice",
    "Notice Objection",
    "Incubation Agreement",
    "Community",
    # incubation (§7, issue 3)
    "Organization Member",
    "Incubation Activity",
    "Venture Project",
    "Consultation",
    "Award and Honor",
    "Grade Evaluation",
    "Mentoring Visit",
    "Major Event Report",
    "Periodic Evaluation",
    "SFH Reminder",
]
permission_query_conditions = {
    dt: "shuangfuhua_app.permissions.get_permission_query_conditions" for dt in _SCOPED
}
has_permission = {dt: "shuangfuhua_app.permissions.has_permission" for dt in _SCOPED}

scheduler_events = {
    # applications move on when their notice has ended cleanly (idempotent).
    "daily": [
        "shuangfuhua_app.admission.process_ended_notices",
        # R-7.3.1a, R-7.3.2b/c, R-7.5.2: quota reminders as ToDos to the center's staff (idempotent)
        "shuangfuhua_app.incubation.send_reminders",
    ],
}

# Jinja helpers for the public notice page and print formats.
jinja = {
    "methods": [
        "shuangfuhua_app.utils.format_cn_date",
    ],
}

website_route_rules = [
    {"from_route": "/notice/<name>", "to_route": "notice"},
]

export_python_type_annotations = True

# ---------------------------------------------------------------------------------------
# Portal for organizations and the public notice page (issue 4; shuangfuhua_app/portal.py)
# ---------------------------------------------------------------------------------------
def _hook_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


after_install = _hook_list(after_install) + ["shuangfuhua_app.portal.after_install"]
after_migrate = _hook_list(after_migrate) + ["shuangfuhua_app.portal.after_migrate"]

# /notices (list) and /notices/<name> (detail + objection form), public
website_route_rules = website_route_rules + [
    {"from_route": "/notices/<name>", "to_route": "notice"},
]
role_home_page = {"Organization Representative": "my-incubation"}
# guests (public notice page, sign-up, login) see the site's language, not Frappe's "en" fallback
before_request = _hook_list(globals().get("before_request", [])) + ["shuangfuhua_app.portal.use_site_language"]
portal_menu_items = [
    {"title": "My Incubation", "route": "/my-incubation", "role": "Organization Representative"},
    {"title": "Incubation Application", "route": "/apply/list", "role": "Organization Representative"},
    {"title": "Public Notices", "route": "/notices"},
]
# R-PRIV: what representatives upload, and attachments of the app's records, are private
override_whitelisted_methods = {
    "upload_file": "shuangfuhua_app.portal.upload_file",
    "frappe.handler.upload_file": "shuangfuhua_app.portal.upload_file",
}
doctype_js = {"Community Social Organization": "public/js/invite_representative.js"}

_portal_doc_events = {
    "Incubation Application": {
        "before_insert": "shuangfuhua_app.portal.application_before_insert",
        "validate": "shuangfuhua_app.portal.application_validate",
    },
    "File": {"after_insert": "shuangfuhua_app.portal.file_after_insert"},
    "User Permission": {"validate": "shuangfuhua_app.portal.validate_user_permission"},
}
doc_events = globals().get("doc_events", {})
for _dt, _events in _portal_doc_events.items():
    for _event, _path in _events.items():
        doc_events.setdefault(_dt, {})[_event] = _hook_list(doc_events.get(_dt, {}).get(_event, [])) + [_path]
