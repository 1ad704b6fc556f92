"""Install, migrate and uninstall hooks."""

from __future__ import annotations

import frappe

from shuangfuhua_app.setup.workflow_sync import sync_workflows
from shuangfuhua_app.shuangfuhua_app.doctype.review_template.review_template import METHOD_VALUES
from shuangfuhua_app.standard.admission import DEFAULT_REVIEW_TEMPLATE
from shuangfuhua_app.utils import ensure_default_template

ROLES = (
    "Center Staff",
    "Center Head",
    "Review Panel Member",
    "Township Leader",
    "Business Supervisory Unit",
    "Leading Group Office",
    "Community Worker",
    "Organization Representative",
)
#: portal-only roles: no Desk access (R-ROLE: the organization applies through the portal)
PORTAL_ROLES = ("Organization Representative",)
DEFAULT_TEMPLATE_NAME = "默认入驻评审模板（DB3301/T 0346—2021 第6.2.2条）"


def after_install():
    ensure_roles()
    ensure_settings_defaults()
    ensure_default_review_template()
    ensure_default_exit_template()
    sync_workflows()
    sync_notifications()


def after_migrate():
    ensure_roles()
    ensure_settings_defaults()
    ensure_default_exit_template()
    sync_workflows()
    sync_notifications()


def sync_notifications():
    """Issue 15 §5: the shipped notifications, never overwriting a center's Desk edits
    (shuangfuhua_app/notifications.py)."""
    from shuangfuhua_app.notifications import sync_notifications as sync

    sync()


def ensure_default_exit_template():
    """R-8.1.1b: the default exit indicator system (App. D), on install and on migrate (a
    site that had the app before issue 8 gets it too); never overwrites staff's edits."""
    from shuangfuhua_app.exit import ensure_default_exit_template as ensure

    ensure()


def ensure_roles():
    """Create the app's roles; portal roles never get Desk access (Frappe creates roles
    named in DocPerms with Desk access when it syncs the DocTypes, so this also corrects)."""
    for role in ROLES:
        desk_access = 0 if role in PORTAL_ROLES else 1
        if not frappe.db.exists("Role", role):
            frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": desk_access}).insert(
                ignore_permissions=True
            )
        elif frappe.db.get_value("Role", role, "desk_access") != desk_access:
            frappe.db.set_value("Role", role, "desk_access", desk_access)


def ensure_settings_defaults():
    """Fill every unset number of the settings with the standard's value (idempotent)."""
    meta = frappe.get_meta("Shuangfuhua Settings")
    settings = frappe.get_single("Shuangfuhua Settings")
    changed = False
    for df in meta.fields:
        if df.default not in (None, "") and settings.get(df.fieldname) in (None, ""):
            settings.set(df.fieldname, df.default)
            changed = True
    if changed:
        settings.flags.ignore_permissions = True
        settings.save()


def ensure_default_review_template():
    rows = [
        {
            "criterion": c.name,
            "method": METHOD_VALUES[c.method],
            "guidance": c.description,
            "weight": c.weight,
            "max_score": c.max_score,
        }
        for c in DEFAULT_REVIEW_TEMPLATE
    ]
    ensure_default_template("Review Template", DEFAULT_TEMPLATE_NAME, "criteria", rows, "default_review_template")


def before_uninstall():
    """Leave no record pointing at what the uninstall drops."""
    from shuangfuhua_app.onboarding import remove_onboarding

    remove_onboarding()
    doctypes = frappe.get_all("DocType", filters={"module": "Shuangfuhua App"}, pluck="name")
    for name in frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name"):
        frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
    # notifications on the app's DocTypes, also those a center made in Desk (the shipped ones
    # carry the module and would go with it, the others would point at dropped DocTypes)
    for name in frappe.get_all("Notification", filters={"document_type": ("in", doctypes)}, pluck="name"):
        frappe.delete_doc("Notification", name, ignore_permissions=True, force=True)
    frappe.db.delete("User Permission", {"allow": ("in", doctypes)})
    frappe.db.delete("User Permission", {"applicable_for": ("in", doctypes)})
    frappe.cache.delete_value("user_permissions")  # Frappe's cache of them (read by the scope)
    frappe.db.delete("Custom DocPerm", {"parent": ("in", doctypes)})
    frappe.db.delete("ToDo", {"reference_type": ("in", doctypes)})
    frappe.db.delete("Workflow Action", {"reference_doctype": ("in", doctypes)})
    for role in ROLES:
        frappe.db.delete("Has Role", {"role": role})
        frappe.db.delete("Custom DocPerm", {"role": role})
        frappe.delete_doc("Role", role, ignore_permissions=True, force=True, ignore_missing=True)
    frappe.db.commit()
