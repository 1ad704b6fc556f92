"""Issue 14 §5 (R-PRIV) on sites that ran the app before: the roster's Party posts
(liaison, instructor, party affairs worker) and the participants of activities moved to the
permlevel of Party membership (the DocType JSON does that on migrate). What this patch does:

* Permissions customized in the Role Permission Manager (*Custom DocPerm*) replace the
  DocType's own: there the center's staff and heads get the read/write of that permlevel if
  they lack it, so they still read what they entered.
* Reminders written before named the Party member or party affairs worker behind on a quota
  (“党员张三…”), and Frappe copied that text into the ToDo and into the “assigned” comment on
  the organization's timeline, which everyone who reads the organization sees. The name is
  replaced by “一名党员” / “一名党务工作者” in the reminders ledger, the ToDos and those
  comments (a business leader stays named by that post); nothing is deleted.
"""

from __future__ import annotations

import frappe

ORG = "Community Social Organization"
MEMBER = "Organization Member"
STAFF_ROLES = ("Center Staff", "Center Head")
#: the post labels as the job wrote them (site language Chinese, or untranslated)
PARTY_MEMBER = ("党员", "Party Member")
PARTY_WORKER = ("党务工作者", "Party Affairs Worker")
BUSINESS_LEADER = ("业务领军人才", "Business Leader")


def execute():
    for doctype in (MEMBER, "Incubation Activity"):
        keep_staff_permlevel(doctype, 1)
    unname_reminders()


def keep_staff_permlevel(doctype: str, level: int) -> None:
    if not frappe.db.exists("Custom DocPerm", {"parent": doctype}):
        return
    for role in STAFF_ROLES:
        if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": level}):
            continue
        frappe.get_doc({
            "doctype": "Custom DocPerm", "parent": doctype, "parenttype": "DocType", "parentfield": "permissions",
            "role": role, "permlevel": level, "read": 1, "write": 1,
        }).insert(ignore_permissions=True)
    frappe.clear_cache(doctype=doctype)


def replacements(rule: str, member_name: str) -> list[tuple[str, str]]:
    if rule == "R-7.3.2c":
        return [(f"{label}{member_name}", "一名党员") for label in PARTY_MEMBER]
    out = []
    for worker, leader in zip(PARTY_WORKER, BUSINESS_LEADER):
        out += [(f"{worker}、{leader}{member_name}", f"{leader}{member_name}"),
                (f"{worker}, {leader}{member_name}", f"{leader}{member_name}"),
                (f"{worker}{member_name}", "一名党务工作者")]
    return out


def unname(text: str | None, pairs: list[tuple[str, str]]) -> str | None:
    for old, new in pairs:
        if text and old in text:
            text = text.replace(old, new)
    return text


def unname_reminders() -> None:
    reminders = frappe.db.sql(
        """select name, rule, organization, message from `tabSFH Reminder`
           where rule in ('R-7.3.2c', 'R-7.3.1a')""",
        as_dict=True,
    )
    for r in reminders:
        parts = r.name.split("|")
        if len(parts) != 3 or parts[0] != r.rule:
            continue  # R-7.3.2c-study and others name the organization only
        member_name = frappe.db.get_value(MEMBER, parts[1], "member_name")
        if not member_name:
            continue
        pairs = replacements(r.rule, member_name)
        new = unname(r.message, pairs)
        if new == r.message:
            continue
        frappe.db.set_value("SFH Reminder", r.name, "message", new, update_modified=False)
        for model, field, filters in (
            ("ToDo", "description", {"reference_type": ORG, "reference_name": r.organization}),
            ("Comment", "content", {"reference_doctype": ORG, "reference_name": r.organization}),
        ):
            for row in frappe.get_all(model, filters={**filters, field: ("like", f"%{r.message}%")},
                                      fields=["name", field]):
                frappe.db.set_value(model, row.name, field, unname(row[field], pairs), update_modified=False)
