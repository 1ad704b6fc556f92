"""Hub functions of a hub-type center (R-HUB: 京社领办发〔2016〕8号 第十四条、第三十条; R-PERF:
杭民发〔2019〕66号 四（六））: membership of organizations, the quarterly secretary-general
meetings and their reminder, brand evaluation and award, performance evaluation. Rules in
``shuangfuhua_app.standard.hub`` and ``standard.filing`` (the meeting quarter).

Decisions (documented): a center is a hub once it has a member organization; the quarter checked
is the last completed one, from the quarter its first member joined; the reminder goes to the
center's staff once per center and quarter (ledger *SFH Reminder*), also when the job runs twice.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import getdate

from shuangfuhua_app.exceptions import throw
from shuangfuhua_app.standard.filing import (
    missing_meeting_message,
    missing_meeting_quarter,
    previous_quarter,
    quarter_of,
)
from shuangfuhua_app.standard.hub import (
    BRAND_CRITERIA,
    PERFORMANCE_ASPECTS,
    brand_finding,
    check_brand_award,
    performance_score,
)
from shuangfuhua_app.utils import today

MEMBERSHIP = "Hub Membership"
MEETING = "Secretary General Meeting"
BRAND = "Brand Evaluation"
PERFORMANCE = "Organization Performance Evaluation"


def validate_membership(doc) -> None:
    """Hub Membership ``validate`` (R-HUB): one active membership per organization and center."""
    if doc.left_on and getdate(doc.left_on) < getdate(doc.joined_on):
        frappe.throw(_("The date of leaving is before the date of joining."))
    doc.membership_status = "Left" if doc.left_on and getdate(doc.left_on) <= today() else "Active"
    other = frappe.db.exists(
        MEMBERSHIP,
        {"organization": doc.organization, "membership_status": "Active", "name": ("!=", doc.name)},
    )
    if other and doc.membership_status == "Active":
        frappe.throw(
            _("{0} is already a member of the hub: {1}").format(doc.org_name or doc.organization, other)
        )


def validate_meeting(doc) -> None:
    """Secretary General Meeting ``validate`` (R-HUB, BJ2016 第十四条): quarter and attendance;
    the report upward is not dated before the meeting."""
    year, quarter = quarter_of(doc.meeting_date)
    doc.meeting_quarter = f"{year}-Q{quarter}"
    doc.attendee_count = len(doc.attendees or [])
    if doc.reported_on and getdate(doc.reported_on) < getdate(doc.meeting_date):
        frappe.throw(_("The report cannot be sent before the meeting."))


def validate_brand(doc) -> None:
    """Brand Evaluation ``validate`` (R-HUB, BJ2016 第三十条): recognised only when the four
    criteria are met; an award only for a recognised brand."""
    finding = brand_finding(
        {k: {"Met": True, "Not Met": False}.get(doc.get(k) or "") for k in BRAND_CRITERIA}
    )
    doc.recognised = int(finding.ok)
    doc.result = finding.message
    if message := check_brand_award(finding, doc.award):
        throw(message)


def validate_performance(doc) -> None:
    """Organization Performance Evaluation ``validate`` (R-PERF, HZ2019 四（六））: the four
    aspects scored, the overall score their average; one evaluation per organization and year."""
    total, message = performance_score({k: doc.get(k) for k in PERFORMANCE_ASPECTS})
    if message:
        throw(message)
    doc.overall_score = total
    other = frappe.db.exists(
        PERFORMANCE,
        {"organization": doc.organization, "evaluation_year": doc.evaluation_year, "name": ("!=", doc.name)},
    )
    if other:
        frappe.throw(
            _("The performance evaluation of {0} is already recorded: {1}").format(doc.evaluation_year, other)
        )


def meeting_reminders(as_of: datetime.date) -> list[tuple[str, int, int]]:
    """(center, year, quarter) of hubs whose last completed quarter had no meeting. Two
    queries whatever the number of hubs: each hub's start (its first member's joining) and
    the meetings dated from the start of that quarter."""
    year, quarter = previous_quarter(as_of)
    since = dict(frappe.db.sql(
        f"""select service_center, min(joined_on) from `tab{MEMBERSHIP}`
            where ifnull(service_center, '') != '' group by service_center"""))
    if not since:
        return []
    dates: dict[str, list] = {c: [] for c in since}
    for center, day in frappe.db.sql(
        f"""select service_center, meeting_date from `tab{MEETING}`
            where service_center in %(centers)s and meeting_date >= %(start)s""",
        {"centers": tuple(since), "start": datetime.date(year, quarter * 3 - 2, 1)},
    ):
        dates[center].append(day)
    out = []
    for center in sorted(since):
        if missing := missing_meeting_quarter(dates[center], as_of, since=since[center]):
            out.append((center, *missing))
    return out


def send_reminders(as_of=None) -> list[str]:
    """Daily scheduler job (idempotent, R-HUB): a hub whose last completed quarter had no
    secretary-general meeting is reminded once (per center and quarter) to its staff."""
    from shuangfuhua_app.incubation import send_digests
    from shuangfuhua_app.jobs import remind_many

    as_of = getdate(as_of) if as_of else today()
    created = remind_many("hub.send_reminders", (
        {"key": f"R-HUB-meeting|{center}|{year}-Q{quarter}", "rule": "R-HUB", "organization": None,
         "service_center": center, "period": f"{year}-Q{quarter}", "message": missing_meeting_message(year, quarter),
         "due": as_of + datetime.timedelta(days=7), "doctype": "Service Center", "docname": center}
        for center, year, quarter in meeting_reminders(as_of)
    ))
    send_digests("hub.send_reminders")  # issue 18 §1: one digest per user and day
    return created
