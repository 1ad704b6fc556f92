"""Workspace 双孵化: shortcuts to each role's daily work and the onboarding of a new center (issue 9 §3)."""

from __future__ import annotations

import json

import frappe
import pytest
from frappe.desk.desktop import get_desktop_page

from browser import launch, needs_browser, playwright, screenshot, site_url
from factory import PASSWORD, World, act, as_user, make_center, make_community, make_user

ONBOARDING = "Shuangfuhua"
STEPS = [
    "Create the Service Center",
    "Add the Communities",
    "Set Up a Review Panel",
    "Review the Settings",
    "Enter the First Application",
]
#: issue 17 §3: the site-wide sign-up settings change only by this explicit step, which opens a
#: page (no DocType); tier 2's runner takes it right after install, so it is complete here
SIGNUP_STEP = "Open Portal Sign-up"
ALL_STEPS = [*STEPS, SIGNUP_STEP]


def desktop_page(user: str) -> dict:
    """What Desk asks for when ``user`` opens the workspace."""
    frappe.clear_cache(user=user)
    page = {"name": "Shuangfuhua", "title": "Shuangfuhua", "public": 1}
    return as_user(user, get_desktop_page, json.dumps(page))


def desk_count(user: str, doctype: str, filters) -> int:
    """The count Desk shows on a shortcut: ``frappe.db.count`` in the browser posts the
    shortcut's ``stats_filter`` to ``frappe.desk.reportview.get_count``."""
    from frappe.desk.reportview import get_count

    def count():
        frappe.local.form_dict = frappe._dict(doctype=doctype, filters=json.dumps(filters), fields="[]", distinct="false")
        return get_count()

    return as_user(user, count)  # (frappe.set_user clears form_dict)


def step_done(step: str) -> int:
    return frappe.db.get_value("Onboarding Step", step, "is_complete")


def reset_progress():
    for step in STEPS:
        frappe.db.set_value("Onboarding Step", step, {"is_complete": 0, "is_skipped": 0}, update_modified=False)
    frappe.db.set_value("Module Onboarding", ONBOARDING, "is_complete", 0, update_modified=False)


@pytest.fixture
def progress():
    """The site's onboarding progress, put back afterwards (other tests' records complete steps)."""
    saved = {s: frappe.db.get_value("Onboarding Step", s, ["is_complete", "is_skipped"]) for s in STEPS}
    module = frappe.db.get_value("Module Onboarding", ONBOARDING, "is_complete")
    enabled = frappe.db.get_single_value("System Settings", "enable_onboarding")
    frappe.db.set_single_value("System Settings", "enable_onboarding", 1)
    reset_progress()
    yield
    frappe.db.rollback()
    for step, (done, skipped) in saved.items():
        frappe.db.set_value("Onboarding Step", step, {"is_complete": done, "is_skipped": skipped}, update_modified=False)
    frappe.db.set_value("Module Onboarding", ONBOARDING, "is_complete", module, update_modified=False)
    frappe.db.set_single_value("System Settings", "enable_onboarding", enabled)
    frappe.db.commit()


def test_the_onboarding_and_its_steps_are_on_the_site():
    ob = frappe.get_doc("Module Onboarding", ONBOARDING)
    assert ob.module == "Shuangfuhua App"
    assert [row.step for row in ob.steps] == ALL_STEPS
    assert {"Center Staff", "Center Head"} <= {r.role for r in ob.allow_roles}
    steps = [s for s in ob.get_steps() if s.name != SIGNUP_STEP]
    for step in steps:
        assert frappe.db.exists("DocType", step.reference_document), step.name
    assert [s.reference_document for s in steps] == [
        "Service Center", "Community", "Review Panel", "Shuangfuhua Settings", "Incubation Application"
    ]
    signup = frappe.get_doc("Onboarding Step", SIGNUP_STEP)
    assert (signup.action, signup.path) == ("Go to Page", "sfh-portal-signup")
    assert step_done(SIGNUP_STEP) == 1  # taken by the runner after install
    ws = frappe.get_doc("Workspace", "Shuangfuhua")
    blocks = json.loads(ws.content)
    assert {"type": "onboarding", "onboarding_name": ONBOARDING} in [
        {"type": b["type"], "onboarding_name": b["data"].get("onboarding_name")} for b in blocks
    ]
    placed = {b["data"]["shortcut_name"] for b in blocks if b["type"] == "shortcut"}
    assert placed == {sc.label for sc in ws.shortcuts}
    assert {"Applications to Review", "Review Scores", "Filings for Township Review", "Filings for Community Review"} <= placed


def test_center_staff_see_their_shortcuts_the_onboarding_and_their_counts(progress):
    world = World()  # a center, its community and staff, a panel, an organization (completes steps)
    app = world.apply()
    act(world.rep, app, "Submit")
    other = World()  # another center's application: not counted for the first center's staff
    act(other.rep, other.apply(), "Submit")
    frappe.db.commit()

    page = desktop_page(world.staff)
    labels = {sc["label"] for sc in page["shortcuts"]["items"]}
    # labels come translated, as Desk shows them
    assert {"待审核的入驻申请", "正在公示", "待答复的咨询", "孵化服务活动"} <= labels
    assert "Applications to Review" not in labels

    # the onboarding, in Chinese, with the steps this center has done ticked
    [onboarding] = page["onboardings"]["items"]
    assert onboarding["title"] == "设置您的服务中心"
    items = {s["name"]: s for s in onboarding["items"]}
    assert [s["name"] for s in onboarding["items"]] == ALL_STEPS
    assert items["Create the Service Center"]["label"] == "创建服务中心"
    for step in ("Create the Service Center", "Add the Communities", "Set Up a Review Panel", "Enter the First Application"):
        assert items[step]["is_complete"] == 1, step
    assert items["Review the Settings"]["is_complete"] == 0

    # the count on a shortcut is the staff's own center's: one submitted application, not the
    # other center's
    to_review = next(sc for sc in frappe.get_doc("Workspace", "Shuangfuhua").shortcuts if sc.label == "Applications to Review")
    assert desk_count(world.staff, "Incubation Application", json.loads(to_review.stats_filter)) == 1
    assert desk_count(other.staff, "Incubation Application", json.loads(to_review.stats_filter)) == 1
    assert desk_count("Administrator", "Incubation Application", json.loads(to_review.stats_filter)) >= 2
    # every counted shortcut's filter runs on the site for the staff
    for sc in frappe.get_doc("Workspace", "Shuangfuhua").shortcuts:
        if sc.stats_filter and sc.type == "DocType":
            assert desk_count(world.staff, sc.link_to, json.loads(sc.stats_filter)) >= 0


def test_staff_see_every_number_card_counted_in_their_own_center():
    """The workspace's number cards for Center Staff: all four are shown (each counts a
    DocType the staff read – the reminders ledger included), and the quota reminders card
    counts the staff's own center's reminders only (R-SCOPE)."""
    from frappe.desk.doctype.number_card.number_card import get_result

    from factory import uid

    world, other = World(), World()
    for w in (world, other):
        frappe.get_doc({"doctype": "SFH Reminder", "reminder_key": f"R-TEST|{w.org}|{uid()}", "rule": "R-7.3.1a",
                        "organization": w.org, "service_center": w.center, "period": "2026",
                        "message": "测试提醒"}).insert(ignore_permissions=True)
    frappe.db.commit()
    page = desktop_page(world.staff)
    shown = {c.number_card_name for c in page["number_cards"]["items"]}
    assert shown == {"Organizations in Incubation", "Notices Open", "Quotas Behind (Reminders in 90 Days)",
                     "Exit Assessments Due (90 Days)", "Next Year's Holidays to Declare"}
    card = frappe.get_doc("Number Card", "Quotas Behind (Reminders in 90 Days)")
    assert as_user(world.staff, get_result, card.as_json(), card.filters_json) == 1
    assert as_user("Administrator", get_result, card.as_json(), card.filters_json) >= 2


def test_a_community_worker_sees_only_what_they_read_and_no_onboarding(progress):
    center = make_center()
    community = make_community(center)
    worker = make_user(["Community Worker"], communities=[community])
    frappe.db.commit()
    page = desktop_page(worker)
    labels = {sc["label"] for sc in page["shortcuts"]["items"]}
    assert {"待居（村）委会初审的备案", "待居（村）委会初审的终止申请"} <= labels
    # Desk leaves out what the role does not read (Consultation, Corrective Action, Venture Project)
    assert not labels & {"待答复的咨询", "未完成的整改措施", "待审批的微创投项目"}
    assert page["onboardings"]["items"] == []  # not among the onboarding's roles


def test_steps_complete_when_the_center_does_them_anywhere(progress):
    assert not any(step_done(s) for s in STEPS)
    center = make_center()
    assert step_done("Create the Service Center") == 1
    assert not step_done("Add the Communities")
    make_community(center)
    assert step_done("Add the Communities") == 1

    # the defaults that install and migrate write are not a review of the settings
    settings = frappe.get_single("Shuangfuhua Settings")
    frappe.flags.in_migrate = True
    try:
        settings.save()
    finally:
        frappe.flags.in_migrate = False
    assert not step_done("Review the Settings")
    settings.save()
    assert step_done("Review the Settings") == 1

    # the first application, entered by the organization on its side (not through the widget)
    world = World()
    assert step_done("Set Up a Review Panel") == 1
    assert not frappe.db.get_value("Module Onboarding", ONBOARDING, "is_complete")
    world.apply()
    assert step_done("Enter the First Application") == 1
    # every step done: the onboarding is complete and the workspace no longer shows it
    assert frappe.db.get_value("Module Onboarding", ONBOARDING, "is_complete") == 1
    frappe.db.commit()
    assert desktop_page(world.staff)["onboardings"]["items"] == []


def test_migrate_completes_the_steps_of_a_site_already_in_use(progress):
    from shuangfuhua_app.onboarding import sync_onboarding

    World().apply()  # the site has centers, communities, panels and applications
    reset_progress()
    frappe.db.set_value("Onboarding Step", "Review the Settings", "is_skipped", 1, update_modified=False)
    sync_onboarding()
    assert all(step_done(s) for s in STEPS)
    assert frappe.db.get_value("Module Onboarding", ONBOARDING, "is_complete") == 1


@needs_browser
def test_staff_see_the_workspace_in_chinese(progress):
    world = World()
    frappe.db.commit()
    with playwright.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
            page.goto(f"{site_url()}/login")
            page.fill("#login_email", world.staff)
            page.fill("#login_password", PASSWORD)
            page.click(".btn-login")
            page.wait_for_url("**/app**", timeout=30000)
            page.goto(f"{site_url()}/app/shuangfuhua")
            try:
                page.wait_for_selector(".onboarding-widget-box .onboarding-step", timeout=30000)
                page.wait_for_selector(".shortcut-widget-box .indicator-pill", timeout=30000)
            except Exception:
                screenshot(page, "desk-workspace-FAILED")
                raise
            page.set_viewport_size({"width": 1366, "height": 2400})  # Desk scrolls inside the page: show it all
            page.wait_for_timeout(1500)
            screenshot(page, "desk-workspace-staff")
            body = page.inner_text("body")
            for text in ("设置您的服务中心", "创建服务中心", "核对双孵化设置", "各角色日常工作", "中心工作人员",
                         "待审核的入驻申请", "待答复的咨询", "镇街领导与领导小组办公室"):
                assert text in body, text
            assert "Applications to Review" not in body and "Set Up Your Service Center" not in body
        finally:
            browser.close()
