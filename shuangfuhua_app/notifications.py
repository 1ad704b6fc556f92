"""Notifications: shipped as editable Desk records, and kept in scope (issue 15 §5–6, R-SCOPE).

Shipped notifications
    ``shuangfuhua_app/shuangfuhua_app/shipped_notification/*.json`` are ordinary Frappe
    *Notification* records (``is_standard`` 0, module *Shuangfuhua App*): Chinese subject and
    message, channel e-mail with a system notification.  A center switches each on or off and
    edits its text, condition and recipients in Desk.  They are synced on install and migrate by
    the same ledger as the workflows (``setup/shipped_sync.py``): inserted when missing, updated
    with the app only while nobody edited them in Desk, never brought back once deleted.  Not in
    a ``notification/`` folder on purpose: Frappe would import that folder itself on migrate and
    overwrite a Desk edit as soon as an update ships a newer file (and a *standard* notification
    cannot be edited in Desk at all outside developer mode).

Scope
    Frappe sends a notification addressed to a role to every holder of the role on the site.
    ``ScopedNotification`` (``override_doctype_class``) keeps, for a notification about a record
    of the app, only the users who may read that record (``frappe.has_permission``, which
    applies the app's scope hook ``permissions.has_permission``): role holders, users named by a
    document field, cc/bcc and assignees alike, for the e-mail, the system notification
    (Notification Log) and SMS.  Role holders are looked up only among the users the record's
    center, organization or community reaches (their User Permissions) and the district roles,
    so "all representatives" of a site with 50,000 organizations costs one small query.
    Addresses that belong to no user of the site (an e-mail typed into cc, a contact field of the
    record) are sent to as Frappe would: they are no user whose scope could be judged.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import frappe
from frappe.email.doctype.notification.notification import Notification

from shuangfuhua_app.permissions import DISTRICT_ROLES
from shuangfuhua_app.scope import SCOPE_FIELDS
from shuangfuhua_app.setup.shipped_sync import apply_shipped, file_hash, forget, sync_record

APP_MODULE = "Shuangfuhua App"
#: the Notification event ("Method") the app raises on an organization when its exit result
#: has been finally confirmed (R-8.1.2/R-8.1.3; the representatives read the organization,
#: not the exit assessment)
EXIT_RESULT_METHOD = "sfh_exit_result_confirmed"
#: which User Permission reaches a record through which of its scope fields (scope.py keys)
ALLOW_OF_KEY = {"center": "Service Center", "org": "Community Social Organization", "community": "Community"}
NOT_PEOPLE = ("Administrator", "Guest")


# ====================================================================== scope


def applies_to(doctype: str | None) -> bool:
    """The app's own DocTypes (its module); Frappe's and other apps' keep Frappe's behaviour."""
    if not doctype:
        return False
    return doctype in SCOPE_FIELDS or frappe.db.get_value("DocType", doctype, "module") == APP_MODULE


def reference_of(doc):
    """The record a notification is about: a child row's parent, else the document."""
    if doc.meta.istable and doc.get("parenttype") and doc.get("parent"):
        return frappe.get_doc(doc.parenttype, doc.parent)
    return doc


def scope_candidates(doc) -> set[str] | None:
    """Users who might read ``doc`` by its scope: User Permissions on its center, organization or
    community, and holders of the district roles.  ``None``: the DocType has no scope (shared
    configuration), every user is a candidate."""
    fields = SCOPE_FIELDS.get(doc.doctype)
    if not fields:
        return None
    pairs = [(ALLOW_OF_KEY[key], doc.get(column)) for key, column in fields.items() if doc.get(column)]
    users: set[str] = set()
    if pairs:
        up = frappe.qb.DocType("User Permission")
        condition = None
        for allow, value in pairs:
            clause = (up.allow == allow) & (up.for_value == value)
            condition = clause if condition is None else (condition | clause)
        users.update(frappe.qb.from_(up).select(up.user).distinct().where(condition).run(pluck=True))
    users.update(role_holders(sorted(DISTRICT_ROLES)))
    return users


def role_holders(roles: list[str], among: set[str] | None = None) -> list[str]:
    """Enabled users holding any of ``roles`` (optionally only those in ``among``)."""
    if not roles or among is not None and not among:
        return []
    user, has_role = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
    query = (
        frappe.qb.from_(user)
        .join(has_role)
        .on((has_role.parent == user.name) & (has_role.parenttype == "User"))
        .select(user.name)
        .distinct()
        .where(has_role.role.isin(roles) & (user.enabled == 1) & user.name.notin(NOT_PEOPLE))
    )
    if among is not None:
        query = query.where(user.name.isin(sorted(among)))
    return query.run(pluck=True)


class Readers:
    """Who may read one record: the test every recipient of a notification about it passes."""

    def __init__(self, doc):
        self.doc = reference_of(doc)
        # readers the change itself took away (a terminated organization's representatives):
        # they may still be told of it (``remember_readers``)
        self.former: set[str] = set(self.doc.flags.get("sfh_former_readers") or ())
        self._may: dict[str, bool] = {}

    def may_read(self, user: str) -> bool:
        if user not in self._may:
            self._may[user] = user in self.former or bool(
                frappe.has_permission(self.doc.doctype, "read", doc=self.doc, user=user)
            )
        return self._may[user]

    def users_of(self, addresses: list[str]) -> dict[str, str]:
        """address (user name or e-mail, lower case) -> user name, for the site's users."""
        if not addresses:
            return {}
        rows = frappe.get_all(
            "User",
            or_filters={"name": ("in", addresses), "email": ("in", addresses)},
            fields=["name", "email"],
        )
        found = {}
        for row in rows:
            found[row.name.lower()] = row.name
            if row.email:
                found[row.email.lower()] = row.name
        return found

    def keep(self, addresses) -> list[str]:
        """The addresses of users who may read the record, and those of no user at all."""
        addresses = [a.strip() for a in addresses or [] if a and a.strip()]
        users = self.users_of(addresses)
        kept = []
        for address in addresses:
            user = users.get(address.lower())
            if (user is None or self.may_read(user)) and address not in kept:
                kept.append(address)
        return kept

    def role_users(self, roles: list[str]) -> list[str]:
        """Holders of ``roles`` who may read the record (found among its scope's users)."""
        candidates = scope_candidates(self.doc)
        if candidates is not None:
            candidates |= self.former
        return [u for u in role_holders(roles, candidates) if self.may_read(u)]


class ScopedNotification(Notification):
    """Frappe's Notification whose recipients stay within the record's readers (R-SCOPE)."""

    @contextmanager
    def _roles_set_aside(self, context):
        """Frappe's recipient lookups without the role rows; yields the roles of the rows whose
        condition holds (they are resolved here, within the record's scope)."""
        rows = [(row, row.receiver_by_role) for row in self.recipients if row.receiver_by_role]
        roles = [
            role for row, role in rows if not row.condition or frappe.safe_eval(row.condition, None, context)
        ]
        for row, _role in rows:
            row.receiver_by_role = None
        try:
            yield sorted(set(roles))
        finally:
            for row, role in rows:
                row.receiver_by_role = role

    def get_list_of_recipients(self, doc, context):
        if not applies_to(self.document_type):
            return super().get_list_of_recipients(doc, context)
        with self._roles_set_aside(context) as roles:
            recipients, cc, bcc = super().get_list_of_recipients(doc, context)
        readers = Readers(doc)
        users = readers.role_users(roles) if roles else []
        if users:
            emails = frappe.get_all("User", filters={"name": ("in", users)}, pluck="email")
            recipients = list(recipients) + [e for e in emails if e]
        return readers.keep(recipients), readers.keep(cc), readers.keep(bcc)

    def get_receiver_list(self, doc, context):
        """SMS: the record's own number fields as Frappe reads them; role holders within scope."""
        if not applies_to(self.document_type):
            return super().get_receiver_list(doc, context)
        with self._roles_set_aside(context) as roles:
            numbers = super().get_receiver_list(doc, context)
        users = Readers(doc).role_users(roles) if roles else []
        if users:
            numbers = list(numbers) + frappe.get_all(
                "User", filters={"name": ("in", users), "mobile_no": ("is", "set")}, pluck="mobile_no"
            )
        return [n for n in numbers if n]

    def send_an_email(self, doc, context):
        """Frappe sends the e-mail first and stops at its first error, so a site without an
        outgoing e-mail account (or an address the queue refuses) would get no system
        notification either: skip the e-mail without an account, log its other failures, and let
        the system notification go."""
        if not applies_to(self.document_type):
            return super().send_an_email(doc, context)
        if not self.sender_email and not _outgoing_address(doc):
            return
        try:
            super().send_an_email(doc, context)
        except Exception:
            self.log_error("Failed to send Notification e-mail")


def _outgoing_address(doc) -> str | None:
    """The e-mail address of the account Frappe would send from (Frappe's stand-in account of a
    site with muted e-mail has none and cannot send)."""
    from frappe.email.doctype.email_account.email_account import EmailAccount
    from frappe.email.doctype.notification.notification import get_reference_doctype

    account = EmailAccount.find_outgoing(match_by_doctype=get_reference_doctype(doc))
    return account.get("email_id") if account else None


# ====================================================================== events the app raises


def exit_assessment_on_update_after_submit(doc, method=None):
    """R-8.1.2/R-8.1.3: once an exit result is finally confirmed (its final confirmation date
    set), raise ``EXIT_RESULT_METHOD`` on the organization – the notifications for that event
    read the level and the certificate from the organization's record."""
    before = doc.get_doc_before_save()
    if not doc.get("final_confirmed_on") or (before and before.get("final_confirmed_on")) or not doc.organization:
        return
    org = frappe.get_doc("Community Social Organization", doc.organization)
    org.run_notifications(EXIT_RESULT_METHOD)


def remember_readers(doc, method=None):
    """``before_save`` of a record whose change may revoke its readers' access (the approval of an
    organization's termination removes its representatives' User Permissions, R-EXIT-ORG): the
    users with a User Permission on its organization who may read it now are still told of
    this change."""
    org = doc.get("organization")
    if not org:
        return
    users = frappe.get_all(
        "User Permission", filters={"allow": "Community Social Organization", "for_value": org}, pluck="user"
    )
    doc.flags.sfh_former_readers = {
        u for u in set(users) if frappe.has_permission(doc.doctype, "read", doc=doc, user=u)
    }


# ====================================================================== shipped records


def shipped_notification_files(app: str = "shuangfuhua_app") -> list[Path]:
    folder = Path(frappe.get_app_path(app, "shuangfuhua_app", "shipped_notification"))
    return sorted(folder.glob("*.json"))


def sync_notification_file(path: Path) -> str:
    """inserted, updated, unchanged, kept-edited or kept-deleted (setup/shipped_sync.py)."""
    raw = path.read_bytes()
    data = json.loads(raw)
    return sync_record(
        "Notification", data["name"], file_hash(raw), lambda doc: apply_shipped(doc, data, ("recipients",)),
        keep_deleted=True,
    )


def sync_notifications(app: str = "shuangfuhua_app") -> dict[str, str]:
    return {path.stem: sync_notification_file(path) for path in shipped_notification_files(app)}


def reset_notification(name: str, app: str = "shuangfuhua_app") -> str:
    """Throw away Desk edits of a shipped notification (or bring back a deleted one):
    ``bench --site … execute shuangfuhua_app.notifications.reset_notification --args "['…']"``."""
    frappe.only_for("System Manager")
    for path in shipped_notification_files(app):
        if json.loads(path.read_bytes())["name"] == name:
            forget("Notification", name)
            if frappe.db.exists("Notification", name):
                frappe.delete_doc("Notification", name, ignore_permissions=True, force=True)
            return sync_notification_file(path)
    frappe.throw(frappe._("No shipped notification named {0}").format(name))
