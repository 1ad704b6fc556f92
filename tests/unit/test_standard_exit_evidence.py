"""Issue 16 §4: the exit measure of class hours shows its evidence – of the counted hours,
those from confirmed QR sign-ins and those typed (standard/exit.py)."""

from datetime import date

from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.exit import class_hours_evidence, is_qr_source, measure_class_hours

START, END = date(2023, 6, 1), date(2025, 6, 1)  # a 24-month cycle


def test_counted_hours_split_by_source():
    people = [
        {"label": "人员A", "joined": None, "attended": [
            (date(2023, 7, 1), 2.5, "QR"), (date(2023, 8, 1), 4, "Typed"),
            (date(2024, 7, 1), 1.5, "QR"), (date(2024, 8, 1), 3, None),  # no source: typed
            (date(2025, 7, 1), 9, "QR"),  # after the cycle: not counted at all
        ]},
        {"label": "第1名", "joined": None, "attended": [(date(2023, 9, 1), 6)]},  # old two-tuples: typed
    ]
    m = measure_class_hours(people, START, END)
    rows = [(r["person"], r["year_no"], r["hours"], r["qr_hours"], r["typed_hours"]) for r in m.figures["rows"]]
    assert rows == [("人员A", 1, 6.5, 2.5, 4), ("人员A", 2, 4.5, 1.5, 3), ("第1名", 1, 6, 0, 6), ("第1名", 2, 0, 0, 0)]
    assert (m.figures["hours"], m.figures["qr_hours"], m.figures["typed_hours"]) == (17, 4, 13)
    assert "计入课时17，其中扫码签到确认4课时，手工录入13课时" in m.basis
    assert m.basis.endswith(cite("7.3.1"))
    # the score is the same whatever the source
    plain = [{**p, "attended": [(e[0], e[1]) for e in p["attended"]]} for p in people]
    assert measure_class_hours(plain, START, END).score == m.score


def test_only_qr_rows_are_qr():
    assert is_qr_source("QR") and is_qr_source(" QR ")
    assert not any(is_qr_source(s) for s in (None, "", "Typed", "qr-ish"))
    assert class_hours_evidence(3.5, 1, 2.5) == "计入课时3.5，其中扫码签到确认1课时，手工录入2.5课时"
