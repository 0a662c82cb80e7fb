"""Structure of Vietnamese administrative and legal texts: headings, outline, passages.

A civil servant cites "điểm a khoản 1 Mục II Kế hoạch 225" or "khoản 1 Điều 5 Luật ...",
so a passage must be the smallest such unit and must know its place in the outline.

* :func:`parse_outline` recognises heading lines ("Phần thứ nhất", "Chương I",
  "Mục 1", "Điều 5.", "II.", "1.", "1.1.", "a)") and nests them by rank:
  Phần > Chương > Mục > Điều | Roman section > 1. > 1.1. > 1.1.1. > a).
  Bullets ("-", "+", "•") are body text of the enclosing section.
* :func:`split_passages` cuts a :class:`~indexer.types.Document` into passages
  whose ``text`` is exactly ``doc.text[start:end]``, in order, non-overlapping.
* :func:`section_label` / :func:`section_citation` turn a section path into
  "Mục II > 1 > a" / "Mục II, khoản 1, điểm a".
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass

from indexer.text import sentence_spans, syllable_count
from indexer.types import Document, Passage, TableRow

__all__ = [
    "Heading",
    "HeadingMatch",
    "parse_outline",
    "classify_heading",
    "section_label",
    "section_citation",
    "split_passages",
]

# ---------------------------------------------------------------------------
# Heading recognition
# ---------------------------------------------------------------------------

#: Letters used for "điểm" in Vietnamese legal drafting (no f j w z; "đ" after "d").
_POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"

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
    ("point", re.compile(r"(?P<label>[" + _POINT_LETTERS + r"])\s*\)\s*|(?P<label2>[" + _POINT_LETTERS + r"])\.\s+")),
]

# Cheap pre-filter: only lines starting like this go through the patterns above.
_CANDIDATE_RE = re.compile(
    r"(?:Phần|PHẦN|Phụ|PHỤ|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|[IVXLC]|\d|[" + _POINT_LETTERS + r"][.)])"
)
_LEAD_RE = re.compile(r"[ \t\u00a0\ufeff]*(?:(?:#{1,6}|>)[ \t]*)?(?:\*\*|__)?[ \t]*")
_MARKUP_RE = re.compile(r"\*\*|__")

#: Rank of each kind in the tree: a heading is a child of the nearest preceding
#: heading of smaller rank.  Roman sections and Điều are peers (a decision's
#: "Điều 1..3" followed by an attached plan's "I., II.").
_RANK = {
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
_MAJOR = frozenset({"phuluc", "phan", "chuong", "muc", "dieu", "roman"})
_MAX_TITLE_WORDS = 12


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


def _roman_value(s: str) -> int:
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
        s = _MARKUP_RE.sub("", s).strip()
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
        rest = _MARKUP_RE.sub("", s[m.end() :]).strip()
        marker = _MARKUP_RE.sub("", s[: m.end()]).strip()
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


def _short_title(rest: str, kind: str) -> str:
    """The title part of a heading line: up to ":" or the first sentence, ≤ 12 words."""
    title = rest
    if kind in ("item", "subitem", "point", "dieu", "roman"):
        colon = title.find(":")
        spans = sentence_spans(title)
        end = spans[0][1] if spans else len(title)
        if 0 < colon < end:
            title = title[:colon]
        else:
            title = title[:end]
    title = title.strip().rstrip(".;:,").strip()
    words = title.split()
    if len(words) > _MAX_TITLE_WORDS:
        title = " ".join(words[:_MAX_TITLE_WORDS]) + "…"
    return title


def _path_text(marker: str, title: str) -> str:
    if not title:
        return marker
    if marker[-1:].isalnum():  # "Chương I" + "NHỮNG QUY ĐỊNH CHUNG"
        return f"{marker}. {title}"
    return f"{marker} {title}"


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def parse_outline(text: str) -> list[Heading]:
    """All heading lines of ``text`` as a flat list (document order) with tree links.

    Numbered items inside an Điều become "khoan" and lettered points "diem";
    elsewhere they are "item"/"point".  Roman sections must be "I" or follow the
    previous Roman number, unless their title is in capitals (guards against
    "V. I. Lênin" in prose).
    """
    lines = _lines(text)
    headings: list[Heading] = []
    stack: list[tuple[int, int]] = []  # (rank, index in headings)
    last_roman = 0
    i = 0
    nlines = len(lines)
    while i < nlines:
        a, b = lines[i]
        line = text[a:b]
        m = classify_heading(line)
        if m is None:
            i += 1
            continue
        kind = m.kind
        rank = _RANK[kind]
        if kind == "subitem":
            rank += m.label.count(".") - 1
        if kind == "roman":
            val = _roman_value(m.label)
            title_upper = m.rest[:40].upper() == m.rest[:40]
            # "C. GIẢI PHÁP" in an A./B./C. document is not section 100
            if val > 39 or not (val == 1 or val == last_roman + 1 or title_upper):
                i += 1
                continue
            last_roman = val
        elif kind in ("phan", "chuong", "phuluc"):
            last_roman = 0
        end = b
        rest = m.rest
        # "Chương I" / "PHẦN THỨ NHẤT" with the title on the next line
        if kind in ("phan", "chuong", "muc", "phuluc", "dieu") and not rest:
            j = i + 1
            while j < nlines and j <= i + 2 and not text[lines[j][0] : lines[j][1]].strip():
                j += 1  # "Chương I", blank line, "NHỮNG QUY ĐỊNH CHUNG"
            if j < nlines:
                na, nb = lines[j]
                nxt = text[na:nb].strip()
                if nxt and classify_heading(nxt) is None and syllable_count(nxt) <= 30:
                    rest = _MARKUP_RE.sub("", nxt).strip()
                    end = nb
                    i = j
        if kind == "dieu" and not rest:
            i += 1
            continue
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else -1
        in_dieu = any(headings[j].kind == "dieu" for _, j in stack)
        out_kind = kind
        if in_dieu and kind == "item":
            out_kind = "khoan"
        elif in_dieu and kind == "point":
            out_kind = "diem"
        title = _short_title(rest, kind)
        # strip trailing whitespace of the span; start at the line start (offsets of the line)
        headings.append(
            Heading(
                level=len(stack),
                kind=out_kind,
                label=m.label,
                title=title,
                start=a,
                end=end,
                text=_path_text(m.marker, title),
                parent=parent,
            )
        )
        stack.append((rank, len(headings) - 1))
        i += 1
    return headings


# ---------------------------------------------------------------------------
# Labels and citations
# ---------------------------------------------------------------------------


def _path_parts(section_path: tuple[str, ...]) -> list[tuple[str, str]]:
    """(kind, label) for each entry, with item/point resolved to khoan/diem inside Điều."""
    parts: list[tuple[str, str]] = []
    in_dieu = False
    for entry in section_path:
        m = classify_heading(entry)
        if m is None:
            parts.append(("other", entry.strip()))
            continue
        kind = m.kind
        if kind == "dieu":
            in_dieu = True
        elif kind == "item" and in_dieu:
            kind = "khoan"
        elif kind == "point" and in_dieu:
            kind = "diem"
        label = m.label
        if kind == "phan" and label.lower().startswith("thứ"):
            label = "thứ " + label.split(None, 1)[1].lower() if " " in label else label
        parts.append((kind, label))
    return parts


_SHORT = {
    "phan": "Phần {}",
    "phuluc": "Phụ lục {}",
    "chuong": "Chương {}",
    "muc": "Mục {}",
    "dieu": "Điều {}",
    "roman": "Mục {}",
    "khoan": "khoản {}",
    "diem": "điểm {}",
    "item": "{}",
    "subitem": "{}",
    "point": "{}",
}
# citations spell out what a bare "1." or "a)" is: "khoản 1", "điểm a"
_LONG = {**_SHORT, "item": "khoản {}", "subitem": "mục {}", "point": "điểm {}"}


def _fmt(table: dict[str, str], kind: str, label: str) -> str:
    if kind == "other":
        words = label.split()
        return " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return table[kind].format(label).strip()


def section_label(section_path: tuple[str, ...]) -> str:
    """Short path for citations and JSON: "Mục II > 1 > a", "Chương II > Điều 5 > khoản 1 > điểm a".

    Plans number items bare ("1", "a"); inside an Điều they are "khoản"/"điểm".
    An empty path gives "".
    """
    return " > ".join(_fmt(_SHORT, k, lab) for k, lab in _path_parts(tuple(section_path)))


def section_citation(section_path: tuple[str, ...]) -> str:
    """Long form in administrative style: "Mục II, khoản 1, điểm a" / "Chương II, Điều 5, khoản 1, điểm a"."""
    return ", ".join(_fmt(_LONG, k, lab) for k, lab in _path_parts(tuple(section_path)))


# ---------------------------------------------------------------------------
# Passages
# ---------------------------------------------------------------------------


@dataclass
class _Unit:
    start: int
    end: int
    path: tuple[str, ...]
    syl: int
    major: bool  # Phần/Chương/Mục/Điều/Roman: never merged with a sibling
    heading_only: bool = False  # nothing but heading line(s): always joins its body


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _is_prefix(p: tuple[str, ...], q: tuple[str, ...]) -> bool:
    """``p`` is a proper ancestor path of ``q``."""
    return len(p) < len(q) and q[: len(p)] == p


#: The signature block of an administrative document ("Nơi nhận:" + recipients)
#: belongs to no section.
_CLOSING_RE = re.compile(r"[ \t*_]*(?:Nơi nhận|NƠI NHẬN)\s*[:.]", re.M)


def _units(text: str, headings: list[Heading]) -> list[_Unit]:
    """One unit per heading (its line(s) + body up to the next heading), the preamble, the closing."""
    units: list[_Unit] = []
    paths: list[tuple[str, ...]] = []
    # (start, heading end, path, major) of every unit start, in order
    starts: list[tuple[int, int, tuple[str, ...], bool]] = [(0, 0, (), False)]
    for h in headings:
        path = (paths[h.parent] if h.parent >= 0 else ()) + (h.text,)
        paths.append(path)
        starts.append((h.start, h.end, path, h.kind in _MAJOR))
    if headings:
        for m in _CLOSING_RE.finditer(text, headings[-1].end):
            if m.start() == 0 or text[m.start() - 1] == "\n":
                starts.append((m.start(), m.start(), (), False))
                break
    for idx, (start, hend, path, major) in enumerate(starts):
        stop = starts[idx + 1][0] if idx + 1 < len(starts) else len(text)
        a, b = _trim(text, start, stop)
        if a < b:
            syl = syllable_count(text[a:b])
            if path:
                alone = b <= hend and _title_only(text[a:b], syl)
            else:  # a one-line title before the first heading ("Tội trốn tránh nghĩa vụ quân sự")
                alone = idx == 0 and len(starts) > 1 and "\n" not in text[a:b] and _title_only(text[a:b], syl)
            units.append(_Unit(a, b, path, syl, major, alone))
    return units


def _title_only(heading: str, syl: int) -> bool:
    """A heading line with no body ("II. MỤC TIÊU", "1. Mục đích"), not "d) Hoàn thành."."""
    return syl <= 30 and not heading.rstrip("*_ \t").endswith((".", ";", ":", "!", "?", "…"))


def _merge_tiny(units: list[_Unit], min_syl: int) -> list[_Unit]:
    """Merge heading-only units and units below ``min_syl`` into a neighbour of the same parent.

    A tiny unit joins the next unit when that is its child (a heading with its
    body: the merged passage takes the child's path) or a minor sibling (items,
    points, not Điều/Roman sections); failing that, the previous one (its parent
    or a minor sibling).  Labels stay true for every line of the passage: a
    heading merged into its first child takes the child's path; two merged
    siblings ("a)" + "b)") take their parent's path ("khoản 1", not "điểm b").
    """
    out: list[_Unit] = []
    carry: _Unit | None = None
    for u in units:
        if carry is not None:
            if _is_prefix(carry.path, u.path):
                u = _Unit(carry.start, u.end, u.path, carry.syl + u.syl, u.major, u.heading_only)
            elif carry.path[:-1] == u.path[:-1] and not carry.major and not u.major and not carry.heading_only:
                u = _Unit(carry.start, u.end, u.path[:-1], carry.syl + u.syl, False, u.heading_only)
            else:
                out.append(carry)
            carry = None
        if u.heading_only or u.syl < min_syl:
            carry = u
        else:
            out.append(u)
    if carry is not None:
        out.append(carry)
    # backward: a tiny last child joins its parent or previous minor sibling
    result: list[_Unit] = []
    for u in out:
        if result and (u.syl < min_syl or u.heading_only):
            prev = result[-1]
            if _is_prefix(prev.path, u.path) or (
                prev.path[:-1] == u.path[:-1] and not prev.major and not u.major
            ):
                path = prev.path if _is_prefix(prev.path, u.path) else prev.path[:-1]
                result[-1] = _Unit(prev.start, u.end, path, prev.syl + u.syl, prev.major)
                continue
        result.append(u)
    return result


def _balanced_cuts(sizes: list[int], max_syl: int) -> list[int]:
    """Indices where new chunks start (excluding 0), cutting near equal sizes ≤ max_syl."""
    total = sum(sizes)
    if total <= max_syl or len(sizes) <= 1:
        return []
    k = math.ceil(total / max_syl)
    target = total / k
    cuts: list[int] = []
    cur = 0
    done = 0  # syllables before the current chunk
    for i, s in enumerate(sizes):
        if cur > 0 and (cur + s > max_syl or abs(cur - target) < abs(cur + s - target)):
            cuts.append(i)
            done += cur
            remaining = total - done
            target = remaining / max(1, math.ceil(remaining / max_syl))
            cur = 0
        cur += s
    return cuts


_CLAUSE_SEP_RE = re.compile(r"[;,]\s")
_SYLLABLE_RE = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")  # as indexer.text.syllable_count


def _split_long_sentence(text: str, a: int, b: int, max_syl: int) -> list[tuple[int, int]]:
    """Split a sentence longer than 2x ``max_syl`` at the ";"/"," (else space) nearest its middle.

    Recursive on the halves until each is within 2x the limit; syllable offsets
    are computed once, so this stays O(n log n) even for a 100k-syllable run-on.
    """
    starts = [m.start() for m in _SYLLABLE_RE.finditer(text, a, b)]
    if len(starts) <= 2 * max_syl:
        return [(a, b)]
    seps = [m.end() for m in _CLAUSE_SEP_RE.finditer(text, a, b)]
    out: list[tuple[int, int]] = []

    def count(x: int, y: int) -> int:
        return bisect_left(starts, y) - bisect_left(starts, x)

    def rec(x: int, y: int) -> None:
        n = count(x, y)
        if n <= 2 * max_syl:
            out.append((x, y))
            return
        lo, hi = bisect_left(seps, x + 1), bisect_left(seps, y)
        # the clause separator nearest the middle syllable, else the middle syllable itself
        mid_off = starts[bisect_left(starts, x) + n // 2]
        best = -1
        if lo < hi:
            j = bisect_left(seps, mid_off, lo, hi)
            cands = [seps[k] for k in (j - 1, j) if lo <= k < hi]
            best = min(cands, key=lambda c: abs(c - mid_off))
        if best <= x or best >= y:
            best = mid_off
        left, right = _trim(text, x, best), _trim(text, best, y)
        if not (left[0] < left[1] and right[0] < right[1]):
            out.append((x, y))
            return
        rec(*left)
        rec(*right)

    rec(a, b)
    return out


def _pieces(text: str, a: int, b: int, max_syl: int) -> list[tuple[int, int, int]]:
    """Chunks (start, end, syllables) of a long paragraph, cut only at sentence boundaries."""
    sents: list[tuple[int, int]] = []
    for sa, sb in sentence_spans(text[a:b]):
        sents.extend(_split_long_sentence(text, a + sa, a + sb, max_syl))
    if not sents:
        return []
    sizes = [syllable_count(text[x:y]) for x, y in sents]
    cuts = _balanced_cuts(sizes, max_syl)
    out: list[tuple[int, int, int]] = []
    bounds = [0] + cuts + [len(sents)]
    for i in range(len(bounds) - 1):
        lo, hi = bounds[i], bounds[i + 1]
        out.append((sents[lo][0], sents[hi - 1][1], sum(sizes[lo:hi])))
    return out


def _pack_unit(
    text: str, unit: _Unit, sticky: set[int], max_syl: int, headline: bool
) -> list[tuple[int, int]]:
    """Cut one unit into passage spans: whole lines packed, long lines split by sentence.

    Heading lines (``sticky`` line starts) and a short first line of prose (the
    headline) stay glued to what follows.
    """
    if unit.syl <= max_syl:
        return [(unit.start, unit.end)]
    # blocks: (start, end, syllables, glue_to_next)
    blocks: list[tuple[int, int, int, bool]] = []
    pos = unit.start
    first = True
    while pos < unit.end:
        nl = text.find("\n", pos, unit.end)
        le = unit.end if nl < 0 else nl
        la, lb = _trim(text, pos, le)
        if la < lb:
            syl = syllable_count(text[la:lb])
            glue = (la in sticky or (headline and first)) and syl < max(1, max_syl // 4)
            if syl > max_syl:
                parts = _pieces(text, la, lb, max_syl)
                for j, (x, y, s) in enumerate(parts):
                    blocks.append((x, y, s, False))
            else:
                blocks.append((la, lb, syl, glue))
            first = False
        pos = le + 1
    # fold glued blocks into their successor
    merged: list[tuple[int, int, int]] = []
    pending: tuple[int, int] | None = None  # (start, syl)
    for x, y, s, glue in blocks:
        if pending is not None:
            x, s = pending[0], pending[1] + s
            pending = None
        if glue and s < max(1, max_syl // 2):  # a run of heading lines is glued only so far
            pending = (x, s)
            continue
        merged.append((x, y, s))
    if pending is not None:
        if merged:
            px, py, ps = merged[-1]
            merged[-1] = (px, blocks[-1][1], ps + pending[1])
        else:
            merged.append((pending[0], blocks[-1][1], pending[1]))
    cuts = _balanced_cuts([s for _, _, s in merged], max_syl)
    bounds = [0] + cuts + [len(merged)]
    return [(merged[bounds[i]][0], merged[bounds[i + 1] - 1][1]) for i in range(len(bounds) - 1)]


def _carve_rows(text: str, units: list[_Unit], rows: list[TableRow], min_syl: int) -> list[_Unit]:
    """Each table data row its own unit, its path extended by its group and label ("STT 2").

    A tiny piece of text just before a row (the group line "II. Hạ tầng …", a
    caption) joins that row rather than standing alone.
    """
    out: list[_Unit] = []
    rows = sorted(rows, key=lambda r: r.start)
    ri = 0
    for u in units:
        pos = u.start
        while ri < len(rows) and rows[ri].start < u.end:
            row = rows[ri]
            ri += 1
            if row.start < pos or row.end > u.end:
                continue  # not inside this unit (a stale span): leave the text as it is
            start = row.start
            a, b = _trim(text, pos, row.start)
            if a < b:
                syl = syllable_count(text[a:b])
                if syl < min_syl:
                    start = a
                else:
                    out.append(_Unit(a, b, u.path, syl, u.major))
            path = u.path + tuple(p for p in row.path if p not in u.path)
            out.append(_Unit(start, row.end, path, syllable_count(text[start : row.end]), True))
            pos = row.end
        a, b = _trim(text, pos, u.end)
        if a < b:
            out.append(u if a == u.start else _Unit(a, b, u.path, syllable_count(text[a:b]), u.major))
    return out


def split_passages(doc: Document, max_syllables: int = 200, min_syllables: int = 12) -> list[Passage]:
    """Cut ``doc`` into passages: smallest outline units, merged if tiny, split if long.

    Guarantees (tested with hypothesis): ``doc.text[p.start:p.end] == p.text``;
    passages are in order and non-overlapping and only whitespace between them is
    left out; no passage is cut inside a sentence unless that sentence alone is
    over twice ``max_syllables``.  Each table data row (``doc.table_rows``) is a
    passage of its own, cited by its row label.  Documents without headings are split by
    paragraphs (lines), short paragraphs packed together, headline kept with
    the first paragraph.  Linear in the text length.
    """
    text = doc.text
    max_syl = max(1, int(max_syllables))
    headings = parse_outline(text)
    sticky: set[int] = set()
    if headings:
        lines = _lines(text)
        hi = 0
        for a, _b in lines:
            while hi < len(headings) and headings[hi].end < a:
                hi += 1
            if hi < len(headings) and headings[hi].start <= a <= headings[hi].end:
                sticky.add(a)
    units = _merge_tiny(_units(text, headings), min_syllables)
    if doc.table_rows:
        units = _carve_rows(text, units, doc.table_rows, min_syllables)
    passages: list[Passage] = []
    for u in units:
        for a, b in _pack_unit(text, u, sticky, max_syl, headline=(not u.path)):
            a, b = _trim(text, a, b)
            if a >= b:
                continue
            passages.append(
                Passage(
                    doc_id=doc.doc_id,
                    text=text[a:b],
                    section_path=u.path,
                    start=a,
                    end=b,
                    page=doc.page_at(a),
                    passage_id=f"{doc.doc_id}#{len(passages)}",
                )
            )
    return passages
