"""The portal's site settings, at install and migrate."""

from __future__ import annotations

import frappe


def after_migrate():
    """Guests on the public notice page get the site's language (System Settings keeps the
    "lang" default in sync only when saved as a document; a scripted set_single_value
    leaves it behind)."""
    language = frappe.db.get_single_value("System Settings", "language")
    if language and frappe.db.get_default("lang") != language:
        frappe.db.set_default("lang", language)


def after_install():
    """Once, at install (an administrator may switch both off again; migrate leaves them
    alone): organizations sign up on the portal themselves, and representatives may log
    in with their mobile number (issue 4 §1)."""
    after_migrate()
    frappe.db.set_single_value("Website Settings", "disable_signup", 0)
    frappe.db.set_single_value("System Settings", "allow_login_using_mobile_number", 1)
