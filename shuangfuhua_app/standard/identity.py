"""Identifiers on the application forms, and masking of personal information
(R-6.1 App. A/C, R-PRIV).

* The org's unified social credit code (统一社会信用代码, GB 32100) – App. A.
* Members' and party members' resident ID numbers (公民身份号码, GB 11643) and mobile
  phones – App. A/C. These are personal information under the PIPL: list views, portal
  views and exports for users without the restricted permission level show them masked.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric, uscc
from stdnum.util import isdigits

from .calendar import DateLike, as_date
from .clauses import cite

_USCC_CITE = cite("6.1.1", appendix="A")
_RIC_CITE = cite("6.1.1", appendix="C")
_MOBILE_CITE = cite("6.1.1", appendix="A")

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_MOBILE_PREFIX_RE = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")


def _text(value: object) -> str:
    """String form with full-width characters folded (``１３８`` -> ``138``)."""
    return "" if value is None else unicodedata.normalize("NFKC", str(value))


def _compact(value: object) -> str:
    return re.sub(r"[\s\-]", "", _text(value)).upper()


# ---------------------------------------------------------------- USCC (App. A)


def normalize_uscc(value: str | None) -> str:
    """Compact form: spaces and hyphens removed, upper case (``None`` -> ``""``)."""
    return _compact(value)


def validate_uscc(value: str | None, citation: str | None = None) -> str | None:
    """R-6.1 (§6.1.1, App. A): ``None`` if ``value`` is a valid unified social credit code,
    else a Chinese message. Uses ``stdnum.cn.uscc`` (length, character set, check digit).
    ``citation`` replaces the App. A citation where another clause asks for the code (the
    center's own registration, R-4.1a §4.1 a)."""
    where = citation or _USCC_CITE
    number = normalize_uscc(value)
    if not number:
        return f"统一社会信用代码不能为空{where}"
    try:
        uscc.validate(number)
    except stdnum_exc.InvalidLength:
        return f"统一社会信用代码应为18位，当前为{len(number)}位{where}"
    except stdnum_exc.InvalidFormat:
        return (
            "统一社会信用代码格式不正确：前8位应为数字，其余各位为数字或大写字母"
            f"（不含I、O、Z、S、V）{where}"
        )
    except stdnum_exc.InvalidChecksum:
        return f"统一社会信用代码校验位不正确，请核对后重新填写{where}"
    except stdnum_exc.ValidationError:
        return f"统一社会信用代码无效，请核对后重新填写{where}"
    return None


# ---------------------------------------------------------------- resident ID (App. C)


def normalize_resident_id(value: str | None) -> str:
    """Compact form: separators removed, final ``x`` upper-cased."""
    return _compact(value)


def validate_resident_id(
    value: str | None, today: DateLike | None = None, check_region: bool = True
) -> str | None:
    """R-6.1 (§6.1.1, App. C), R-PRIV: ``None`` if ``value`` is a valid 18-digit resident ID
    number, else a Chinese message.

    Checks (``stdnum.cn.ric``): length, digits, check digit, a real birth date, and – unless
    ``check_region`` is False – an administrative-division code valid in the birth year.
    In addition the birth date must not be after ``today`` (default: the system date).
    """
    number = normalize_resident_id(value)
    if not number:
        return f"公民身份号码不能为空{_RIC_CITE}"
    try:
        if len(number) != 18:
            raise stdnum_exc.InvalidLength()
        if not isdigits(number[:17]) or not (isdigits(number[17]) or number[17] == "X"):
            raise stdnum_exc.InvalidFormat()
        if number[17] != ric.calc_check_digit(number):
            raise stdnum_exc.InvalidChecksum()
        birth = ric.get_birth_date(number)
    except stdnum_exc.InvalidLength:
        return f"公民身份号码应为18位，当前为{len(number)}位{_RIC_CITE}"
    except stdnum_exc.InvalidFormat:
        return f"公民身份号码格式不正确：前17位应为数字，末位为数字或X{_RIC_CITE}"
    except stdnum_exc.InvalidChecksum:
        return f"公民身份号码校验位不正确，请核对后重新填写{_RIC_CITE}"
    except stdnum_exc.InvalidComponent:
        return f"公民身份号码中的出生日期（第7–14位）不是有效日期{_RIC_CITE}"
    if birth > (as_date(today) if today is not None else date.today()):
        return f"公民身份号码中的出生日期{birth.isoformat()}晚于今天，请核对{_RIC_CITE}"
    if check_region and not _known_region(number[:6]):
        return f"公民身份号码的地址码（前6位）{number[:6]}不是有效的行政区划代码{_RIC_CITE}"
    return None


def _known_region(code: str) -> bool:
    """The administrative-division code exists in stdnum's database at any time.

    ``stdnum.cn.ric.validate`` also requires the code to have been in use in the birth
    year; numbers are assigned when the card is issued, often decades after birth (a
    person born in 1970 in Hangzhou carries 330102, a code stdnum dates from later), so
    that check would refuse real members' numbers. Any code the database knows is accepted.
    """
    from stdnum import numdb

    return any(props for _, props in numdb.get("cn/loc").info(code))


def birth_date_from_resident_id(value: str | None) -> date | None:
    """Birth date encoded in a valid resident ID number (``None`` if the number is invalid;
    the region code is not required to be known)."""
    if validate_resident_id(value, today=date.max, check_region=False) is not None:
        return None
    return ric.get_birth_date(normalize_resident_id(value))


def gender_from_resident_id(value: str | None) -> str | None:
    """``"男"`` (odd 17th digit) or ``"女"`` (even) for a valid number, else ``None``."""
    if validate_resident_id(value, today=date.max, check_region=False) is not None:
        return None
    return "男" if int(normalize_resident_id(value)[16]) % 2 else "女"


# ---------------------------------------------------------------- mobile phone


def normalize_mobile(value: str | None) -> str:
    """Digits of a mainland mobile number without country prefix (``+86``/``0086``/``86``),
    spaces or hyphens. Returns the cleaned text even when it is not a valid number."""
    text = re.sub(r"[\s\-()（）]", "", _text(value))
    return _MOBILE_PREFIX_RE.sub("", text)


def validate_mobile(value: str | None) -> str | None:
    """R-6.1 (App. A), R-PRIV: ``None`` for a mainland mobile number ``1[3-9]`` + 9 digits
    (``+86`` prefix, spaces and hyphens allowed), else a Chinese message."""
    number = normalize_mobile(value)
    if not number:
        return f"手机号码不能为空{_MOBILE_CITE}"
    if not _MOBILE_RE.fullmatch(number):
        return f"手机号码应为11位中国大陆手机号（以13–19开头），当前为“{_text(value).strip()}”{_MOBILE_CITE}"
    return None


# ---------------------------------------------------------------- masking (R-PRIV)


def _mask_middle(text: str, keep_head: int, keep_tail: int) -> str:
    if len(text) <= keep_head + keep_tail:
        # Too short to show anything safely: keep at most the last character.
        return "*" * max(len(text) - 1, 0) + text[-1:] if len(text) > 2 else "*" * len(text)
    return text[:keep_head] + "*" * (len(text) - keep_head - keep_tail) + text[len(text) - keep_tail :]


def mask_resident_id(value: str | None) -> str:
    """R-PRIV: ``"330102199001011234"`` -> ``"330102********1234"`` (first 6 and last 4 kept,
    birth date and order code hidden). Empty input -> ``""``."""
    number = normalize_resident_id(value)
    return _mask_middle(number, 6, 4) if number else ""


def mask_phone(value: str | None) -> str:
    """R-PRIV: ``"13812345678"`` -> ``"138****5678"``; ``+86`` prefixes are dropped first.
    Other numbers keep their first 3 and last 4 characters when long enough."""
    number = normalize_mobile(value)
    return _mask_middle(number, 3, 4) if number else ""


def mask_birth_date(value: DateLike | None) -> str:
    """R-PRIV: ``date(1990, 1, 1)`` -> ``"1990-**-**"`` (year only). Empty input -> ``""``."""
    if value is None or value == "":
        return ""
    return f"{as_date(value).year}-**-**"
