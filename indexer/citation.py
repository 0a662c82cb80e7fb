"""Every citation string the assistant shows or copies comes from here.

A civil servant cites "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh
Hóa, Mục II, khoản 1, điểm a"; the answer, the cards, the handout and the outline
picker all print parts of that sentence, so they all build them with these
functions and cannot drift apart:

* section paths: :func:`section_label` ("Mục II > 1 > a", compact, for JSON and
  outlines) and :func:`section_citation` ("Mục II, khoản 1, điểm a");
* documents: :func:`document_number_label` ("Kế hoạch số 225/KH-UBND"),
  :func:`document_heading` (label and title of a card), :func:`document_name`,
  :func:`document_citation` (number, date, issuer; the outlet form for news);
* dates: :func:`format_date_vi` ("2023-09-15" -> "15/9/2023");
* whole references: :func:`passage_reference` and :func:`section_heading`.

Section kinds are re-read from the path strings by the heading grammar
(:mod:`indexer.headings`), so paths stay plain strings in the index and JSON.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from indexer.headings import classify_heading


class CitableMeta(Protocol):
    """What a citation needs of a document (:class:`indexer.types.DocumentMeta` has it).

    A Protocol rather than an import: ``indexer.types`` uses this module for
    ``Passage.section``, so importing it back would make a circle.
    """

    @property
    def doc_type(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def outlet(self) -> str: ...

__all__ = [
    "CitableMeta",
    "document_citation",
    "document_heading",
    "document_name",
    "document_number_label",
    "format_date_vi",
    "passage_reference",
    "section_citation",
    "section_heading",
    "section_label",
]

NEWS_TYPE = "Bài báo"

# ---------------------------------------------------------------------------
# Section paths
# ---------------------------------------------------------------------------


def _path_parts(section_path: Sequence[str]) -> list[tuple[str, str]]:
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


def section_label(section_path: Sequence[str]) -> str:
    """Short path for citations and JSON: "Mục II > 1 > a", "Chương II > Điều 5 > khoản 1 > điểm a".

    Plans number items bare ("1", "a"); inside an Điều they are "khoản"/"điểm".
    An empty path gives "".
    """
    return " > ".join(_fmt(_SHORT, k, lab) for k, lab in _path_parts(tuple(section_path)))


def section_citation(section_path: Sequence[str]) -> str:
    """Long form in administrative style: "Mục II, khoản 1, điểm a" / "Chương II, Điều 5, khoản 1, điểm a"."""
    return ", ".join(_fmt(_LONG, k, lab) for k, lab in _path_parts(tuple(section_path)))


# ---------------------------------------------------------------------------
# Documents and dates
# ---------------------------------------------------------------------------

_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def format_date_vi(iso: str) -> str:
    """"2023-09-15" -> "15/9/2023", the way dates are written in Vietnamese documents.

    Anything that is not an ISO date is returned unchanged ("" for None/"").
    """
    m = _ISO_DATE_RE.fullmatch(iso or "")
    if not m:
        return iso or ""
    y, mo, d = m.groups()
    return f"{int(d)}/{int(mo)}/{y}"


def document_number_label(meta: CitableMeta) -> str:
    """"Kế hoạch số 225/KH-UBND" ("Số 225/KH-UBND" without a type); "" without a số hiệu."""
    if not meta.number:
        return ""
    return f"{meta.doc_type} số {meta.number}" if meta.doc_type else f"Số {meta.number}"


def document_heading(meta: CitableMeta | None, fallback_title: str) -> tuple[str, str]:
    """(label, title) for a card head: ("Kế hoạch số 225/KH-UBND", "Phát triển hạ tầng số …").

    News articles are labelled by their outlet ("Bài báo VOV.VN"); documents with
    neither number nor outlet get an empty label. ``fallback_title`` stands in for
    a missing title (and for everything when ``meta`` is None).
    """
    if meta is None:
        return "", fallback_title
    label = document_number_label(meta).strip()
    if not label and meta.doc_type == NEWS_TYPE and meta.outlet:
        label = f"{NEWS_TYPE} {meta.outlet}"
    return label, meta.title or fallback_title


def document_name(meta: CitableMeta | None, fallback_title: str) -> str:
    """One short name for a document: its label, else its title (handout group heads)."""
    label, title = document_heading(meta, fallback_title)
    return label or title


def document_citation(meta: CitableMeta, doc_id: str) -> str:
    """The document part of a reference.

    "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa" for a
    numbered document; "VOV.VN: “headline”" for news; else the title, else ``doc_id``.
    """
    head = document_number_label(meta)
    if head:
        if meta.date:
            head += f" ngày {format_date_vi(meta.date)}"
        if meta.issuer:
            head += f" của {meta.issuer}"
        return head
    if meta.doc_type == NEWS_TYPE and meta.outlet:
        return f"{meta.outlet}: “{meta.title}”" if meta.title else meta.outlet
    return meta.title or doc_id


# ---------------------------------------------------------------------------
# Whole references
# ---------------------------------------------------------------------------


def passage_reference(
    meta: CitableMeta, doc_id: str, section_path: Sequence[str] = (), page: int | None = None
) -> str:
    """The full citation of a passage, as copied into a report.

    "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1, điểm a"
    (+ ", trang 3" for a PDF page).
    """
    parts = [document_citation(meta, doc_id)]
    where = section_citation(section_path)
    if where:
        parts.append(where)
    if page:
        parts.append(f"trang {page}")
    return ", ".join(parts)


def section_heading(meta: CitableMeta | None, fallback_title: str, section_path: Sequence[str]) -> str:
    """A section named by its place first: "Mục II, khoản 1, Kế hoạch số 225/KH-UBND" (handout sections)."""
    where = section_citation(section_path) if section_path else ""
    return ", ".join(x for x in (where, document_name(meta, fallback_title)) if x)
