"""What every export format shares: title, introduction, item details, XML-safe text, file names."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import datetime

from hoidap.handout.model import Handout, HandoutItem, PassageGroup
from indexer import text as vtext

#: Author and issuing agency when none is configured (HOIDAP_AGENCY).
DEFAULT_AGENCY = "Hỏi đáp văn bản"
OPTION_LETTERS = "ABCDEFGH"
#: Heading and "nothing found" line of each part, the same in every format.
PARTS = {
    "targets": ("1. Mục tiêu, chỉ tiêu chính", "Không có chỉ tiêu định lượng trong các đoạn đã chọn."),
    "responsibilities": ("2. Phân công trách nhiệm", "Không có nội dung phân công trong các đoạn đã chọn."),
    "questions": ("3. Câu hỏi ôn tập", "Chưa soạn được câu hỏi từ các đoạn đã chọn."),
    "passages": ("4. Trích đoạn văn bản", ""),
    "sources": ("Văn bản trích dẫn", ""),
}


def clean_xml(text: str) -> str:
    """Drop control characters python-docx (XML 1.0) refuses; keep newlines and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def bullet_free(text: str) -> str:
    """Drop a leading "-", "+" or "•" (the export adds its own bullets)."""
    return re.sub(r"^\s*[-+•]\s+", "", text)


def title_of(handout: Handout) -> str:
    return f"Tài liệu tập huấn: {handout.topic}" if handout.topic else "Tài liệu tập huấn"


def agency_of(handout: Handout) -> str:
    return handout.agency.strip() or DEFAULT_AGENCY


def place_of(handout: Handout) -> str:
    """The place most cited documents were issued in ("Thanh Hóa"), for the date line; "" if none."""
    places = Counter(s.place for s in handout.sources if s.place)
    return places.most_common(1)[0][0] if places else ""


def intro(handout: Handout, when: datetime | None = None) -> str:
    n = len(handout.passages())
    day = (when or datetime.now()).strftime("%d/%m/%Y")
    return (
        f"Soạn tự động ngày {day} từ {n} đoạn trích của {handout.documents} văn bản. "
        "Mỗi ý đều kèm nguồn trích dẫn; người tập huấn cần đối chiếu với văn bản gốc trước khi sử dụng."
    )


def target_details(t: HandoutItem) -> str:
    """The deadline a target falls under when its clause states none ("Thời hạn: đến năm 2025 (…)")."""
    if t.deadline and t.deadline_note:
        return f"Thời hạn: {t.deadline} ({t.deadline_note})"
    if t.deadline and t.deadline.lower() not in t.text.lower():
        return f"Thời hạn: {t.deadline}"
    return ""


def duty_text(r: HandoutItem) -> str:
    """What the agency is to do, without repeating the agency ("triển khai Kế hoạch; …")."""
    task = r.task or bullet_free(r.text)
    return task[:1].upper() + task[1:]


def question_lines(q: HandoutItem) -> list[str]:
    """The question, then its options "A. …" (multiple choice) or "Đúng / Sai" (true/false)."""
    lines = [q.text]
    if q.qtype == "choice":
        lines += [f"{OPTION_LETTERS[i]}. {o}" for i, o in enumerate(q.options)]
    elif q.qtype == "truefalse":
        lines.append("Đúng / Sai")
    return lines


def answer_text(q: HandoutItem) -> str:
    """"B. Sở Thông tin và Truyền thông", "Sai (văn bản ghi: 100%)", "2025"."""
    if q.qtype == "choice" and q.answer in q.options:
        return f"{OPTION_LETTERS[q.options.index(q.answer)]}. {q.answer}"
    if q.qtype == "truefalse" and q.evidence:
        return f"{q.answer} (văn bản ghi: {q.evidence})"
    return q.answer


def group_heading(g: PassageGroup) -> str:
    """"Kế hoạch số 888/KH-UBND — title" (the label alone when it is the title)."""
    return g.doc_label if g.doc_label == g.doc_title else f"{g.doc_label} — {g.doc_title}"


def file_stem(topic: str) -> str:
    """ASCII file name stem for downloads: "tai-lieu-tap-huan-dien-toan-dam-may"."""
    slug = re.sub(r"[^a-z0-9]+", "-", vtext.fold(topic or "")).strip("-")[:50].strip("-")
    return "tai-lieu-tap-huan" + (f"-{slug}" if slug else "")
