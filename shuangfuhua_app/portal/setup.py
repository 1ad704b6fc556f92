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
    """At install only what the portal's own pages need. The site-wide sign-up and login
    settings are left as they were (issue 17 §3: the site may be a company's ERP); the
    onboarding's step "Open Portal Sign-up" switches them on, saying what it changes."""
    after_migrate()


@frappe.whitelist(methods=["POST"])
def open_portal_signup():
    """Explicit onboarding step, System Manager only: organizations sign up on the portal
    themselves and representatives may log in with their mobile number (issue 4 §1) –
    this changes the sign-up and login settings of the whole site."""
    frappe.only_for("System Manager")
    frappe.db.set_single_value("Website Settings", "disable_signup", 0)
    frappe.db.set_single_value("System Settings", "allow_login_using_mobile_number", 1)
    from shuangfuhua_app.onboarding import SIGNUP_STEP, complete_step

    complete_step(SIGNUP_STEP)
    frappe.db.commit()
    return portal_signup_state()


def portal_signup_state() -> dict:
    return {
        "signup_open": not frappe.db.get_single_value("Website Settings", "disable_signup"),
        "mobile_login": bool(frappe.db.get_single_value("System Settings", "allow_login_using_mobile_number")),
    }
