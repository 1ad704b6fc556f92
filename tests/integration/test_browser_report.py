"""Issue 4 §4 in a real browser (headless Debian Chromium, phone-sized): the organization's
representative asks the center a question on the portal, the center answers in Desk
(server side here), and the representative reads the answer.  Screenshots to $SFH_ARTIFACTS."""

from __future__ import annotations

import frappe

from browser import needs_browser, phone, screenshot, site_url
from factory import PASSWORD, World

pytestmark = needs_browser


def test_representative_asks_and_reads_the_centers_answer(browser):
    world = World()
    frappe.db.commit()
    page = phone(browser)
    page.goto(f"{site_url()}/login")
    page.fill("#login_email", world.rep)
    page.fill("#login_password", PASSWORD)
    page.click(".btn-login")
    page.wait_for_load_state("networkidle")

    # 1. Report and Ask -> ask a question on the Web Form
    page.goto(f"{site_url()}/my-reports")
    assert "报告与咨询" in page.inner_text("h1")
    page.click("#sfh-ask")
    page.wait_for_selector(".web-form [data-fieldname='question'] textarea")
    body = page.inner_text("body")
    assert "向服务中心咨询" in body and "咨询" in body
    page.fill(".web-form [data-fieldname='subject'] input", "场地申请")
    page.select_option(".web-form [data-fieldname='topic'] select", "Projects and Funding")
    page.fill(".web-form [data-fieldname='question'] textarea", "我们想借用中心活动室开展周末亲子活动，需要怎么申请？")
    screenshot(page, "report-ask-form")
    page.click(".web-form-footer .submit-btn")
    page.wait_for_url("**/my-reports**")
    frappe.db.rollback()
    (name,) = frappe.get_all("Consultation", filters={"organization": world.org}, pluck="name")
    doc = frappe.get_doc("Consultation", name)
    assert doc.owner == world.rep and doc.consult_channel == "Online" and doc.consultation_status == "Awaiting Answer"
    page.goto(f"{site_url()}/my-reports")
    assert "服务中心尚未答复" in page.inner_text(f".sfh-consultation[data-name='{name}']")

    # 2. the center answers in Desk (server side, as its staff): who, when, response time
    frappe.set_user(world.staff)
    try:
        staff_doc = frappe.get_doc("Consultation", name)
        staff_doc.answer = "<p>请在活动前三个工作日通过中心前台登记，活动室免费使用。</p>"
        staff_doc.save()
    finally:
        frappe.set_user("Administrator")
    frappe.db.commit()
    assert frappe.db.get_value("Consultation", name, "answered_by") == world.staff

    # 3. the representative reads the answer
    page.goto(f"{site_url()}/my-reports")
    card = page.locator(f".sfh-consultation[data-name='{name}']")
    assert "请在活动前三个工作日通过中心前台登记" in card.locator(".sfh-answer").inner_text()
    assert "已答复" in card.inner_text()
    screenshot(page, "report-answer-read")
    page.context.close()
