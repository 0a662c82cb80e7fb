"""The outline of a text: every heading line, nested by rank.

Phần > Chương > Mục > Điều | Roman section > 1. > 1.1. > 1.1.1. > a). Bullets
("-", "+", "•") are body text of the enclosing section.
"""
from __future__ import annotations

from indexer.headings import MARKUP_RE, MAX_TITLE_WORDS, RANK, Heading, classify_heading, roman_value
from indexer.text import sentence_spans, syllable_count

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
    if len(words) > MAX_TITLE_WORDS:
        title = " ".join(words[:MAX_TITLE_WORDS]) + "…"
    return title


def _path_text(marker: str, title: str) -> str:
    if not title:
        return marker
    if marker[-1:].isalnum():  # "Chương I" + "NHỮNG QUY ĐỊNH CHUNG"
        return f"{marker}. {title}"
    return f"{marker} {title}"


def line_spans(text: str) -> list[tuple[int, int]]:
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
    lines = line_spans(text)
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
        rank = RANK[kind]
        if kind == "subitem":
            rank += m.label.count(".") - 1
        if kind == "roman":
            val = roman_value(m.label)
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
                    rest = MARKUP_RE.sub("", nxt).strip()
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
