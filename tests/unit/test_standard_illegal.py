"""[HZ2019] 三（三） (R-ILLEGAL): reports of suspected illegal social organizations."""

import pytest

from shuangfuhua_app.standard.illegal import (
    MOVES,
    STATUS_DATES,
    STATUSES,
    check_public_report,
    check_status_move,
    check_step_fields,
)

HZ = "（杭民发〔2019〕66号 三（三））"


def test_a_new_report_starts_received():
    assert check_status_move(None, "Received") is None
    assert check_status_move(None, "Handed On").endswith(HZ)


@pytest.mark.parametrize("old,new", [("Received", "Verified"), ("Verified", "Handed On"), ("Handed On", "Closed"),
                                     ("Received", "Closed"), ("Verified", "Closed"), ("Verified", "Verified")])
def test_one_step_forward_or_closed_as_unfounded(old, new):
    assert check_status_move(old, new) is None


def test_no_skipping_and_no_reopening():
    msg = check_status_move("Received", "Handed On")
    assert "线索当前为“已接收”，只能改为“已核实”、“已办结”" in msg and msg.endswith(HZ)
    assert "线索已办结" in check_status_move("Closed", "Verified")
    assert check_status_move("Handed On", "Received")
    assert "无效" in check_status_move("Received", "Lost")


def test_handing_on_names_the_authority_and_closing_the_outcome():
    assert "民政部门（登记管理机关）" in check_step_fields("Handed On", "  ", None)
    assert check_step_fields("Handed On", "上城区民政局", None) is None
    assert "处理结果" in check_step_fields("Closed", "上城区民政局", "")
    assert check_step_fields("Closed", None, "经核实为合法备案组织") is None
    assert check_step_fields("Verified", None, None) is None


def test_every_step_after_receipt_has_its_date_and_moves_are_closed():
    assert set(STATUS_DATES) == set(STATUSES) - {"Received"}
    assert all(set(targets) <= set(STATUSES) for targets in MOVES.values())


def test_public_report_needs_center_name_and_description():
    assert "服务中心" in check_public_report("某协会", "收取会费", None)
    assert "名称" in check_public_report("", "收取会费", "C")
    assert "名称" in check_public_report("某" * 141, "收取会费", "C")
    assert "活动情况" in check_public_report("某协会", " ", "C")
    assert "2000字" in check_public_report("某协会", "某" * 2001, "C")
    assert check_public_report("某协会", "以协会名义收取会费", "C") is None
