"""Tier 2: drive a real site. Run by run_site_tests.sh with SFH_BENCH and SFH_SITE set."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCH = os.environ.get("SFH_BENCH")
SITE = os.environ.get("SFH_SITE")


def pytest_configure(config):
    if not (BENCH and SITE):
        raise pytest.UsageError("integration tests need SFH_BENCH and SFH_SITE (see tests/integration/run_site_tests.sh)")


@pytest.fixture(scope="session", autouse=True)
def site():
    import frappe

    os.chdir(os.path.join(BENCH, "sites"))  # Frappe resolves sites relative to the cwd
    frappe.init(site=SITE, sites_path=".")
    frappe.connect()
    # frappe.flags.in_test is left off on purpose: it disables Version tracking (R-AUDIT is tested)
    frappe.local.lang = "zh"  # a Chinese center's site (System Settings language is zh too)
    from factory import allow_many_users

    allow_many_users()  # the suite creates more users than Frappe's hourly sign-up throttle allows
    yield SITE
    frappe.db.rollback()
    frappe.destroy()


@pytest.fixture(autouse=True)
def as_administrator():
    import frappe

    frappe.set_user("Administrator")
    yield
    frappe.set_user("Administrator")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (skips when playwright or Chromium is missing)."""
    from browser import launch, playwright

    with playwright.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
