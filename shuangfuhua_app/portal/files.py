"""Attachments of the app's records are private (R-PRIV), whoever uploads them.

Who may *read* a File record is decided in ``shuangfuhua_app.permissions`` (by the record it
is attached to); this module makes sure the content is stored in the private folder.
"""

from __future__ import annotations

import frappe

from shuangfuhua_app.portal.representatives import is_portal_applicant
from shuangfuhua_app.scope import SCOPE_FIELDS

#: attachments of these records are published on the public page (e.g. images in the notice text)
PUBLIC_ATTACHMENT_DOCTYPES = {"Public Notice", "Service Center", "Community"}


def _private_attachment_doctypes() -> set[str]:
    return set(SCOPE_FIELDS) - PUBLIC_ATTACHMENT_DOCTYPES


def _must_be_private(doctype: str | None) -> bool:
    return doctype in _private_attachment_doctypes() or is_portal_applicant()


@frappe.whitelist(allow_guest=True)
def upload_file():
    """Frappe's upload_file, but what a representative uploads and anything attached to the
    app's records is stored private (R-PRIV), whatever the uploader's lock icon says."""
    from frappe.handler import upload_file as frappe_upload_file

    if _must_be_private(frappe.form_dict.doctype):
        frappe.form_dict.is_private = 1
    return frappe_upload_file()


def file_after_insert(doc, method=None):
    """Fallback for files created another way (e.g. a Web Form posting a data URL): move
    them to the private folder (R-PRIV)."""
    if doc.is_folder or doc.is_private or (doc.file_url or "").startswith("http"):
        return
    if _must_be_private(doc.attached_to_doctype):
        doc.is_private = 1
        doc.save(ignore_permissions=True)
