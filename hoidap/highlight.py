"""Where a query's terms occur in a passage: character spans, diacritics-aware.

Query side, not web: the follow-up rewrite (:mod:`hoidap.followup`) finds a topic
in the previous question with the same folding, and the web renderer
(:mod:`hoidap.web.render`) wraps the spans in ``<mark>``. Offsets are always
those of the original text, so folding is done character by character.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

from indexer import text as vtext


def merge_spans(spans: Iterable[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Clamp to [0, n], drop empty spans, merge overlapping/touching ones, sorted."""
    clean = sorted((max(0, int(a)), min(n, int(b))) for a, b in spans)
    out: list[tuple[int, int]] = []
    for a, b in clean:
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def term_pattern(term: str) -> re.Pattern[str] | None:
    """Regex for a lexical token's surface form: "hạ_tầng" -> r"hạ\\s+tầng" between word edges."""
    pieces = [p for p in term.replace("_", " ").split() if p]
    if not pieces:
        return None
    body = r"\s+".join(re.escape(p) for p in pieces)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def term_spans(text: str, terms: Sequence[str], accent_insensitive: bool | None = None) -> list[tuple[int, int]]:
    """Character spans of the surface forms of ``terms`` in ``text``.

    ``terms`` are index tokens (``Hit.matched_terms``: lowercase, syllables joined
    by "_"). A term with diacritics matches its exact spelling (case-insensitive,
    tone placement normalised: "hóa" finds "Hoá"); a term without diacritics, or
    every term when ``accent_insensitive`` is True (unaccented query), matches
    diacritic-insensitively ("ha_tang" finds "hạ tầng").
    """
    if not text or not terms:
        return []
    exact = vtext.normalize(unicodedata.normalize("NFC", text)).lower()
    if len(exact) != len(text):  # never expected (normalize keeps NFC length); be safe
        exact = text.lower()
    folded = vtext.fold_chars(text)
    spans: list[tuple[int, int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        term = vtext.normalize(unicodedata.normalize("NFC", term)).lower()
        insensitive = accent_insensitive or not vtext.has_diacritics(term)
        haystack = folded if insensitive else exact
        pat = term_pattern(vtext.fold(term) if insensitive else term)
        if pat is None:
            continue
        spans.extend(m.span() for m in pat.finditer(haystack))
    return _join_adjacent(merge_spans(spans, len(text)), text)


def _join_adjacent(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """One mark for "kiểm tra hiển thị" rather than four: join spans separated only by spaces."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and text[out[-1][1] : a].strip(" \t") == "" and "\n" not in text[out[-1][1] : a]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out
