"""The app's zh translations reach the site and never change what Frappe's own strings say."""

from __future__ import annotations

import csv
import os

import frappe
from frappe.translate import get_all_translations


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f) if r]


def test_generic_rows_do_not_override_frappes_translations():
    frappe_zh = {r[0]: r[1] for r in rows(os.path.join(frappe.get_app_path("frappe"), "translations", "zh.csv")) if len(r) > 1}
    ours = rows(os.path.join(frappe.get_app_path("shuangfuhua_app"), "translations", "zh.csv"))
    overridden = {r[0]: (frappe_zh[r[0]], r[1]) for r in ours if not (len(r) > 2 and r[2]) and r[0] in frappe_zh and frappe_zh[r[0]] != r[1]}
    assert not overridden, f"give these a DocType context instead: {overridden}"


def test_context_translations_are_loaded():
    zh = get_all_translations("zh")
    assert zh["Status:Notice Objection"] == "处理状态"
    assert zh["Pending:Incubation Application"] == "公示中"
    assert zh["Incubation Application"] == "入驻孵化申请"
    assert zh["Pass Initial Review"] == "初审通过"
