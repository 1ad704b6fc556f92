"""Evaluation grades of social organizations (社会组织评估等级, 1A–5A), as numbers.

Shared by the center's operator rules (R-OPER, §4.1) and the settings check; kept apart so
that neither imports the other.
"""

from __future__ import annotations

import re
import unicodedata

_GRADE_RE = re.compile(r"^(?:(A{1,5})|([1-5])A)(?:级)?$")


def grade_rank(grade: str | None) -> int | None:
    """Social-organization evaluation grade as a number: ``"AAA"``/``"3A"``/``"3A级"`` -> 3.
    Empty -> 0 (not graded); unrecognized -> ``None``."""
    text = unicodedata.normalize("NFKC", str(grade or "")).strip().upper()
    if not text or text in {"无", "未评估", "NONE"}:
        return 0
    m = _GRADE_RE.match(text)
    if not m:
        return None
    return len(m.group(1)) if m.group(1) else int(m.group(2))
