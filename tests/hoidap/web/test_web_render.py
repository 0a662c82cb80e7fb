"""Safe HTML for answers, search results and documents (hoidap.web.render).

The records are the real ones (Answer, Citation, Hit, Document) built from real
Vietnamese text; only the retrieval step is skipped, so these run in milliseconds.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from hoidap.answer import Answer, document_reference
from hoidap.web import render as H
from indexer.types import Document, DocumentMeta
from tests.support.records import CLOUD, PLAN_META, XSS, citation, make_hit


class _Tags(HTMLParser):
    """Collects start tags and attributes, to check structure without regex on HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(html)
    return p.tags


# --------------------------------------------------------------------------- escaping
def test_esc_escapes_markup_quotes_and_newlines():
    out = H.esc(XSS + "\n\nđoạn 2")
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&quot;trích&quot;" in out and "&#x27;dẫn&#x27;" in out and "&amp;" in out
    assert "\n" not in out and "<br><br>đoạn 2" in out


def test_mark_spans_escapes_inside_and_outside_and_merges_overlaps():
    text = "a <b> hạ tầng số </b>"
    out = H.mark_spans(text, [(6, 13), (9, 16), (100, 200), (3, 3)])
    assert out == "a &lt;b&gt; <mark>hạ tầng số</mark> &lt;/b&gt;"


# ----------------------------------------------------------------------- answer cards
def test_answer_markers_link_to_cards_with_highlighted_sentence():
    c1 = citation(1)
    c2 = citation(2, excerpt="Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G.",
                  sentence="Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G.", section="Mục II > 2")
    ans = Answer("Mục tiêu về điện toán đám mây?", True, f"{CLOUD} [1] {c2.excerpt} [2]", [c1, c2], confidence=0.9)
    html = H.render_answer_html(ans, "cite-7", {"ke-hoach-225": PLAN_META})
    tags = tags_of(html)
    links = [a["href"] for t, a in tags if t == "a"]
    cards = [a["id"] for t, a in tags if t == "div" and "hd-card" in a.get("class", "").split()]
    assert links == ["#cite-7-1", "#cite-7-2"]
    assert cards == ["cite-7-1", "cite-7-2"]
    # the answering sentence is highlighted inside its card, verbatim
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    assert marks[0] == H.esc(CLOUD) and "100%" in marks[0]
    # card head: số hiệu and title; section path; full citation with a copy button
    assert "Kế hoạch số 225/KH-UBND" in html and PLAN_META.title in html and "Mục II &gt; 1" in html
    assert "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1" in html
    assert html.count('class="hd-copy"') == 2
    assert "\n\n" not in html  # one raw-HTML block for the chat's Markdown renderer


def test_answer_with_script_in_document_is_shown_literally():
    excerpt = f"Đoạn kiểm tra hiển thị. {XSS}."
    c = citation(1, excerpt=excerpt, sentence=f"{XSS}.", title=f"Quy chế {XSS}", reference=f"Quy chế {XSS}")
    ans = Answer(XSS, True, f"{XSS}. [1]", [c])
    html = H.render_answer_html(ans, "cite-1", note=f"Câu hỏi được hiểu là: {XSS}")
    assert not [t for t, _ in tags_of(html) if t in ("script", "img")]
    assert "onerror=" not in html.replace("onerror=alert(2)&gt;", "")  # only as escaped text
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # answer, excerpt, title, reference, note


def test_marker_numbers_without_a_citation_stay_text():
    ans = Answer("q", True, "Theo điểm [3] của văn bản. [1]", [citation(1)])
    html = H.render_answer_html(ans, "c")
    assert html.count("<a ") == 1 and "[3]" in html


def test_not_found_answer_offers_related_passages():
    hit = make_hit("Phổ cập Internet băng rộng, đặc biệt là khu vực miền núi, vùng sâu, vùng xa.")
    ans = Answer("Lương tối thiểu vùng là bao nhiêu?", False, "Không tìm thấy thông tin này.", related=[hit])
    html = H.render_answer_html(ans, "cite-2")
    assert "Không tìm thấy" in html and "Các đoạn gần nhất" in html
    assert "Phổ cập Internet băng rộng" in html
    assert document_reference(hit) in html  # each related passage keeps its citation


def test_doc_heading_and_dates():
    assert H.doc_heading(PLAN_META, "x") == ("Kế hoạch số 225/KH-UBND", PLAN_META.title)
    news = DocumentMeta(doc_type="Bài báo", outlet="VOV.VN", title="Thanh Hóa: Ban hành kế hoạch")
    assert H.doc_heading(news, "x") == ("Bài báo VOV.VN", "Thanh Hóa: Ban hành kế hoạch")
    assert H.doc_heading(None, "tệp") == ("", "tệp")
    assert H.format_date_vi("2023-09-15") == "15/9/2023" and H.format_date_vi("") == ""


def test_search_results_highlight_escape_and_cite():
    hit = make_hit(f"Hạ tầng số {XSS}", terms=["hạ_tầng", "số"])
    html = H.render_hits_html([hit], "hạ tầng số <b>")
    assert "<mark>Hạ tầng số</mark>" in html
    assert not [t for t, _ in tags_of(html) if t in ("script", "img", "b")]
    assert "“hạ tầng số &lt;b&gt;”" in html
    assert "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1" in html
    assert "Không tìm thấy" in H.render_hits_html([], "x")


def test_documents_table_escapes_titles():
    doc = Document("x", "x<y>.txt", "t", DocumentMeta(title=XSS, date="2023-09-15"))
    html = H.render_documents_html([(doc, 3)])
    assert "<script>" not in html and "&lt;script&gt;" in html and "x&lt;y&gt;.txt" in html
    assert "15/9/2023" in html


def test_documents_table_names_a_news_outlet_as_source_not_issuer():
    news = Document("vov", "vov.html", "t", DocumentMeta(doc_type="Bài báo", outlet="VOV.VN", title="Tin", date="2023-09-16"))
    html = H.render_documents_html([(news, 2)])
    assert "Nguồn: VOV.VN" in html and "Bài báo / trang tin" in html and "16/9/2023" in html


# ------------------------------------------------------------------ honest not-found (issue 11)
def _classes(html: str, tag: str = "div") -> list[set[str]]:
    return [set(a.get("class", "").split()) for t, a in tags_of(html) if t == tag]


def test_not_found_is_a_notice_first_and_related_passages_are_collapsed_and_labelled():
    hits = [make_hit("Phổ cập Internet băng rộng, đặc biệt là khu vực miền núi, vùng sâu, vùng xa."),
            make_hit("Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa giai đoạn 2023 - 2025.")]
    ans = Answer("Lương cơ sở là bao nhiêu?", False, "Không tìm thấy thông tin này.", related=hits)
    html = H.render_answer_html(ans, "cite-3", note="Câu hỏi được hiểu là: “lương cơ sở”")
    classes = _classes(html)
    assert {"hd-answer", "hd-answer-notfound"} <= classes[0]
    assert "hd-notfound" in classes[1]  # the first thing inside the reply is the notice
    notice = html[: html.index("<details")]
    assert "hd-card" not in notice and "Không tìm thấy thông tin này." in notice
    assert H.NOT_FOUND_TITLE_VI in notice
    # related passages: one collapsed <details> labelled as possibly unrelated, after the notice
    tags = [t for t, _ in tags_of(html)]
    assert tags.count("details") == 1 and "open" not in dict(tags_of(html)[tags.index("details")][1])
    assert f"{H.RELATED_LABEL_VI} (2)" in html and "có thể không liên quan" in H.RELATED_LABEL_VI
    assert html.index("hd-notfound") < html.index("hd-note") < html.index("<details")
    assert sum("hd-card" in c for c in classes) == 2
    assert "Độ tin cậy" not in html  # no confidence words on a refusal


def test_not_found_without_related_passages_has_no_empty_block():
    html = H.render_answer_html(Answer("q", False, "Không tìm thấy thông tin này."), "c")
    assert "<details" not in html and "hd-notfound" in html


def test_found_answer_says_its_confidence_in_words():
    high = H.render_answer_html(Answer("q", True, f"{CLOUD} [1]", [citation(1)], confidence=0.95), "c")
    medium = H.render_answer_html(Answer("q", True, f"{CLOUD} [1]", [citation(1)], confidence=0.5), "c")
    assert '<p class="hd-confidence">Độ tin cậy: cao</p>' in high
    assert '<p class="hd-confidence">Độ tin cậy: trung bình</p>' in medium
    assert high.index("hd-answer-text") < high.index("hd-confidence") < high.index("hd-card")


def test_confidence_words_prefer_the_judges_label():
    class Judged(Answer):
        confidence_label = "độ tin cậy: trung bình"

    assert H.confidence_words(Judged("q", True, "a", confidence=0.99)) == "Độ tin cậy: trung bình"


def _judged(text: str, relevant: bool | None, terms=("hạ_tầng",)):
    hit = make_hit(text, terms=list(terms))
    hit.relevant = relevant  # set by the judge in Engine.search
    return hit


def test_search_puts_relevant_hits_first_and_labels_the_rest():
    hits = [_judged("Hạ tầng viễn thông băng rộng.", False), _judged("Hạ tầng số tỉnh Thanh Hóa.", True)]
    html = H.render_hits_html(hits, "hạ tầng")
    assert "1 kết quả cho “hạ tầng”" in html
    assert html.index("số tỉnh Thanh Hóa") < html.index("<details") < html.index("viễn thông băng rộng")
    assert f"{H.RELATED_LABEL_VI} (1)" in html and "hd-notfound" not in html
    ids = [a["id"] for t, a in tags_of(html) if t == "div" and "id" in a]
    assert ids == ["hit-1", "hit-r1"]


def test_search_without_relevant_hits_says_so_first():
    hits = [_judged("Hạ tầng viễn thông băng rộng.", False), _judged("Phổ cập Internet băng rộng.", False, terms=())]
    html = H.render_hits_html(hits, "xyzqwv <b>")
    assert html.index("hd-notfound") < html.index("<details")
    assert "Không tìm thấy đoạn văn bản nào liên quan đến “xyzqwv &lt;b&gt;”" in html
    assert "kết quả cho" not in html and f"{H.RELATED_LABEL_VI} (2)" in html
    assert "<b>" not in html


def test_the_judge_decides_what_is_a_result():
    assert H.is_relevant(make_hit("Hạ tầng số."))  # not judged (None): shown as a result
    assert H.is_relevant(_judged("Hạ tầng số.", True, terms=()))
    assert not H.is_relevant(_judged("Hạ tầng số.", False))
