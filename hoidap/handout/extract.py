"""Reading administrative sentences: which state a target, which assign a task to an agency.

Regular expressions over the fixed phrasing of Vietnamese plans ("đến năm 2025",
"Sở … chủ trì, phối hợp với …"): no library parses this register, and the
patterns are few and tested sentence by sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from indexer import text as vtext

PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?\s+phần\s+trăm", re.IGNORECASE)
_DEADLINE = re.compile(
    r"(?:đến|trước|sau|chậm nhất|trong)\s+(?:năm|ngày|tháng|quý)\s+[\dIVX/]+(?:\s*[/-]\s*\d+)*(?:\s+hằng\s+năm)?|"
    r"chậm nhất\s+(?:ngày|trước ngày)\s+[\d/]+|hằng\s+(?:năm|quý|tháng)",
    re.IGNORECASE,
)
_STRONG_DEADLINE = re.compile(r"đến năm|trước ngày|trước năm|chậm nhất|trước tháng|trước quý", re.IGNORECASE)
# Digits that are not targets: document codes, dates, the plan's period, "số 225".
_NOT_FIGURE = re.compile(
    r"\d+(?:/\d+)*/[A-ZĐ][\wĐđ-]*|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|"
    r"giai đoạn\s+\d{4}\s*[-–]\s*\d{4}|\d{4}\s*[-–]\s*\d{4}|số\s+\d+|ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}",
    re.IGNORECASE,
)
# A bare number counts when a word follows it ("100 Mb/s", "30 trạm", "cấp độ 3 trở lên"),
# not inside code-like text ("alert(1)", "v2").
_QUANTITY = re.compile(r"(?<![\w/(])\d+(?:[.,]\d+)*(?=\s+[^\W\d_])")
_SKIP_START = re.compile(r"^\s*(?:Căn cứ|Số:|Nơi nhận|- Như trên|- Lưu|Kính gửi|CỘNG HÒA|Độc lập)", re.IGNORECASE)
ENUM = re.compile(r"^\s*(?:[-+•*]\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s*|[a-zđ][)]\s*|[IVXLC]+\.\s*)")

_AGENCY_HEAD = (
    r"(?:Sở|Ban|Bộ|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Văn phòng|Công an|Bộ Chỉ huy|Cục|Chi cục|Trung tâm|"
    r"Đài|Báo|Thanh tra|Kho bạc|Hội đồng|Liên đoàn|Tỉnh đoàn|Mặt trận|Ủy ban Mặt trận|Viễn thông|Bưu điện|"
    r"[Cc]ác sở|[Cc]ác doanh nghiệp|[Dd]oanh nghiệp|[Cc]ác cơ quan|[Cc]ác đơn vị|[Cc]ác huyện)"
)
_AGENCY_STOP = (
    r"chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|tổ chức|thực hiện|hướng dẫn|tham mưu|triển khai|"
    r"báo cáo|bố trí|tạo điều kiện|rà soát|xây dựng|theo dõi|kiểm tra|đầu tư|cân đối|tuyên truyền|"
    r"đẩy mạnh|nghiên cứu|ban hành|đảm bảo|bảo đảm|được|là|sẽ|cần|phải"
)
_AGENCY_AT_START = re.compile(
    r"^(?:(?:Giao|Đề nghị|Yêu cầu|Giao cho)\s+)?(?P<agency>" + _AGENCY_HEAD + r"(?:\s+[^\s,;:.()]+){0,10}?)"
    r"(?=\s*:|\s+(?:" + _AGENCY_STOP + r")(?!\w))"
)
_AGENCY_BEFORE_LEAD = re.compile(
    r"(?P<agency>" + _AGENCY_HEAD + r"(?:\s+[^\s,;:.()]+){0,10}?)\s*:?\s+chủ trì(?!\w)", re.IGNORECASE
)
_PARTNERS = re.compile(
    r"phối hợp(?:\s+chặt chẽ)?\s+với\s+(?P<who>[^;.:]+?)"
    r"(?=\s+(?:để|trong|" + _AGENCY_STOP + r")(?!\w)|[;.:]|$)"
)
LEAD_RE = re.compile(r"(?<!\w)chủ trì(?!\w)", re.IGNORECASE)
COORD_RE = re.compile(r"(?<!\w)phối hợp(?!\w)", re.IGNORECASE)


@dataclass
class _Sentence:
    hit: Any
    text: str
    start: int
    end: int


def _is_heading_only(sentence: str) -> bool:
    from indexer.structure import classify_heading

    m = classify_heading(sentence)
    if m is None:
        return False
    return ":" not in m.rest and vtext.syllable_count(m.rest) <= 12


def sentences_of(hits: Sequence[Any]) -> list[_Sentence]:
    """Content sentences of the passages (headings, "Căn cứ …", signature lines dropped)."""
    out: list[_Sentence] = []
    for h in hits:
        text = h.passage.text
        for a, b in vtext.sentence_spans(text):
            s = text[a:b]
            if vtext.syllable_count(s) < 4 or _SKIP_START.match(s) or _is_heading_only(s):
                continue
            out.append(_Sentence(h, s, a, b))
    return out


def target_figures(sentence: str) -> list[str]:
    """Figures that make ``sentence`` a target: percentages, deadlines, other quantities.

    Document codes ("225/KH-UBND"), dates of issue and the plan's period
    ("giai đoạn 2023 - 2025") are not targets and are ignored.
    """
    figures = [m.group(0).strip() for m in PERCENT.finditer(sentence)]
    figures += [m.group(0).strip() for m in _DEADLINE.finditer(sentence) if _STRONG_DEADLINE.search(m.group(0))]
    if not figures:
        rest = _NOT_FIGURE.sub(" ", ENUM.sub("", sentence))
        rest = PERCENT.sub(" ", rest)
        figures += [m.group(0) for m in _QUANTITY.finditer(rest)]
    return list(dict.fromkeys(figures))


def _strip_marker(heading: str) -> str:
    from indexer.structure import classify_heading

    m = classify_heading(heading)
    return m.rest if m else heading


def _clean_agency(agency: str) -> str:
    agency = ENUM.sub("", agency).strip(" ,;:-")
    agency = re.sub(r"^(?:Giao|Đề nghị|Yêu cầu|Giao cho)\s+", "", agency)
    return agency[:1].upper() + agency[1:] if agency else agency


def responsibility_of(sentence: str, section_path: Sequence[str] = ()) -> tuple[str, str, str] | None:
    """(agency, role, partners) if ``sentence`` assigns a task to a named agency, else None.

    Roles: "chủ trì" (leads), "phối hợp" (coordinates), "thực hiện" (does).
    The agency is the subject: at the start of the sentence ("Sở Tài chính: Cân
    đối …", "Giao Sở … chủ trì"), right before "chủ trì", or, for a bullet under
    an item titled with an agency ("1. Sở Thông tin và Truyền thông"), that agency.
    """
    body = ENUM.sub("", sentence).strip()
    if body.endswith(":"):  # an introduction ("… với các nội dung sau:"), not a task
        return None
    agency = ""
    colon = body.find(":")
    if 0 < colon <= 120 and re.match(_AGENCY_HEAD, body) and body[colon + 1 :].strip():
        before = body[:colon]
        if len(before.split()) <= 12 and not re.search(r"(?<!\w)(?:" + _AGENCY_STOP + r"|ban hành)(?!\w)", before):
            agency = before
    if not agency:
        m = _AGENCY_BEFORE_LEAD.search(body)
        if m:
            agency = m.group("agency")
    if not agency:
        m = _AGENCY_AT_START.match(body)
        if m:
            agency = m.group("agency")
    if not agency and section_path:
        title = _strip_marker(section_path[-1])
        if re.match(_AGENCY_HEAD, title) and sentence.lstrip()[:1] in "-+•":
            agency = title
    if not agency:
        return None
    agency = _clean_agency(agency)
    lead = LEAD_RE.search(body)
    coord = COORD_RE.search(body)
    role = "chủ trì" if lead else ("phối hợp" if coord else "thực hiện")
    partners = ""
    pm = _PARTNERS.search(body)
    if pm:
        partners = pm.group("who").strip(" ,")
    return agency, role, partners
