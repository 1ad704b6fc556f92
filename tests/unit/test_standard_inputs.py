"""R-INPUT (values the app cannot store as given) and R-6.1 (one open application), no Frappe."""

from __future__ import annotations

import ast
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from app_meta import PACKAGE, doctypes, hook_paths, resolve_function
from shuangfuhua_app.standard import inputs
from shuangfuhua_app.standard.admission import application_is_open, check_one_open_application
from shuangfuhua_app.standard.inputs import (
    KNOWN_TYPES,
    LONG_TEXT_MAX_BYTES,
    TEXT_MAX_BYTES,
    check_value,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_time,
)


def check(fieldtype, value, **kw):
    return check_value(fieldtype, value, label=kw.pop("label", "字段甲"), **kw)


# ------------------------------------------------------------------ the cases


def test_the_reported_bad_inputs_are_refused_naming_the_field():
    # a non-numeric member count was stored as 0
    assert check("Int", "abc", label="成员人数") == "字段“成员人数”的值“abc”不是整数"
    # an impossible founded date was silently dropped
    assert check("Date", "2026-02-30", label="成立日期").startswith("字段“成立日期”的值“2026-02-30”不是有效日期")
    # 200,000 characters of main activities gave a database error
    message = check("Small Text", "活" * 200_000, label="主要活动开展情况")
    assert message.startswith("字段“主要活动开展情况”内容过长") and "600000字节" in message
    # an event date of "yesterday" reached the app's own date code
    assert check("Date", "yesterday", label="活动日期").startswith("字段“活动日期”的值“yesterday”不是有效日期")


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("value", [12, "12", " 12 ", "+12", "-3", "12.0", "１２", 12.0, Decimal("12"), True, 0, "", None])
def test_int_accepts_integers(value):
    assert check("Int", value) is None


@pytest.mark.parametrize("value", ["abc", "12abc", "12.5", 12.5, "1,000", "1e3", "NaN", float("nan"), "一二", "0x10"])
def test_int_refuses_anything_else(value):
    assert "不是整数" in check("Int", value)


def test_int_range_is_the_columns():
    assert check("Int", 2**31 - 1) is None
    assert "超出可存储的范围" in check("Int", 2**31)
    assert check("Long Int", 2**31) is None


@pytest.mark.parametrize("value", [1.5, "1.5", "-0.25", ".5", "1e3", "１２.５", Decimal("3.14"), 7, "", None])
def test_float_currency_percent_accept_numbers(value):
    for fieldtype in ("Float", "Currency", "Percent"):
        assert check(fieldtype, value) is None, (fieldtype, value)


@pytest.mark.parametrize("value", ["abc", "1,000.00", "¥100", "NaN", "inf", float("inf"), "1.2.3", "一百"])
def test_float_refuses_text(value):
    assert "不是有效数字" in check("Currency", value)


def test_decimal_column_limit():
    assert check("Currency", 999_999_999_999) is None
    assert "超出可存储的范围" in check("Currency", 10**12)


@pytest.mark.parametrize("value", [0, 1, True, False, "0", "1", 1.0, "", None])
def test_check_accepts_zero_and_one(value):
    assert check("Check", value) is None


@pytest.mark.parametrize("value", [2, -1, "yes", "true", "false", "是", 0.5])
def test_check_refuses_anything_else(value):
    assert "只能为0或1" in check("Check", value)


# ------------------------------------------------------------------ dates and times


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025-10-01", date(2025, 10, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        (date(2025, 1, 2), date(2025, 1, 2)),
        (datetime(2025, 1, 2, 9, 30), date(2025, 1, 2)),
        (" 2025-10-01 ", date(2025, 10, 1)),
    ],
)
def test_dates_that_exist_parse(value, expected):
    assert parse_date(value) == expected
    assert check("Date", value) is None


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2025-02-29", "2025-13-01", "2025-00-10", "0000-00-00", "0999-12-31", "yesterday", "today",
     "2025/10/01", "01-10-2025", "2025-10-1", "2025-10-01 09:30", "2025-10-01garbage", "20251001", 20251001],
)
def test_impossible_or_unreadable_dates_are_refused(value):
    assert parse_date(value) is None
    assert "不是有效日期" in check("Date", value)


@pytest.mark.parametrize(
    "value",
    ["2025-10-01 09:30:00", "2025-10-01 09:30:00.123456", "2025-10-01T09:30", "2025-10-01", "2025-10-01 9:05",
     datetime(2025, 10, 1, 9, 30), date(2025, 10, 1)],
)
def test_datetimes(value):
    assert parse_datetime(value) is not None
    assert check("Datetime", value) is None


@pytest.mark.parametrize(
    "value", ["2025-02-30 09:00:00", "2025-10-01 24:00:00", "2025-10-01 09:60", "2025-10-01T09:30:00Z",
              "2025-10-01 09:30:00+08:00", "now", "yesterday 9am"],
)
def test_bad_datetimes_are_refused(value):
    assert parse_datetime(value) is None
    assert "不是有效的日期时间" in check("Datetime", value)


@pytest.mark.parametrize(
    "value, expected",
    [("09:30", time(9, 30)), ("9:30:15", time(9, 30, 15)), ("23:59:59.5", time(23, 59, 59, 500000)),
     (timedelta(hours=9, minutes=30), time(9, 30)), (time(8, 0), time(8, 0))],
)
def test_times(value, expected):
    assert parse_time(value) == expected
    assert check("Time", value) is None


@pytest.mark.parametrize("value", ["24:00", "9:60", "noon", "9", timedelta(days=1), timedelta(hours=-1)])
def test_bad_times_are_refused(value):
    assert "不是有效时间" in check("Time", value)


# ------------------------------------------------------------------ text


def test_varchar_length_is_the_fields_or_140_characters():
    assert check("Data", "字" * 140) is None
    assert check("Data", "字" * 141) == "字段“字段甲”最多可填写140个字符，当前为141个字符"
    assert check("Data", "a" * 200, length=255) is None
    assert "最多可填写20个字符" in check("Link", "x" * 21, length=20)


def test_text_columns_hold_65535_bytes():
    assert check("Small Text", "a" * TEXT_MAX_BYTES) is None
    assert "内容过长" in check("Small Text", "a" * (TEXT_MAX_BYTES + 1))
    assert "内容过长" in check("Text", "字" * 21_846)  # 65,538 bytes in UTF-8
    assert check("Text", "字" * 21_845) is None
    assert check("Text Editor", "字" * 200_000) is None
    assert "内容过长" in check("Text Editor", "a" * (LONG_TEXT_MAX_BYTES + 1))


def test_singles_keep_text_in_one_longtext_column():
    assert check("Data", "a" * 500, single=True) is None
    assert check("Small Text", "a" * 70_000, single=True) is None
    assert "不是整数" in check("Int", "abc", single=True)


def test_select_values_must_be_options():
    options = ["", "Direct", "Via Community"]
    labels = ["", "直接申请", "经社区报备"]
    assert check("Select", "Direct", options=options, option_labels=labels) is None
    assert check("Select", "", options=options) is None
    message = check("Select", "Bogus", label="申请渠道", options=options, option_labels=labels)
    assert message == "字段“申请渠道”的值“Bogus”不是可选项，可选：直接申请、经社区报备"


def test_lists_objects_and_broken_unicode_are_refused():
    assert "不能是列表或对象" in check("Data", ["a"])
    assert "不能是列表或对象" in check("Int", {"a": 1})
    assert "无法存储的字符" in check("Data", "a\ud800b")


def test_tables_and_layout_fields_are_not_values():
    assert check("Table", [{"member_name": "甲"}]) is None
    assert check("Table MultiSelect", [{"role": "x"}]) is None
    assert check("Section Break", None) is None


def test_child_rows_are_named_by_table_and_row():
    message = check("Date", "2025-02-30", label="入党时间", row=("党员情况", 3))
    assert message.startswith("“党员情况”第3行的字段“入党时间”的值“2025-02-30”")


def test_long_values_are_shortened_in_messages():
    message = check("Int", "x" * 1000)
    assert "x" * inputs.SHOWN_CHARS + "…" in message and len(message) < 100


def test_parsers_never_raise():
    for value in ("", "-", "+", ".", "e5", "\x00", "１２３４５６７８９０" * 10, object(), b"12", [], {}):
        parse_int(value)
        parse_decimal(value)
        parse_date(value)
        parse_time(value)
        parse_datetime(value)


# ------------------------------------------------------------------ the app's DocTypes


def test_every_field_type_of_the_app_is_known_to_the_guard():
    unknown = {
        (name, f["fieldname"], f["fieldtype"])
        for name, dt in doctypes().items()
        for f in dt["fields"]
        if f["fieldtype"] not in KNOWN_TYPES
    }
    assert not unknown, unknown


def test_the_guard_is_hooked_for_every_document_before_validation():
    tree = ast.parse((PACKAGE / "hooks.py").read_text("utf-8"))
    doc_events = next(
        node.value for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "doc_events" for t in node.targets)
    )
    star = next(v for k, v in zip(doc_events.keys, doc_events.values, strict=True) if k is not None and k.value == "*")
    events = ast.literal_eval(star)
    for event in ("before_insert", "before_validate", "before_update_after_submit"):
        # the input guard first (other guards, e.g. R-X-SYSTEM's, may follow it)
        value = events[event]
        assert (value[0] if isinstance(value, list) else value) == "shuangfuhua_app.input_guard.before_validate", event
    assert "shuangfuhua_app.input_guard.before_validate" in hook_paths()
    assert resolve_function("shuangfuhua_app.input_guard.before_validate")


def test_the_guard_sees_portal_records_before_the_portal_pins_them():
    """The portal's before_insert overwrites the organization's fields; Frappe runs a DocType's
    own hooks before the "*" ones, so the guard is listed first there."""
    source = (PACKAGE / "hooks.py").read_text("utf-8")
    guard = source.find('"shuangfuhua_app.input_guard.before_validate",\n', source.find('"before_insert": ['))
    assert 0 < guard < source.find("shuangfuhua_app.portal.guard.portal_before_insert")


def test_every_app_doctype_is_in_a_module_the_guard_acts_on():
    """The guard looks after the modules of modules.txt (``input_guard.app_modules``)."""
    modules = set((PACKAGE / "modules.txt").read_text("utf-8").splitlines()) - {""}
    outside = {name: dt["module"] for name, dt in doctypes().items() if dt["module"] not in modules}
    assert not outside, outside


# ------------------------------------------------------------------ one open application


@pytest.mark.parametrize(
    "state, docstatus, signed, is_open",
    [
        ("Draft", 0, False, True),
        ("Submitted", 0, False, True),
        ("Returned", 0, False, True),
        ("Panel Review", 0, False, True),
        ("Recommended", 0, False, True),
        ("In Notice", 0, False, True),
        ("Admitted", 1, False, True),  # admitted, agreement not signed yet (§6.4)
        ("Admitted", 1, True, False),
        ("Not Admitted", 1, False, False),
        ("Draft", 2, False, False),  # cancelled
        ("Admitted", 2, False, False),
        (None, 0, False, True),
    ],
)
def test_which_applications_are_open(state, docstatus, signed, is_open):
    assert application_is_open(state, docstatus, signed) is is_open


def test_a_second_open_application_is_refused_naming_the_open_one():
    assert check_one_open_application([]).ok
    finding = check_one_open_application([("SFH-APP-2026-00007", "已提交")])
    assert not finding.ok and finding.rule == "R-6.1" and finding.enforcement == "block"
    assert "SFH-APP-2026-00007（已提交）" in finding.message
    assert finding.message.endswith("（DB3301/T 0346—2021 第6.1条）")


def test_an_application_created_at_the_same_moment_is_refused_too():
    finding = check_one_open_application([], changed_meanwhile=True)
    assert not finding.ok and "刷新" in finding.message and finding.message.endswith("第6.1条）")
    # a named open application says which
    assert "SFH-APP-1" in check_one_open_application([("SFH-APP-1", "草稿")], changed_meanwhile=True).message
