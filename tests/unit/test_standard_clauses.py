from shuangfuhua_app.standard.clauses import (
    SOURCES,
    STANDARD_CODE,
    cite,
    cite_appendix,
    cite_source,
    with_cite,
)


def test_standard_code_uses_em_dash():
    assert STANDARD_CODE == "DB3301/T 0346\u20142021"
    assert "-" not in STANDARD_CODE.split()[-1]


def test_cite_exact_format():
    assert cite("6.3") == "（DB3301/T 0346—2021 第6.3条）"
    assert cite("7.3.2") == "（DB3301/T 0346—2021 第7.3.2条）"


def test_cite_strips_whitespace_and_accepts_appendix():
    assert cite(" 6.1.1 ", appendix="A") == "（DB3301/T 0346—2021 第6.1.1条、附录A）"
    assert cite_appendix("D") == "（DB3301/T 0346—2021 附录D）"


def test_cite_source_known_and_unknown():
    assert cite_source("LW2021", "三（一）1") == "（《灵武市社会组织孵化基地运营管理方案》三（一）1）"
    assert cite_source("HZ2019", "四（六）") == "（杭民发〔2019〕66号 四（六））"
    assert cite_source("《某办法》", "第三条") == "（《某办法》第三条）"
    assert cite_source("CIVIL") == f"（{SOURCES['CIVIL']}）"


def test_with_cite_appends_citation():
    assert with_cite("公示期不少于5个工作日", "6.3") == "公示期不少于5个工作日（DB3301/T 0346—2021 第6.3条）"
