"""Issue 18 §1 on a real site: the daily jobs keep one ledger row (SFH Reminder) per
organization, rule and period, and give every staff user of a center ONE digest per day and
job – a ToDo with the day's counts by rule and a link to the ledger filtered to the center –
instead of a ToDo per user, organization and rule. The counts are checked against the ledger
rows read here with SQL; a second run the same day adds neither a digest nor a ledger row."""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import getdate, nowdate
from factory import make_center, make_org, make_user, retrying

from shuangfuhua_app import hub, incubation

ORG = "Community Social Organization"
JOBS = {"incubation.send_reminders": incubation.send_reminders, "hub.send_reminders": hub.send_reminders}
COUNT = re.compile(r"（(R-[0-9A-Za-z.\-]+)）：(\d+)")


def _build():
    centers = {}
    for n_orgs in (3, 2):
        center = make_center()
        staff = [make_user(["Center Staff"], centers=[center]) for _ in range(2)]
        orgs = [make_org(center) for _ in range(n_orgs)]
        for org in orgs:
            # due for R-7.1.2 (enough party members, no branch) and R-7.3.2c (no study last month)
            frappe.db.set_value(ORG, org, {"incubation_status": "Incubating", "party_member_count": 5,
                                           "party_org_form": "Party Liaison"}, update_modified=False)
        frappe.get_doc({"doctype": "Hub Membership", "organization": orgs[0], "joined_on": "2024-01-01"}).insert(
            ignore_permissions=True)
        centers[center] = frappe._dict(staff=staff, orgs=orgs)
    frappe.db.commit()
    return centers


@pytest.fixture(scope="module")
def centers():
    return retrying(_build)


def ledger_counts(center: str, job: str) -> dict[str, int]:
    """rule -> ledger rows of ``center`` written by ``job`` today (SQL, not the app's code)."""
    day = getdate(nowdate())
    return dict(frappe.db.sql(
        """select rule, count(*) from `tabSFH Reminder` where service_center = %s and job = %s
        and creation >= %s and creation < %s group by rule""",
        (center, job, day, day + datetime.timedelta(days=1)),
    ))


def digests(user: str, job: str) -> list:
    return frappe.db.sql(
        """select name, reference_type, reference_name, description, modified from `tabToDo`
        where allocated_to = %s and date = %s and status != 'Cancelled' and description like %s""",
        (user, getdate(nowdate()), f"%job={job}%"),
        as_dict=True,
    )


def run_jobs(monkeypatch):
    """The daily jobs, their queued parts run here at once (as a worker would, after the job)."""
    queued = []
    monkeypatch.setattr(frappe, "enqueue", lambda method, **kw: queued.append((method, kw)))
    for fn in JOBS.values():
        retrying(fn)
        frappe.db.commit()
        while queued:
            method, kw = queued.pop(0)
            for k in ("queue", "enqueue_after_commit", "timeout", "job_name"):
                kw.pop(k, None)
            retrying(frappe.get_attr(method), **kw)
            frappe.db.commit()


def test_one_digest_per_user_and_job_with_the_ledgers_counts(centers, monkeypatch):
    run_jobs(monkeypatch)
    seen = {}
    for center, c in centers.items():
        other = next(x for x in centers if x != center)
        # the ledger: one row per organization, rule and period – as before
        inc = ledger_counts(center, "incubation.send_reminders")
        assert inc.get("R-7.1.2") == len(c.orgs)
        assert inc.get("R-7.3.2c", 0) >= len(c.orgs)
        assert ledger_counts(center, "hub.send_reminders") == {"R-HUB": 1}
        # no ToDo per organization any more
        assert frappe.db.count("ToDo", {"reference_type": ORG, "reference_name": ("in", c.orgs)}) == 0
        for job in JOBS:
            expected = ledger_counts(center, job)
            for user in c.staff:
                mine = digests(user, job)
                assert len(mine) == 1, (user, job, mine)
                d = mine[0]
                assert (d.reference_type, d.reference_name) == ("Service Center", center)
                got = {rule: int(n) for rule, n in COUNT.findall(d.description)}
                assert got == expected, (job, got, expected)
                # the link: the ledger's list filtered to this center, this job and today
                assert "/app/sfh-reminder?service_center=" + quote(center, safe="") in d.description
                assert quote(other, safe="") not in d.description and other not in d.description
                seen[(user, job)] = (d.name, d.modified)
        # the rule's Chinese name is shown
        assert "秘书长" in digests(c.staff[0], "hub.send_reminders")[0].description

    # the list filter of the link works (the same filters as the desk's list)
    center, c = next(iter(centers.items()))
    day = getdate(nowdate()).isoformat()
    rows = frappe.get_list("SFH Reminder", filters={"service_center": center, "job": "incubation.send_reminders",
                                                    "creation": ["Between", [day, day]]}, pluck="name")
    assert len(rows) == sum(ledger_counts(center, "incubation.send_reminders").values())

    # a second run the same day: no new digest, no new ledger row, the digest untouched
    before = {(x, j): sum(ledger_counts(x, j).values()) for x in centers for j in JOBS}
    run_jobs(monkeypatch)
    assert {(x, j): sum(ledger_counts(x, j).values()) for x in centers for j in JOBS} == before
    for (user, job), (name, modified) in seen.items():
        again = digests(user, job)
        assert [(d.name, d.modified) for d in again] == [(name, modified)]
