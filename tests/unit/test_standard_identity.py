from datetime import date

import pytest
from stdnum.cn import ric, uscc

from shuangfuhua_app.standard.identity import (
    birth_date_from_resident_id,
    gender_from_resident_id,
    mask_birth_date,
    mask_phone,
    mask_resident_id,
    normalize_mobile,
    normalize_uscc,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

APP_A = "（DB3301/T 0346—2021 第6.1.1条、附录A）"
APP_C = "（DB3301/T 0346—2021 第6.1.1条、附录C）"


def make_id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


MALE = "330102199001011234"
FEMALE = make_id("33010219851231002")
VALID_USCC = "52330102MJ0000001X"


def test_fixture_numbers_are_valid_per_stdnum():
    assert ric.is_valid(MALE) and ric.is_valid(FEMALE)
    assert uscc.is_valid(VALID_USCC)


# ------------------------------------------------------------------ USCC


def test_valid_uscc_returns_none_also_with_separators_and_lower_case():
    assert validate_uscc(VALID_USCC) is None
    assert validate_uscc("52330102-mj00 00001x") is None
    assert validate_uscc("５２３３０１０２ＭＪ００００００１Ｘ") is None  # full-width input
    assert normalize_uscc(" 52330102-mj0000001x ") == VALID_USCC


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "不能为空"),
        (None, "不能为空"),
        ("5233010", "应为18位，当前为7位"),
        ("A2330102MJ0000001X", "格式不正确"),
        ("52330102MJ000000IX", "格式不正确"),  # I is not in the alphabet
        ("52330102MJ00000010", "校验位不正确"),
    ],
)
def test_invalid_uscc_messages(value, fragment):
    message = validate_uscc(value)
    assert message is not None and fragment in message
    assert message.endswith(APP_A)


# ------------------------------------------------------------------ resident ID


def test_valid_resident_ids():
    assert validate_resident_id(MALE) is None
    assert validate_resident_id(FEMALE.lower()) is None
    assert validate_resident_id("330102 19900101 1234") is None


def test_x_check_digit_accepted_in_lower_case():
    x_id = next(
        make_id(f"3301021990010112{i}") for i in range(10) if make_id(f"3301021990010112{i}").endswith("X")
    )
    assert validate_resident_id(x_id.lower()) is None


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "不能为空"),
        ("33010219900101123", "应为18位，当前为17位"),
        ("33010219900101A234", "格式不正确"),
        ("330102199001011235", "校验位不正确"),
        (make_id("33010219900230123"), "出生日期"),  # 30 February
        (make_id("99999919900101123"), "地址码"),
    ],
)
def test_invalid_resident_id_messages(value, fragment):
    message = validate_resident_id(value)
    assert message is not None and fragment in message
    assert message.endswith(APP_C)


def test_birth_date_in_future_is_refused():
    tomorrow_id = make_id("33010220250102123")
    assert "晚于今天" in validate_resident_id(tomorrow_id, today=date(2025, 1, 1))
    assert validate_resident_id(tomorrow_id, today=date(2025, 1, 2)) is None


def test_region_check_can_be_skipped():
    unknown_region = make_id("99999919900101123")
    assert validate_resident_id(unknown_region, check_region=False) is None


def test_birth_date_and_gender():
    assert birth_date_from_resident_id(MALE) == date(1990, 1, 1)
    assert gender_from_resident_id(MALE) == "男"
    assert birth_date_from_resident_id(FEMALE) == date(1985, 12, 31)
    assert gender_from_resident_id(FEMALE) == "女"
    assert birth_date_from_resident_id("330102199001011235") is None
    assert gender_from_resident_id("abc") is None
    assert gender_from_resident_id(None) is None


# ------------------------------------------------------------------ mobile


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+86 138 1234 5678", "8613812345678", "0086-19912345678", "１３８１２３４５６７８"],
)
def test_valid_mobiles(value):
    assert validate_mobile(value) is None


@pytest.mark.parametrize(
    "value", ["12812345678", "1381234567", "138123456789", "0571-88888888", "+1 13812345678", ""]
)
def test_invalid_mobiles(value):
    message = validate_mobile(value)
    assert message is not None and message.endswith(APP_A)


def test_normalize_mobile_strips_prefix_only_before_valid_length():
    assert normalize_mobile("+86 138-1234-5678") == "13812345678"
    assert normalize_mobile("86123") == "86123"


# ------------------------------------------------------------------ masking


def test_mask_resident_id():
    assert mask_resident_id("330102199001011234") == "330102********1234"
    assert mask_resident_id("330102 19900101 123x") == "330102********123X"
    assert mask_resident_id("") == "" and mask_resident_id(None) == ""
    assert "1990" not in mask_resident_id("3301021990")  # short input never shows the birth year


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 13812345678") == "138****5678"
    assert mask_phone("") == ""
    assert mask_phone("123") == "**3"


def test_mask_birth_date():
    assert mask_birth_date(date(1990, 1, 1)) == "1990-**-**"
    assert mask_birth_date("1985-12-31") == "1985-**-**"
    assert mask_birth_date(None) == ""


def test_resident_id_of_a_member_born_before_the_region_code_was_introduced_is_accepted():
    """Numbers are assigned at issue, not at birth: 330102 for a member born in 1970 is real."""
    from stdnum.cn import ric

    body = "33010219700315123"
    number = body + ric.calc_check_digit(body + "0")
    assert validate_resident_id(number) is None
    body = "99999919700315123"
    assert "行政区划代码" in validate_resident_id(body + ric.calc_check_digit(body + "0"))
