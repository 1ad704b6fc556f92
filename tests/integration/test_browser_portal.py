"""Issue 4 in a real browser (headless Debian Chromium driven by Playwright), phone-sized:
a guest objects on the public notice page; a new organization signs up, applies with two
party members, is sent back, fixes and resubmits, and later sees its admission and agreement.
Screenshots of the key pages go to $SFH_ARTIFACTS."""

from __future__ import annotations

import re
import time

import frappe
import pytest

from browser import needs_browser, phone, screenshot, site_url
from factory import PASSWORD, World, act, make_org, open_notice, uid
from shuangfuhua_app.portal import objection, representatives

pytestmark = needs_browser


def shot(page, name: str):
    screenshot(page, f"portal-{name}")


@pytest.fixture(scope="module")
def world():
    w = World()
    frappe.db.commit()
    return w


def test_guest_objects_on_the_public_notice_page(browser, world):
    frappe.cache.delete_keys("rl:shuangfuhua_app.portal.objection.submit_objection")
    app = world.apply(org=make_org(world.center, world.community))
    notice = open_notice(world, [app])
    frappe.db.commit()
    page = phone(browser)
    page.goto(f"{site_url()}/notices")
    assert "入驻孵化名单公示" in page.inner_text("body")
    assert app.org_name in page.inner_text("body")
    shot(page, "notices")
    page.click(f"a[href='/notices/{notice.name}'] >> nth=0")
    page.wait_for_selector("#sfh-objection")
    question = page.inner_text("label[for=sfh-answer]")
    a, b = map(int, re.search(r"(\d+)\s*\+\s*(\d+)", question).groups())
    page.select_option("#sfh-item", "1")
    page.fill("#sfh-name", "陈市民")
    page.fill("#sfh-content", "该组织负责人曾受过行政处罚，请核实。")
    page.fill("#sfh-answer", str(a + b))
    time.sleep(objection.CHALLENGE_MIN_SECONDS + 0.5)  # a person reads before answering
    # without a phone number the form is refused with a Chinese message
    page.click("#sfh-objection button[type=submit]")
    page.wait_for_selector("#sfh-result.error")
    assert "请填写手机号码" in page.inner_text("#sfh-result")
    page.fill("#sfh-phone", "138 0013 8000")
    page.click("#sfh-objection button[type=submit]")
    page.wait_for_selector("#sfh-result.ok")
    assert "异议已受理" in page.inner_text("#sfh-result")
    shot(page, "objection-filed")
    frappe.db.rollback()
    filed = frappe.get_all(
        "Notice Objection", filters={"public_notice": notice.name}, fields=["objector_name", "contact_phone", "channel", "application"]
    )
    assert filed == [{"objector_name": "陈市民", "contact_phone": "13800138000", "channel": "Website", "application": app.name}]
    page.context.close()


def login(page, user: str):
    page.goto(f"{site_url()}/login")
    page.fill("#login_email", user)
    page.fill("#login_password", PASSWORD)
    page.click(".btn-login")
    page.wait_for_load_state("networkidle")


def test_new_organization_signs_up_applies_is_returned_resubmits_and_is_admitted(browser, world):
    org = make_org(world.center, world.community)
    frappe.db.commit()
    email = f"rep-{uid()}@sfh-test.example"
    page = phone(browser)

    # 1. sign up with Frappe's own sign-up form
    page.goto(f"{site_url()}/login#signup")
    page.wait_for_selector("#signup_fullname")
    page.fill("#signup_fullname", "刘会长")
    page.fill("#signup_email", email)
    shot(page, "signup")
    page.click(".btn-signup")
    for _ in range(60):
        frappe.db.rollback()
        if frappe.db.exists("User", email):
            break
        time.sleep(0.5)
    assert frappe.db.get_value("User", email, "user_type") == "Website User"
    # the password is set from the welcome mail's link (no mail server here), then the
    # center links the new account to its organization
    frappe.get_doc("User", email).update({"new_password": PASSWORD}).save(ignore_permissions=True)
    frappe.set_user(world.staff)
    try:
        assert representatives.invite_representative(org, email)["created"] is False
    finally:
        frappe.set_user("Administrator")
    frappe.db.commit()

    # 2. log in, open My Incubation, start an application
    login(page, email)
    page.goto(f"{site_url()}/my-incubation")
    assert org in page.inner_text("body") and "尚未提交入驻申请" in page.inner_text("body")
    page.click("#sfh-new-application")
    page.wait_for_selector(".web-form [data-fieldname='main_activities'] textarea")
    body = page.inner_text("body")
    assert "附表A" in body and "附表C" in body
    page.fill(".web-form [data-fieldname='main_activities'] textarea", "每周组织志愿者为独居老人送餐")
    page.fill(".web-form [data-fieldname='needs'] textarea", "活动场地、财务管理培训")
    page.fill(".web-form [data-fieldname='member_count'] input", "15")
    page.select_option(".web-form [data-fieldname='party_org_form'] select", "Party Liaison")
    page.fill(".web-form [data-fieldname='liaison_name'] input", "周联络")
    # App. C: two party members, entered in the form's table (row editor for the phone)
    grid = ".web-form [data-fieldname='party_members']"
    for i, (member, mobile) in enumerate((("党员甲", "13900000001"), ("党员乙", "13900000002")), start=1):
        page.click(f"{grid} .grid-add-row")
        row = f"{grid} .grid-row[data-idx='{i}']"
        page.click(f"{row} [data-fieldname='member_name']")
        page.fill(f"{row} [data-fieldname='member_name'] input", member)
        page.locator(f"{row} .btn-open-row").dispatch_event("click")  # the grid scrolls sideways on a phone
        page.wait_for_selector(".grid-row-open [data-fieldname='phone'] input")
        page.fill(".grid-row-open [data-fieldname='phone'] input", mobile)
        page.locator(".grid-row-open .grid-collapse-row").first.dispatch_event("click")
        page.wait_for_timeout(300)
    assert "党员姓名" in page.inner_text(grid) or "姓名" in page.inner_text(grid)  # column titles in Chinese
    page.wait_for_timeout(500)
    shot(page, "apply-form")
    page.click(".web-form-footer .submit-btn")
    page.wait_for_url("**/my-incubation**")
    frappe.db.rollback()
    (name,) = frappe.get_all("Incubation Application", filters={"organization": org}, pluck="name")
    doc = frappe.get_doc("Incubation Application", name)
    assert doc.owner == email and doc.workflow_state == "Draft" and len(doc.party_members) == 2
    assert [(r.member_name, r.phone) for r in doc.party_members] == [("党员甲", "13900000001"), ("党员乙", "13900000002")]

    # 3. submit from My Incubation
    page.goto(f"{site_url()}/my-incubation")
    page.click(f".sfh-submit[data-name='{name}']")
    page.wait_for_selector(".sfh-state:has-text('已提交')")
    shot(page, "submitted")

    # 4. the center sends it back with a comment (server side)
    frappe.db.rollback()
    frappe.set_user(world.staff)
    staff_doc = frappe.get_doc("Incubation Application", name)
    staff_doc.initial_review_result = "Returned"
    staff_doc.initial_review_comment = "请补充组织章程附件，并填写党员乙的入党时间。"
    staff_doc.save()
    frappe.set_user("Administrator")
    act(world.staff, staff_doc, "Return for Revision")
    frappe.db.commit()

    # 5. the representative reads the comment, fixes and resubmits
    page.goto(f"{site_url()}/my-incubation")
    assert "请补充组织章程附件" in page.inner_text(".sfh-returned-comment")
    shot(page, "returned")
    page.click(f".sfh-application[data-name='{name}'] .sfh-edit")
    page.wait_for_selector(".web-form [data-fieldname='needs'] textarea")
    assert "请补充组织章程附件" in page.inner_text(".sfh-form-status")
    page.fill(".web-form [data-fieldname='needs'] textarea", "活动场地、财务管理培训、章程修订指导")
    page.click(".web-form-footer .submit-btn")
    page.wait_for_url("**/my-incubation**")
    page.goto(f"{site_url()}/my-incubation")
    page.click(f".sfh-submit[data-name='{name}']")
    page.wait_for_selector(".sfh-state:has-text('已提交')")
    frappe.db.rollback()
    assert frappe.db.get_value("Incubation Application", name, "needs").endswith("章程修订指导")

    # 6. review, notice, admission and agreement (server side, as the center)
    doc = frappe.get_doc("Incubation Application", name)
    world.to_recommended(doc)
    world.notice([doc], "2025-09-30")  # a notice that has ended: processed on publishing
    frappe.set_user(world.staff)
    agreement = frappe.get_doc(
        {"doctype": "Incubation Agreement", "application": name, "start_date": "2025-10-14", "signed_on": "2025-10-14",
         "party_a_signatory": "李主任", "party_b_signatory": "刘会长"}
    ).insert()
    agreement.submit()
    frappe.set_user("Administrator")
    frappe.db.commit()

    # 7. the representative sees the admitted state, the timeline and the agreement
    page.goto(f"{site_url()}/my-incubation")
    body = page.inner_text("body")
    assert "准予入驻" in body and "孵化中" in body and agreement.name in body
    for state in (frappe._("Draft"), "已提交", "退回修改"):
        assert state in page.inner_text(".sfh-timeline")
    shot(page, "admitted")
    page.goto(
        f"{site_url()}/printview?doctype=Incubation%20Agreement&name={agreement.name}&format=Incubation%20Agreement&trigger_print=0"
    )
    assert "社区社会组织入驻孵化协议" in page.inner_text("body")
    shot(page, "agreement")
    page.context.close()
