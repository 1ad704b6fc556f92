"""Issue 10 §6 on a real site: hub functions (R-HUB, [BJ2016] 第十四条、第三十条; R-PERF, [HZ2019]
四（六））– membership, a quarter without a secretary-general meeting reminded once (also when
the job runs twice), brand evaluation with its award, performance evaluation."""

from __future__ import annotations

import datetime
import time

import frappe
import pytest
from factory import World, as_user

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.hub import send_reminders
from shuangfuhua_app.standard.filing import previous_quarter
from shuangfuhua_app.utils import today



def insert(user, doc):
    out = as_user(user, lambda: frappe.get_doc(doc).insert())
    frappe.db.commit()
    return out


@pytest.fixture
def world():
    for i in range(5):  # shared-site MariaDB deadlocks when several suites create users at once
        try:
            return World()
        except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
            frappe.db.rollback()
            time.sleep(1 + i)
    raise RuntimeError("could not build the world")


def test_quarter_without_meeting_is_reminded_once(world):
    w = world
    insert(w.staff, {"doctype": "Hub Membership", "organization": w.org, "joined_on": "2024-01-01"})
    year, quarter = previous_quarter(today())
    key = f"R-HUB-meeting|{w.center}|{year}-Q{quarter}"
    from digests import assert_digest_matches_ledger, digest_counts, digests, ledger_row, recipients

    first, second = send_reminders(), send_reminders()
    assert key in first and key not in second
    assert frappe.db.count("SFH Reminder", {"reminder_key": key}) == 1
    # issue 18 §1: the ledger row tells the staff; their one digest of the day's job counts it
    row = ledger_row(key)
    assert recipients(row) == {w.staff} and row.job == "hub.send_reminders"
    assert "秘书长工作例会" in row.message
    assert assert_digest_matches_ledger(w.staff, "hub.send_reminders") == {"R-HUB": 1}
    assert len(digests(w.staff, "hub.send_reminders")) == 1
    # no ToDo of its own besides the digests (a digest refers to the center too)
    assert frappe.db.count("ToDo", {"reference_type": "Service Center", "reference_name": w.center,
                                    "description": ("not like", "%job=%")}) == 0
    assert digest_counts(w.staff, "hub.send_reminders") == {"R-HUB": 1}
    frappe.db.commit()

    # another hub that met in that quarter is not reminded
    other = World()
    insert(other.staff, {"doctype": "Hub Membership", "organization": other.org, "joined_on": "2024-01-01"})
    met_on = datetime.date(year, quarter * 3 - 1, 15)
    meeting = insert(
        other.staff,
        {
            "doctype": "Secretary General Meeting",
            "service_center": other.center,
            "meeting_date": str(met_on),
            "meeting_form": "Joint Meeting",
            "topics": "解读政策、交流经验",
            "resolutions": "每季度轮值主办",
            "attendees": [{"organization": other.org, "attendee_name": "王秘书长", "position": "秘书长"}],
            "reported_on": str(met_on + datetime.timedelta(days=3)),
        },
    )
    assert meeting.meeting_quarter == f"{year}-Q{quarter}" and meeting.attendee_count == 1
    assert not any(k.startswith(f"R-HUB-meeting|{other.center}|") for k in send_reminders())


def test_brand_award_needs_the_four_criteria(world):
    w = world
    doc = {
        "doctype": "Brand Evaluation",
        "organization": w.org,
        "brand_name": "邻里守望",
        "evaluation_date": str(today()),
        "brand_effect": "Met",
        "public_welfare": "Met",
        "core_business": "Met",
        "solid_foundation": "Not Met",
        "award": "品牌组织奖",
    }
    with pytest.raises(StandardRuleError, match="才能获得品牌表彰奖励"):
        insert(w.staff, doc)
    frappe.db.rollback()
    brand = insert(w.staff, {**doc, "solid_foundation": "Met"})
    assert brand.recognised == 1 and "认定为社会组织公益服务品牌" in brand.result
    # the organization reads its own evaluation
    assert as_user(w.rep, frappe.has_permission, "Brand Evaluation", "read", brand.name)
    frappe.db.commit()


def test_performance_evaluation_on_four_aspects(world):
    w = world
    base = {
        "doctype": "Organization Performance Evaluation",
        "organization": w.org,
        "evaluation_year": 2025,
        "professional_level": 80,
        "service_efficiency": 90,
        "management_norms": 70,
    }
    with pytest.raises(StandardRuleError, match="缺少：社会经济效益"):
        insert(w.staff, base)
    frappe.db.rollback()
    evaluation = insert(w.staff, {**base, "social_economic_benefit": 60})
    assert evaluation.overall_score == 75
    with pytest.raises(frappe.ValidationError):
        insert(w.staff, {**base, "social_economic_benefit": 60})  # one a year
    frappe.db.rollback()


# ---------------------------------------------------------------------------- volunteers (R-VOL)


def test_volunteer_hours_accumulate_and_the_volunteer_sees_only_their_own(world):
    import os

    from factory import make_user, web_session

    w = world
    me_user, other_user = make_user([]), make_user([])
    frappe.db.commit()
    me = insert(
        w.staff,
        {
            "doctype": "SFH Volunteer",
            "volunteer_name": "志愿者甲",
            "service_center": w.center,
            "registered_on": "2025-01-01",
            "user": me_user,
            "resident_id": None,
            "phone": "13812340000",
        },
    )
    other = insert(
        w.staff,
        {
            "doctype": "SFH Volunteer",
            "volunteer_name": "志愿者乙",
            "service_center": w.center,
            "registered_on": "2025-01-01",
            "user": other_user,
        },
    )
    with pytest.raises(frappe.ValidationError):
        insert(
            w.staff,
            {
                "doctype": "SFH Volunteer",
                "volunteer_name": "错号",
                "service_center": w.center,
                "registered_on": "2025-01-01",
                "phone": "123",
            },
        )
    frappe.db.rollback()
    future = str(today() + datetime.timedelta(days=10))
    insert(
        w.staff,
        {
            "doctype": "Volunteer Activity",
            "activity_title": "助老陪伴",
            "service_center": w.center,
            "activity_date": "2025-06-01",
            "records": [{"volunteer": me.name, "hours": 2.5}, {"volunteer": other.name, "hours": 7}],
        },
    )
    insert(
        w.staff,
        {
            "doctype": "Volunteer Activity",
            "activity_title": "垃圾分类宣传",
            "service_center": w.center,
            "activity_date": "2025-07-01",
            "records": [{"volunteer": me.name, "hours": 3}],
        },
    )
    insert(
        w.staff,
        {
            "doctype": "Volunteer Activity",
            "activity_title": "重阳节敬老活动",
            "service_center": w.center,
            "activity_date": future,
            "published": 1,
            "location": "社区广场",
        },
    )
    with pytest.raises(StandardRuleError, match="不超过24小时"):
        insert(
            w.staff,
            {
                "doctype": "Volunteer Activity",
                "activity_title": "超时",
                "service_center": w.center,
                "activity_date": "2025-07-02",
                "records": [{"volunteer": me.name, "hours": 30}],
            },
        )
    frappe.db.rollback()
    assert frappe.db.get_value("SFH Volunteer", me.name, ["total_hours", "points"]) == (5.5, 5.5)
    # personal data at permlevel 1: a township leader reads the volunteer, not the phone
    leader = make_user(["Township Leader"], centers=[w.center])
    frappe.db.commit()
    doc = as_user(leader, frappe.get_doc, "SFH Volunteer", me.name)
    assert as_user(leader, lambda: doc.has_permlevel_access_to("phone")) is False

    url = os.environ.get("SFH_URL")
    if url:
        page = web_session(url, me_user).get(f"{url}/my-volunteer-hours", timeout=30).text
        assert "志愿者甲" in page and "5.5" in page and "助老陪伴" in page and "重阳节敬老活动" in page
        assert "志愿者乙" not in page and "13812340000" not in page


def test_hubs_are_checked_in_a_fixed_number_of_queries(world):
    """R-X-SCALE: a district's hundreds of hubs are checked by two queries, not two per hub."""
    from factory import count_queries

    from shuangfuhua_app.hub import meeting_reminders

    insert(world.staff, {"doctype": "Hub Membership", "organization": world.org, "joined_on": "2024-01-01"})
    day = today()
    before = count_queries(meeting_reminders, day)
    for _ in range(2):
        w = World()
        insert(w.staff, {"doctype": "Hub Membership", "organization": w.org, "joined_on": "2024-01-01"})
    found = meeting_reminders(day)
    assert {c for c, *_q in found} >= {world.center}
    assert count_queries(meeting_reminders, day) == before
