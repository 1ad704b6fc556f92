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


def test_a_queued_part_updates_only_the_digests_of_the_users_its_rows_tell(world):
    """Issue 18 §1 at scale: a queued part re-counts the digests of its own rows' users only (a
    year's end has ~90 parts; re-saving every user's digest after each was most of the day's work)."""
    from shuangfuhua_app import incubation

    k = uid()

    def part(n, org, center, users):
        return (f"R-TEST|{k}|{n}", "R-7.1.2", org, center, "2026", f"测试提醒 {n}", None, users)

    y_users = [world.y_head]
    incubation.create_reminders([part("x1", world.x_orgs[0], world.x, world.x_staff),
                                 part("y1", world.y_org, world.y, y_users)], digest=True)
    frappe.db.commit()

    def digest(user):
        return frappe.db.sql(
            """select name, modified, description from `tabToDo` where allocated_to = %s and date = curdate()
            and reference_type = 'Service Center' and description like %s and status != 'Cancelled'""",
            (user, "%job=incubation.send_reminders%"), as_dict=True)

    before = {u: digest(u) for u in [*world.x_staff, world.y_head]}
    assert all(len(d) == 1 for d in before.values()), before
    incubation.create_reminders([part("x2", world.x_orgs[1], world.x, world.x_staff)], digest=True)
    frappe.db.commit()
    for u in world.x_staff:  # told by the part: their one digest now counts its row too
        after = digest(u)
        assert len(after) == 1 and after[0].name == before[u][0].name
        assert after[0].description != before[u][0].description
    assert digest(world.y_head) == before[world.y_head]  # not told by the part: untouched


def test_the_digest_of_a_user_the_part_does_not_tell_is_not_rewritten(world):
    from shuangfuhua_app import incubation

    k = uid()
    incubation.create_reminders([(f"R-TEST|{k}|y", "R-7.1.2", world.y_org, world.y, "2026", "测试", None,
                                  [world.y_head])], digest=True)
    # a digest whose text no longer matches its counts (the job's marker kept: it is found again)
    frappe.db.sql("""update `tabToDo` set description = concat('<p>stale</p>', description) where allocated_to = %s
                     and date = curdate() and description like %s""", (world.y_head, "%job=incubation.send_reminders%"))
    frappe.db.commit()
    incubation.create_reminders([(f"R-TEST|{k}|x", "R-7.1.2", world.x_orgs[0], world.x, "2026", "测试", None,
                                  world.x_staff)], digest=True)
    frappe.db.commit()
    assert frappe.db.count("ToDo", {"allocated_to": world.y_head, "description": ("like", "<p>stale</p>%")}) == 1


def test_queued_parts_go_center_by_center(world, monkeypatch):
    """The heaviest day's parts each concern a center or two, so that a part touches few digests:
    the rows of a center are in consecutive parts (organizations' names interleave the centers)."""
    from shuangfuhua_app import incubation

    for org in [*world.x_orgs, world.y_org]:
        # due for R-7.1.2 (enough party members, no branch) and R-7.3.2c (no study last month)
        frappe.db.set_value("Community Social Organization", org, {
            "incubation_status": "Incubating", "party_member_count": 5, "party_org_form": "Party Liaison"},
            update_modified=False)
    parts = []
    monkeypatch.setattr(incubation, "REMINDER_JOB_SIZE", 1)
    monkeypatch.setattr(frappe, "enqueue", lambda method, **kw: parts.append(kw["reminders"]))
    try:
        incubation.send_reminders()
        centers = [p[0][3] for p in parts]
        mine = [i for i, c in enumerate(centers) if c in (world.x, world.y)]
        assert len(mine) >= 4
        for c in {centers[i] for i in mine}:
            at = [i for i, x in enumerate(centers) if x == c]
            assert at == list(range(at[0], at[-1] + 1)), (c, at)
    finally:
        frappe.db.rollback()


def test_two_workers_bring_one_digest_up_to_date(world):
    """Issue 18 §6b: two queued parts of a job on two workers tell the same users. The second
    part's transaction began before the first part updated the digest; inside a background job
    the digest commits before taking its lock, so the second part reads the digest the first
    left and saves over it – instead of failing on a stale copy (TimestampMismatchError), which
    lost the part's reminders until the next day. Both parts' rows end up counted in one digest."""
    import threading

    from digests import assert_digest_matches_ledger

    from shuangfuhua_app import digest

    job, k, site = f"test.two_workers_{uid()}", uid(), frappe.local.site
    jobs.remind_many(job, [_row(f"R-TEST|{k}|first", world.x_orgs[0], world.x)])
    digest.send(job, users=world.x_staff)
    frappe.db.commit()
    began, first_done, errors = threading.Event(), threading.Event(), []

    def second_worker():
        frappe.init(site=site, sites_path=".")
        frappe.connect()
        frappe.local.job = frappe._dict(method=job)  # as RQ's execute_job sets it
        try:
            frappe.db.sql("select name, modified from `tabToDo` where allocated_to = %s", world.x_staff[0])
            began.set()  # this transaction has read the digest as it was
            first_done.wait(60)
            jobs.remind_many(job, [_row(f"R-TEST|{k}|second", world.x_orgs[1], world.x)])
            digest.send(job, users=world.x_staff)
        except Exception as e:  # noqa: BLE001 – the finding
            errors.append(e)
        finally:
            frappe.db.rollback()
            frappe.destroy()

    worker = threading.Thread(target=second_worker)
    worker.start()
    assert began.wait(60)
    frappe.local.job = frappe._dict(method=job)
    try:
        jobs.remind_many(job, [_row(f"R-TEST|{k}|other", world.x_orgs[2], world.x)])
        digest.send(job, users=world.x_staff)
        frappe.db.commit()  # the first part's job ends (RQ commits after the method)
    finally:
        frappe.local.job = None
    first_done.set()
    worker.join(90)
    assert not errors, errors
    frappe.db.commit()
    for user in world.x_staff:
        assert assert_digest_matches_ledger(user, job) == {"R-TEST": 3}
