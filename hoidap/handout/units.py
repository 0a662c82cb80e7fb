"""The units items are read from: paragraphs of a passage, then their content sentences.

A passage can hold several paragraphs about different things (a news article's
objectives, then a director's statement); relevance and extraction work on the
paragraph, while citations stay those of the passage it came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Sequence

from indexer import text as vtext

_SKIP_START = re.compile(r"^\s*(?:Căn cứ|Số:|Nơi nhận|- Như trên|- Lưu|Kính gửi|CỘNG HÒA|Độc lập)", re.IGNORECASE)
#: An enumeration marker at the start of a line: "-", "1.", "1.2.", "a)", "II.".
ENUM = re.compile(r"^\s*(?:[-+•*]\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s*|[a-zđ][)]\s*|[IVXLC]+\.\s*)")


@dataclass
class Sentence:
    """A content sentence and the (paragraph) hit it was read from."""

    hit: Any
    text: str
    start: int  # offset in hit.passage.text
    end: int


def paragraphs(hit: Any) -> list[Any]:
    """The hit narrowed to each non-empty line of its passage (same passage id, section and citation)."""
    from hoidap.retrieve import Hit

    out = []
    text = hit.passage.text
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        p = replace(hit.passage, text=line, start=hit.passage.start + start, end=hit.passage.start + start + len(line))
        out.append(Hit(passage=p, document=hit.document, score=hit.score))
    return out


def is_heading_only(sentence: str) -> bool:
    from indexer.headings import classify_heading

    m = classify_heading(sentence)
    if m is None:
        return False
    return ":" not in m.rest and vtext.syllable_count(m.rest) <= 12


def sentences_of(hits: Sequence[Any]) -> list[Sentence]:
    """Content sentences of the passages (headings, "Căn cứ …", signature lines dropped)."""
    out: list[Sentence] = []
    for h in hits:
        text = h.passage.text
        for a, b in vtext.sentence_spans(text):
            s = text[a:b]
            if vtext.syllable_count(s) < 4 or _SKIP_START.match(s) or is_heading_only(s):
                continue
            out.append(Sentence(h, s, a, b))
    return out


def strip_marker(heading: str) -> str:
    """"1. Sở Tài chính" -> "Sở Tài chính" (a heading's text without its number)."""
    from indexer.headings import classify_heading

    m = classify_heading(heading)
    return m.rest if m else heading
