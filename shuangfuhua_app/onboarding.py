"""The Module Onboarding "Shuangfuhua": a new center's first steps (issue 9 §3).

Frappe marks an Onboarding Step complete only from its Desk widget, when the user creates the
record *through the widget*.  A center does these things wherever it works – the list view, the
portal (an organization's first application), a data import – so the steps complete here, on the
server, when the record is really there:

* ``after_insert`` of a Service Center, Community, Review Panel or Incubation Application
  completes its step (``doc_events`` in ``hooks.py``);
* saving Shuangfuhua Settings outside install and migrate completes the settings step;
* ``after_migrate`` completes the steps of what a site already has (a site that had centers
  before the onboarding existed is not sent back to its first steps); a site that already has
  applications has, by then, also reviewed its settings.

When every step is complete or skipped the Module Onboarding is marked complete, as Frappe's
``ModuleOnboarding.check_completion`` would, but without saving the document (no export and no
new ``modified`` that would stop the JSON from syncing on the next migrate).
"""

from __future__ import annotations

import frappe

ONBOARDING = "Shuangfuhua"

#: DocType -> the step its first record completes
RECORD_STEPS: dict[str, str] = {
    "Service Center": "Create the Service Center",
    "Community": "Add the Communities",
    "Review Panel": "Set Up a Review Panel",
    "Incubation Application": "Enter the First Application",
}
SETTINGS_STEP = "Review the Settings"
#: issue 17 §3: the explicit step that opens portal sign-up and login by mobile number for
#: the whole site (shuangfuhua_app.portal.setup.open_portal_signup); install never does
SIGNUP_STEP = "Open Portal Sign-up"


def record_inserted(doc, method=None):
    """doc_events ``after_insert`` of the DocTypes in ``RECORD_STEPS``."""
    step = RECORD_STEPS.get(doc.doctype)
    if step:
        complete_step(step)


def settings_saved(doc, method=None):
    """doc_events ``on_update`` of Shuangfuhua Settings: a person reviewed the settings (the
    defaults that install and migrate write are not a review)."""
    if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch or frappe.flags.in_import:
        return
    complete_step(SETTINGS_STEP)


def complete_step(step: str) -> bool:
    """Mark ``step`` complete; True when this call did it.  A consistent read first: the step's
    row is written (and locked) once per site, not on every insert."""
    if frappe.db.get_value("Onboarding Step", step, "is_complete") != 0:
        return False  # already complete, or the step is not on this site
    frappe.db.set_value("Onboarding Step", step, "is_complete", 1, update_modified=False)
    _complete_onboarding_when_done()
    return True


def _complete_onboarding_when_done():
    steps = frappe.get_all("Onboarding Step Map", filters={"parent": ONBOARDING}, pluck="step")
    if not steps:
        return
    done = frappe.get_all(
        "Onboarding Step",
        filters={"name": ("in", steps)},
        or_filters={"is_complete": 1, "is_skipped": 1},
        pluck="name",
    )
    if len(set(done)) == len(set(steps)):
        frappe.db.set_value("Module Onboarding", ONBOARDING, "is_complete", 1, update_modified=False)


def sync_onboarding():
    """after_migrate: complete the steps of what the site already has (idempotent)."""
    if not frappe.db.exists("Module Onboarding", ONBOARDING):
        return
    for doctype, step in RECORD_STEPS.items():
        if frappe.get_all(doctype, limit=1, pluck="name"):
            complete_step(step)
    if frappe.get_all("Incubation Application", limit=1, pluck="name"):
        complete_step(SETTINGS_STEP)
    # a site where both are already on (e.g. an earlier install switched them on)
    if not frappe.db.get_single_value("Website Settings", "disable_signup") and frappe.db.get_single_value(
        "System Settings", "allow_login_using_mobile_number"
    ):
        complete_step(SIGNUP_STEP)


def remove_onboarding():
    """before_uninstall: Frappe deletes the Module Onboarding with the module, but not its
    Onboarding Steps (they name no module) – which would point at the dropped DocTypes."""
    steps = frappe.get_all("Onboarding Step Map", filters={"parent": ONBOARDING}, pluck="step")
    frappe.delete_doc("Module Onboarding", ONBOARDING, ignore_permissions=True, force=True, ignore_missing=True)
    for step in {*steps, *RECORD_STEPS.values(), SETTINGS_STEP, SIGNUP_STEP}:
        frappe.delete_doc("Onboarding Step", step, ignore_permissions=True, force=True, ignore_missing=True)
