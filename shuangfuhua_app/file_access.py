"""Downloads of private files follow the record they are attached to (R-PRIV).

Frappe v15 serves ``/private/files/…`` after ``File.is_downloadable``, which calls Frappe's own
File permission function directly – not the permission hooks: the user who uploaded a file
downloads it whatever has happened since (a staff member moved to another center keeps the
center's import file; a representative relinked away keeps the organization's attachments).
``override_doctype_class``: the download also asks the app's File hook
(``shuangfuhua_app.permissions.file_has_permission``), which lets an attachment of a scoped
record (Data Import included) go only to whoever the record's scope reaches.
"""

from __future__ import annotations

from frappe.core.doctype.file.file import File

from shuangfuhua_app.permissions import file_has_permission


class ScopedFile(File):
    def is_downloadable(self):
        return super().is_downloadable() and file_has_permission(self, "read") is not False
