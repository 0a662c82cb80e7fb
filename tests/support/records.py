"""Real records (Answer, Citation, Hit, Document) built from real Vietnamese text, for
tests of what is shown to users (tests/hoidap/web/): no retrieval step, so they run in milliseconds.
"""
from __future__ import annotations

from hoidap.answer import Citation
from hoidap.retrieve import Hit
from indexer.types import Document, DocumentMeta, Passage

PLAN_META = DocumentMeta(
    doc_type="Kế hoạch",
    number="225/KH-UBND",
    issuer="UBND tỉnh Thanh Hóa",
    place="Thanh Hóa",
    date="2023-09-15",
    title="Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa giai đoạn 2023 - 2025",
)
CLOUD = (
    "Đồng thời, 100% dịch vụ Trung tâm dữ liệu (thuê chỗ đặt máy chủ, thuê máy chủ, thuê lưu trữ) "
    "được chuyển sang dịch vụ điện toán đám mây."
)
EXCERPT = (
    "Đối với hạ tầng công nghệ số, Thanh Hoá phấn đấu đến năm 2025 công nghệ trí tuệ nhân tạo hỗ trợ hiệu quả "
    "cho chương trình chuyển đổi số tỉnh. " + CLOUD
)
XSS = 'Mã độc <script>alert(1)</script> và <img src=x onerror=alert(2)> & "trích" \'dẫn\''


def citation(n: int = 1, excerpt: str = EXCERPT, sentence: str = CLOUD, **kw) -> Citation:
    start = excerpt.index(sentence)
    return Citation(
        n=n,
        doc_id=kw.get("doc_id", "ke-hoach-225"),
        title=kw.get("title", PLAN_META.title),
        section=kw.get("section", "Mục II > 1"),
        excerpt=excerpt,
        score=0.9,
        source="ke-hoach-225.txt",
        reference=kw.get("reference", "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1"),
        highlights=[(start, start + len(sentence))],
    )


def make_hit(text: str, meta: DocumentMeta = PLAN_META, path=("II. MỤC TIÊU", "1. Mục tiêu cụ thể"), terms=()) -> Hit:
    doc = Document("ke-hoach-225", "ke-hoach-225.txt", text, meta)
    p = Passage("ke-hoach-225", text, tuple(path), 0, len(text), None, "ke-hoach-225#0")
    return Hit(passage=p, document=doc, score=1.0, matched_terms=list(terms))
