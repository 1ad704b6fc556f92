"""History and timeline show no field above the reader's permlevel (R-PRIV, issue 14 §5).

A record's form brings its *docinfo*: the last Versions (every change, old and new value),
comments, assignments, attachments, workflow and info logs.  Frappe reads them with
``frappe.get_all`` – no field-level permission – so a township leader who may not read
``is_party_member`` of an Organization Member reads who became a Party member in its
Version history, and a reviewer reads the staff phones of a Service Center in the changes
of its staff rows.

The routes that return docinfo (``frappe.desk.form.load.getdoc`` and ``get_docinfo``, and
``frappe.desk.form.save.savedocs``, which sends it back after a save) are wrapped
(``override_whitelisted_methods``).  For a record of the app, before docinfo leaves:

* each Version keeps only the changes of fields the reader may read: a changed field above
  the reader's permlevel, a row added to, removed from or changed in a table the reader
  may not read, and a child field above the reader's permlevel are taken out; a Version
  left with no change is not shown at all;
* every timeline entry (comments, info, workflow, assignment and attachment logs,
  assignments, communications, milestones of such fields) that quotes a value the reader
  may not read – a hidden field's value now or in any shown Version's history, or any
  value of a hidden table's rows – is not shown to that reader.

"May not read" is the rule of ``shuangfuhua_app.field_guard.hidden_fields`` (Frappe's
permlevels, and a child table's table field).  Who reads every permlevel (the centre's
staff, a System Manager) gets docinfo unchanged.  Version and Comment themselves are read by
System Managers only (Frappe's role permissions), so docinfo is the way they reach others.
"""

from __future__ import annotations

import json

import frappe

from shuangfuhua_app.field_guard import APP_DOCTYPES, EVERYTHING, hidden_fields

#: docinfo's timeline lists (``frappe.desk.form.load.get_docinfo``)
TIMELINE_KEYS = (
    "comments",
    "info_logs",
    "workflow_logs",
    "assignment_logs",
    "attachment_logs",
    "like_logs",
    "shared",
    "assignments",
    "communications",
    "automated_messages",
    "energy_point_logs",
    "additional_timeline_content",
    "views",
)
_NO_SECRET = {"name", "parent", "parenttype", "parentfield", "doctype", "owner", "modified_by", "creation",
              "modified", "idx", "docstatus", "__islocal", "__unsaved"}


class _Reader:
    """What the session's user may not read of one record of ``doctype``."""

    def __init__(self, doctype: str, user: str):
        self.doctype, self.user = doctype, user
        meta = frappe.get_meta(doctype)
        self.hidden = hidden_fields(doctype, user)
        self.tables = {
            df.fieldname: (EVERYTHING if df.fieldname in self.hidden else hidden_fields(df.options, user, doctype))
            for df in meta.get_table_fields()
        }
        self.value_fields = {df.fieldname for df in meta.fields if df.fieldname in self.hidden and df.fieldtype not in
                             ("Table", "Table MultiSelect", "Check", "Int", "Float", "Currency", "Percent")}
        self.restricted = bool(self.hidden) or any(self.tables.values())

    def table(self, fieldname: str):
        return self.tables.get(fieldname, EVERYTHING)  # a table field the DocType no longer has


def _secret(value, into: set[str]) -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    text = str(value).strip()
    if len(text) >= 2 and text not in ("0", "1"):
        into.add(text)


def _row_secrets(row: dict, hidden, into: set[str]) -> None:
    for key, value in (row or {}).items():
        if key not in _NO_SECRET and (hidden is EVERYTHING or key in hidden):
            _secret(value, into)


def redact_version(data: dict, reader: _Reader, secrets: set[str]) -> dict | None:
    """The Version's changes the reader may read (``None``: nothing of it is shown);
    the values taken out go to ``secrets``."""
    had_changes = any(data.get(k) for k in ("changed", "added", "removed", "row_changed"))
    out = dict(data)
    changed = []
    for entry in data.get("changed") or []:
        if entry and entry[0] in reader.hidden:
            if entry[0] in reader.value_fields:
                for value in entry[1:]:
                    _secret(value, secrets)
            continue
        changed.append(entry)
    out["changed"] = changed
    for key in ("added", "removed"):
        rows = []
        for tablefield, row in data.get(key) or []:
            hidden = reader.table(tablefield)
            _row_secrets(row, hidden, secrets)
            if hidden is EVERYTHING:
                continue
            rows.append([tablefield, {k: v for k, v in (row or {}).items() if k not in hidden}])
        out[key] = rows
    row_changed = []
    for entry in data.get("row_changed") or []:
        tablefield, changes = entry[0], entry[-1] or []
        hidden = reader.table(tablefield)
        kept = []
        for change in changes:
            if hidden is EVERYTHING or change[0] in hidden:
                for value in change[1:]:
                    _secret(value, secrets)
            else:
                kept.append(change)
        if kept:
            row_changed.append([*entry[:-1], kept])
    out["row_changed"] = row_changed
    if had_changes and not any(out.get(k) for k in ("changed", "added", "removed", "row_changed")):
        return None
    return out


def _current_secrets(doctype: str, name: str, reader: _Reader, secrets: set[str]) -> None:
    try:
        doc = frappe.get_doc(doctype, name)
    except frappe.DoesNotExistError:
        return
    for fieldname in reader.value_fields:
        _secret(doc.get(fieldname), secrets)
    for tablefield, hidden in reader.tables.items():
        if hidden:
            for row in doc.get(tablefield) or []:
                _row_secrets(row.as_dict(), hidden, secrets)


def _quotes(entry, secrets: set[str]) -> bool:
    text = json.dumps(entry, ensure_ascii=False, default=str)
    try:  # HTML and JSON escapes aside, the text as shown
        text += json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        pass
    return any(s in text for s in secrets)


def redact_docinfo(docinfo) -> None:
    """Take out of ``docinfo`` (in place) what the session's user may not read."""
    if not docinfo or docinfo.get("doctype") not in APP_DOCTYPES:
        return
    user = frappe.session.user
    if user == "Administrator":
        return
    reader = _Reader(docinfo["doctype"], user)
    if not reader.restricted:
        return
    secrets: set[str] = set()
    versions = []
    for version in docinfo.get("versions") or []:
        try:
            data = json.loads(version.get("data") or "{}")
        except ValueError:
            continue  # not a diff Frappe wrote: not shown
        kept = redact_version(data, reader, secrets)
        if kept is not None:
            version = frappe._dict(version)
            version.data = frappe.as_json(kept, indent=None, separators=(",", ":"))
            versions.append(version)
    docinfo["versions"] = versions
    _current_secrets(docinfo["doctype"], docinfo.get("name"), reader, secrets)
    for key in TIMELINE_KEYS:
        entries = docinfo.get(key)
        if isinstance(entries, list) and secrets:
            docinfo[key] = [e for e in entries if not _quotes(e, secrets)]
    if isinstance(docinfo.get("milestones"), list):
        docinfo["milestones"] = [
            m for m in docinfo["milestones"]
            if m.get("track_field") not in reader.hidden and not (secrets and _quotes(m, secrets))
        ]


def _redact_response() -> None:
    redact_docinfo(frappe.response.get("docinfo"))


# ------------------------------------------------------------------ the wrapped routes


@frappe.whitelist()
def getdoc(doctype, name, user=None):
    from frappe.desk.form import load

    result = load.getdoc(doctype, name, user)
    _redact_response()
    return result


@frappe.whitelist()
def get_docinfo(doc=None, doctype=None, name=None):
    from frappe.desk.form import load

    result = load.get_docinfo(doc, doctype, name)
    _redact_response()
    return result


@frappe.whitelist()
def savedocs(doc, action):
    from frappe.desk.form import save

    result = save.savedocs(doc, action)
    _redact_response()
    return result

