"""Center staff work in Desk (in Chinese): open an application and pass the initial review by clicking."""

from __future__ import annotations

import frappe
import pytest

from browser import launch, needs_browser, playwright, screenshot, site_url
from factory import World, act

pytestmark = needs_browser


@pytest.fixture(scope="module")
def page():
    with playwright.sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.on("response", lambda r: r.status >= 400 and "socket.io" not in r.url and print("HTTP", r.status, r.url))
        yield page
        browser.close()


def login(page, user: str):
    page.goto(f"{site_url()}/login")
    page.fill("#login_email", user)
    page.fill("#login_password", "Sfh#test-pass-2026")
    page.click(".btn-login")
    page.wait_for_url("**/app**", timeout=30000)


def test_staff_passes_the_initial_review_in_desk(page):
    world = World()
    app = world.apply()
    act(world.rep, app, "Submit")
    frappe.db.commit()

    login(page, world.staff)
    page.goto(f"{site_url()}/app/incubation-application/{app.name}")
    try:
        page.wait_for_selector("[data-fieldname='initial_review_result'] select", timeout=30000)
    except Exception:
        screenshot(page, "desk-application-FAILED")
        raise
    body = page.inner_text("body")
    assert "附表A 社区社会组织入驻孵化申报表" in body
    assert "附表C 党员基本情况登记表" in body
    assert "已提交" in body  # the workflow state, translated
    screenshot(page, "desk-application-submitted")

    page.select_option("[data-fieldname='initial_review_result'] select", "Passed")
    page.fill("[data-fieldname='initial_review_comment'] textarea", "材料齐全，同意进入评审")
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !cur_frm.is_dirty()", timeout=30000)

    page.click("button:has-text('操作')")
    page.click(".dropdown-menu a:has-text('初审通过')")
    page.wait_for_function(
        "() => cur_frm.doc.workflow_state === 'Panel Review'", timeout=30000
    )
    screenshot(page, "desk-application-panel-review")
    frappe.db.rollback()
    assert frappe.db.get_value("Incubation Application", app.name, "workflow_state") == "Panel Review"
    assert frappe.db.get_value("Incubation Application", app.name, "initial_reviewer") == world.staff
