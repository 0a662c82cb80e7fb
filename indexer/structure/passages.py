"""Cut a document into passages: the smallest citable units, sized for retrieval.

One unit per heading (its line(s) and body up to the next heading); tiny units
merge into a neighbour, long ones split at sentence (then clause) boundaries
into balanced pieces, all measured in syllables. Every passage's ``text`` is
exactly ``doc.text[start:end]``, in order, non-overlapping.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass

from indexer.headings import MAJOR, Heading
from indexer.structure.outline import line_spans, parse_outline
from indexer.text import sentence_spans, syllable_count
from indexer.types import Document, Passage


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
        starts.append((h.start, h.end, path, h.kind in MAJOR))
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


def split_passages(doc: Document, max_syllables: int = 200, min_syllables: int = 12) -> list[Passage]:
    """Cut ``doc`` into passages: smallest outline units, merged if tiny, split if long.

    Guarantees (tested with hypothesis): ``doc.text[p.start:p.end] == p.text``;
    passages are in order and non-overlapping and only whitespace between them is
    left out; no passage is cut inside a sentence unless that sentence alone is
    over twice ``max_syllables``.  Documents without headings are split by
    paragraphs (lines), short paragraphs packed together, headline kept with
    the first paragraph.  Linear in the text length.
    """
    text = doc.text
    max_syl = max(1, int(max_syllables))
    headings = parse_outline(text)
    sticky: set[int] = set()
    if headings:
        lines = line_spans(text)
        hi = 0
        for a, _b in lines:
            while hi < len(headings) and headings[hi].end < a:
                hi += 1
            if hi < len(headings) and headings[hi].start <= a <= headings[hi].end:
                sticky.add(a)
    units = _merge_tiny(_units(text, headings), min_syllables)
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
