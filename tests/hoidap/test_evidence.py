"""Sentence-level evidence helpers on real article text (no retrieval: milliseconds)."""
from hoidap.evidence import lead_in
from hoidap.retrieve import Hit
from indexer.types import Document, DocumentMeta, Passage

#: Luật Cư trú 2020, Điều 31 (training-set law, data/judge)
ARTICLE_31 = (
    "Điều 31. Khai báo tạm vắng\n"
    "1. Công dân có trách nhiệm khai báo tạm vắng trong các trường hợp sau đây:\n"
    "a) Đi khỏi phạm vi đơn vị hành chính cấp xã nơi đang cư trú từ 01 ngày trở lên đối với bị can, bị cáo "
    "đang tại ngoại;\n"
    "b) Đi khỏi phạm vi đơn vị hành chính cấp huyện nơi đang cư trú từ 03 tháng liên tục trở lên đối với người "
    "trong độ tuổi thực hiện nghĩa vụ quân sự;\n"
    "2. Trước khi đi khỏi nơi cư trú, người quy định tại điểm a khoản 1 Điều này phải đến khai báo tạm vắng.\n"
)


def _hit(passage_text: str) -> Hit:
    doc = Document("68/2020/QH14||31", "luat-cu-tru.txt", ARTICLE_31, DocumentMeta())
    start = ARTICLE_31.index(passage_text)
    p = Passage(doc.doc_id, passage_text, ("Điều 31", "khoản 1"), start, start + len(passage_text), None, "p")
    return Hit(passage=p, document=doc, score=1.0)


def test_a_list_item_is_read_with_the_line_introducing_its_list():
    item = ARTICLE_31.splitlines()[3]  # "b) Đi khỏi … từ 03 tháng liên tục trở lên …"
    assert lead_in(_hit(item)) == "1. Công dân có trách nhiệm khai báo tạm vắng trong các trường hợp sau đây:"


def test_a_clause_that_is_no_list_item_has_no_lead_in():
    assert lead_in(_hit(ARTICLE_31.splitlines()[4])) == ""


def test_a_percentage_covers_the_words_phan_tram():
    from hoidap.evidence import coverage

    weights = {"phan": 1.0, "tram": 1.0, "thue": 2.0}
    assert coverage("Thuế suất là 10% thu nhập tính thuế.", weights, None) == 4.0
    assert coverage("Thuế suất do Chính phủ quy định.", weights, None) == 2.0


def test_the_quoted_sentence_comes_from_the_passage_writing_the_questions_figures():
    """Two khoản of one article share a question's words; the one writing its "03 tháng" is quoted,
    unless it scores far below (then the figures are not what the question is about)."""
    from hoidap.evidence import NAMES_SLACK, Scored, ScoredSentence

    first = ScoredSentence(0, 0, 10, "1. Công dân phải khai báo tạm vắng khi đi khỏi nơi cư trú.")
    second = ScoredSentence(1, 0, 10, "b) Đi khỏi phạm vi cấp huyện từ 03 tháng liên tục trở lên;")
    first.score, second.score = 1.40, 1.40 - NAMES_SLACK / 2
    scored = Scored([first, second], [1.0, 1.0], 0.0, passage_names=[0.0, 1.0])
    assert scored.best() is second
    second.score = 1.40 - 2 * NAMES_SLACK
    assert scored.best() is first
    assert Scored([first, second], [1.0, 1.0], 0.0).best() is first  # no names in the question
