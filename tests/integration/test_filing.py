"""Issue 10 §4–5 on a real site: filing (备案) and change filing (R-FILE, [10M] 第二条), and the
termination of an organization (R-EXIT-ORG, [10M] 第三条) – end to end as the real roles
(representative, residents' committee = Community Worker, township = Township Leader), with
the refusals: township approval before the residents' committee's review, a certificate for an
unapproved filing, termination without a recorded vote; overdue stages reminded once."""

from __future__ import annotations

import datetime
import time

import frappe
import pytest
from factory import World, as_user, make_user, uid
from factory import retrying
from factory import act as _act

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.filing import FILING, TERMINATION, issue_certificate, send_reminders, start_change_filing
from shuangfuhua_app.utils import get_work_calendar, nth_working_day, today

ORG = "Community Social Organization"



class Township:
    """A center with an organization, its representative, the community's worker (residents'
    committee) and the township's leader."""

    def __init__(self):
        self.w = World()
        self.org, self.rep = self.w.org, self.w.rep
        self.worker = make_user(["Community Worker"], communities=[self.w.community])
        self.leader = make_user(["Township Leader"], centers=[self.w.center])
        frappe.db.commit()


@pytest.fixture
def town():
    return retrying(Township)


def new_filing(t: Township, **extra):
    doc = {
        "doctype": FILING,
        "filing_type": "New Filing",
        "organization": t.org,
        "filed_name": f"邻里守望队-{uid()}",
        "head_name": "张队长",
        "head_phone": "13812345678",
        "service_scope": "为社区老人提供助餐、陪伴服务",
        "address": "某某社区活动室",
        "activity_area": "某某社区",
        "member_count": 15,
        **extra,
    }
    out = as_user(t.rep, lambda: frappe.get_doc(doc).insert())
    frappe.db.commit()
    return out


def act(user, doc, action):
    """A workflow action as ``user``, committed (the refusals below roll back)."""
    out = _act(user, doc, action)
    frappe.db.commit()
    return out


def state(doc) -> str:
    return frappe.db.get_value(doc.doctype, doc.name, "workflow_state")


def backdate_notice(doc) -> None:
    frappe.db.set_value(FILING, doc.name, "notice_end", today() - datetime.timedelta(days=1))
    frappe.db.commit()


def file_through(t: Township, doc) -> str:
    """Residents' committee → township → notice (ended) → certificate; returns its number."""
    act(t.worker, doc, "Pass Initial Review")
    act(t.leader, doc, "Approve Filing")
    backdate_notice(doc)
    number = as_user(t.leader, issue_certificate, doc.name)
    frappe.db.commit()
    return number


def test_filing_end_to_end_with_refusals(town):
    t = town
    filing = new_filing(t)
    assert "社区社会组织章程" in filing.charter and "示范文本" in filing.charter  # the Ministry's model text
    assert state(filing) == "Draft"
    act(t.rep, filing, "Submit for Filing")
    doc = frappe.get_doc(FILING, filing.name)
    assert doc.workflow_state == "Residents' Committee Review"
    assert doc.committee_due == get_work_calendar().add_working_days(today(), 5)

    # refused: the township approves before the residents' committee's review
    with pytest.raises(frappe.ValidationError):
        act(t.leader, doc, "Approve Filing")

    # …also when the state is written directly (controller gate, any route)
    def jump():
        d = frappe.get_doc(FILING, filing.name)
        d.workflow_state = "Filing Notice"
        d.save()

    with pytest.raises((frappe.ValidationError, frappe.PermissionError)):
        as_user(t.leader, jump)
    frappe.db.rollback()
    # refused: a certificate for an unapproved filing
    with pytest.raises(StandardRuleError, match="未经街道（乡镇）审核同意"):
        as_user(t.leader, issue_certificate, filing.name)
    # the representative cannot move it on, nor change it while it is reviewed
    with pytest.raises(frappe.ValidationError):
        act(t.rep, doc, "Pass Initial Review")

    def edit():
        d = frappe.get_doc(FILING, filing.name)
        d.service_scope = "改了"
        d.save()

    with pytest.raises(frappe.PermissionError):
        as_user(t.rep, edit)
    frappe.db.rollback()

    act(t.worker, doc, "Pass Initial Review")
    doc.reload()
    assert doc.workflow_state == "Township Review" and doc.committee_reviewed_on == today()
    assert doc.township_due == get_work_calendar().add_working_days(today(), 10)
    act(t.leader, doc, "Approve Filing")
    doc.reload()
    assert doc.workflow_state == "Filing Notice" and doc.township_approved_on == today()
    assert doc.notice_end == nth_working_day(today(), 5)
    with pytest.raises(StandardRuleError, match="公示期"):
        as_user(t.leader, issue_certificate, filing.name)  # notice still running
    backdate_notice(doc)
    number = as_user(t.leader, issue_certificate, filing.name)
    frappe.db.commit()
    doc.reload()
    assert doc.workflow_state == "Filed" and doc.certificate_number == number
    assert number.startswith("社备〔") and number.endswith("号")
    org = frappe.db.get_value(ORG, t.org, ["org_type", "filing_number", "head_name"], as_dict=True)
    assert org.org_type == "Filed" and org.filing_number == number and org.head_name == "张队长"
    html = as_user(t.leader, frappe.get_print, FILING, filing.name, print_format="Filing Certificate")
    assert number in html and "社区社会组织备案证书" in html
    # a second new filing of the same organization is refused
    with pytest.raises(frappe.ValidationError):
        new_filing(t)
    frappe.db.commit()


def test_change_of_filed_particulars_starts_a_change_filing(town):
    t = town
    first = new_filing(t)
    act(t.rep, first, "Submit for Filing")
    number = file_through(t, first)

    # a change filing that changes nothing is refused
    with pytest.raises(StandardRuleError, match="未变更任何备案事项"):
        as_user(t.rep, start_change_filing, t.org)
    frappe.db.rollback()

    # the head changes on the organization's record: a draft change filing starts, once
    def new_head():
        org = frappe.get_doc(ORG, t.org)
        org.head_name = "李新队长"
        org.save()

    as_user(t.w.staff, new_head)
    as_user(t.w.staff, new_head)
    changes = frappe.get_all(
        FILING,
        filters={"organization": t.org, "filing_type": "Change Filing"},
        fields=["name", "changes", "change_due", "previous_filing", "workflow_state"],
    )
    assert len(changes) == 1, changes
    change = changes[0]
    assert change.previous_filing == first.name and change.workflow_state == "Draft"
    assert "负责人：张队长 → 李新队长" in change.changes
    assert change.change_due == get_work_calendar().add_working_days(today(), 7)

    doc = frappe.get_doc(FILING, change.name)
    act(t.rep, doc, "Submit for Filing")
    second = file_through(t, doc)
    assert second != number
    assert frappe.db.get_value(ORG, t.org, "filing_number") == second
    assert (
        frappe.db.get_value(FILING, first.name, "workflow_state") == "Filed"
    )  # the first stays, nothing deleted
    # the ten measures' archive lists both filings (charter and filing form) for the organization's staff
    from shuangfuhua_app.filing import get_archive

    archive = as_user(t.w.staff, get_archive, t.org)
    assert {r["name"] for r in archive[0]["records"]} >= {first.name, change.name}
    assert archive[0]["section"] == "章程与备案表"
    frappe.db.commit()


def open_digest_link(user, description, expected):
    """The digest's link is the desk list of filings with a ``name`` filter; the same filters
    through frappe.client.get_list over HTTP as ``user`` give the filing."""
    import json
    import os
    import re
    from html import unescape
    from urllib.parse import parse_qs, urlparse

    from factory import web_session

    href = unescape(re.search(r'href="([^"]+)"', description).group(1))
    link = urlparse(href)
    assert link.path == "/app/organization-filing", href
    filters = {k: json.loads(v[0]) for k, v in parse_qs(link.query).items() if k != "job"}
    assert filters["name"][0] == "in" and expected in filters["name"][1]
    url = os.environ["SFH_URL"]
    session = web_session(url, user)
    r = session.get(f"{url}/api/method/frappe.client.get_list",
                    params={"doctype": FILING, "filters": json.dumps(filters), "fields": json.dumps(["name"])},
                    timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert expected in {x["name"] for x in r.json()["message"]}


def test_overdue_stage_is_reminded_once(town):
    t = town
    filing = new_filing(t)
    act(t.rep, filing, "Submit for Filing")
    frappe.db.set_value(FILING, filing.name, "committee_due", today() - datetime.timedelta(days=3))
    frappe.db.commit()
    key = f"R-FILE|{filing.name}|committee"
    from digests import assert_digest_matches_ledger, digests, ledger_row, per_record_todos, recipients, run_daily_job

    first = run_daily_job(send_reminders)
    second = run_daily_job(send_reminders)
    assert key in first and key not in second
    assert frappe.db.count("SFH Reminder", {"reminder_key": key}) == 1
    # issue 18 §1: the ledger row tells the residents' committee; no ToDo per filing – the
    # worker's one digest of the day's job counts the rows
    row = ledger_row(key)
    assert recipients(row) == {t.worker} and row.job == "filing.send_reminders"
    assert "已逾期3天" in row.message
    assert per_record_todos(FILING, [filing.name]) == 0
    assert_digest_matches_ledger(t.worker, "filing.send_reminders")
    # the worker does not read the ledger: the digest links the filings list filtered to the
    # reminded filings, and that list opens for the worker with the filing in it
    assert not frappe.has_permission("SFH Reminder", "read", user=t.worker)
    open_digest_link(t.worker, digests(t.worker, "filing.send_reminders")[0].description, filing.name)
    # the township's stage overdue: its leader is told, the same way
    act(t.worker, frappe.get_doc(FILING, filing.name), "Pass Initial Review")
    frappe.db.set_value(FILING, filing.name, "township_due", today() - datetime.timedelta(days=2))
    frappe.db.commit()
    key = f"R-FILE|{filing.name}|township"
    assert key in run_daily_job(send_reminders)
    assert recipients(ledger_row(key)) == {t.leader}
    assert_digest_matches_ledger(t.leader, "filing.send_reminders")
    assert not frappe.has_permission("SFH Reminder", "read", user=t.leader)
    open_digest_link(t.leader, digests(t.leader, "filing.send_reminders")[0].description, filing.name)
    assert "⚠" in frappe.db.get_value(FILING, filing.name, "deadline_status")
    frappe.db.commit()


def test_termination_end_to_end(town):
    t = town
    application = t.w.apply()  # an open (draft) application
    project = as_user(
        t.rep,
        lambda: frappe.get_doc(
            {
                "doctype": "Venture Project",
                "organization": t.org,
                "project_name": f"助老项目-{uid()}",
                "project_field": "Volunteer Service",
            }
        ).insert(),
    )
    frappe.get_doc(
        {
            "doctype": "ToDo",
            "allocated_to": t.w.staff,
            "description": "跟进",
            "reference_type": ORG,
            "reference_name": t.org,
        }
    ).insert(ignore_permissions=True)
    term = as_user(
        t.rep,
        lambda: frappe.get_doc(
            {"doctype": TERMINATION, "organization": t.org, "reason": "组织宗旨已完成"}
        ).insert(),
    )
    frappe.db.commit()
    # refused: no recorded vote
    with pytest.raises(StandardRuleError, match="全体成员会议表决通过"):
        act(t.rep, term, "Apply to the Residents' Committee")
    frappe.db.rollback()

    # a vote without the quorum is recorded but does not pass
    def vote(present, votes_for):
        d = frappe.get_doc(TERMINATION, term.name)
        d.update(
            {
                "meeting_date": str(today()),
                "members_total": 15,
                "members_present": present,
                "votes_for": votes_for,
                "votes_against": present - votes_for,
            }
        )
        d.save()
        frappe.db.commit()
        return d

    assert as_user(t.rep, vote, 8, 8).vote_result == "Not Passed"
    with pytest.raises(StandardRuleError, match="未达成员总数15人的2/3"):
        act(t.rep, term, "Apply to the Residents' Committee")
    frappe.db.rollback()
    assert as_user(t.rep, vote, 12, 11).vote_result == "Passed"
    act(t.rep, term, "Apply to the Residents' Committee")
    # refused: the township approves before the residents' committee forwarded it
    with pytest.raises(frappe.ValidationError):
        act(t.leader, term, "Approve Termination")
    act(t.worker, term, "Forward to the Township")
    act(t.leader, term, "Approve Termination")
    doc = frappe.get_doc(TERMINATION, term.name)
    assert doc.workflow_state == "Terminated" and doc.township_approved_on == today()
    assert doc.notice_start == today() and doc.notice_end == nth_working_day(today(), 5)
    # the open records closed, none deleted
    assert frappe.db.get_value("Incubation Application", application.name, "workflow_state") == "Not Admitted"
    assert frappe.db.get_value("Venture Project", project.name, "workflow_state") == "Project Closed"
    assert not frappe.db.exists("ToDo", {"reference_type": ORG, "reference_name": t.org, "status": "Open"})
    assert not frappe.db.exists("User Permission", {"allow": ORG, "for_value": t.org})
    assert frappe.db.exists(ORG, t.org) and frappe.db.exists("Incubation Application", application.name)
    assert t.rep in doc.closure_log
    # the representative's access is revoked
    assert not as_user(t.rep, frappe.has_permission, ORG, "read", t.org)
    frappe.db.commit()
    # the public notice (no login): the organization's name and the period, nothing else
    import os

    from factory import web_session

    url = os.environ.get("SFH_URL")
    if url:
        page = web_session(url).get(f"{url}/org-notices", timeout=30).text
        assert doc.org_name in page and "组织宗旨已完成" not in page


def test_filing_requested_from_the_portal_is_pinned_to_the_representatives_organization(town):
    import json

    from factory import make_org
    from frappe.website.doctype.web_form.web_form import accept

    from shuangfuhua_app.portal.forms import submit_record

    t = town
    other_org = make_org(t.w.center, t.w.community)
    frappe.db.commit()
    data = {
        "doctype": FILING,
        "organization": other_org,
        "filing_type": "New Filing",
        "filed_name": "门户备案队",
        "head_name": "门户队长",
        "service_scope": "邻里互助",
        "address": "社区服务中心",
        "committee_reviewed_on": "2025-01-01",
        "certificate_number": "伪造号",
    }

    def save():
        frappe.flags.in_web_form = False
        return accept("organization-filing", json.dumps(data))

    doc = as_user(t.rep, save)  # naming another organization does not file for it
    frappe.db.commit()
    saved = frappe.get_doc(FILING, doc.name)
    assert saved.organization == t.org and saved.service_center == t.w.center
    assert (
        not saved.committee_reviewed_on and not saved.certificate_number
    )  # the reviewers' fields are not taken
    assert "示范文本" in saved.charter
    result = as_user(t.rep, submit_record, FILING, doc.name)
    frappe.db.commit()
    assert result["workflow_state"] == "Residents' Committee Review"
    import os

    url = os.environ.get("SFH_URL")
    if url:  # the Web Form page itself, as the representative
        from factory import web_session

        r = web_session(url, t.rep).get(f"{url}/filing/new", timeout=30)
        assert r.status_code == 200 and "organization-filing" in r.text
