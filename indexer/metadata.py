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
Numbers a text mentions are exposed separately by :func:`document_references`.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import PurePath

from indexer.syllables import is_vietnamese_syllable
from indexer.types import DocumentMeta

#: How many non-empty lines count as the header block.
HEADER_LINES = 40
#: Only this much of the text is looked at: the header is at the top, and big files stay cheap.
HEADER_CHARS = 20_000
MAX_TITLE_CHARS = 300
FALLBACK_TITLE_CHARS = 200


def fold(text: str) -> str:
    """Upper-case, tone- and diacritic-free form with one character per input character.

    "Thanh Hóa" -> "THANH HOA", "Đ" -> "D". Keeping the length lets a match
    found in the folded string be cut out of the original by position.
    """
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("D")
            continue
        base = unicodedata.normalize("NFD", ch)[:1] or ch
        out.append(base.upper() if len(base.upper()) == 1 else ch)
    return "".join(out)


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

#: Folded type line -> document type, longest first so "BỘ LUẬT" wins over "LUẬT".
DOC_TYPES: tuple[tuple[str, str], ...] = (
    ("THONG TU LIEN TICH", "Thông tư liên tịch"),
    ("NGHI QUYET", "Nghị quyết"),
    ("NGHI DINH", "Nghị định"),
    ("QUYET DINH", "Quyết định"),
    ("KE HOACH", "Kế hoạch"),
    ("BO LUAT", "Bộ luật"),
    ("PHAP LENH", "Pháp lệnh"),
    ("THONG TU", "Thông tư"),
    ("CHI THI", "Chỉ thị"),
    ("CONG VAN", "Công văn"),
    ("THONG BAO", "Thông báo"),
    ("BAO CAO", "Báo cáo"),
    ("TO TRINH", "Tờ trình"),
    ("HUONG DAN", "Hướng dẫn"),
    ("CHUONG TRINH", "Chương trình"),
    ("DE AN", "Đề án"),
    ("LUAT", "Luật"),
)

#: Type abbreviation in a số hiệu ("225/KH-UBND") -> document type.
TYPE_CODES: dict[str, str] = {
    "KH": "Kế hoạch", "QD": "Quyết định", "NQ": "Nghị quyết", "ND": "Nghị định",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "CV": "Công văn",
    "TB": "Thông báo", "BC": "Báo cáo", "TTR": "Tờ trình", "HD": "Hướng dẫn",
    "QH": "Luật", "CTR": "Chương trình", "DA": "Đề án", "PL": "Pháp lệnh",
}

_TYPE_WORDS = "|".join(
    ["Kế hoạch", "Quyết định", "Nghị quyết", "Nghị định", "Bộ luật", "Luật", "Thông tư",
     "Chỉ thị", "Công văn", "Thông báo", "Báo cáo", "Pháp lệnh", "Tờ trình", "Hướng dẫn"]
)

#: Provinces and centrally-run cities (pre-2025 list), to restore their capitals
#: when a heading in CAPITALS is turned into sentence case.
PROVINCES: tuple[str, ...] = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn",
    "Bắc Ninh", "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang",
    "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Huế", "Việt Nam",
    # old-style tone placement, still common in older documents
    "Thanh Hoá", "Hoà Bình", "Khánh Hoà",
)
_PROPER_PHRASES = ("Chính phủ", "Quốc hội", "Nhà nước", "Trung ương", "Đảng", "Thủ tướng")

#: Administrative units, lowercase as written ("QUÂN" must not read as "quận").
_UNITS = ("thành phố", "thị trấn", "thị xã", "phường", "huyện", "quận", "tỉnh", "xã", "tp.")

#: Words that open an issuing body's name; a header line starting with one starts a new body.
_ORG_HEADS = (
    "UY BAN NHAN DAN", "UBND", "HOI DONG NHAN DAN", "HDND", "QUOC HOI", "CHINH PHU",
    "THU TUONG", "VAN PHONG", "BO ", "SO ", "BAN ", "CUC ", "TONG CUC", "VU ", "TRUNG TAM",
    "UY BAN", "HOI DONG", "VIEN ", "TOA AN", "CONG AN", "KHO BAC", "THANH TRA", "CHI CUC",
    "PHONG ", "DAI ", "BAO ", "TRUONG ", "BO CHI HUY", "TINH UY", "HUYEN UY", "THANH UY",
    "DANG UY", "MAT TRAN", "LIEN DOAN", "HOI ", "NGAN HANG", "TAP DOAN", "TONG CONG TY",
    "CONG TY", "BENH VIEN", "DOAN ",
)
#: Kinds of body (lowercase) and how they are spelt at the head of a name.
_ORG_PREFIXES: dict[str, str] = {
    "bộ chỉ huy quân sự": "Bộ Chỉ huy Quân sự", "tòa án nhân dân": "Tòa án nhân dân",
    "viện kiểm sát nhân dân": "Viện Kiểm sát nhân dân", "kho bạc nhà nước": "Kho bạc Nhà nước",
    "tổng công ty": "Tổng công ty", "tổng cục": "Tổng cục", "chi cục": "Chi cục",
    "văn phòng": "Văn phòng", "trung tâm": "Trung tâm", "ủy ban": "Ủy ban", "uỷ ban": "Uỷ ban",
    "hội đồng": "Hội đồng", "công an": "Công an", "thanh tra": "Thanh tra",
    "ngân hàng": "Ngân hàng", "bệnh viện": "Bệnh viện", "công ty": "Công ty", "bộ": "Bộ",
    "sở": "Sở", "ban": "Ban", "cục": "Cục", "vụ": "Vụ", "viện": "Viện", "phòng": "Phòng",
    "đài": "Đài", "báo": "Báo", "trường": "Trường", "hội": "Hội", "đoàn": "Đoàn",
}

# --------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------

_QUOC_HIEU_RE = re.compile(r"CONG\s+HOA\s+XA\s+HOI\s+CHU\s+NGHIA\s+VIET\s+NAM")
_TIEU_NGU_RE = re.compile(r"DOC\s+LAP\s*[-–—]+\s*TU\s+DO\s*[-–—]+\s*HANH\s+PHUC")
_CELL_SPLIT_RE = re.compile(r"\s+\|\s+|\t")
_SEPARATOR_RE = re.compile(r"^[\s\-_–—=*.·•~]+$")
_CODE = r"[A-ZĐa-zđ][A-Za-zĐđ0-9]*(?:\s*-\s*[A-Za-zĐđ0-9]+)*"
# "225/KH-UBND", "12/2023/QĐ-UBND", "24/2018/QH14"; Party documents: "52-NQ/TW".
_NUMBER_BODY = rf"(?:\d{{1,5}}\s*/\s*(?:\d{{4}}\s*/\s*)?{_CODE}|\d{{1,5}}-[A-ZĐ]{{2,}}/[A-ZĐ]{{2,}})"
_SO_LINE_RE = re.compile(rf"^\s*(Luật\s+số|LUẬT\s+SỐ|Số|SỐ)\s*[:.]?\s*(?P<num>{_NUMBER_BODY})")
_SO_INLINE_RE = re.compile(rf"(?:^|\s)(Luật\s+số|Số|SỐ)\s*:\s*(?P<num>{_NUMBER_BODY})")
_BARE_NUMBER_RE = re.compile(rf"^\s*(?P<num>\d{{1,5}}/(?:\d{{4}}/)?[A-ZĐ][A-Za-zĐ0-9]*(?:-[A-Za-zĐ0-9]+)*)(?:\s|$)")
_DATE_RE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
    r"|ngày\s+(?P<d2>\d{1,2})\s*[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>\d{4})",
    re.IGNORECASE,
)
_NEWS_DATE_RE = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)")
_VV_RE = re.compile(r"^\s*(?:V/v|V/V|Về việc)\s*[:.]?\s*(?P<rest>.+)$")
_TITLE_STOP_RE = re.compile(
    r"^\s*(?:Căn cứ|Thực hiện|Theo\b|Xét\b|Kính gửi|Điều\s+\d|Chương\s+[IVXLC\d]|Phần\s+[IVXLC\d]"
    r"|Mục\s+[IVXLC\d]|[IVXLC]+\s*[.\-–](?:\s|$)|\d+\s*[.)](?:\s|$)|QUYẾT ĐỊNH\s*:|CHỦ TỊCH|ỦY BAN|UỶ BAN"
    r"|HỘI ĐỒNG|QUỐC HỘI|CHÍNH PHỦ|BỘ TRƯỞNG|THỦ TƯỚNG|BAN THƯỜNG VỤ|KHÓA\s|KHOÁ\s|Nơi nhận)"
)
_BODY_START_RE = re.compile(r"^\s*(?:Căn cứ|Thực hiện|Kính gửi|Điều\s+1\b|Chương\s+I\b|Phần\s+I\b)")

#: News outlet markers at the start of a line: "VOV.VN - ", "(Chinhphu.vn) - ", "(TTXVN) -".
_OUTLET_RE = re.compile(
    r"^\s*(?:\(\s*(?P<p>[^()\n]{2,40}?)\s*\)|(?P<d>[A-Za-zÀ-ỹĐđ0-9][\wÀ-ỹĐđ.\- ]{0,38}?\.(?:vn|VN|Vn|com|net|org)))"
    r"\s*[-–—:]\s+"
)
_KNOWN_OUTLETS = (
    "TTXVN", "VNA", "VOV", "VTV", "VTC", "Báo Thanh Hóa", "Báo Thanh Hoá", "Báo Nhân Dân",
    "Báo Nhân dân", "Nhân Dân", "Thanh Niên", "Tuổi Trẻ", "Dân trí", "VnExpress", "Vietnamplus",
)
_KNOWN_OUTLET_RE = re.compile(
    r"^\s*(?:Theo\s+)?(?P<o>" + "|".join(re.escape(o) for o in _KNOWN_OUTLETS) + r")\b\s*(?:[-–—:]\s+|\)\s*[-–—]\s*|$)"
)

_REF_NUMBER_RE = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5}\s?/\s?(?:\d{4}\s?/\s?)?[A-ZĐ][A-Za-zĐ0-9]*(?:-[A-Za-zĐ0-9]+)*"
    r"|\d{1,5}-[A-ZĐ]{2,}/[A-ZĐ]{2,})(?![\w/])"
)
_REF_NAMED_RE = re.compile(
    rf"(?P<type>{_TYPE_WORDS})\s+(?:số\s+|số:\s*)?(?P<n>\d{{1,5}})(?!\d|\s?/|-[A-ZĐ])", re.IGNORECASE
)


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def _strip_national_motto(line: str) -> str:
    """Cut Quốc hiệu and Tiêu ngữ out of a line (PDFs often merge them with the left column)."""
    folded = fold(line)
    spans = [m.span() for rx in (_QUOC_HIEU_RE, _TIEU_NGU_RE) for m in rx.finditer(folded)]
    for start, end in sorted(spans, reverse=True):
        line = line[:start] + " " + line[end:]
    return _clean(line)


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def normalize_number(raw: str) -> str:
    """"225 /KH - UBND" -> "225/KH-UBND"; Icelandic "Ð" (a legacy-font artefact) -> "Đ"."""
    return re.sub(r"\s+", "", raw).replace("Ð", "Đ").replace("ð", "đ").strip("-.,;")


def _type_from_number(number: str) -> str:
    if re.match(r"^\d+-", number):  # Party style "52-NQ/TW": the type follows the dash
        code = number.split("-", 1)[1].split("/")[0]
        return TYPE_CODES.get(fold(code).upper(), "")
    code = number.split("/")[-1].split("-")[0]
    code = fold(re.sub(r"\d+$", "", code)).upper()
    return TYPE_CODES.get(code, "")


def _restore_capitals(text: str) -> str:
    """Put back the capitals of province names and institutions lost to lower-casing."""
    for name in PROVINCES + _PROPER_PHRASES:
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


def _decapitalise_title(title: str) -> str:
    """Sentence-case a title typed in capitals, or its capitals opening before a lowercase remark."""
    if _is_upper(title):
        return sentence_case(title)
    words = title.split(" ")
    n = 0
    while n < len(words) and (_is_upper(words[n]) or not any(ch.isalpha() for ch in words[n])):
        n += 1
    if sum(any(ch.isalpha() for ch in w) for w in words[:n]) >= 2:
        return " ".join([sentence_case(" ".join(words[:n]))] + words[n:])
    return title


def _match_unit(words: list[str], i: int) -> tuple[str, int] | None:
    """The administrative unit ("tỉnh", "thành phố", ...) starting at ``words[i]``, with its word count."""
    for unit in _UNITS:
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
    words, place = _split_place(_clean(text).lower().split())
    low = " ".join(words)
    head = ""
    for prefix, spelt in _ORG_PREFIXES.items():
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
    raw = _clean(raw).strip(" -–—_.,;:")
    folded = fold(raw)
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
    return _org_case(raw) if _is_upper(raw) else raw


def _place_of(org: str) -> str:
    """"UBND tỉnh Thanh Hóa" -> "tỉnh Thanh Hóa" (the administrative unit an issuer belongs to)."""
    return _split_place(org.split(), start=0)[1] if org else ""


def _is_org_head(line: str) -> bool:
    folded = fold(line) + " "
    return any(folded.startswith(h) for h in _ORG_HEADS)


def _group_issuer_lines(lines: list[str]) -> list[str]:
    """Join the issuer's lines into bodies: "ỦY BAN NHÂN DÂN" + "TỈNH THANH HÓA" is one body,
    "UBND TỈNH THANH HÓA" + "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" is a parent and its office."""
    groups: list[list[str]] = []
    for line in lines:
        if groups and not _is_org_head(line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return [" ".join(g) for g in groups]


def _parse_date(match: re.Match[str]) -> str:
    d = match.group("d") or match.group("d2")
    m = match.group("m") or match.group("m2")
    y = match.group("y") or match.group("y2")
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return ""


def _place_before(prefix: str) -> str:
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


# --------------------------------------------------------------------------------------
# News
# --------------------------------------------------------------------------------------


def detect_outlet(lines: list[str]) -> str:
    """Outlet of a news article from a marker line near the top ("VOV.VN - ..."), else ""."""
    for line in lines[:6]:
        m = _KNOWN_OUTLET_RE.match(line)
        if m:
            return m.group("o")
        m = _OUTLET_RE.match(line)
        if m:
            name = (m.group("p") or m.group("d") or "").strip()
            if m.group("p") and not (re.search(r"\.(?:vn|com|net|org)$", name, re.I) or name in _KNOWN_OUTLETS):
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
    all_lines = [_clean(cell) for line in head.split("\n") for cell in _CELL_SPLIT_RE.split(line)]
    lines = [line for line in all_lines if line][:HEADER_LINES]
    stem = PurePath(filename.replace("\\", "/")).stem if filename else ""
    first = lines[0].lstrip("#").strip() if lines else ""  # a Markdown heading's "#" is not title
    fallback_title = first[:FALLBACK_TITLE_CHARS].rstrip() or stem

    outlet = detect_outlet(lines)
    if outlet:
        return _news_meta(lines, outlet, fallback_title)

    cleaned = [_strip_national_motto(line) for line in lines]
    body_idx = next((i for i, line in enumerate(cleaned) if _BODY_START_RE.match(line)), len(cleaned))
    type_idx, doc_type, title_parts = _find_type_line(cleaned[:body_idx])
    header_end = type_idx if type_idx != -1 else min(body_idx, 15)

    number, number_idx = _find_number(cleaned[:header_end])
    if number_idx != -1 and not doc_type and fold(cleaned[number_idx]).startswith("LUAT"):
        doc_type = "Luật"

    # Place and date: "Thanh Hóa, ngày 15 tháng 9 năm 2023".
    place, date, date_idx = _find_place_date(cleaned[:header_end])

    stops = [x for x in (number_idx, date_idx, type_idx) if x != -1]
    issuer = _find_issuer(cleaned, min(stops)) if stops else ""

    # Công văn: no type line, a "V/v" subject line instead.
    if type_idx == -1:
        for line in cleaned[: header_end + 3]:
            m = _VV_RE.match(line)
            if m:
                rest = m.group("rest").strip()
                title_parts = [rest[:1].upper() + rest[1:]]
                if number and not _type_from_number(number):
                    doc_type = "Công văn"
                break

    if not doc_type and number:
        doc_type = _type_from_number(number)

    if type_idx != -1:
        title_parts += _trich_yeu(all_lines[_raw_index(all_lines, type_idx) + 1 :], len(title_parts))

    title = _clean(" ".join(title_parts)).strip(" -–—_")
    title = _decapitalise_title(title)
    if doc_type in ("Luật", "Bộ luật", "Pháp lệnh") and title:
        title = f"{doc_type} {title[:1].upper()}{title[1:]}"
    return DocumentMeta(
        doc_type=doc_type, number=number, issuer=issuer, place=place, date=date,
        title=(title or fallback_title)[:MAX_TITLE_CHARS], outlet="",
    )


def _find_type_line(lines: list[str]) -> tuple[int, str, list[str]]:
    """(index, type, [title text on the same line]) of the first capitals line naming a type."""
    for i, line in enumerate(lines):
        folded = fold(line)
        for key, name in DOC_TYPES:
            if not (folded == key or folded.startswith((key + " ", key + ":"))):
                continue
            if not _is_upper(line[: len(key)]):
                continue
            rest = line[len(key) :].strip(" :")
            if rest.lower().startswith("số"):
                break  # "LUẬT SỐ: 24/2018/QH14" is the number line
            return i, name, [rest] if rest else []
    return -1, "", []


def _find_number(lines: list[str]) -> tuple[str, int]:
    """Số hiệu from "Số: 225/KH-UBND" (line start, or after a merged column), else a bare "91/2015/QH13"."""
    for i, line in enumerate(lines):
        m = _SO_LINE_RE.match(line) or _SO_INLINE_RE.search(line)
        if m:
            return normalize_number(m.group("num")), i
    for i, line in enumerate(lines):
        m = _BARE_NUMBER_RE.match(line)
        if m and _type_from_number(m.group("num")):
            return normalize_number(m.group("num")), i
    return "", -1


def _find_place_date(lines: list[str]) -> tuple[str, str, int]:
    """(place, ISO date, line index) from "Thanh Hóa, ngày 15 tháng 9 năm 2023".

    A line of the form "<place>, ngày ..." wins over any other date in the header
    (a "V/v" subject line may quote the date of the document it answers).
    """
    fallback: tuple[str, str, int] = ("", "", -1)
    for i, line in enumerate(lines):
        m = _DATE_RE.search(line)
        if not m:
            continue
        if line[: m.start()].rstrip().endswith(","):
            return _place_before(line[: m.start()]), _parse_date(m), i
        if fallback[2] == -1 and not _VV_RE.match(line):
            fallback = ("", _parse_date(m), i)
    return fallback


def _find_issuer(lines: list[str], stop: int) -> str:
    """Issuer from the capitals lines above ``stop`` (and the part of line ``stop`` before "Số:")."""
    candidates = []
    for i, line in enumerate(lines[: stop + 1]):
        if i == stop:
            m = re.search(r"(?:^|\s)(?:Số|SỐ|Luật số)\s*:|ngày\s+\d", line)
            line = _leading_caps(line[: m.start()]) if m else ""
        line = line.strip(" -–—_")
        if line and not _SEPARATOR_RE.match(line) and _is_upper(line):
            candidates.append(line)
    groups = _group_issuer_lines(candidates)
    if not groups:
        return ""
    issuer = readable_issuer(groups[-1])
    if len(groups) > 1 and not _place_of(issuer):
        parent_place = _place_of(readable_issuer(groups[-2]))
        if parent_place:
            issuer = f"{issuer} {parent_place}"
    return issuer


def _leading_caps(text: str) -> str:
    """The leading run of capitals words: "TỈNH THANH HÓA Thanh Hóa," -> "TỈNH THANH HÓA"."""
    taken = []
    for word in text.split():
        if _is_upper(word) or word in {"-", "–"}:
            taken.append(word)
        else:
            break
    return " ".join(taken)


def _trich_yeu(following: list[str], already: int) -> list[str]:
    """The trích yếu lines after the type line, up to a separator, a blank or the body."""
    parts: list[str] = []
    for line in following:
        if not line or _SEPARATOR_RE.match(line):
            if parts or already:
                break
            continue
        if _TITLE_STOP_RE.match(line) or _DATE_RE.search(line) or _SO_LINE_RE.match(line):
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
        m = _DATE_RE.search(line)
        if m:
            date = _parse_date(m)
            break
        m2 = _NEWS_DATE_RE.search(line) if len(line) <= 40 else None
        if m2:
            try:
                date = _dt.date(int(m2.group("y")), int(m2.group("m")), int(m2.group("d"))).isoformat()
            except ValueError:
                date = ""
            break
    return DocumentMeta(doc_type="Bài báo", outlet=outlet, title=headline, date=date)


def document_references(text: str) -> list[str]:
    """Document numbers a text mentions, normalised, in order of first mention.

    "Kế hoạch số 225/KH-UBND" gives "225/KH-UBND" and "Kế hoạch 225"; "Kế hoạch số
    225" gives "Kế hoạch 225". Query matching uses these to link an article to
    the plan it reports on without pretending the article *is* the plan.
    """
    found: list[tuple[int, str]] = []
    for m in _REF_NUMBER_RE.finditer(text):
        num = normalize_number(m.group("num"))
        if _looks_like_number(num):
            found.append((m.start(), num))
            typ = _type_from_number(num)
            short = re.match(r"\d+", num).group()
            if typ and typ != "Luật":
                found.append((m.start() + 1, f"{typ} {short}"))
    for m in _REF_NAMED_RE.finditer(text):
        typ = _canonical_type(m.group("type"))
        found.append((m.start(), f"{typ} {m.group('n')}"))
    seen: set[str] = set()
    out: list[str] = []
    for _, ref in sorted(found):
        if ref not in seen:
            seen.add(ref)
            out.append(ref)
    return out


def _looks_like_number(num: str) -> bool:
    code = num.split("/")[-1]
    letters = re.sub(r"[^A-Za-zĐđ]", "", code)
    return len(letters) >= 2


def _canonical_type(word: str) -> str:
    key = fold(word)
    for k, name in DOC_TYPES:
        if key == k:
            return name
    return word[:1].upper() + word[1:].lower()
