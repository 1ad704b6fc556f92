"""Issue 18 §1 on a real site: the daily jobs write the reminder ledger set-based
(``jobs.remind_many``) and find every center's staff in one query (``jobs.staff_by_center``),
with the outcome the one-row-at-a-time path had (``incubation._remind``): a key already given
is skipped, a terminated organization gets nothing (issue 14 §8), a named user who is disabled
gives way to the center's staff, a center with nobody to tell is tried again later, and a
chunk the database refuses is taken row by row with the failing row in the Error Log (issue
15 §3). Expected values are computed here from the users and rows the test made."""

from __future__ import annotations

import frappe
import pytest
from factory import make_center, make_org, make_user, retrying, uid

from shuangfuhua_app import jobs

JOB = "test.ledger_bulk"


def _build():
    x, y, z = make_center(), make_center(), make_center()
    w = frappe._dict(x=x, y=y, z=z)
    w.x_staff = sorted(make_user(["Center Staff"], centers=[x]) for _ in range(2))
    w.x_head = make_user(["Center Head"], centers=[x])
    w.x_disabled = make_user(["Center Staff"], centers=[x])
    frappe.db.set_value("User", w.x_disabled, "enabled", 0)
    w.y_head = make_user(["Center Head"], centers=[y])  # no staff user: the head is told
    w.leader = make_user(["Township Leader"], centers=[z])  # neither staff nor head: nobody to tell
    w.x_orgs = [make_org(x) for _ in range(3)]
    w.y_org = make_org(y)
    w.z_org = make_org(z)
    w.ended = make_org(x)
    frappe.db.sql(
        """insert into `tabOrganization Termination` (name, organization, workflow_state, docstatus, creation,
        modified, owner, modified_by) values (%s, %s, 'Terminated', 0, now(), now(), 'Administrator', 'Administrator')""",
        (f"TEST-TERM-{uid()}", w.ended),
    )
    frappe.db.commit()
    return w


@pytest.fixture(scope="module")
def world():
    return retrying(_build)


def _row(key, org, center, users=None):
    return {"key": key, "rule": "R-TEST", "organization": org, "service_center": center, "period": "2026",
            "message": f"测试提醒 {key}", "users": users, "doctype": "Community Social Organization", "docname": org}


def _ledger(keys):
    return {r[0]: r[1] for r in frappe.db.sql(
        "select name, assigned_to from `tabSFH Reminder` where name in %s", (tuple(keys),))}


def test_staff_of_many_centers_in_one_query(world):
    """Center Staff scoped to the center and enabled; the head only where no staff user is;
    nobody where neither role is held."""
    frappe.db.commit()
    before = frappe.db.sql("show session status like 'Questions'")[0][1]
    staff = jobs.staff_by_center([world.x, world.y, world.z])
    after = frappe.db.sql("show session status like 'Questions'")[0][1]
    assert staff.get(world.x) == world.x_staff
    assert staff.get(world.y) == [world.y_head]
    assert not staff.get(world.z)
    # one query for the lookup (the second status query counts itself)
    assert int(after) - int(before) == 2


def test_ledger_rows_as_the_one_by_one_path_wrote_them(world):
    k = uid()
    given = f"R-TEST|{k}|given"
    frappe.get_doc({"doctype": "SFH Reminder", "reminder_key": given, "rule": "R-TEST", "organization": world.x_orgs[0],
                    "service_center": world.x, "assigned_to": "someone", "job": JOB}).insert(ignore_permissions=True)
    rows = [
        _row(given, world.x_orgs[0], world.x),  # already in the ledger
        _row(f"R-TEST|{k}|x1", world.x_orgs[1], world.x),  # the center's staff
        _row(f"R-TEST|{k}|x2", world.x_orgs[2], world.x, users=[world.x_disabled]),  # disabled: the staff instead
        _row(f"R-TEST|{k}|x3", world.x_orgs[2], world.x, users=[world.x_head]),  # named and enabled: that user
        _row(f"R-TEST|{k}|ended", world.ended, world.x),  # terminated: nothing
        _row(f"R-TEST|{k}|y", world.y_org, world.y),  # no staff user: the head
        _row(f"R-TEST|{k}|z", world.z_org, world.z),  # nobody to tell: nothing, tried again later
    ]
    created = jobs.remind_many(JOB, rows)
    frappe.db.commit()
    staff = ", ".join(world.x_staff)
    expected = {f"R-TEST|{k}|x1": staff, f"R-TEST|{k}|x2": staff, f"R-TEST|{k}|x3": world.x_head,
                f"R-TEST|{k}|y": world.y_head}
    assert sorted(created) == sorted(expected)
    ledger = _ledger([r["key"] for r in rows])
    assert {key: v for key, v in ledger.items() if key != given} == expected
    assert ledger[given] == "someone"  # untouched
    assert frappe.db.get_value("SFH Reminder", f"R-TEST|{k}|x1", "job") == JOB
    # a second run of the same rows adds nothing
    assert jobs.remind_many(JOB, rows) == []
    assert len(_ledger([r["key"] for r in rows])) == 5


def test_a_refused_chunk_is_taken_row_by_row_and_the_failing_row_logged(world, monkeypatch):
    k = uid()
    good = [_row(f"R-TEST|{k}|g{n}", world.x_orgs[n], world.x) for n in range(3)]
    # a row the one-by-one path refuses: its organization does not exist (link validation)
    bad = _row(f"R-TEST|{k}|bad", f"不存在的组织-{k}", world.x)

    def refuse(*args, **kwargs):
        raise frappe.db.InternalError("refused chunk")

    monkeypatch.setattr(frappe.db, "bulk_insert", refuse)
    errors_before = frappe.db.count("Error Log", {"method": ("like", f"{JOB}%")})
    created = jobs.remind_many(JOB, [*good, bad])
    frappe.db.commit()
    assert sorted(created) == sorted(r["key"] for r in good)
    assert set(_ledger([r["key"] for r in [*good, bad]])) == {r["key"] for r in good}
    assert frappe.db.count("Error Log", {"method": ("like", f"{JOB}%")}) == errors_before + 1
