"""Document numbers a text mentions ("Kế hoạch số 225/KH-UBND", "Quyết định 12"),
used by the query side to link questions and articles to the documents they name."""
from __future__ import annotations

import re

from indexer.metadata.names import normalize_number, type_from_number
from indexer.metadata.vocabulary import DOC_TYPES, REF_NAMED_RE, REF_NUMBER_RE, fold_upper


def document_references(text: str) -> list[str]:
    """Document numbers a text mentions, normalised, in order of first mention.

    "Kế hoạch số 225/KH-UBND" gives "225/KH-UBND" and "Kế hoạch 225"; "Kế hoạch số
    225" gives "Kế hoạch 225". Query matching uses these to link an article to
    the plan it reports on without pretending the article *is* the plan.
    """
    found: list[tuple[int, str]] = []
    for m in REF_NUMBER_RE.finditer(text):
        num = normalize_number(m.group("num"))
        if _looks_like_number(num):
            found.append((m.start(), num))
            typ = type_from_number(num)
            short = re.match(r"\d+", num).group()
            if typ and typ != "Luật":
                found.append((m.start() + 1, f"{typ} {short}"))
    for m in REF_NAMED_RE.finditer(text):
        typ = _canonical_type(m.group("type"))
        found.append((m.start(), f"{typ} {m.group('n')}"))
    seen: set[str] = set()
    out: list[str] = []
    for _, ref in sorted(found):
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out


def _looks_like_number(num: str) -> bool:
    code = num.split("/")[-1]
    letters = re.sub(r"[^A-Za-zĐđ]", "", code)
    return len(letters) >= 2


def _canonical_type(word: str) -> str:
    key = fold_upper(word)
    for k, name in DOC_TYPES:
        if key == k:
            return name
    return word[:1].upper() + word[1:].lower()
