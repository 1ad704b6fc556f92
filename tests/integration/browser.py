"""Headless Debian Chromium driven by Playwright, for the pages people use."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import frappe
import pytest

URL = os.environ.get("SFH_URL")
ARTIFACTS = os.environ.get("SFH_ARTIFACTS", "/tmp")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# this machine's closed network: no background connections, no QUIC, no sandbox as root
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed in the bench env")
needs_browser = pytest.mark.skipif(
    not (URL and os.path.exists(CHROMIUM)), reason="needs SFH_URL and Debian's chromium"
)


def site_url() -> str:
    """*.localhost resolves to the loopback in Chromium, so the site is reached by its own name."""
    return f"http://{frappe.local.site}:{urlparse(URL).port}"


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def screenshot(page, name: str):
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def phone(browser):
    """A phone-sized page in Chinese."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30000)
    return page
