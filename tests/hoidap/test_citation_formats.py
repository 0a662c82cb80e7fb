"""Citations of news pages and scans (issue 12)."""
from __future__ import annotations

from hoidap.answer import OCR_MARK, document_reference
from hoidap.retrieve import Hit
from indexer.types import Document, DocumentMeta, Passage

NEWS = DocumentMeta(doc_type="Bài báo", outlet="VOV.VN", title="Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số",
                    date="2023-09-16", url="https://vov.vn/xa-hoi/thanh-hoa-post1046093.vov")


def hit(doc: Document, start: int = 0, page: int | None = None, path: tuple[str, ...] = ()) -> Hit:
    passage = Passage(doc.doc_id, doc.text[start:start + 10], path, start, start + 10, page, f"{doc.doc_id}#0")
    return Hit(passage=passage, score=1.0, document=doc)


def test_a_news_page_is_cited_like_the_press() -> None:
    doc = Document("vov", "vov.html", "UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225.", NEWS)
    assert document_reference(hit(doc)) == (
        "VOV.VN, “Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số”, đăng ngày 16/9/2023, "
        "https://vov.vn/xa-hoi/thanh-hoa-post1046093.vov"
    )


def test_text_read_from_a_scan_says_so() -> None:
    meta = DocumentMeta(doc_type="Kế hoạch", number="999/KH-UBND", date="2023-10-20", issuer="UBND tỉnh Thanh Hóa")
    text = "Trang một của văn bản.\n\nTrang hai, bản quét."
    doc = Document("kh", "kh.pdf", text, meta, page_starts=[0, 24], ocr_pages=[2])
    assert document_reference(hit(doc, 0, 1)) == "Kế hoạch số 999/KH-UBND ngày 20/10/2023 của UBND tỉnh Thanh Hóa, trang 1"
    assert document_reference(hit(doc, 24, 2, ("II. MỤC TIÊU",))) == (
        f"Kế hoạch số 999/KH-UBND ngày 20/10/2023 của UBND tỉnh Thanh Hóa, Mục II, trang 2, {OCR_MARK}"
    )
