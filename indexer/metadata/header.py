"""Citation metadata of Vietnamese administrative documents and news articles.

A civil servant cites a document by its type, số hiệu, issuing body and date
("Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa"). Those sit in
the header block that Nghị định 30/2020/NĐ-CP prescribes: issuer (top left),
Quốc hiệu and Tiêu ngữ (top right), số hiệu, place and date, the type in capitals
("KẾ HOẠCH") and the trích yếu below it. Text extraction scrambles that layout in
predictable ways (table cells one per line, or left and right columns merged on
one line in PDFs), so every rule here works line by line on the first lines,
after cutting the Quốc hiệu and Tiêu ngữ out.

News articles are recognised by their outlet marker ("VOV.VN - ", "(Chinhphu.vn) -")
and never get a số hiệu: an article *about* Kế hoạch 225 is not Kế hoạch 225.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import PurePath

from indexer.types import DocumentMeta
from indexer.metadata.names import (
    clean_line,
    decapitalise_title,
    group_issuer_lines,
    is_upper,
    normalize_number,
    parse_date,
    place_before,
    place_of,
    readable_issuer,
    strip_national_motto,
    type_from_number,
)
from indexer.metadata.vocabulary import (
    BARE_NUMBER_RE,
    BODY_START_RE,
    CELL_SPLIT_RE,
    DATE_RE,
    DOC_TYPES,
    FALLBACK_TITLE_CHARS,
    HEADER_CHARS,
    HEADER_LINES,
    KNOWN_OUTLETS,
    KNOWN_OUTLET_RE,
    MAX_TITLE_CHARS,
    NEWS_DATE_RE,
    OUTLET_RE,
    SEPARATOR_RE,
    SO_INLINE_RE,
    SO_LINE_RE,
    TITLE_STOP_RE,
    VV_RE,
    fold_upper,
)


def detect_outlet(lines: list[str]) -> str:
    """Outlet of a news article from a marker line near the top ("VOV.VN - ..."), else ""."""
    for line in lines[:6]:
        m = KNOWN_OUTLET_RE.match(line)
        if m:
            return m.group("o")
        m = OUTLET_RE.match(line)
        if m:
            name = (m.group("p") or m.group("d") or "").strip()
            if m.group("p") and not (re.search(r"\.(?:vn|com|net|org)$", name, re.I) or name in KNOWN_OUTLETS):
                continue
            return name
    return ""


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def extract_metadata(text: str, filename: str = "") -> DocumentMeta:
    """Type, số hiệu, issuer, place, date and title from a document's header block.

    Fields that cannot be found are "" (never guessed); the title always has a
    value: trích yếu, headline, first line, or the file name.
    """
    # Table rows come out of the loaders as "cell | cell": each cell is a header line of its own.
    head = text[:HEADER_CHARS]
    all_lines = [clean_line(cell) for line in head.split("\n") for cell in CELL_SPLIT_RE.split(line)]
    lines = [line for line in all_lines if line][:HEADER_LINES]
    stem = PurePath(filename.replace("\\", "/")).stem if filename else ""
    first = lines[0].lstrip("#").strip() if lines else ""  # a Markdown heading's "#" is not title
    fallback_title = first[:FALLBACK_TITLE_CHARS].rstrip() or stem

    outlet = detect_outlet(lines)
    if outlet:
        return _news_meta(lines, outlet, fallback_title)

    cleaned = [strip_national_motto(line) for line in lines]
    body_idx = next((i for i, line in enumerate(cleaned) if BODY_START_RE.match(line)), len(cleaned))
    type_idx, doc_type, title_parts = _find_type_line(cleaned[:body_idx])
    header_end = type_idx if type_idx != -1 else min(body_idx, 15)

    number, number_idx = _find_number(cleaned[:header_end])
    if number_idx != -1 and not doc_type and fold_upper(cleaned[number_idx]).startswith("LUAT"):
        doc_type = "Luật"

    # Place and date: "Thanh Hóa, ngày 15 tháng 9 năm 2023".
    place, date, date_idx = _find_place_date(cleaned[:header_end])

    stops = [x for x in (number_idx, date_idx, type_idx) if x != -1]
    issuer = _find_issuer(cleaned, min(stops)) if stops else ""

    # Công văn: no type line, a "V/v" subject line instead.
    if type_idx == -1:
        for line in cleaned[: header_end + 3]:
            m = VV_RE.match(line)
            if m:
                rest = m.group("rest").strip()
                title_parts = [rest[:1].upper() + rest[1:]]
                if number and not type_from_number(number):
                    doc_type = "Công văn"
                break

    if not doc_type and number:
        doc_type = type_from_number(number)

    if type_idx != -1:
        title_parts += _trich_yeu(all_lines[_raw_index(all_lines, type_idx) + 1 :], len(title_parts))

    title = clean_line(" ".join(title_parts)).strip(" -–—_")
    title = decapitalise_title(title)
    if doc_type in ("Luật", "Bộ luật", "Pháp lệnh") and title:
        title = f"{doc_type} {title[:1].upper()}{title[1:]}"
    return DocumentMeta(
        doc_type=doc_type, number=number, issuer=issuer, place=place, date=date,
        title=(title or fallback_title)[:MAX_TITLE_CHARS], outlet="",
    )


def _find_type_line(lines: list[str]) -> tuple[int, str, list[str]]:
    """(index, type, [title text on the same line]) of the first capitals line naming a type."""
    for i, line in enumerate(lines):
        folded = fold_upper(line)
        for key, name in DOC_TYPES:
            if not (folded == key or folded.startswith((key + " ", key + ":"))):
                continue
            if not is_upper(line[: len(key)]):
                continue
            rest = line[len(key) :].strip(" :")
            if rest.lower().startswith("số"):
                break  # "LUẬT SỐ: 24/2018/QH14" is the number line
            return i, name, [rest] if rest else []
    return -1, "", []


def _find_number(lines: list[str]) -> tuple[str, int]:
    """Số hiệu from "Số: 225/KH-UBND" (line start, or after a merged column), else a bare "91/2015/QH13"."""
    for i, line in enumerate(lines):
        m = SO_LINE_RE.match(line) or SO_INLINE_RE.search(line)
        if m:
            return normalize_number(m.group("num")), i
    for i, line in enumerate(lines):
        m = BARE_NUMBER_RE.match(line)
        if m and type_from_number(m.group("num")):
            return normalize_number(m.group("num")), i
    return "", -1


def _find_place_date(lines: list[str]) -> tuple[str, str, int]:
    """(place, ISO date, line index) from "Thanh Hóa, ngày 15 tháng 9 năm 2023".

    A line of the form "<place>, ngày ..." wins over any other date in the header
    (a "V/v" subject line may quote the date of the document it answers).
    """
    fallback: tuple[str, str, int] = ("", "", -1)
    for i, line in enumerate(lines):
        m = DATE_RE.search(line)
        if not m:
            continue
        if line[: m.start()].rstrip().endswith(","):
            return place_before(line[: m.start()]), parse_date(m), i
        if fallback[2] == -1 and not VV_RE.match(line):
            fallback = ("", parse_date(m), i)
    return fallback


def _find_issuer(lines: list[str], stop: int) -> str:
    """Issuer from the capitals lines above ``stop`` (and the part of line ``stop`` before "Số:")."""
    candidates = []
    for i, line in enumerate(lines[: stop + 1]):
        if i == stop:
            m = re.search(r"(?:^|\s)(?:Số|SỐ|Luật số)\s*:|ngày\s+\d", line)
            line = _leading_caps(line[: m.start()]) if m else ""
        line = line.strip(" -–—_")
        if line and not SEPARATOR_RE.match(line) and is_upper(line):
            candidates.append(line)
    groups = group_issuer_lines(candidates)
    if not groups:
        return ""
    issuer = readable_issuer(groups[-1])
    if len(groups) > 1 and not place_of(issuer):
        parent_place = place_of(readable_issuer(groups[-2]))
        if parent_place:
            issuer = f"{issuer} {parent_place}"
    return issuer


def _leading_caps(text: str) -> str:
    """The leading run of capitals words: "TỈNH THANH HÓA Thanh Hóa," -> "TỈNH THANH HÓA"."""
    taken = []
    for word in text.split():
        if is_upper(word) or word in {"-", "–"}:
            taken.append(word)
        else:
            break
    return " ".join(taken)


def _trich_yeu(following: list[str], already: int) -> list[str]:
    """The trích yếu lines after the type line, up to a separator, a blank or the body."""
    parts: list[str] = []
    for line in following:
        if not line or SEPARATOR_RE.match(line):
            if parts or already:
                break
            continue
        if TITLE_STOP_RE.match(line) or DATE_RE.search(line) or SO_LINE_RE.match(line):
            break
        parts.append(line)
        if already + len(parts) >= 4 or sum(map(len, parts)) >= MAX_TITLE_CHARS:
            break
    return parts


def _raw_index(all_lines: list[str], idx: int) -> int:
    """Index in ``all_lines`` (blank lines kept) of the ``idx``-th non-empty line."""
    seen = -1
    for i, line in enumerate(all_lines):
        if line:
            seen += 1
            if seen == idx:
                return i
    return len(all_lines) - 1


def _news_meta(lines: list[str], outlet: str, headline: str) -> DocumentMeta:
    """A news article: the headline is the first line; a short date line near the top is its date."""
    date = ""
    for line in lines[:4]:
        m = DATE_RE.search(line)
        if m:
            date = parse_date(m)
            break
        m2 = NEWS_DATE_RE.search(line) if len(line) <= 40 else None
        if m2:
            try:
                date = _dt.date(int(m2.group("y")), int(m2.group("m")), int(m2.group("d"))).isoformat()
            except ValueError:
                date = ""
            break
    return DocumentMeta(doc_type="Bài báo", outlet=outlet, title=headline, date=date)
