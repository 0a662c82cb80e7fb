"""Sentence-level evidence helpers on real article text (no retrieval: milliseconds)."""
from hoidap.evidence import lead_in
from hoidap.retrieve import Hit
from indexer.types import Document, DocumentMeta, Passage

ARTICLE_212 = (
    "Điều 212. Tội làm giả tài liệu trong hồ sơ chào bán, niêm yết chứng khoán\n"
    "1. Người nào làm giả tài liệu trong hồ sơ chào bán, niêm yết chứng khoán thu lợi bất chính từ "
    "1.000.000.000 đồng đến dưới 2.000.000.000 đồng, thì bị phạt tiền từ 100.000.000 đồng đến 500.000.000 đồng.\n"
    "2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tiền từ 2.000.000.000 đồng đến "
    "5.000.000.000 đồng hoặc phạt tù từ 02 năm đến 07 năm:\n"
    "a) Thu lợi bất chính 2.000.000.000 đồng trở lên;\n"
    "b) Gây thiệt hại cho nhà đầu tư 3.000.000.000 đồng trở lên;\n"
)


def _hit(passage_text: str) -> Hit:
    doc = Document("01/VBHN-VPQH||212", "blhs.txt", ARTICLE_212, DocumentMeta())
    start = ARTICLE_212.index(passage_text)
    p = Passage(doc.doc_id, passage_text, ("Điều 212", "khoản 2"), start, start + len(passage_text), None, "p")
    return Hit(passage=p, document=doc, score=1.0)


def test_a_list_item_is_read_with_the_line_introducing_its_list():
    item = "a) Thu lợi bất chính 2.000.000.000 đồng trở lên;\nb) Gây thiệt hại cho nhà đầu tư 3.000.000.000 đồng trở lên;"
    assert lead_in(_hit(item)).endswith("phạt tù từ 02 năm đến 07 năm:")


def test_a_clause_that_is_no_list_item_has_no_lead_in():
    assert lead_in(_hit(ARTICLE_212.splitlines()[1])) == ""
