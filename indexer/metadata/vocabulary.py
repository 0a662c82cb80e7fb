"""Vocabulary of Vietnamese administrative headers: document types, số hiệu codes,
provinces, issuing bodies, outlets, and the patterns that find them.

Header rules match on :func:`fold_upper`, an upper-case, diacritic-free form with
*one character per input character*, so a match position cuts the original line.
``indexer.text.fold`` lower-cases and does not promise that (see the report), so
this module keeps its own, differently named, helper.
"""
from __future__ import annotations

import re
import unicodedata


#: How many non-empty lines count as the header block.
HEADER_LINES = 40
#: Only this much of the text is looked at: the header is at the top, and big files stay cheap.
HEADER_CHARS = 20_000
MAX_TITLE_CHARS = 300
FALLBACK_TITLE_CHARS = 200


def fold_upper(text: str) -> str:
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
PROPER_PHRASES = ("Chính phủ", "Quốc hội", "Nhà nước", "Trung ương", "Đảng", "Thủ tướng")

#: Administrative units, lowercase as written ("QUÂN" must not read as "quận").
UNITS = ("thành phố", "thị trấn", "thị xã", "phường", "huyện", "quận", "tỉnh", "xã", "tp.")

#: Words that open an issuing body's name; a header line starting with one starts a new body.
ORG_HEADS = (
    "UY BAN NHAN DAN", "UBND", "HOI DONG NHAN DAN", "HDND", "QUOC HOI", "CHINH PHU",
    "THU TUONG", "VAN PHONG", "BO ", "SO ", "BAN ", "CUC ", "TONG CUC", "VU ", "TRUNG TAM",
    "UY BAN", "HOI DONG", "VIEN ", "TOA AN", "CONG AN", "KHO BAC", "THANH TRA", "CHI CUC",
    "PHONG ", "DAI ", "BAO ", "TRUONG ", "BO CHI HUY", "TINH UY", "HUYEN UY", "THANH UY",
    "DANG UY", "MAT TRAN", "LIEN DOAN", "HOI ", "NGAN HANG", "TAP DOAN", "TONG CONG TY",
    "CONG TY", "BENH VIEN", "DOAN ",
)
#: Kinds of body (lowercase) and how they are spelt at the head of a name.
ORG_PREFIXES: dict[str, str] = {
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

QUOC_HIEU_RE = re.compile(r"CONG\s+HOA\s+XA\s+HOI\s+CHU\s+NGHIA\s+VIET\s+NAM")
TIEU_NGU_RE = re.compile(r"DOC\s+LAP\s*[-–—]+\s*TU\s+DO\s*[-–—]+\s*HANH\s+PHUC")
CELL_SPLIT_RE = re.compile(r"\s+\|\s+|\t")
SEPARATOR_RE = re.compile(r"^[\s\-_–—=*.·•~]+$")
_CODE = r"[A-ZĐa-zđ][A-Za-zĐđ0-9]*(?:\s*-\s*[A-Za-zĐđ0-9]+)*"
# "225/KH-UBND", "12/2023/QĐ-UBND", "24/2018/QH14"; Party documents: "52-NQ/TW".
_NUMBER_BODY = rf"(?:\d{{1,5}}\s*/\s*(?:\d{{4}}\s*/\s*)?{_CODE}|\d{{1,5}}-[A-ZĐ]{{2,}}/[A-ZĐ]{{2,}})"
SO_LINE_RE = re.compile(rf"^\s*(Luật\s+số|LUẬT\s+SỐ|Số|SỐ)\s*[:.]?\s*(?P<num>{_NUMBER_BODY})")
SO_INLINE_RE = re.compile(rf"(?:^|\s)(Luật\s+số|Số|SỐ)\s*:\s*(?P<num>{_NUMBER_BODY})")
BARE_NUMBER_RE = re.compile(rf"^\s*(?P<num>\d{{1,5}}/(?:\d{{4}}/)?[A-ZĐ][A-Za-zĐ0-9]*(?:-[A-Za-zĐ0-9]+)*)(?:\s|$)")
DATE_RE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
    r"|ngày\s+(?P<d2>\d{1,2})\s*[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>\d{4})",
    re.IGNORECASE,
)
NEWS_DATE_RE = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)")
VV_RE = re.compile(r"^\s*(?:V/v|V/V|Về việc)\s*[:.]?\s*(?P<rest>.+)$")
TITLE_STOP_RE = re.compile(
    r"^\s*(?:Căn cứ|Thực hiện|Theo\b|Xét\b|Kính gửi|Điều\s+\d|Chương\s+[IVXLC\d]|Phần\s+[IVXLC\d]"
    r"|Mục\s+[IVXLC\d]|[IVXLC]+\s*[.\-–](?:\s|$)|\d+\s*[.)](?:\s|$)|QUYẾT ĐỊNH\s*:|CHỦ TỊCH|ỦY BAN|UỶ BAN"
    r"|HỘI ĐỒNG|QUỐC HỘI|CHÍNH PHỦ|BỘ TRƯỞNG|THỦ TƯỚNG|BAN THƯỜNG VỤ|KHÓA\s|KHOÁ\s|Nơi nhận)"
)
BODY_START_RE = re.compile(r"^\s*(?:Căn cứ|Thực hiện|Kính gửi|Điều\s+1\b|Chương\s+I\b|Phần\s+I\b)")

#: News outlet markers at the start of a line: "VOV.VN - ", "(Chinhphu.vn) - ", "(TTXVN) -".
OUTLET_RE = re.compile(
    r"^\s*(?:\(\s*(?P<p>[^()\n]{2,40}?)\s*\)|(?P<d>[A-Za-zÀ-ỹĐđ0-9][\wÀ-ỹĐđ.\- ]{0,38}?\.(?:vn|VN|Vn|com|net|org)))"
    r"\s*[-–—:]\s+"
)
KNOWN_OUTLETS = (
    "TTXVN", "VNA", "VOV", "VTV", "VTC", "Báo Thanh Hóa", "Báo Thanh Hoá", "Báo Nhân Dân",
    "Báo Nhân dân", "Nhân Dân", "Thanh Niên", "Tuổi Trẻ", "Dân trí", "VnExpress", "Vietnamplus",
)
KNOWN_OUTLET_RE = re.compile(
    r"^\s*(?:Theo\s+)?(?P<o>" + "|".join(re.escape(o) for o in KNOWN_OUTLETS) + r")\b\s*(?:[-–—:]\s+|\)\s*[-–—]\s*|$)"
)

REF_NUMBER_RE = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5}\s?/\s?(?:\d{4}\s?/\s?)?[A-ZĐ][A-Za-zĐ0-9]*(?:-[A-Za-zĐ0-9]+)*"
    r"|\d{1,5}-[A-ZĐ]{2,}/[A-ZĐ]{2,})(?![\w/])"
)
REF_NAMED_RE = re.compile(
    rf"(?P<type>{_TYPE_WORDS})\s+(?:số\s+|số:\s*)?(?P<n>\d{{1,5}})(?!\d|\s?/|-[A-ZĐ])", re.IGNORECASE
)
