from shuangfuhua_app.scope import PORTAL_DOCTYPES as _PORTAL_DOCTYPES
from shuangfuhua_app.scope import FRAPPE_SCOPE_FIELDS as _FRAPPE_SCOPE_FIELDS
from shuangfuhua_app.scope import SCOPE_FIELDS as _SCOPE_FIELDS
from shuangfuhua_app.scope import scoped_doctypes as _scoped_doctypes

app_name = "shuangfuhua_app"
app_title = "双孵化"
app_publisher = "shuangfuhua_app contributors"
app_description = "Double incubation (双孵化) of community social organizations per DB 3301/T 0346—2021"
app_email = "noreply@example.com"
app_license = "mit"
required_apps = []  # ERPNext is optional; nothing here imports it.
export_python_type_annotations = True

# Install / migrate: roles (R-ROLE), settings defaults, review template, workflows synced
# without clobbering Desk edits; the portal's one-time site settings.
after_install = [
    "shuangfuhua_app.setup.install.after_install",
    "shuangfuhua_app.portal.setup.after_install",
    # R-X-IMPORT: center staff and heads may use Data Import (their own imports only)
    "shuangfuhua_app.data_import.ensure_import_permissions",
]
after_migrate = [
    "shuangfuhua_app.setup.install.after_migrate",
    "shuangfuhua_app.portal.setup.after_migrate",
    "shuangfuhua_app.data_import.ensure_import_permissions",  # R-X-IMPORT
    # the onboarding's steps of what the site already has (issue 9 §3)
    "shuangfuhua_app.onboarding.sync_onboarding",
]
# issue 17 §3: never take over another module's DocType (or Report, Web Form, …) of a shipped name
before_install = "shuangfuhua_app.setup.guest.before_install"
before_uninstall = "shuangfuhua_app.setup.install.before_uninstall"

# Record-level isolation (R-SCOPE, R-PRIV): a center's staff see their center's records,
# an organization's representative only that organization's (shuangfuhua_app/scope.py).
# Child rows go with their parent record, attached Files with the record they are attached to.
permission_query_conditions = {
    dt: "shuangfuhua_app.permissions.get_permission_query_conditions" for dt in [*_scoped_doctypes(), *_FRAPPE_SCOPE_FIELDS, "File"]
}
has_permission = {
    **{dt: "shuangfuhua_app.permissions.has_permission" for dt in [*_SCOPE_FIELDS, *_FRAPPE_SCOPE_FIELDS]},
    "File": "shuangfuhua_app.permissions.file_has_permission",
}

scheduler_events = {
    "daily": [
        # applications move on when their notice has ended cleanly (idempotent)
        "shuangfuhua_app.admission.process_ended_notices",
        # R-7.3.1a, R-7.3.2b/c, R-7.5.2: quota reminders as ToDos to the center's staff (idempotent)
        "shuangfuhua_app.incubation.send_reminders",
        # R-8.1.1a, R-8.2: exit assessment due, follow-up ending (idempotent)
        "shuangfuhua_app.exit.send_reminders",
        # overdue corrective actions (idempotent)
        "shuangfuhua_app.improvement.send_reminders",
        # R-OPER: operators' missing quarterly financial reports, agreement statuses (idempotent)
        "shuangfuhua_app.center.send_reminders",
        # R-FILE: filing stages past their deadline (residents' committee, township, change) (idempotent)
        "shuangfuhua_app.filing.send_reminders",
        # R-HUB: a quarter without a secretary-general meeting (idempotent)
        "shuangfuhua_app.hub.send_reminders",
    ],
}

doc_events = {
    # R-INPUT: a value of the app's DocTypes (child rows included) that cannot be stored as
    # given is refused before the controllers read it (shuangfuhua_app/input_guard.py acts on
    # the app's modules only)
    "*": {
        "before_insert": "shuangfuhua_app.input_guard.before_validate",
        # R-X-SYSTEM: fields only the app writes (shuangfuhua_app/system_fields.py) – a client's
        # value is noted and put back before the controllers, refused after them unless the
        # app arrived at it itself (shuangfuhua_app/system_guard.py)
        "before_validate": [
            "shuangfuhua_app.input_guard.before_validate",
            "shuangfuhua_app.system_guard.before_validate",
        ],
        "before_save": "shuangfuhua_app.system_guard.after_controllers",
        "before_submit": "shuangfuhua_app.system_guard.after_controllers",
        "before_update_after_submit": [
            "shuangfuhua_app.input_guard.before_validate",
            "shuangfuhua_app.system_guard.check_after_submit",
        ],
        # R-PRIV: an Attach field takes only a private file the user may read (Frappe would
        # give the record its own File for any URL named – shuangfuhua_app/attach_guard.py);
        # after submit, a refusal rolls back the File Frappe's on_update_after_submit made
        "validate": "shuangfuhua_app.attach_guard.validate_attach_fields",
        "on_update_after_submit": "shuangfuhua_app.attach_guard.validate_attach_fields",
    },
    # the portal's Web Forms save with permissions bypassed: pin the organization to the
    # representative's own (or, for a community's user, to a filed organization of its
    # community), keep the center's fields, refuse foreign child rows (R-SCOPE, R-6.1.2)
    **{
        dt: {
            # R-INPUT first: the values as posted, before the portal pins the organization's
            "before_insert": [
                "shuangfuhua_app.input_guard.before_validate",
                "shuangfuhua_app.portal.guard.portal_before_insert",
            ],
            "before_validate": "shuangfuhua_app.portal.guard.portal_before_validate",
            "validate": "shuangfuhua_app.portal.guard.portal_validate",
        }
        for dt in _PORTAL_DOCTYPES
    },
    # R-PRIV: attachments of the app's records are private
    "File": {"after_insert": "shuangfuhua_app.portal.files.file_after_insert"},
    # a representative is linked to exactly one organization
    "User Permission": {"validate": "shuangfuhua_app.portal.representatives.validate_user_permission"},
    # R-FILE 第二条（四）: a change of a filed organization's particulars starts a change filing
    "Community Social Organization": {"on_update": "shuangfuhua_app.filing.org_on_update"},
}
# Onboarding (issue 9 §3): a center's first steps complete when it does them, wherever it does
# them (list view, portal, import) – not only through the workspace's widget
for _dt in ("Service Center", "Community", "Review Panel", "Incubation Application"):
    doc_events.setdefault(_dt, {})["after_insert"] = "shuangfuhua_app.onboarding.record_inserted"
doc_events.setdefault("Shuangfuhua Settings", {})["on_update"] = "shuangfuhua_app.onboarding.settings_saved"
# issue 17 §2: change filings whose deadline waits for the calendar get it once the year is declared
doc_events["Shuangfuhua Settings"]["on_change"] = "shuangfuhua_app.filing.compute_pending_deadlines"
# issue 15 §1–2: what the app read of a workflow in this request is read again once it changes
doc_events.setdefault("Workflow", {})["on_update"] = "shuangfuhua_app.workflow_paths.clear_meanings_cache"
# issue 15 §5: a finally confirmed exit result raises the organization's notifications (its
# representatives read the organization, not the assessment)
doc_events.setdefault("Exit Assessment", {})["on_update_after_submit"] = (
    "shuangfuhua_app.notifications.exit_assessment_on_update_after_submit"
)
# …and the representatives of an organization whose termination is approved are told of it,
# though the approval revokes their access
doc_events.setdefault("Organization Termination", {})["before_save"] = "shuangfuhua_app.notifications.remember_readers"
override_whitelisted_methods = {
    "upload_file": "shuangfuhua_app.portal.files.upload_file",
    "frappe.handler.upload_file": "shuangfuhua_app.portal.files.upload_file",
    # R-SCOPE: counts through the user's permissions; a prepared report's result stays with
    # whoever queued it (shuangfuhua_app/guarded_routes.py)
    "frappe.client.get_count": "shuangfuhua_app.guarded_routes.get_count",
    "frappe.desk.query_report.run": "shuangfuhua_app.guarded_routes.run",
    "frappe.desk.query_report.export_query": "shuangfuhua_app.guarded_routes.export_query",
    # a refused tag answers 403, not 500 (Frappe writes first and fails on its own refusal)
    "frappe.desk.doctype.tag.tag.add_tag": "shuangfuhua_app.guarded_routes.add_tag",
    "frappe.desk.doctype.tag.tag.add_tags": "shuangfuhua_app.guarded_routes.add_tags",
    "frappe.desk.doctype.tag.tag.remove_tag": "shuangfuhua_app.guarded_routes.remove_tag",
    # R-PRIV, R-X-IMPORT: an import and its file only for whoever may read the import
    # (Frappe's preview reads any import file without a permission check)
    "frappe.core.doctype.data_import.data_import.get_preview_from_template": "shuangfuhua_app.data_import.get_preview_from_template",
    "frappe.core.doctype.data_import.data_import.form_start_import": "shuangfuhua_app.data_import.form_start_import",
    "frappe.core.doctype.data_import.data_import.download_errored_template": "shuangfuhua_app.data_import.download_errored_template",
    "frappe.core.doctype.data_import.data_import.download_import_log": "shuangfuhua_app.data_import.download_import_log",
    "frappe.core.doctype.data_import.data_import.get_import_status": "shuangfuhua_app.data_import.get_import_status",
    "frappe.core.doctype.data_import.data_import.get_import_logs": "shuangfuhua_app.data_import.get_import_logs",
    "frappe.core.doctype.data_import.data_import.download_template": "shuangfuhua_app.data_import.download_frappe_template",
    # R-PRIV (issue 14 §5): no filter oracle where Frappe finds records before any permission
    # check, and no history or timeline entry quoting a field above the reader's permlevel
    # (shuangfuhua_app/field_guard.py, shuangfuhua_app/history_guard.py)
    "frappe.client.get": "shuangfuhua_app.field_guard.get",
    "frappe.desk.listview.get_group_by_count": "shuangfuhua_app.field_guard.get_group_by_count",
    "frappe.desk.form.load.getdoc": "shuangfuhua_app.history_guard.getdoc",
    "frappe.desk.form.load.get_docinfo": "shuangfuhua_app.history_guard.get_docinfo",
    "frappe.desk.form.save.savedocs": "shuangfuhua_app.history_guard.savedocs",
}
# R-X-IMPORT: Frappe's Data Import with Chinese templates; a refused row does not stop the file
override_doctype_class = {"Data Import": "shuangfuhua_app.data_import.DataImport"}
# R-PRIV: a private file downloads only where its record's scope reaches, its uploader included
override_doctype_class["File"] = "shuangfuhua_app.file_access.ScopedFile"
# issue 16 §3, R-PRIV: ScopedFile, and a center's archive zip only for its staff and head – read
# (the document's permission check) and downloaded (shuangfuhua_app/archive.py)
override_doctype_class["File"] = "shuangfuhua_app.archive.ArchiveFile"
# issue 15 §6, R-SCOPE: a notification about a record of the app reaches only its readers, also
# when addressed to a role (shuangfuhua_app/notifications.py)
override_doctype_class["Notification"] = "shuangfuhua_app.notifications.ScopedNotification"
doctype_list_js = {
    dt: "public/js/import_template.js"
    for dt in ("Community Social Organization", "Organization Member", "Incubation Activity")
}
doctype_js = {
    "Community Social Organization": "public/js/invite_representative.js",
    "Service Center": "public/js/ledger_button.js",  # R-LEDGER (issue 9)
}
# issue 16 §3, R-FILE: the archive of an organization, the zip of a center's archives
doctype_js["Community Social Organization"] = [doctype_js["Community Social Organization"], "public/js/archive_button.js"]
# issue 16 §4: the organization's class hours from confirmed QR sign-ins vs typed
doctype_js["Community Social Organization"].append("public/js/class_hours_evidence.js")
doctype_js["Service Center"] = [doctype_js["Service Center"], "public/js/center_archive.js"]

# Portal and public pages
jinja = {
    "methods": [
        "shuangfuhua_app.utils.format_cn_date",
        # R-X-VERIFY: the certificate's QR code and the level's Chinese name
        "shuangfuhua_app.exit.certificate_qr",
        "shuangfuhua_app.exit.exit_level_label",
    ]
}
website_route_rules = [
    {"from_route": "/notice/<name>", "to_route": "notice"},
    {"from_route": "/notices/<name>", "to_route": "notice"},
    # R-X-VERIFY: anyone checks an honor certificate by its number (QR code on the certificate)
    {"from_route": "/certificates/<number>", "to_route": "certificates"},
]
role_home_page = {"Organization Representative": "my-incubation"}
# guests (public notice page, sign-up, login) see the site's language, not Frappe's "en" fallback
before_request = [
    "shuangfuhua_app.portal.notices.use_site_language",
    # R-PRIV (issue 14 §5): no one filters, sorts or groups by a field they may not read, on
    # any list route (shuangfuhua_app/field_guard.py wraps Frappe's DatabaseQuery)
    "shuangfuhua_app.field_guard.before_request",
]
before_job = ["shuangfuhua_app.field_guard.before_job"]
portal_menu_items = [
    {"title": "My Incubation", "route": "/my-incubation", "role": "Organization Representative"},
    {"title": "Incubation Application", "route": "/apply/list", "role": "Organization Representative"},
    {"title": "Report and Ask", "route": "/my-reports", "role": "Organization Representative"},
    {"title": "Ask the Center", "route": "/ask/new", "role": "Organization Representative"},
    {"title": "Major Event Report", "route": "/event-report/new", "role": "Organization Representative"},
    {"title": "Activity Report", "route": "/activity-report/new", "role": "Organization Representative"},
    {"title": "Venture Project", "route": "/venture/new", "role": "Organization Representative"},
    {"title": "Feedback and complaints", "route": "/feedback/new", "role": "Organization Representative"},
    {"title": "Filing of the Organization", "route": "/filing/new", "role": "Organization Representative"},
    {"title": "Application via the Community", "route": "/community-apply/new", "role": "Community Worker"},
    {"title": "Public Notices", "route": "/notices"},
]
