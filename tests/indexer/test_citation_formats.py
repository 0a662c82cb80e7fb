"""Citations of news pages and scans (issue 12)."""
from __future__ import annotations

from indexer.citation import OCR_MARK, passage_reference
from indexer.types import Document, DocumentMeta

NEWS = DocumentMeta(doc_type="Bài báo", outlet="VOV.VN", title="Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số",
                    date="2023-09-16", url="https://vov.vn/xa-hoi/thanh-hoa-post1046093.vov")


def test_a_news_page_is_cited_like_the_press() -> None:
    assert passage_reference(NEWS, "vov") == (
        "VOV.VN: “Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số”, đăng ngày 16/9/2023, "
        "https://vov.vn/xa-hoi/thanh-hoa-post1046093.vov"
    )
    assert NEWS.type_label == "Bài báo / trang tin"


def test_text_read_from_a_scan_says_so() -> None:
    meta = DocumentMeta(doc_type="Kế hoạch", number="999/KH-UBND", date="2023-10-20", issuer="UBND tỉnh Thanh Hóa")
    doc = Document("kh", "kh.pdf", "Trang một của văn bản.\n\nTrang hai, bản quét.", meta,
                   page_starts=[0, 24], ocr_pages=[2])
    assert not doc.is_ocr(3) and doc.is_ocr(30)
    head = "Kế hoạch số 999/KH-UBND ngày 20/10/2023 của UBND tỉnh Thanh Hóa"
    assert passage_reference(meta, "kh", (), 1, ocr=doc.is_ocr(3)) == f"{head}, trang 1"
    assert passage_reference(meta, "kh", ("II. MỤC TIÊU",), 2, ocr=doc.is_ocr(30)) == (
        f"{head}, Mục II, trang 2, {OCR_MARK}"
    )
