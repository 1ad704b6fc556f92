"""Citations of the standard and of the other seed documents.

Every message a user sees ends with a citation built here, so the wording of the
citation is defined exactly once:

>>> cite("6.3")
'（DB3301/T 0346—2021 第6.3条）'
>>> cite("6.1.1", appendix="A")
'（DB3301/T 0346—2021 第6.1.1条、附录A）'
>>> cite_source("LW2021", "三（一）1")
'（《灵武市社会组织孵化基地运营管理方案》三（一）1）'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

#: Code of the primary standard, with the em dash (U+2014) exactly as published.
STANDARD_CODE = "DB3301/T 0346—2021"
STANDARD_TITLE = "社区社会组织双孵化服务规范"

#: Short keys of the other seed documents (see REQUIREMENTS.md) and the names cited to users.
SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "DB3301": STANDARD_CODE,
        "HZ2019": "杭民发〔2019〕66号",
        "BJ2016": "京社领办发〔2016〕8号",
        "LW2021": "《灵武市社会组织孵化基地运营管理方案》",
        "10M": "《培育发展社区社会组织十条措施》",
        "PIPL": "《中华人民共和国个人信息保护法》",
        "CIVIL": "《中华人民共和国民法典》",
    }
)


def _suffix(name: str, article: str) -> str:
    article = article.strip()
    if not article:
        return name
    # A book-title mark already separates the name from the article.
    sep = "" if name.endswith("》") else " "
    return f"{name}{sep}{article}"


@lru_cache(maxsize=512)  # pure, and called once per finding: reports build thousands
def cite(clause: str, *, appendix: str | None = None) -> str:
    """Citation of a clause (and optionally an appendix) of DB3301/T 0346—2021.

    ``cite("6.3")`` -> ``"（DB3301/T 0346—2021 第6.3条）"``. ``clause`` may be empty when
    only an appendix is cited.
    """
    parts = []
    clause = str(clause).strip()
    if clause:
        parts.append(f"第{clause}条")
    if appendix:
        parts.append(f"附录{str(appendix).strip()}")
    return f"（{_suffix(STANDARD_CODE, '、'.join(parts))}）"


def cite_appendix(appendix: str) -> str:
    """Citation of an appendix of the standard: ``"（DB3301/T 0346—2021 附录A）"``."""
    return cite("", appendix=appendix)


def cite_source(source: str, article: str = "") -> str:
    """Citation of another seed document by its key in :data:`SOURCES` (e.g. ``"LW2021"``).

    An unknown key is cited verbatim, so ``cite_source("《某文件》", "第三条")`` also works.
    ``article`` is written as the source numbers it (``"第三条"``, ``"三（一）1"``).
    """
    name = SOURCES.get(source, source)
    return f"（{_suffix(name, article)}）"


def with_cite(text: str, clause: str, *, appendix: str | None = None) -> str:
    """``text`` followed by :func:`cite` – the usual shape of a user-facing message."""
    return f"{text}{cite(clause, appendix=appendix)}"
