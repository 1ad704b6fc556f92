"""Input the app cannot store as given is refused, never altered (R-INPUT).

R-INPUT (cross-cutting, REQUIREMENTS.md): a value a user or an API client sends – a number
field holding text, an impossible date (2026-02-30), a date written as a word ("yesterday"),
text longer than its column holds, an option the field does not offer – is refused with a
Chinese message naming the field. Frappe would otherwise store ``0`` for the text, drop the
date, or fail with a database error (HTTP 500).

:func:`check_value` takes the *raw* value (as posted, before Frappe casts it) or a value
loaded from the database (``int``/``float``/``Decimal``/``date``/``datetime``/``timedelta``)
and the field's type by its Frappe name (``"Int"``, ``"Date"``, ``"Small Text"``, …). It
returns ``None`` when the value can be stored exactly as given, else the message. The
caller translates the field's label (and the Select options) before passing them in.

Limits follow the columns Frappe v15 creates on MariaDB (utf8mb4): Data, Link, Select and
the other ``varchar`` types hold ``length`` characters (140 by default); Small Text, Text
and Attach are ``text`` columns of 65,535 bytes; Long Text and Text Editor are ``longtext``,
capped here at :data:`LONG_TEXT_MAX_BYTES` so that a statement never exceeds the server's
packet size; Int is a signed 32-bit ``int``; Float, Currency and Percent are
``decimal(21,9)`` (at most 12 digits before the point); dates run from 1000-01-01 to
9999-12-31 (MariaDB's supported range).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

#: default length of a ``varchar`` column (Frappe's ``VARCHAR_LEN``)
VARCHAR_DEFAULT_LENGTH = 140
#: bytes of a MariaDB ``text`` column
TEXT_MAX_BYTES = 65_535
#: the app's cap on ``longtext`` fields (Text Editor, Long Text): 10 MiB, below MariaDB's
#: default ``max_allowed_packet`` of 16 MiB
LONG_TEXT_MAX_BYTES = 10 * 1024 * 1024
INT_RANGE = (-(2**31), 2**31 - 1)
BIGINT_RANGE = (-(2**63), 2**63 - 1)
#: ``decimal(21,9)``: absolute values below 10**12
DECIMAL_LIMIT = Decimal(10) ** 12
YEAR_RANGE = (1000, 9999)

VARCHAR_TYPES = frozenset(
    {"Data", "Link", "Dynamic Link", "Select", "Read Only", "Color", "Icon", "Phone", "Autocomplete"}
)
TEXT_TYPES = frozenset({"Small Text", "Text", "Attach", "Attach Image"})
LONG_TEXT_TYPES = frozenset(
    {"Long Text", "Text Editor", "Code", "Markdown Editor", "HTML Editor", "Signature", "Barcode",
     "Geolocation"}
)
INT_TYPES = frozenset({"Int"})
BIGINT_TYPES = frozenset({"Long Int"})
DECIMAL_TYPES = frozenset({"Float", "Currency", "Percent", "Duration"})
CHECK_TYPES = frozenset({"Check"})
DATE_TYPES = frozenset({"Date"})
DATETIME_TYPES = frozenset({"Datetime"})
TIME_TYPES = frozenset({"Time"})
#: field types that hold no value of their own (layout, tables, buttons) – not checked here
NO_VALUE_TYPES = frozenset(
    {
        "Section Break",
        "Column Break",
        "Tab Break",
        "HTML",
        "Table",
        "Table MultiSelect",
        "Button",
        "Image",
        "Fold",
        "Heading",
    }
)
#: every field type :func:`check_value` knows; a tier-1 test keeps the app's DocTypes within it
KNOWN_TYPES = (
    VARCHAR_TYPES
    | TEXT_TYPES
    | LONG_TEXT_TYPES
    | INT_TYPES
    | BIGINT_TYPES
    | DECIMAL_TYPES
    | CHECK_TYPES
    | DATE_TYPES
    | DATETIME_TYPES
    | TIME_TYPES
    | NO_VALUE_TYPES
    | {"Password", "Rating", "JSON"}
)

_INT_RE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?")
_DATETIME_RE = re.compile(rf"{_DATE_RE.pattern}(?:[ T]{_TIME_RE.pattern})?")

#: how much of an offending value a message repeats
SHOWN_CHARS = 30


def shown(value: object) -> str:
    """The value as a message repeats it: at most :data:`SHOWN_CHARS` characters."""
    if isinstance(value, str):
        text = value
    else:
        text = repr(value) if isinstance(value, (list, dict, tuple)) else str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _field(label: str, row: tuple[str, int] | None) -> str:
    where = f"“{row[0]}”第{row[1]}行的" if row else ""
    return f"{where}字段“{label}”"


def _normal(text: str) -> str:
    """Full-width digits and signs folded (``１２`` -> ``12``), surrounding blanks removed."""
    return unicodedata.normalize("NFKC", text).strip()


# ---------------------------------------------------------------- strict parsers


def parse_int(value: object) -> int | None:
    """R-INPUT: the integer ``value`` stands for, or ``None`` when it is not one.

    ``int`` (also ``bool``), an integral ``float``/``Decimal``, or text of digits with an
    optional sign (``"12"``, ``" +12 "``, ``"12.0"``, full-width ``"１２"``). ``"12.5"``,
    ``"12abc"``, ``"1,000"`` and ``"abc"`` are not. Empty text is not handled here.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value == int(value) else None
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, str):
        text = _normal(value)
        if _INT_RE.fullmatch(text):
            return int(Decimal(text))
    return None


def parse_decimal(value: object) -> Decimal | None:
    """R-INPUT: the number ``value`` stands for, or ``None`` when it is not a finite number.

    ``int``, ``float``, ``Decimal``, or text such as ``"12"``, ``"-0.5"``, ``"1e3"``;
    not ``"1,000"`` (a comma is a thousands separator or a decimal comma – ambiguous),
    ``"NaN"``, ``"inf"`` or words.
    """
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        text = _normal(value)
        if _DECIMAL_RE.fullmatch(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return None
    return None


def _in_years(d: date) -> bool:
    return YEAR_RANGE[0] <= d.year <= YEAR_RANGE[1]


def parse_date(value: object) -> date | None:
    """R-INPUT: the calendar day ``value`` names, or ``None``.

    A ``date``/``datetime`` object, or text ``YYYY-MM-DD`` of a day that exists
    (``"2026-02-30"``, ``"2025-13-01"``, ``"0000-00-00"``, ``"yesterday"``, ``"2025/10/01"``
    are refused), years 1000–9999.
    """
    if isinstance(value, datetime):
        return value.date() if _in_years(value) else None
    if isinstance(value, date):
        return value if _in_years(value) else None
    if not isinstance(value, str):
        return None
    m = _DATE_RE.fullmatch(_normal(value))
    if not m:
        return None
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return d if _in_years(d) else None


def _time_of(hours: str, minutes: str, seconds: str | None, fraction: str | None) -> time | None:
    try:
        return time(int(hours), int(minutes), int(seconds or 0), int((fraction or "0").ljust(6, "0")))
    except ValueError:
        return None


def parse_time(value: object) -> time | None:
    """R-INPUT: the time of day ``value`` names, or ``None``.

    A ``time``, a ``timedelta`` from 0 to 24 hours (as MariaDB returns a ``time`` column),
    or text ``HH:MM[:SS[.ffffff]]`` with hours 0–23 (``"25:00"``, ``"9 o'clock"`` refused).
    """
    if isinstance(value, time):
        return value
    if isinstance(value, timedelta):
        if timedelta(0) <= value < timedelta(days=1):
            return (datetime.min + value).time()
        return None
    if not isinstance(value, str):
        return None
    m = _TIME_RE.fullmatch(_normal(value))
    return _time_of(*m.groups()) if m else None


def parse_datetime(value: object) -> datetime | None:
    """R-INPUT: the moment ``value`` names, or ``None``.

    A ``datetime`` (a ``date`` means its midnight), or text ``YYYY-MM-DD`` optionally
    followed by ``HH:MM[:SS[.ffffff]]`` (space or ``T`` between); a time-zone suffix is
    refused rather than silently dropped.
    """
    if isinstance(value, datetime):
        return value if _in_years(value) else None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day) if _in_years(value) else None
    if not isinstance(value, str):
        return None
    m = _DATETIME_RE.fullmatch(_normal(value))
    if not m:
        return None
    day = parse_date(f"{m[1]}-{m[2]}-{m[3]}")
    if day is None:
        return None
    if m[4] is None:
        return datetime(day.year, day.month, day.day)
    t = _time_of(m[4], m[5], m[6], m[7])
    return datetime.combine(day, t) if t else None


def utf8_bytes(text: str) -> int | None:
    """Bytes of ``text`` in UTF-8 (utf8mb4), or ``None`` when it cannot be encoded (a lone
    surrogate such as a JSON ``"\\ud800"``)."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return None


# ---------------------------------------------------------------- the rule


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _range_message(f: str, value: object, low: object, high: object) -> str:
    return f"{f}的值“{shown(value)}”超出可存储的范围（{low}至{high}）"


def check_value(
    fieldtype: str,
    value: object,
    *,
    label: str,
    length: int | None = None,
    options: Sequence[str] | None = None,
    option_labels: Sequence[str] | None = None,
    row: tuple[str, int] | None = None,
    single: bool = False,
) -> str | None:
    """R-INPUT: ``None`` when ``value`` can be stored in a field of type ``fieldtype``
    exactly as given, else a Chinese message naming the field (``label``; for a child
    row ``row = (table label, row number)``).

    * Int/Long Int: an integer within the column (no text, no fraction);
    * Float/Currency/Percent/Duration: a finite number below 10**12;
    * Check: 0 or 1 (also ``True``/``False``, ``"0"``/``"1"``);
    * Date / Datetime / Time: see :func:`parse_date`, :func:`parse_datetime`, :func:`parse_time`;
    * Data, Link, Select, …: at most ``length`` characters (default 140); a Select value
      must be one of ``options`` (``option_labels`` are shown in the message, in order);
    * Small Text, Text, Attach: at most 65,535 bytes; Long Text, Text Editor: at most
      :data:`LONG_TEXT_MAX_BYTES`;
    * any field: a single value (not a list or an object) that can be encoded.

    Empty values (``None``, ``""``) are always fine here (mandatory fields are Frappe's).
    Unknown field types are not checked. In a Single DocType (``single=True``) every value
    is kept in one ``longtext`` column, so only the long-text cap limits text there.
    """
    if fieldtype in NO_VALUE_TYPES:
        return None
    f = _field(label, row)
    if isinstance(value, (list, dict, tuple, set)):
        return f"{f}应填写单个值，不能是列表或对象"
    if _empty(value):
        return None
    if isinstance(value, str) and utf8_bytes(value) is None:
        return f"{f}含有无法存储的字符（无效的Unicode编码）"

    if fieldtype in INT_TYPES or fieldtype in BIGINT_TYPES:
        number = parse_int(value)
        if number is None:
            return f"{f}的值“{shown(value)}”不是整数"
        low, high = INT_RANGE if fieldtype in INT_TYPES else BIGINT_RANGE
        if not low <= number <= high:
            return _range_message(f, value, low, high)
        return None
    if fieldtype in DECIMAL_TYPES:
        number = parse_decimal(value)
        if number is None:
            return f"{f}的值“{shown(value)}”不是有效数字"
        if abs(number) >= DECIMAL_LIMIT:
            return _range_message(f, value, "-999999999999", "999999999999")
        return None
    if fieldtype in CHECK_TYPES:
        if parse_int(value) in (0, 1):
            return None
        return f"{f}只能为0或1（否/是），当前为“{shown(value)}”"
    if fieldtype in DATE_TYPES:
        if parse_date(value) is None:
            return f"{f}的值“{shown(value)}”不是有效日期，请按“年-月-日”填写实际存在的日期，如2025-10-01"
        return None
    if fieldtype in DATETIME_TYPES:
        if parse_datetime(value) is None:
            return f"{f}的值“{shown(value)}”不是有效的日期时间，请按“年-月-日 时:分:秒”填写，如2025-10-01 09:30:00"
        return None
    if fieldtype in TIME_TYPES:
        if parse_time(value) is None:
            return f"{f}的值“{shown(value)}”不是有效时间，请按“时:分:秒”填写，如09:30:00"
        return None

    if not isinstance(value, (str, int, float, Decimal)):
        return f"{f}的值“{shown(value)}”不是文本"
    text = value if isinstance(value, str) else str(value)
    if fieldtype in VARCHAR_TYPES:
        limit = int(length or 0) or VARCHAR_DEFAULT_LENGTH
        if len(text) > limit and not single:
            return f"{f}最多可填写{limit}个字符，当前为{len(text)}个字符"
        if fieldtype == "Select" and options is not None:
            allowed = [o for o in options if o]
            if allowed and text.strip() not in allowed:
                labels = [lbl for o, lbl in zip(options, option_labels or options, strict=False) if o]
                return f"{f}的值“{shown(value)}”不是可选项，可选：{'、'.join(labels)}"
        if not single:
            return None
    if fieldtype in VARCHAR_TYPES or fieldtype in TEXT_TYPES or fieldtype in LONG_TEXT_TYPES:
        limit = TEXT_MAX_BYTES if fieldtype in TEXT_TYPES and not single else LONG_TEXT_MAX_BYTES
        size = utf8_bytes(text) or 0
        if size > limit:
            return (
                f"{f}内容过长：最多可存储{limit}字节（约{limit // 3}个汉字），"
                f"当前为{size}字节，请精简后再保存"
            )
        return None
    return None
