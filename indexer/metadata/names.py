"""Cleaning header lines and spelling what they name: số hiệu, issuers, places,
capitalisation of headings in CAPITALS, dates."""
from __future__ import annotations

import datetime as _dt
import re

from indexer.syllables import is_vietnamese_syllable
from indexer.metadata.vocabulary import (
    ORG_HEADS,
    ORG_PREFIXES,
    PROPER_PHRASES,
    PROVINCES,
    QUOC_HIEU_RE,
    TIEU_NGU_RE,
    TYPE_CODES,
    UNITS,
    fold_upper,
)


def clean_line(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def strip_national_motto(line: str) -> str:
    """Cut Quốc hiệu and Tiêu ngữ out of a line (PDFs often merge them with the left column)."""
    folded = fold_upper(line)
    spans = [m.span() for rx in (QUOC_HIEU_RE, TIEU_NGU_RE) for m in rx.finditer(folded)]
    for start, end in sorted(spans, reverse=True):
        line = line[:start] + " " + line[end:]
    return clean_line(line)


def is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def normalize_number(raw: str) -> str:
    """"225 /KH - UBND" -> "225/KH-UBND"; Icelandic "Ð" (a legacy-font artefact) -> "Đ"."""
    return re.sub(r"\s+", "", raw).replace("Ð", "Đ").replace("ð", "đ").strip("-.,;")


def type_from_number(number: str) -> str:
    if re.match(r"^\d+-", number):  # Party style "52-NQ/TW": the type follows the dash
        code = number.split("-", 1)[1].split("/")[0]
        return TYPE_CODES.get(fold_upper(code).upper(), "")
    code = number.split("/")[-1].split("-")[0]
    code = fold_upper(re.sub(r"\d+$", "", code)).upper()
    return TYPE_CODES.get(code, "")


def _restore_capitals(text: str) -> str:
    """Put back the capitals of province names and institutions lost to lower-casing."""
    for name in PROVINCES + PROPER_PHRASES:
        pattern = rf"(?<!\w){re.escape(name.lower())}(?!\w)"
        text = re.sub(pattern, name, text, flags=re.IGNORECASE)
    return text


def _title_words(text: str) -> str:
    """Capitalise every syllable, the Vietnamese rule for proper names ("THANH HÓA" -> "Thanh Hóa")."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group()[0].upper() + m.group()[1:].lower(), text)


def _lower_word(match: re.Match[str]) -> str:
    word = match.group()
    # Acronyms (UBND, HĐND, CNTT) are not syllables: they keep their capitals.
    return word.lower() if is_vietnamese_syllable(word) else word


def sentence_case(text: str) -> str:
    """"PHÁT TRIỂN HẠ TẦNG SỐ TỈNH THANH HÓA" -> "Phát triển hạ tầng số tỉnh Thanh Hóa"."""
    low = re.sub(r"[^\W\d_]+", _lower_word, text)
    return _restore_capitals(low[:1].upper() + low[1:])


def decapitalise_title(title: str) -> str:
    """Sentence-case a title typed in capitals, or its capitals opening before a lowercase remark."""
    if is_upper(title):
        return sentence_case(title)
    words = title.split(" ")
    n = 0
    while n < len(words) and (is_upper(words[n]) or not any(ch.isalpha() for ch in words[n])):
        n += 1
    if sum(any(ch.isalpha() for ch in w) for w in words[:n]) >= 2:
        return " ".join([sentence_case(" ".join(words[:n]))] + words[n:])
    return title


def _match_unit(words: list[str], i: int) -> tuple[str, int] | None:
    """The administrative unit ("tỉnh", "thành phố", ...) starting at ``words[i]``, with its word count."""
    for unit in UNITS:
        parts = unit.split()
        if words[i : i + len(parts)] == parts:
            if unit == "xã" and words[i + 1 : i + 2] == ["hội"]:
                return None  # "xã hội" (society), not a commune
            return ("thành phố" if unit == "tp." else unit), len(parts)
    return None


def _split_place(words: list[str], start: int = 1) -> tuple[list[str], str]:
    """Split "sở y tế tỉnh thanh hóa" into the body and its place "tỉnh Thanh Hóa"."""
    for i in range(start, len(words)):
        found = _match_unit(words, i)
        if found and i + found[1] < len(words):
            unit, n = found
            return words[:i], f"{unit} {_title_words(' '.join(words[i + n:]))}"
    return words, ""


def _org_case(text: str) -> str:
    """Official spelling of a body's name from CAPITALS.

    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" -> "Sở Kế hoạch và Đầu tư": the kind of body and the
    first word of each coordinated part are capitalised, place names fully.
    """
    words, place = _split_place(clean_line(text).lower().split())
    low = " ".join(words)
    head = ""
    for prefix, spelt in ORG_PREFIXES.items():
        if low == prefix or low.startswith(prefix + " "):
            head, low = spelt, low[len(prefix) :].strip()
            break
    parts = re.split(r"(\s+và\s+|\s*-\s*|,\s*)", low)
    rebuilt = "".join(p if i % 2 else p[:1].upper() + p[1:] for i, p in enumerate(parts))
    name = " ".join(x for x in (head, rebuilt) if x)
    return f"{_restore_capitals(name)} {place}".strip()


_FIXED_ISSUERS = {
    "QUOC HOI": "Quốc hội", "CHINH PHU": "Chính phủ", "THU TUONG CHINH PHU": "Thủ tướng Chính phủ",
    "UY BAN THUONG VU QUOC HOI": "Ủy ban Thường vụ Quốc hội", "VAN PHONG CHINH PHU": "Văn phòng Chính phủ",
    "CHU TICH NUOC": "Chủ tịch nước", "VAN PHONG QUOC HOI": "Văn phòng Quốc hội",
}


def readable_issuer(raw: str) -> str:
    """"ỦY BAN NHÂN DÂN TỈNH THANH HÓA" -> "UBND tỉnh Thanh Hóa"; other bodies in official spelling."""
    raw = clean_line(raw).strip(" -–—_.,;:")
    folded = fold_upper(raw)
    if folded in _FIXED_ISSUERS:
        return _FIXED_ISSUERS[folded]
    words = raw.lower().split()
    for full, short in (("UY BAN NHAN DAN", "UBND"), ("UBND", "UBND"),
                        ("HOI DONG NHAN DAN", "HĐND"), ("HDND", "HĐND")):
        if folded == full:
            return short
        if folded.startswith(full + " "):
            n = len(full.split())
            rest, place = _split_place(words[n:], start=0)
            if place and not rest:
                return f"{short} {place}"
    return _org_case(raw) if is_upper(raw) else raw


def place_of(org: str) -> str:
    """"UBND tỉnh Thanh Hóa" -> "tỉnh Thanh Hóa" (the administrative unit an issuer belongs to)."""
    return _split_place(org.split(), start=0)[1] if org else ""


def _is_org_head(line: str) -> bool:
    folded = fold_upper(line) + " "
    return any(folded.startswith(h) for h in ORG_HEADS)


def group_issuer_lines(lines: list[str]) -> list[str]:
    """Join the issuer's lines into bodies: "ỦY BAN NHÂN DÂN" + "TỈNH THANH HÓA" is one body,
    "UBND TỈNH THANH HÓA" + "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" is a parent and its office."""
    groups: list[list[str]] = []
    for line in lines:
        if groups and not _is_org_head(line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return [" ".join(g) for g in groups]


def parse_date(match: re.Match[str]) -> str:
    d = match.group("d") or match.group("d2")
    m = match.group("m") or match.group("m2")
    y = match.group("y") or match.group("y2")
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return ""


def place_before(prefix: str) -> str:
    """The run of capitalised words right before ", ngày": "Số: 225/KH-UBND Thanh Hóa" -> "Thanh Hóa"."""
    taken: list[str] = []
    for word in reversed(prefix.rstrip(" ,").split()):
        bare = word.rstrip(".")
        if word in {"-", "–"} and taken:
            taken.append(word)
        elif bare in {"TP", "Tp"} or (
            bare.isalpha() and bare[0].isupper() and (len(bare) == 1 or not bare[1:].isupper())
        ):
            taken.append(word)
        else:
            break
    while taken and taken[-1] in {"-", "–"}:
        taken.pop()
    return " ".join(reversed(taken))
