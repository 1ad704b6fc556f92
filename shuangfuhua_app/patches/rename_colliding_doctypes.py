"""Issue 17 §3 (a good guest): DocTypes of this app whose names another Frappe app uses
(non_profit and old ERPNext ship a DocType `Volunteer`) get a name of their own. On a site
that ran the app before, the existing DocType is renamed with every row, link (Link fields,
Dynamic Links, User Permissions, Custom DocPerms, …) kept – but ONLY when that DocType is
this app's (its module is the app's): a `Volunteer` of another app is never touched.

Runs in [pre_model_sync], i.e. before the new JSON (which carries the new name) is synced.
tests/unit/test_foreign_names.py keeps the list of such names empty from now on.
"""

from __future__ import annotations

import frappe

MODULE = "Shuangfuhua App"
#: old name -> new name
RENAMES = {
    "Volunteer": "SFH Volunteer",
}


def execute():
    for old, new in RENAMES.items():
        if not frappe.db.exists("DocType", old) or frappe.db.exists("DocType", new):
            continue
        if frappe.db.get_value("DocType", old, "module") != MODULE:
            continue  # another app's DocType of that name: leave it as it is
        frappe.rename_doc("DocType", old, new, force=True)
        frappe.db.commit()
