"""Cross-references inside a text, resolved to the passages they name.

"theo quy định tại Điều 5 của Luật này", "khoản 2 Điều này", "quy định tại Phụ lục
I", "theo Kế hoạch số 225/KH-UBND": a sentence that defers to another provision
answers nothing by itself. These patterns find the target (article, clause, annex
of the same document, or another document by số hiệu) and the passages whose
heading path starts there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from indexer.metadata.names import normalize_number
from indexer.metadata.vocabulary import REF_NUMBER_RE
from indexer.text import fold
from indexer.types import Passage

_THIS = r"(?:của\s+)?(?:Luật|Bộ\s+luật|Nghị\s+định|Quyết\s+định|Thông\s+tư|Kế\s+hoạch|Quy\s+chế|Nghị\s+quyết|Pháp\s+lệnh)\s+này"
_REF_RE = re.compile(
    rf"(?:(?:điểm\s+(?P<point>[a-zđ])\s+)?khoản\s+(?P<clause>\d+)\s+)?Điều\s+(?P<article>\d+|này)(?:\s+{_THIS})?"
    rf"|khoản\s+(?P<clause_only>\d+)\s+Điều\s+này"
    rf"|Phụ\s+lục\s+(?P<annex>[IVXLC]+|\d+)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ResolvedReference:
    """A reference as written and the passages it names (``doc_id`` "" when the target is not indexed)."""

    text: str
    doc_id: str
    passage_ids: tuple[str, ...]
    section_path: tuple[str, ...] = ()


def _heading_key(heading: str) -> str:
    return fold(" ".join(heading.split())).lower()


def _article_of(section_path: Sequence[str]) -> str:
    for h in section_path:
        m = re.match(r"Điều\s+(\d+)", h)
        if m:
            return m.group(1)
    return ""


def _starts(path: Sequence[str], prefixes: list[str]) -> bool:
    """``path`` holds headings starting with each prefix, in order (Điều 5 > 2.)."""
    i = 0
    for h in path:
        if i < len(prefixes) and re.match(rf"{re.escape(prefixes[i])}(?![\w\d])", _heading_key(h)):
            i += 1
    return i == len(prefixes)


def find_references(
    text: str,
    doc_id: str,
    section_path: Sequence[str],
    passages_of: Callable[[str], Sequence[Passage]],
    doc_by_number: Callable[[str], str],
) -> list[ResolvedReference]:
    """References in ``text`` (a passage of ``doc_id`` under ``section_path``) and their target passages."""
    own = passages_of(doc_id)
    out: list[ResolvedReference] = []
    for m in _REF_RE.finditer(text):
        if m.group("annex"):
            prefixes = [f"phu luc {m.group('annex').lower()}"]
        else:
            article = m.group("article")
            clause = m.group("clause") or m.group("clause_only")
            if article and article.lower() == "này":
                if not clause:
                    continue  # "Điều này" alone: the article the text is in
                article = _article_of(section_path)
            if not article:
                continue
            prefixes = [f"dieu {article}"] + ([f"{clause}."] if clause else [])
        targets = [p for p in own if _starts(p.section_path, prefixes) and p.text not in text]
        if targets:
            out.append(ResolvedReference(m.group(0), doc_id, tuple(p.passage_id for p in targets), targets[0].section_path))
    for m in REF_NUMBER_RE.finditer(text):
        number = normalize_number(m.group("num"))
        target = doc_by_number(number)
        if target and target != doc_id:
            ids = tuple(p.passage_id for p in passages_of(target)[:1])
            out.append(ResolvedReference(number, target, ids))
    return out
