"""The benchmarks' way into a site: run from a bench's ``sites`` folder, as Administrator, in
Chinese (the users' language). Shared by ``run.py``, ``replica.py`` and ``workers.py``."""

from __future__ import annotations

import os


def connect(site: str):
    """``frappe`` initialised and connected to ``site``; the caller ends with ``frappe.destroy()``."""
    import frappe

    frappe.init(site=site, sites_path=os.getcwd())
    frappe.connect()
    frappe.set_user("Administrator")
    frappe.local.lang = "zh"
    return frappe
