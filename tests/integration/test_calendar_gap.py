"""Issue 17 §2 on a real site: a calendar gap never blocks an organization's own save. When the
change filing that a new head starts has a deadline reaching a year the working-day calendar
does not know, the organization saves, the change filing waits with its deadline pending the
calendar (shown on it, naming its period – no 公示期), and declaring the year computes it."""

from __future__ import annotations

import datetime

import chinese_calendar
import frappe
import pytest

from factory import World, as_user, uid
from factory import retrying

ORG = "Community Social Organization"
FILING = "Organization Filing"
SETTINGS = "Shuangfuhua Settings"


def declared_years() -> set[int]:
    return {int(y) for y in frappe.get_all("SFH Declared Year", filters={"parenttype": SETTINGS}, pluck="year")}


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: datetime.date, declared: set[int]) -> bool:
    """R-CAL written out: a declared year counts Monday–Friday; a year the library knows follows
    the State Council's schedule (this site's extra holidays are none in these days)."""
    if day.year in declared:
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


@pytest.fixture
def gap(monkeypatch):
    """The first year neither the library nor this site knows, and a day at the end of the year
    before it from which 7 working days reach into it; "today" is that day for the filing code."""
    declared = declared_years()
    unknown = next(y for y in range(datetime.date.today().year, 2100)
                   if not library_knows(y) and y not in declared and (library_knows(y - 1) or y - 1 in declared))
    day = datetime.date(unknown - 1, 12, 28)
    import shuangfuhua_app.filing as filing

    monkeypatch.setattr(filing, "today", lambda: day)
    return unknown, day, declared


def test_a_new_head_is_saved_and_its_change_filing_waits_for_the_calendar(gap):
    unknown, day, declared = gap
    w = retrying(World)
    # the organization is filed (a certified filing of its particulars, hand-made)
    org = frappe.get_doc(ORG, w.org)
    filed = frappe.get_doc({
        "doctype": FILING, "name": f"T-{uid(10)}", "filing_type": "New Filing", "organization": w.org,
        "service_center": w.center, "community": w.community, "filed_name": org.org_name,
        "head_name": org.head_name or "张队长", "address": org.address or "某路1号", "service_scope": "邻里互助",
        "workflow_state": "Filed", "certificate_number": f"社备〔{unknown - 1}〕{uid(6)}号", "certificate_date": day,
    })
    filed.db_insert()
    frappe.db.set_value(ORG, w.org, {"head_name": filed.head_name, "address": filed.address})
    frappe.db.commit()

    def new_head():
        doc = frappe.get_doc(ORG, w.org)
        doc.head_name = "李新队长"
        doc.save()

    as_user(w.staff, new_head)  # not refused
    assert frappe.db.get_value(ORG, w.org, "head_name") == "李新队长"
    change = frappe.get_all(FILING, filters={"organization": w.org, "filing_type": "Change Filing"},
                            fields=["name", "change_date", "change_due", "deadline_status"])
    assert len(change) == 1, change
    change = change[0]
    assert change.change_date == day and change.change_due is None
    assert f"{unknown}年" in change.deadline_status and "变更备案申请期限待计算" in change.deadline_status
    assert "公示期" not in change.deadline_status
    frappe.db.commit()

    # the year is declared: the deadline is computed, 7 working days after the change
    settings = frappe.get_single(SETTINGS)
    try:
        settings.append("declared_years", {"year": unknown})
        settings.save()
        expected, counted = day, 0
        while counted < 7:
            expected += datetime.timedelta(days=1)
            counted += is_working_day(expected, declared | {unknown})
        assert expected.year == unknown  # the period did reach the unknown year
        got = frappe.db.get_value(FILING, change.name, ["change_due", "deadline_status"], as_dict=True)
        assert got.change_due == expected
        assert "待计算" not in got.deadline_status and expected.isoformat() in got.deadline_status
    finally:
        settings.reload()
        settings.set("declared_years", [r for r in settings.declared_years if int(r.year) != unknown])
        settings.save()
        frappe.db.commit()


def test_the_workspace_asks_for_next_year_from_november(monkeypatch):
    from shuangfuhua_app import work_calendar

    declared = declared_years()
    unknown = next(y for y in range(datetime.date.today().year, 2100) if not library_knows(y) and y not in declared)
    head = retrying(World).head
    for day, shown in ((datetime.date(unknown - 1, 10, 31), 0), (datetime.date(unknown - 1, 11, 1), 1),
                       (datetime.date(unknown - 1, 12, 31), 1)):
        monkeypatch.setattr(work_calendar, "today", lambda d=day: d)
        res = as_user(head, work_calendar.next_year_to_declare_card)
        assert res["value"] == shown and res["route"] == ["Form", SETTINGS, SETTINGS], (day, res)
    card = frappe.get_doc("Number Card", "Next Year's Holidays to Declare")
    assert card.type == "Custom" and card.method == "shuangfuhua_app.work_calendar.next_year_to_declare_card"
