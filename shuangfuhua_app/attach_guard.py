"""An Attach field takes only a file its user may read (R-PRIV).

Frappe v15 (``frappe.core.doctype.file.utils.attach_files_to_document``, on every document's
``on_update``) gives a document whose Attach field holds a private file URL a File record of
its own for that URL when none is attached to it – without asking whether the user may read
the file.  Whoever can write any record with an Attach field (a representative its own
application, staff their own records) could so name another center's private file (a Data
Import's file with resident ID numbers, another organization's attachment) and download it
through their own record.  This hook refuses, before the save, a private file URL newly put
into an Attach field that the user may not read through any File record.
"""

from __future__ import annotations

import frappe
from frappe import _

ATTACH_FIELDTYPES = ("Attach", "Attach Image")


def validate_attach_fields(doc, method=None):
    if frappe.session.user == "Administrator" or frappe.flags.in_install or frappe.flags.in_migrate:
        return
    fields = doc.meta.get("fields", {"fieldtype": ["in", ATTACH_FIELDTYPES]})
    if not fields:
        return
    before = None if doc.is_new() else doc.get_doc_before_save()
    for df in fields:
        url = doc.get(df.fieldname)
        if not isinstance(url, str) or not url.startswith("/private/files/"):
            continue
        if before is not None and before.get(df.fieldname) == url:
            continue  # unchanged: not this user's choice
        files = frappe.get_all("File", filters={"file_url": url}, pluck="name")
        if not any(frappe.has_permission("File", "read", doc=frappe.get_doc("File", name)) for name in files):
            frappe.throw(
                _("{0}: you may not attach a file you cannot read.").format(_(df.label, context=doc.doctype)),
                frappe.PermissionError,
            )
