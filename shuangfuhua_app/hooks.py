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
]
permission_query_conditions = {
    dt: "shuangfuhua_app.permissions.get_permission_query_conditions" for dt in _SCOPED
}
has_permission = {dt: "shuangfuhua_app.permissions.has_permission" for dt in _SCOPED}

scheduler_events = {
    # applications move on when their notice has ended cleanly (idempotent).
    "daily": ["shuangfuhua_app.admission.process_ended_notices"],
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
