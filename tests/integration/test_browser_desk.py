"""Center staff work in Desk (in Chinese): open an application and pass the initial review by clicking."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import frappe
import pytest

from factory import World, act

URL = os.environ.get("SFH_URL")
ARTIFACTS = os.environ.get("SFH_ARTIFACTS", "/tmp")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed in the bench env")
pytestmark = pytest.mark.skipif(not (URL and os.path.exists(CHROMIUM)), reason="needs SFH_URL and Debian's chromium")


def site_url() -> str:
    """*.localhost resolves to the loopback in Chromium, so the site is reached by its own name."""
    return f"http://{frappe.local.site}:{urlparse(URL).port}"


@pytest.fixture(scope="module")
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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
        page.screenshot(path=os.path.join(ARTIFACTS, "desk-application-FAILED.png"), full_page=True)
        raise
    body = page.inner_text("body")
    assert "附表A 社区社会组织入驻孵化申报表" in body
    assert "附表C 党员基本情况登记表" in body
    assert "已提交" in body  # the workflow state, translated
    page.screenshot(path=os.path.join(ARTIFACTS, "desk-application-submitted.png"), full_page=True)

    page.select_option("[data-fieldname='initial_review_result'] select", "Passed")
    page.fill("[data-fieldname='initial_review_comment'] textarea", "材料齐全，同意进入评审")
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !cur_frm.is_dirty()", timeout=30000)

    page.click("button:has-text('操作')")
    page.click(".dropdown-menu a:has-text('初审通过')")
    page.wait_for_function(
        "() => cur_frm.doc.workflow_state === 'Panel Review'", timeout=30000
    )
    page.screenshot(path=os.path.join(ARTIFACTS, "desk-application-panel-review.png"), full_page=True)
    frappe.db.rollback()
    assert frappe.db.get_value("Incubation Application", app.name, "workflow_state") == "Panel Review"
    assert frappe.db.get_value("Incubation Application", app.name, "initial_reviewer") == world.staff
