"""The grammar of Vietnamese heading lines: "Phần thứ nhất", "Chương I", "Mục 1",
"Điều 5.", "II.", "1.", "1.1.", "a)".

Pure functions over one line, with no knowledge of documents or passages: both
the outline parser (:mod:`indexer.structure`) and the citation formatter
(:mod:`indexer.citation`, which re-reads kinds from section-path strings) use it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Letters used for "điểm" in Vietnamese legal drafting (no f j w z; "đ" after "d").
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"

_ROMAN_RE = re.compile(r"(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_SEP = r"[.:\-–—)]"
_WORDNUM = r"(?:thứ\s+\w+|[IVXLC]+|\d{1,3})"

# Each pattern is matched on the cleaned line (leading blanks, "#", "**" removed).
# Group "label" is the number/letter; the match ends where the title starts.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("phan", re.compile(r"(?:Phần|PHẦN)\s+(?P<label>" + _WORDNUM + r")(?=$|\s|" + _SEP + r")\s*" + _SEP + r"?\s*", re.I)),
    ("phuluc", re.compile(r"(?:Phụ\s+lục|PHỤ\s+LỤC)(?:\s+(?P<label>[IVXLC]+|\d{1,3}[a-z]?))?(?=$|\s|" + _SEP + r")\s*" + _SEP + r"?\s*")),
    ("chuong", re.compile(r"(?:Chương|CHƯƠNG)\s+(?P<label>[IVXLC]+|\d{1,3})(?=$|\s|" + _SEP + r")\s*" + _SEP + r"?\s*")),
    ("muc", re.compile(r"(?:Mục|MỤC)\s+(?P<label>\d{1,3}|[IVXLC]+)(?=$|\s|" + _SEP + r")\s*" + _SEP + r"?\s*")),
    ("dieu", re.compile(r"(?:Điều|ĐIỀU)\s+(?P<label>\d{1,4}[a-zđ]?)\s*[.:\-–]\s*")),
    ("roman", re.compile(r"(?P<label>[IVXLC]{1,7})\s*[.\-–:)]\s+")),
    ("subitem", re.compile(r"(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})(?:\.\s*|\)\s*|\s+(?=[A-ZĐÀ-Ỹ]))")),
    ("item", re.compile(r"(?P<label>\d{1,2})\s*[.)/](?!\d)\s*")),
    ("point", re.compile(r"(?P<label>[" + POINT_LETTERS + r"])\s*\)\s*|(?P<label2>[" + POINT_LETTERS + r"])\.\s+")),
]

# Cheap pre-filter: only lines starting like this go through the patterns above.
_CANDIDATE_RE = re.compile(
    r"(?:Phần|PHẦN|Phụ|PHỤ|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|[IVXLC]|\d|[" + POINT_LETTERS + r"][.)])"
)
_LEAD_RE = re.compile(r"[ \t\u00a0\ufeff]*(?:(?:#{1,6}|>)[ \t]*)?(?:\*\*|__)?[ \t]*")
MARKUP_RE = re.compile(r"\*\*|__")

#: Rank of each kind in the tree: a heading is a child of the nearest preceding
#: heading of smaller rank.  Roman sections and Điều are peers (a decision's
#: "Điều 1..3" followed by an attached plan's "I., II.").
RANK = {
    "phuluc": 0,
    "phan": 0,
    "chuong": 1,
    "muc": 2,
    "dieu": 3,
    "roman": 3,
    "item": 5,
    "subitem": 6,  # + extra dots
    "point": 9,
}
MAJOR = frozenset({"phuluc", "phan", "chuong", "muc", "dieu", "roman"})
MAX_TITLE_WORDS = 12


@dataclass(frozen=True)
class Heading:
    """One heading line of the outline.

    ``kind`` is one of "phan", "chuong", "muc", "dieu", "khoan", "diem" (laws),
    "roman", "item", "subitem", "point" (plans) or "phuluc"; "khoan"/"diem" are
    numbered items/lettered points inside an Điều.  ``level`` is the depth in the
    tree (0 = top), ``parent`` the index of the parent heading in the outline
    list (-1 for top level).  ``start``/``end`` are the offsets of the heading
    line(s) in the text (a "Chương I" whose title is on the next line spans both);
    ``text`` is the heading as used in section paths (shortened, markup removed).
    """

    level: int
    kind: str
    label: str
    title: str
    start: int
    end: int
    text: str
    parent: int = -1


@dataclass(frozen=True)
class HeadingMatch:
    """What :func:`classify_heading` reads from one line, before any context."""

    kind: str  # base kind (item/point are not yet khoan/diem)
    label: str
    marker: str  # e.g. "Điều 5.", "II.", "a)"
    rest: str  # text after the marker (the title or the body of the line)


def roman_value(s: str) -> int:
    total = 0
    prev = 0
    for ch in reversed(s):
        v = _ROMAN_VALUES[ch]
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _clean(line: str) -> tuple[str, int]:
    """Strip leading blanks/markdown; return (clean line, offset of its start in ``line``)."""
    m = _LEAD_RE.match(line)
    off = m.end() if m else 0
    return line[off:].rstrip(), off


def classify_heading(line: str) -> HeadingMatch | None:
    """Classify one line as a heading (base kind, label, marker, rest) or None.

    Why a separate function: :func:`section_label` re-reads the kinds from path
    strings, so paths stay plain strings in JSON.  A line must have content
    after an item/point marker ("1." alone is not a heading), 4-digit numbers
    ("2025.") and percentages never match, and "I." only if it is a valid
    Roman numeral.
    """
    s, _ = _clean(line)
    if "*" in s or "_" in s:
        s = MARKUP_RE.sub("", s).strip()
    if not s or not _CANDIDATE_RE.match(s):
        return None
    for kind, pat in _PATTERNS:
        m = pat.match(s)
        if m is None:
            continue
        label = m.group("label") if "label" in pat.groupindex else ""
        if kind == "point" and not label:
            label = m.group("label2") or ""
        label = label or ""
        rest = MARKUP_RE.sub("", s[m.end() :]).strip()
        marker = MARKUP_RE.sub("", s[: m.end()]).strip()
        if kind == "roman":
            if not _ROMAN_RE.fullmatch(label) or not rest:
                continue
        elif kind in ("item", "subitem", "point"):
            if not rest or not (rest[0].isalpha() or rest[0] in "\"“(«'‘"):
                continue
        elif kind == "phan" and not (
            label[:1].isdigit() or label.lower().startswith("thứ") or _ROMAN_RE.fullmatch(label.upper())
        ):
            continue
        if kind in ("phan", "chuong", "muc", "phuluc") and rest:
            # "Mục 1. ĐẦU TƯ CÔNG", "Chương II ĐẦU TƯ", but not "Mục 2 của Kế hoạch nêu rõ ..."
            has_sep = marker[-1:] in ".:-–—)"
            if not has_sep and rest[:30].upper() != rest[:30]:
                return None
        return HeadingMatch(kind, label, marker, rest)
    return None
