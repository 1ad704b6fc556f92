import pytest

from shuangfuhua_app.standard.center import (
    REQUIRED_SYSTEMS,
    check_center_staffing,
    check_office_area,
    check_operator,
    check_systems,
    grade_rank,
    missing_systems,
)
from shuangfuhua_app.standard.clauses import cite, cite_source
from shuangfuhua_app.standard.settings import StandardSettings


def test_office_area():
    f = check_office_area(80)
    assert not f.ok and f.rule == "R-4.1d" and f.gap == 20 and f.message.endswith(cite("4.1"))
    assert check_office_area(100).ok
    assert check_office_area(60, StandardSettings(min_center_area=50)).ok  # [HZ2019] configuration
    assert not check_office_area(None).ok


def test_staffing():
    assert check_center_staffing(1, 1).ok
    f = check_center_staffing(0, 0)
    assert not f.ok and "负责人" in f.message and "专职人员" in f.message and f.gap == 2
    assert not check_center_staffing(1, 2, StandardSettings(min_center_fulltime_staff=3)).ok


@pytest.mark.parametrize(
    "text, rank",
    [
        ("AAA", 3),
        ("3A", 3),
        ("3A级", 3),
        ("aaaaa", 5),
        ("５A", 5),
        ("", 0),
        (None, 0),
        ("B", None),
        ("6A", None),
    ],
)
def test_grade_rank(text, rank):
    assert grade_rank(text) == rank


def test_operator_local_needs_no_grade():
    findings = check_operator(is_local=True, grade=None, social_workers=1)
    assert all(f.ok for f in findings) and len(findings) == 2


def test_operator_non_local_grade():
    bad = [f for f in check_operator(False, "AA", 1) if not f.ok]
    assert len(bad) == 1 and "不低于AAA" in bad[0].message and bad[0].message.endswith(cite("4.1"))
    assert all(f.ok for f in check_operator(False, "4A", 1))


def test_operator_social_worker_and_legal_person():
    bad = [f for f in check_operator(True, None, 0, independent_legal_person=False) if not f.ok]
    assert len(bad) == 2


def test_operator_lw2021_checks():
    findings = check_operator(True, "AAA", 1, years_registered=3, lead_social_worker_qualified=False)
    oper = [f for f in findings if f.rule == "R-OPER"]
    assert len(oper) == 2 and not any(f.ok for f in oper)
    assert all(f.message.endswith(cite_source("LW2021", "三（一）")) for f in oper)
    ok = check_operator(True, "AAA", 1, years_registered=4, lead_social_worker_qualified=True)
    assert all(f.ok for f in ok)
    low_grade = check_operator(True, "AA", 1, years_registered=6)
    assert not [f for f in low_grade if f.rule == "R-OPER"][0].ok


def test_systems():
    assert len(REQUIRED_SYSTEMS) == 7
    assert missing_systems(REQUIRED_SYSTEMS) == []
    assert missing_systems(["dual_sync", "入驻和出壳制度"]) == list(REQUIRED_SYSTEMS.values())[2:]
    f = check_systems(["dual_sync"])
    assert not f.ok and f.gap == 6 and f.message.endswith(cite("4.2"))
    assert check_systems(REQUIRED_SYSTEMS.values()).ok


# ---------------------------------------------------------------------------- §4.1 a)–c)

import datetime  # noqa: E402

from stdnum.cn import uscc as _uscc  # noqa: E402

from shuangfuhua_app.standard.center import (  # noqa: E402
    NEGATIVE_LIST,
    CenterFacts,
    OperatorFacts,
    agreement_status,
    agreement_termination,
    center_findings,
    check_equipment,
    check_funds,
    check_governance,
    check_joint_management,
    check_operator_qualification,
    check_premises,
    check_registration,
    duplicate_years,
    evaluation_years_due,
    financial_report_finding,
    lead_qualified,
    missing_report_message,
    negative_item_clause,
    negative_record_counts,
    performance_evaluation_finding,
    quarters_due,
    report_due_date,
    staff_counts,
    system_findings,
    years_registered,
)
from shuangfuhua_app.standard.settings import settings_from_mapping  # noqa: E402

C41 = cite("4.1")
LW = "《灵武市社会组织孵化基地运营管理方案》"


def make_uscc(prefix: str = "52") -> str:
    body = prefix + "330102" + "MA2B3C4D5"
    return body + _uscc.calc_check_digit(body + "0")


def test_registration():
    good = make_uscc()
    f = check_registration(True, good)
    assert f.ok and f.rule == "R-4.1a" and f.clause == "4.1 a)" and good in f.message and f.message.endswith(C41)
    assert not check_registration(False, good).ok
    bad = check_registration(True, good[:-1] + ("0" if good[-1] != "0" else "1"))
    assert not bad.ok and "校验位" in bad.message and bad.message.endswith(C41)  # cited as §4.1, not App. A
    empty = check_registration(True, "")
    assert not empty.ok and "不能为空" in empty.message
    social_group = check_registration(True, make_uscc("51"))
    assert not social_group.ok and "社会团体" in social_group.message and "“52”" in social_group.message


def test_joint_management_and_governance():
    assert check_joint_management(True, "杭州市上城区民政局").ok
    f = check_joint_management(True, "")
    assert not f.ok and "登记管理机关" in f.message and f.clause == "4.1 b)"
    assert not check_joint_management(False, "区民政局").ok
    assert check_governance(True).ok
    g = check_governance(False)
    assert not g.ok and "理事会领导下的中心主任负责制" in g.message and g.clause == "4.1 c)" and g.message.endswith(C41)


# ---------------------------------------------------------------------------- §4.1 d)


def test_premises_and_equipment():
    assert check_premises(True).ok and not check_premises(False).ok
    assert check_equipment(["computers", "network", "furniture"]).ok
    f = check_equipment(["computers", "桌椅"])
    assert not f.ok and f.gap == 1 and "网络" in f.message and f.clause == "4.1 d)"
    assert check_office_area(80).clause == "4.1 d)"


def test_area_threshold_from_settings():
    hz2019 = settings_from_mapping({"min_center_area": 50.0})
    assert check_office_area(80, hz2019).ok and not check_office_area(80).ok
    assert "不少于50㎡" in check_office_area(80, hz2019).message


# ---------------------------------------------------------------------------- §4.1 e) staff


def test_staff_counts_and_qualification():
    staff = [
        {"role": "head", "employer": "center"},
        {"role": "fulltime", "employer": "operator", "qualification": "social_worker", "project_lead": True},
        {"role": "parttime", "employer": "operator", "qualification": "助理社会工作师"},
        {"role": "fulltime", "employer": "operator", "qualification": "senior", "active": False},
        {"role": "fulltime", "employer": "center", "qualification": ""},
    ]
    counts = staff_counts(staff)
    assert counts == {"heads": 1, "fulltime": 2, "operator_social_workers": 2, "lead_qualification": "social_worker"}
    assert lead_qualified("社会工作师") and lead_qualified("senior")
    assert not lead_qualified("assistant") and not lead_qualified(None)


def test_years_registered_counts_completed_years():
    assert years_registered("2021-06-02", "2025-06-01") == 3
    assert years_registered("2021-06-01", "2025-06-01") == 4
    assert years_registered(None, "2025-06-01") is None


def test_operator_qualification_from_dates():
    as_of = datetime.date(2025, 6, 1)
    ok = check_operator_qualification(False, "AAA", 1, True, "2020-01-01", "social_worker", as_of)
    assert all(f.ok for f in ok)
    young = check_operator_qualification(True, "AAA", 1, True, "2023-01-01", "social_worker", as_of)
    bad = [f for f in young if not f.ok]
    assert len(bad) == 1 and "4年" in bad[0].message and bad[0].message.endswith(cite_source("LW2021", "三（一）"))
    unknown = check_operator_qualification(True, "AAA", 1, True, None, "assistant", as_of)
    assert {f.clause for f in unknown if not f.ok} == {"LW2021 三（一）1", "LW2021 三（一）3"}
    low = check_operator_qualification(False, "AA", 0, True, "2015-01-01", "senior", as_of)
    assert {f.rule for f in low if not f.ok} == {"R-4.1e", "R-OPER"} and len([f for f in low if not f.ok]) == 3


# ---------------------------------------------------------------------------- §4.1 f) funds


def test_funds():
    assert check_funds(2025, 280000, 50000).ok
    f = check_funds(2025, 280000, 0)
    assert not f.ok and "培育对象项目扶持经费" in f.message and "运营经费和" not in f.message and f.clause == "4.1 f)"
    assert "运营经费和培育对象项目扶持经费" in check_funds(2025, None, None).message
    assert duplicate_years([2024, 2025, 2024, None]) == [2024]


# ---------------------------------------------------------------------------- §4.2 documents


def test_system_findings_one_per_system_with_version_and_date():
    as_of = datetime.date(2025, 6, 1)
    docs = [{"system": key, "version": "V1.0", "effective_date": "2024-01-01"} for key in REQUIRED_SYSTEMS]
    findings = system_findings(docs, as_of)
    assert len(findings) == 7 and all(f.ok for f in findings)
    assert [f.clause for f in findings] == [f"4.2 {c})" for c in "abcdefg"]
    assert "V1.0" in findings[0].message and "2024年1月1日起施行" in findings[0].message
    docs[1] = {"system": "入驻和出壳制度", "version": "", "effective_date": "2024-01-01"}
    docs[6] = {"system": "publicity", "version": "V2", "effective_date": "2025-07-01"}
    bad = [f for f in system_findings(docs, as_of) if not f.ok]
    assert [f.clause for f in bad] == ["4.2 b)", "4.2 g)"]
    assert "未注明版本号" in bad[0].message and "2025年7月1日起才施行" in bad[1].message
    assert all(f.message.endswith(cite("4.2")) for f in bad)
    # a newer version in force supersedes; a second, older row does not matter
    docs.append({"system": "publicity", "version": "V1", "effective_date": "2023-03-01"})
    assert system_findings(docs, as_of)[6].ok and "V1" in system_findings(docs, as_of)[6].message
    none = system_findings([], as_of)
    assert not any(f.ok for f in none) and none[0].message.startswith("缺少党的建设与业务发展")


# ---------------------------------------------------------------------------- R-OPER


def test_negative_list_ends_the_agreement_with_the_clause():
    assert len(NEGATIVE_LIST) == 5
    assert negative_item_clause("finance").startswith("负面清单第三项：未按照有关财务会计规章制度")
    assert negative_item_clause("finance").endswith(cite_source("LW2021", "四（一）3"))
    assert not negative_record_counts("complaint", False) and negative_record_counts("complaint", True)
    assert negative_record_counts("law", False)
    assert agreement_termination([]) is None
    assert agreement_termination([{"item": "complaint", "record_date": "2025-03-01", "verified": 0}]) is None
    f = agreement_termination([
        {"item": "complaint", "record_date": "2025-02-01", "verified": 0},
        {"item": "schedule", "record_date": "2025-05-01"},
        {"item": "duties", "record_date": "2025-04-01"},
    ])
    assert f.subject == "duties" and f.period == "2025-04-01" and "负面清单第一项" in f.message
    assert "运营委托协议即行终止" in f.message and f.message.endswith(cite_source("LW2021", "四（一）3"))
    with pytest.raises(ValueError):
        negative_record_counts("nonsense", True)


def test_agreement_status():
    assert agreement_status("2025-01-01", "2027-12-31", "2024-12-31") == "not_started"
    assert agreement_status("2025-01-01", "2027-12-31", "2025-01-01") == "in_force"
    assert agreement_status("2025-01-01", "2027-12-31", "2028-01-01") == "expired"
    assert agreement_status("2025-01-01", "2027-12-31", "2025-06-01", terminated_on="2025-05-01") == "terminated"
    assert agreement_status("2025-01-01", "2027-12-31", "2025-04-30", terminated_on="2025-05-01") == "in_force"


def test_quarterly_reports_due_after_the_grace_days():
    assert report_due_date(2025, 2) == datetime.date(2025, 7, 15)
    assert report_due_date(2025, 4) == datetime.date(2026, 1, 15)
    # agreement from 2024-10-01 (LW2021's term starts on 1 October): Q4 2024 … Q1 2025 due by 2025-05-01
    assert quarters_due("2024-10-01", "2027-09-30", "2025-05-01") == [(2024, 4), (2025, 1)]
    assert quarters_due("2024-10-01", "2027-09-30", "2025-04-15") == [(2024, 4)]  # Q1 due on 15 April
    assert quarters_due("2024-11-15", None, "2025-01-16") == [(2024, 4)]  # a partial first quarter counts
    assert quarters_due("2024-10-01", "2024-12-31", "2026-01-01") == [(2024, 4)]  # nothing after the end
    custom = settings_from_mapping({"operator_report_due_days": 30})
    assert quarters_due("2024-10-01", None, "2025-01-20", custom) == []
    f = financial_report_finding("2024-10-01", None, "2025-08-01", [(2024, 4), (2025, 2)])
    assert not f.ok and f.gap == 1 and "2025年第1季度" in f.message and f.clause == "LW2021 四（三）3"
    assert f.message.endswith(cite_source("LW2021", "四（三）3"))
    assert financial_report_finding("2024-10-01", None, "2025-08-01", [(2024, 4), (2025, 1), (2025, 2)]).ok
    assert missing_report_message(2025, 1) == (
        f"运营方2025年第1季度财务状况报告未提交（应于2025年4月15日前提交）{cite_source('LW2021', '四（三）3')}"
    )


def test_annual_performance_evaluation():
    assert evaluation_years_due("2024-10-01", "2027-09-30", "2025-06-01") == [2024]
    assert evaluation_years_due("2024-10-01", "2025-03-31", "2025-06-01") == [2024, 2025]  # ended early
    f = performance_evaluation_finding("2023-10-01", None, "2025-06-01", [2023], failed=[2023])
    assert not f.ok and "2024年度尚未开展" in f.message and "2023年度绩效考核不合格" in f.message
    assert performance_evaluation_finding("2023-10-01", None, "2025-06-01", [2023, 2024]).ok


# ---------------------------------------------------------------------------- the panel


def compliant_facts(**changes) -> CenterFacts:
    base = dict(
        is_private_non_enterprise=True,
        uscc=make_uscc(),
        joint_management=True,
        registration_authority="杭州市上城区民政局",
        board_led_director_system=True,
        office_area=120,
        fixed_independent_office=True,
        equipment=("computers", "network", "furniture"),
        staff=({"role": "head", "employer": "center"}, {"role": "fulltime", "employer": "center"}),
        funds={2025: (282900, 60000)},
        systems=tuple({"system": k, "version": "V1", "effective_date": "2024-01-01"} for k in REQUIRED_SYSTEMS),
    )
    base.update(changes)
    return CenterFacts(**base)


def test_a_compliant_center_has_no_gap():
    findings = center_findings(compliant_facts(), datetime.date(2025, 6, 1))
    assert all(f.ok for f in findings), [f.message for f in findings if not f.ok]
    assert [f.clause for f in findings][:8] == ["4.1 a)", "4.1 b)", "4.1 c)", "4.1 d)", "4.1 d)", "4.1 d)", "4.1 e)", "4.1 f)"]
    assert len(findings) == 15


def test_done_when_80_square_metres_and_two_systems_missing():
    """Issue 10 "Done when": a center missing two systems and with 80 ㎡ shows exactly those gaps."""
    systems = tuple(
        {"system": k, "version": "V1", "effective_date": "2024-01-01"}
        for k in REQUIRED_SYSTEMS if k not in ("venture", "publicity")
    )
    findings = center_findings(compliant_facts(office_area=80, systems=systems), datetime.date(2025, 6, 1))
    gaps = [f for f in findings if not f.ok]
    assert [(f.clause, f.rule, f.gap) for f in gaps] == [("4.1 d)", "R-4.1d", 20), ("4.2 e)", "R-4.2", 1), ("4.2 g)", "R-4.2", 1)]
    assert gaps[0].message == f"办公场所面积应不少于100㎡，当前80㎡{C41}"
    assert gaps[1].message == f"缺少公益（微）创投制度{cite('4.2')}"
    assert gaps[2].message == f"缺少宣传管理制度{cite('4.2')}"


def test_funds_of_the_chosen_year():
    facts = compliant_facts()
    (gap,) = [f for f in center_findings(facts, datetime.date(2026, 2, 1)) if not f.ok]
    assert gap.clause == "4.1 f)" and gap.period == "2026"
    assert all(f.ok for f in center_findings(facts, datetime.date(2026, 2, 1), year=2025))


def test_third_party_operation_on_the_panel():
    staff = (
        {"role": "head", "employer": "operator"},
        {"role": "fulltime", "employer": "operator", "qualification": "social_worker", "project_lead": True},
    )
    without = center_findings(
        compliant_facts(operated_by_third_party=True, staff=staff, last_termination="负面清单第三项"),
        datetime.date(2025, 6, 1),
    )
    (gap,) = [f for f in without if not f.ok]
    assert gap.rule == "R-OPER" and "没有有效的运营委托协议" in gap.message and "负面清单第三项" in gap.message
    op = OperatorFacts(
        name="某社工服务中心", is_local=False, grade="AAAA", registered_on="2015-03-01", start="2024-10-01",
        end="2027-09-30", reported_quarters=((2024, 4),), evaluated_years=(2024,),
    )
    findings = center_findings(compliant_facts(operated_by_third_party=True, staff=staff, operator=op),
                               datetime.date(2025, 6, 1))
    gaps = [f for f in findings if not f.ok]
    assert [f.clause for f in gaps] == ["LW2021 四（三）3"] and "2025年第1季度" in gaps[0].message
    clauses = [f.clause for f in findings]
    assert clauses.index("LW2021 四（三）3") < clauses.index("4.1 f)")  # operator rows follow §4.1 e)
