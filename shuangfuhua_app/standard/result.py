"""The value rule functions return, and small formatting helpers for messages."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

#: How a rule is enforced (REQUIREMENTS.md, "How a rule is enforced").
ENFORCEMENTS = ("block", "gate", "flag", "auto", "remind")


@dataclass(frozen=True)
class Finding:
    """Outcome of checking one rule on one subject.

    ``ok`` is True when the rule is satisfied (or not applicable). ``message`` is Chinese
    and ends with the citation of ``clause``; it describes the problem when ``ok`` is
    False and the satisfied state otherwise. ``rule`` is the R-id of REQUIREMENTS.md.

    Quantitative rules also fill ``figure`` (what the records show), ``required`` (what
    the rule asks for), ``gap`` (``max(0, required - figure)``) and, for rules measured
    over a year that is still running, ``expected`` (what should be reached by now).
    """

    ok: bool
    message: str
    rule: str
    clause: str
    enforcement: str = "flag"
    applicable: bool = True
    figure: float | None = None
    required: float | None = None
    gap: float | None = None
    expected: float | None = None
    subject: str = ""
    period: str = ""

    @property
    def behind_schedule(self) -> bool:
        """True when an expected-to-date figure is known and the records are below it."""
        return self.expected is not None and self.figure is not None and self.figure < self.expected

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Alias: the brief calls the same thing a rule result.
RuleResult = Finding


def fmt_number(value: float | int | None) -> str:
    """``12.0`` -> ``"12"``, ``7.5`` -> ``"7.5"``, ``None`` -> ``"0"``; at most 2 decimals."""
    if value is None:
        return "0"
    value = round(float(value), 2)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_date(value: date) -> str:
    """``date(2025, 10, 13)`` -> ``"2025年10月13日"``."""
    return f"{value.year}年{value.month}月{value.day}日"


def gap_of(figure: float, required: float) -> float:
    """Shortfall, never negative."""
    return max(0.0, float(required) - float(figure))
