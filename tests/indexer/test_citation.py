"""indexer.citation: every citation string, on real Vietnamese document metadata."""
from __future__ import annotations

import pytest

from indexer.citation import (
    document_citation,
    document_heading,
    document_name,
    document_number_label,
    format_date_vi,
    passage_reference,
    section_citation,
    section_heading,
    section_label,
)
from indexer.types import DocumentMeta, Passage
from tests.support.records import PLAN_META as PLAN

NEWS = DocumentMeta(
    doc_type="Bài báo",
    outlet="VOV.VN",
    title="Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025",
)
PLAN_PATH = ("II. NHIỆM VỤ, GIẢI PHÁP", "1. Phát triển hạ tầng viễn thông", "a) Mạng di động 5G")
LAW_PATH = ("Chương II. QUYỀN VÀ NGHĨA VỤ", "Điều 5. Quyền của người lao động", "1. Được trả lương", "a) Đúng hạn")


@pytest.mark.parametrize(
    "path,label,citation",
    [
        (PLAN_PATH, "Mục II > 1 > a", "Mục II, khoản 1, điểm a"),
        (LAW_PATH, "Chương II > Điều 5 > khoản 1 > điểm a", "Chương II, Điều 5, khoản 1, điểm a"),
        (("Phần thứ nhất. TÌNH HÌNH CHUNG",), "Phần thứ nhất", "Phần thứ nhất"),
        (("II. NHIỆM VỤ", "2.1. Hạ tầng số"), "Mục II > 2.1", "Mục II, mục 2.1"),
        (("Lời nói đầu của văn bản rất dài hơn sáu chữ",), "Lời nói đầu của văn bản…", "Lời nói đầu của văn bản…"),
        ((), "", ""),
    ],
)
def test_section_label_and_citation(path, label, citation) -> None:
    assert section_label(path) == label
    assert section_citation(path) == citation
    assert section_label(list(path)) == label  # any sequence: JSON gives lists


def test_passage_section_uses_the_label() -> None:
    p = Passage(doc_id="kh225", text="…", section_path=PLAN_PATH)
    assert p.section == "Mục II > 1 > a"


@pytest.mark.parametrize(
    "iso,vi", [("2023-09-15", "15/9/2023"), ("2024-01-01", "1/1/2024"), ("", ""), ("15/9/2023", "15/9/2023")]
)
def test_format_date_vi(iso: str, vi: str) -> None:
    assert format_date_vi(iso) == vi


def test_document_labels() -> None:
    assert document_number_label(PLAN) == "Kế hoạch số 225/KH-UBND"
    assert document_number_label(DocumentMeta(number="12/2023/QĐ-UBND")) == "Số 12/2023/QĐ-UBND"
    assert document_number_label(NEWS) == ""
    assert document_heading(PLAN, "kh225") == ("Kế hoạch số 225/KH-UBND", PLAN.title)
    assert document_heading(NEWS, "vov") == ("Bài báo VOV.VN", NEWS.title)
    assert document_heading(DocumentMeta(), "ghi-chu") == ("", "ghi-chu")
    assert document_heading(None, "ghi-chu") == ("", "ghi-chu")
    assert document_name(PLAN, "kh225") == "Kế hoạch số 225/KH-UBND"
    assert document_name(DocumentMeta(title="Ghi chép cuộc họp"), "ghi-chu") == "Ghi chép cuộc họp"


def test_document_citation() -> None:
    assert document_citation(PLAN, "kh225") == "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa"
    assert document_citation(NEWS, "vov") == f"VOV.VN: “{NEWS.title}”"
    assert document_citation(DocumentMeta(doc_type="Bài báo", outlet="VnExpress"), "vne") == "VnExpress"
    assert document_citation(DocumentMeta(title="Ghi chép cuộc họp"), "ghi-chu") == "Ghi chép cuộc họp"
    assert document_citation(DocumentMeta(), "ghi-chu") == "ghi-chu"
    assert document_citation(DocumentMeta(number="15/2023/TT-BTTTT"), "tt15") == "Số 15/2023/TT-BTTTT"


def test_passage_reference() -> None:
    assert passage_reference(PLAN, "kh225", PLAN_PATH) == (
        "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1, điểm a"
    )
    assert passage_reference(PLAN, "kh225", PLAN_PATH, page=3).endswith("điểm a, trang 3")
    assert passage_reference(NEWS, "vov") == f"VOV.VN: “{NEWS.title}”"


def test_section_heading() -> None:
    assert section_heading(PLAN, "kh225", PLAN_PATH[:2]) == "Mục II, khoản 1, Kế hoạch số 225/KH-UBND"
    assert section_heading(None, "kh225", ()) == "kh225"
