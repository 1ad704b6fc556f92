"""Reminders people can act on (issue 18 §1): one digest per user, day and daily job.

The daily jobs keep writing the ledger *SFH Reminder* – one row per organization, rule and
period, with the job that wrote it (``job``) and the users to be told (``assigned_to``); the
reports and the organization's form read it. They no longer create a ToDo per user,
organization and rule. Instead, after a job has written its rows (inline, and again after
each of its queued parts), :func:`send` gives every user told by that job that day **one**
ToDo – allocated to the user, referring to the user's Service Center, dated that day – with
the number of the day's new reminders by rule (the rules' Chinese names) and a link to the
ledger's list filtered to the center, the job and that day.

R-X-SCALE: set-based – the day's ledger rows of the job are counted with one query grouped
by center, rule and recipients; the digests already given that day with one more; then one
insert or update per user. A second run adds no digest: it updates the counts of the one
already there (reopened when the user had closed it and the counts grew).

Reminders given outside the daily jobs (an exit assessment found not up to standard, R-8.1.2)
still create their own ToDo at once: one event, one thing to do.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, nowdate
from frappe.utils.html_utils import sanitize_html

#: the daily jobs that write the ledger (their ``job`` value)
JOBS = (
    "incubation.send_reminders",
    "exit.send_reminders",
    "improvement.send_reminders",
    "center.send_reminders",
    "filing.send_reminders",
    "hub.send_reminders",
)


def job_label(job: str) -> str:
    return {
        "incubation.send_reminders": _("Incubation quotas"),
        "exit.send_reminders": _("Exit assessments and follow-up services"),
        "improvement.send_reminders": _("Corrective actions"),
        "center.send_reminders": _("Operators' quarterly reports"),
        "filing.send_reminders": _("Filings"),
        "hub.send_reminders": _("Hub meetings"),
    }.get(job, job)


def rule_label(rule: str) -> str:
    """The rule's name in the user's language (zh: the standard's wording)."""
    return {
        "R-7.1.2": _("Party organization and party members"),
        "R-7.3.1a": _("Class hours of key members"),
        "R-7.3.2b": _("Training of reserve talent"),
        "R-7.3.2c": _("Rotation and regular study"),
        "R-7.5.2": _("Incubation work evaluation and follow-up actions"),
        "R-8.1.1a": _("Exit assessment due"),
        "R-8.1.2": _("Exit assessment not up to standard"),
        "R-8.2": _("Follow-up service ending"),
        "R-9": _("Corrective actions overdue"),
        "R-OPER": _("Operator's quarterly financial report missing"),
        "R-OPER-SUMMARY": _("Operator's quarterly operations summary missing"),
        "R-FILE": _("Filing stage overdue"),
        "R-HUB": _("Secretary-general meeting missing"),
    }.get(rule, rule)


def list_link(center: str | None, job: str, day: datetime.date) -> str:
    """The ledger's list (desk) filtered to ``center``, ``job`` and the day the rows were written."""
    d = day.isoformat()
    parts = []
    if center:
        parts.append("service_center=" + quote(center, safe=""))
    parts.append("job=" + quote(job, safe=""))
    parts.append("creation=" + quote(json.dumps(["Between", [d, d]], separators=(",", ":")), safe=""))
    return "/app/sfh-reminder?" + "&".join(parts)


#: jobs whose recipients include users who do not read the ledger (R-FILE: the community's
#: workers, the township's leaders) -> (the reminded records' DocType, the key part naming one)
RECORD_LISTS = {"filing.send_reminders": ("Organization Filing", 1)}
#: at most this many records named in a link (a longer URL is cut by browsers and proxies)
MAX_LINKED = 100


def reads_ledger(user: str) -> bool:
    """Whether the user's roles may read the ledger *SFH Reminder* (staff, head, managers)."""
    roles = set(frappe.get_roles(user))
    return any(p.role in roles and p.read for p in frappe.get_meta("SFH Reminder").permissions)


def records_link(doctype: str, names: list[str]) -> str:
    """The desk list of ``doctype`` filtered to ``names`` – for a user who does not read the
    ledger, the records the day's reminders are about (the user's own scope applies there)."""
    names = sorted(set(names))[:MAX_LINKED]
    value = json.dumps(["in", names], separators=(",", ":"), ensure_ascii=False)
    return f"/app/{frappe.scrub(doctype).replace('_', '-')}?name=" + quote(value, safe="")


def day_records(job: str, day: datetime.date) -> dict[str, dict[str, list[str]]]:
    """user -> center -> names of the records (``RECORD_LISTS``) of the rows ``job`` wrote on
    ``day`` telling that user (one query)."""
    _dt, part = RECORD_LISTS[job]
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in frappe.db.sql(
        """select name, service_center, assigned_to from `tabSFH Reminder`
        where job = %(job)s and creation >= %(start)s and creation < %(end)s""",
        {"job": job, "start": day, "end": day + datetime.timedelta(days=1)},
        as_dict=True,
    ):
        bits = r.name.split("|")
        if len(bits) <= part:
            continue
        for user in (r.assigned_to or "").split(","):
            if user.strip():
                out[user.strip()][r.service_center or ""].append(bits[part])
    return out


def _marker(job: str) -> str:
    """What identifies a digest of ``job`` in its text (the link's job filter, language-free)."""
    return "job=" + quote(job, safe="")


def day_counts(job: str, day: datetime.date) -> dict[str, dict[str, dict[str, int]]]:
    """user -> center -> rule -> number of ledger rows ``job`` wrote on ``day`` telling that
    user (one grouped query, and one by primary key for the recipients' lists).

    The rows are grouped by the hash of their recipients' list, not by the list itself: a
    group over a text column makes MariaDB build its temporary table on disk, and the heaviest
    day (a year's end at city scale: ~90,000 rows) is counted again after every queued part."""
    args = {"job": job, "start": day, "end": day + datetime.timedelta(days=1)}
    groups = frappe.db.sql(
        """select service_center, rule, md5(ifnull(assigned_to, '')) as h, min(name) as sample, count(*) as n
        from `tabSFH Reminder`
        where job = %(job)s and creation >= %(start)s and creation < %(end)s
        group by service_center, rule, h""",
        args,
        as_dict=True,
    )
    samples = sorted({g.sample for g in groups})
    recipients = dict(frappe.db.sql(
        "select name, assigned_to from `tabSFH Reminder` where name in %(names)s", {"names": samples or [""]}
    )) if samples else {}
    rows = [frappe._dict(service_center=g.service_center, rule=g.rule, n=g.n, assigned_to=recipients.get(g.sample))
            for g in groups]
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for r in rows:
        for user in (r.assigned_to or "").split(","):
            user = user.strip()
            if user:
                out[user][r.service_center or ""][r.rule or ""] += int(r.n)
    return out


def render(job: str, day: datetime.date, by_center: dict[str, dict[str, int]], center_names: dict[str, str],
           records: dict[str, list[str]] | None = None) -> str:
    """The digest's text; ``records`` (center -> record names) links the records' own list
    instead of the ledger's, for a user who does not read the ledger."""
    total = sum(n for rules in by_center.values() for n in rules.values())
    html = [
        "<p>"
        + escape_html(_("Daily reminders – {0}, {1}: {2} new").format(job_label(job), day.isoformat(), total))
        + "</p>"
    ]
    for center in sorted(by_center):
        rules = by_center[center]
        if len(by_center) > 1 or not center:
            html.append("<p>" + escape_html(center_names.get(center) or center or _("No service center")) + "</p>")
        html.append("<ul>")
        for rule in sorted(rules):
            html.append(f"<li>{escape_html(rule_label(rule))}（{escape_html(rule)}）：{rules[rule]}</li>")
        html.append("</ul>")
        link = list_link(center or None, job, day)
        if records is not None and job in RECORD_LISTS:
            # the job's marker stays in the text (the digest is found again by it)
            link = records_link(RECORD_LISTS[job][0], records.get(center, [])) + "&" + _marker(job)
        html.append(f'<p><a href="{link}">' + escape_html(_("Open these reminders")) + "</a></p>")
    return "".join(html)


def send(job: str, day=None, users=None) -> dict[str, str]:
    """Give every user told by ``job`` on ``day`` (default today) one digest ToDo of that
    day's ledger rows, or bring the one already given up to date. Idempotent; returns
    user -> ToDo name. ``users``: only these users' digests (a queued part updates the digests
    of the users its rows tell, not every user's after every part)."""
    day = getdate(day or nowdate())
    lock = f"sfh_digest|{job}"[:64]
    # Queued parts of one job run side by side on several workers (issue 18 §6b). Inside a
    # background job the part's ledger rows are committed before the lock is asked for, and the
    # digests before it is given back: the next holder then starts a transaction that sees both
    # (under REPEATABLE READ a transaction begun earlier would read an older digest and fail to
    # save it, TimestampMismatchError, losing the part's reminders until the next run).
    in_job = bool(getattr(frappe.local, "job", None))
    if in_job:
        frappe.db.commit()
    frappe.db.sql("select get_lock(%s, 30)", lock)
    try:
        out = _send(job, day, set(users) if users is not None else None)
        if in_job:
            frappe.db.commit()
        return out
    finally:
        frappe.db.sql("select release_lock(%s)", lock)


def _send(job: str, day: datetime.date, only: set[str] | None = None) -> dict[str, str]:
    counts = day_counts(job, day)
    if not counts:
        return {}
    told = [u for u in counts if only is None or u in only]  # a queued part: the users of its own rows
    if not told:
        return {}
    users = set(frappe.get_all("User", filters={"name": ("in", told), "enabled": 1}, pluck="name"))
    existing = {
        r.allocated_to: r
        for r in frappe.db.sql(
            """select name, allocated_to, description, status from `tabToDo`
            where reference_type = 'Service Center' and date = %(day)s and status != 'Cancelled'
              and allocated_to in %(users)s and description like %(marker)s
            order by creation""",
            {"day": day, "users": list(users) or [""], "marker": f"%{_marker(job)}%"},
            as_dict=True,
        )
    }
    centers = {c for by_center in counts.values() for c in by_center if c}
    center_names = dict(
        frappe.get_all("Service Center", filters={"name": ("in", list(centers))}, fields=["name", "center_name"], as_list=True)
    ) if centers else {}
    # R-FILE's recipients who do not read the ledger get a link to the records themselves
    outsiders = {u for u in users if not reads_ledger(u)} if job in RECORD_LISTS else set()
    records = day_records(job, day) if outsiders else {}
    out = {}
    for user in sorted(users):
        by_center = counts[user]
        description = render(job, day, by_center, center_names,
                             records=records.get(user, {}) if user in outsiders else None)
        # the user's center: the one with the most reminders (a user normally has one)
        center = max(by_center, key=lambda c: (sum(by_center[c].values()), c)) or None
        todo = existing.get(user)
        if todo:
            out[user] = todo.name
            if sanitize_html(description, linkify=True) == (todo.description or ""):
                continue  # the same counts: nothing to change
            doc = frappe.get_doc("ToDo", todo.name)
            doc.description = description
            if doc.status == "Closed":
                doc.status = "Open"  # more to do than when it was closed
            doc.flags.ignore_permissions = True
            doc.save()
            continue
        if not center:
            continue  # a digest refers to a center (found again by it); rows without one are on the list
        doc = frappe.get_doc(
            {
                "doctype": "ToDo",
                "allocated_to": user,
                "description": description,
                "reference_type": "Service Center",
                "reference_name": center,
                "date": day,
                "priority": "Medium",
                "assigned_by": "Administrator",
            }
        )
        doc.insert(ignore_permissions=True)
        out[user] = doc.name
    return out
