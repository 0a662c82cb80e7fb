"""From printed lines back to paragraphs: page furniture dropped, wrapped lines joined.

Shared by the PDF text layer and OCR output, which both come as the lines the
page was printed in. Two things are wrong with such lines for indexing:

* running headers and footers (a browser's "11/30/26, 9:01 AM  Kế hoạch 225"
  and "file:///… 1/3", "Trang 3/12", "- 3 -") repeat on every page and would be
  indexed as text. They are dropped when they sit in the page's top or bottom
  band and either repeat across pages (digits ignored) or look like a page
  number, a browser date line or a bare address;
* a sentence wrapped over two printed lines is two "sentences" to the splitter
  (a newline always ends one). A line is joined to the one before when it
  continues it: the line before ran to the right margin without ending a
  clause (PDF text layer, where the geometry is known) or, in OCR text, the
  line starts in lower case; and it does not start a list item.

No library does this for Vietnamese plain text (pdfplumber's layout mode keeps
the printed lines; pypdfium2 gives lines in content order), so it is written
here, on geometry the PDF library measured.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: Share of the page height at the top and at the bottom where running headers/footers live.
EDGE_BAND = 0.1
#: A line ending within this many points of a margin ran to it.
MARGIN_SLACK = 2.0

#: In left-aligned text, a line reaching this share of the widest line's right edge may wrap.
WIDE_LINE = 0.8
#: Lines that must end at one right edge before that edge counts as a margin text wraps at.
MIN_MARGIN_LINES = 3

_CHROME_RES = [
    re.compile(r"(?:trang|page)?\s*\d{1,4}\s*(?:/|of|trên|-)\s*\d{1,4}", re.I),  # "Trang 3/12", "3/12"
    re.compile(r"[-–—]?\s*(?:trang\s*)?\d{1,4}\s*[-–—]?", re.I),  # "3", "- 3 -", "Trang 3"
    re.compile(r"\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M|SA|CH)?\b.*", re.I),  # browser date line
    re.compile(r"(?:file|https?)://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?", re.I),  # browser footer: address + "1/3"
    re.compile(r"\S{1,2}"),  # a stray glyph in the margin
]
_LIST_START_RE = re.compile(r"(?:[IVXLC]{1,6}\.|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[-+•*–])\s")
_DIGITS_RE = re.compile(r"\d+")
_END_PUNCT = ".:;!?…"


@dataclass
class Line:
    """One printed line: its text and, where known, its box in points (y grows upwards)."""

    text: str
    top: float = 0.0
    bottom: float = 0.0
    right: float = 0.0
    fixed: bool = False  # a table row or group line: never joined with its neighbours


def _key(text: str) -> str:
    return _DIGITS_RE.sub("#", " ".join(text.lower().split()))


def _in_band(line: Line, height: float) -> bool:
    if height <= 0:
        return False
    return line.bottom >= height * (1 - EDGE_BAND) or line.top <= height * EDGE_BAND


def is_chrome_text(text: str) -> bool:
    """Does this margin line look like a page number, a browser date line or an address?"""
    s = " ".join(text.split())
    return any(r.fullmatch(s) for r in _CHROME_RES)


def drop_chrome(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """The pages without running headers, footers and page numbers (see module doc)."""
    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        counts.update({_key(ln.text) for ln in lines if _in_band(ln, height)})
    repeat = max(2, (len(pages) + 1) // 2)
    out = []
    for lines, height in zip(pages, heights):
        kept = [
            ln
            for ln in lines
            if not (_in_band(ln, height) and (counts[_key(ln.text)] >= repeat or is_chrome_text(ln.text)))
        ]
        out.append(kept)
    return out


def reflow(lines: list[Line]) -> str:
    """The lines as text, wrapped lines joined to the line they continue (see module doc)."""
    margins = _margins(lines)
    geometry = any(ln.right > 0 for ln in lines)
    widest = max((ln.right for ln in lines), default=0.0)
    wide = [ln.right >= WIDE_LINE * widest for ln in lines]
    ragged = geometry and sum(wide) >= MIN_MARGIN_LINES  # a left-aligned body of wrapped lines
    out: list[str] = []
    prev: Line | None = None
    for ln in lines:
        text = " ".join(ln.text.split())
        if not text:
            prev = None
            out.append("")
            continue
        if (prev is not None and not (prev.fixed or ln.fixed) and out and out[-1]
                and _continues(prev, text, margins, geometry, ragged and prev.right >= WIDE_LINE * widest)):
            joined = out[-1]
            if joined.endswith("-") and not joined.endswith(" -") and text[:1].islower():
                out[-1] = joined[:-1] + text  # a word hyphenated at the margin
            else:
                out[-1] = joined + " " + text
        else:
            out.append(text)
        prev = ln
    return "\n".join(out)


def _margins(lines: list[Line]) -> list[float]:
    """Right edges that several lines end at: the margins justified text wraps at (one per column)."""
    edges = Counter(round(ln.right) for ln in lines if ln.right > 0)
    return [float(e) for e in edges if sum(edges.get(e + d, 0) for d in (-1, 0, 1)) >= MIN_MARGIN_LINES]


def _continues(prev: Line, text: str, margins: list[float], geometry: bool, wide: bool) -> bool:
    """Is ``text`` the rest of the sentence on ``prev``?

    With geometry (a PDF text layer): if ``prev`` ran to a margin (a right edge
    several lines share: justified text, one per column) without ending a
    clause; in left-aligned text, if ``prev`` is ``wide`` (near the widest line
    of a page that has several) and ``text`` starts in lower case. Without
    geometry (OCR text): if ``text`` starts in lower case.
    """
    if _LIST_START_RE.match(text):
        return False
    before = " ".join(prev.text.split())
    if not before:
        return False
    if not geometry:
        return text[:1].islower() and before[-1] not in ".!?…;"
    if before[-1] in _END_PUNCT or before.isupper():
        return False
    if wide and text[:1].islower():
        return True
    return any(abs(prev.right - m) <= MARGIN_SLACK for m in margins)


def text_lines(text: str) -> list[Line]:
    """Lines of plain text (OCR output) without geometry."""
    return [Line(t) for t in text.split("\n")]
