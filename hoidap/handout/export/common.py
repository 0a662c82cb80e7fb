"""What every export format shares: the title, the introduction, text made safe for XML, file names."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from hoidap.handout.model import Handout, PassageGroup
from indexer import text as vtext


def clean_xml(text: str) -> str:
    """Drop control characters python-docx (XML 1.0) refuses; keep newlines and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def bullet_free(text: str) -> str:
    """Drop a leading "-", "+" or "•" (the export adds its own bullets)."""
    return re.sub(r"^\s*[-+•]\s+", "", text)


def title_of(handout: Handout) -> str:
    return f"Tài liệu tập huấn: {handout.topic}" if handout.topic else "Tài liệu tập huấn"


def intro(handout: Handout) -> str:
    n = len(handout.passages())
    return (
        f"Soạn tự động ngày {date.today().strftime('%d/%m/%Y')} từ {n} đoạn trích của {handout.documents} văn bản. "
        "Mỗi ý đều kèm nguồn trích dẫn; người tập huấn cần đối chiếu với văn bản gốc trước khi sử dụng."
    )


def group_heading(g: PassageGroup) -> str:
    """"Kế hoạch số 888/KH-UBND — title" (the label alone when it is the title)."""
    return g.doc_label if g.doc_label == g.doc_title else f"{g.doc_label} — {g.doc_title}"


def file_stem(topic: str) -> str:
    """ASCII file name stem for downloads: "tai-lieu-tap-huan-dien-toan-dam-may"."""
    slug = re.sub(r"[^a-z0-9]+", "-", vtext.fold(topic or "")).strip("-")[:50].strip("-")
    return "tai-lieu-tap-huan" + (f"-{slug}" if slug else "")
