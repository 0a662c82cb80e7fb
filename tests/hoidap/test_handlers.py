"""Web handlers: safe HTML for answers and search results, highlighting, follow-ups, feedback.

The records are the real ones (Answer, Citation, Hit, Document) built from real
Vietnamese text; only the retrieval step is skipped, so these run in milliseconds.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hoidap import handlers as H
from hoidap.answer import Answer, Citation, document_reference
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


# ------------------------------------------------------------------- search highlights
def test_accented_terms_highlight_their_surface_forms():
    text = "Phát triển hạ tầng số; Hạ  tầng viễn thông của Thanh Hoá."
    spans = H.term_spans(text, ["hạ_tầng", "hóa"])
    assert [text[a:b] for a, b in spans] == ["hạ tầng", "Hạ  tầng", "Hoá"]
    # an accented term does not match other tones
    assert H.term_spans("hà tầng, hạ tầng", ["hạ_tầng"]) == [(9, 16)]


def test_unaccented_query_highlights_diacritic_insensitively_and_joins_neighbours():
    text = "Kế hoạch phát triển hạ tầng số tỉnh Thanh Hóa"
    spans = H.term_spans(text, ["ha", "tang", "so", "thanh", "hoa"], accent_insensitive=True)
    assert [text[a:b] for a, b in spans] == ["hạ tầng số", "Thanh Hóa"]


def test_codes_and_numbers_highlight():
    text = "Kế hoạch số 225/KH-UBND: 100% dịch vụ"
    spans = H.term_spans(text, ["225/kh-ubnd", "100"])
    assert [text[a:b] for a, b in spans] == ["225/KH-UBND", "100"]


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


# ---------------------------------------------------------------------------- follow-ups
PREV_4G = "Mục tiêu về mạng 4G đến năm 2025 là gì?"


@pytest.mark.parametrize(
    "typed, previous, expected",
    [
        ("còn mạng 5G thì sao?", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),
        ("Thế còn mạng 5G?", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),
        ("vậy còn mạng 5G thì thế nào?", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),
        ("con mang 5G thi sao", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),  # typed without accents
        (
            "còn hạ tầng IoT thì sao?",
            "Mục tiêu về điện toán đám mây đến năm 2025 là gì?",
            "Mục tiêu về hạ tầng IoT đến năm 2025 là gì?",
        ),
        ("còn Sở Tài chính thì sao?", "Sở Thông tin và Truyền thông có trách nhiệm gì?", "Sở Tài chính có trách nhiệm gì?"),
        (
            "còn 5G thì sao?",
            "Kế hoạch 225 nhằm phát triển những hạ tầng nào?",
            "Kế hoạch 225 nhằm phát triển những hạ tầng nào, đối với 5G?",
        ),
    ],
)
def test_followups_become_standalone(typed, previous, expected):
    rw = H.rewrite_followup(typed, ["Câu hỏi cũ hơn?", previous])
    assert rw.rewritten and rw.question == expected and rw.typed == typed


@pytest.mark.parametrize(
    "typed",
    [
        "Mục tiêu về điện toán đám mây đến năm 2025 là gì?",  # not a follow-up
        "Còn bao nhiêu xã chưa có sóng di động 4G tại các huyện miền núi phía tây của tỉnh Thanh Hóa?",  # long
        "còn thì sao?",  # no subject
        "Còn bao nhiêu xã chưa có sóng 4G?",  # a question of its own
    ],
)
def test_non_followups_are_unchanged(typed):
    rw = H.rewrite_followup(typed, [PREV_4G])
    assert not rw.rewritten and rw.question == " ".join(typed.split())


def test_followup_without_history_is_unchanged():
    assert H.rewrite_followup("còn mạng 5G thì sao?", []).question == "còn mạng 5G thì sao?"


# ------------------------------------------------------------------------------ feedback
def test_feedback_is_appended_as_jsonl(tmp_path: Path):
    ans = Answer("Mục tiêu điện toán đám mây?", True, f"{CLOUD} [1]", [citation(1)])
    path = tmp_path / "sub" / "feedback.jsonl"
    H.save_feedback(path, H.feedback_record("Mục tiêu điện toán đám mây?", ans, H.vote_of(True)))
    H.save_feedback(path, H.feedback_record("còn 5G?", ans.to_json(), H.vote_of(False), asked_as="Mục tiêu 5G?"))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["vote"] for r in rows] == ["up", "down"]
    assert rows[0]["question"] == "Mục tiêu điện toán đám mây?" and rows[0]["answer"].startswith("Đồng thời, 100%")
    assert rows[0]["citations"][0]["reference"].startswith("Kế hoạch số 225/KH-UBND")
    assert rows[1]["asked_as"] == "Mục tiêu 5G?" and rows[1]["found"] is True
    assert all(re.match(r"\d{4}-\d\d-\d\dT", r["timestamp"]) for r in rows)


def test_vote_of_accepts_gradio_values():
    assert H.vote_of(True) == "up" and H.vote_of("Like") == "up"
    assert H.vote_of(False) == "down" and H.vote_of("Dislike") == "down"
