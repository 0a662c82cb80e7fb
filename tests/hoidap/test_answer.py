"""Cited, extractive answers on the Plan 225 question set (written by the team)."""
import json
import re
from pathlib import Path

import pytest

from hoidap.answer import NOT_FOUND_VI

QUESTIONS = json.loads((Path(__file__).parent / "plan225_questions.json").read_text(encoding="utf-8"))
MARKER = re.compile(r"\s*\[(\d+)\]")


def _sentences_with_markers(answer_text):
    parts = MARKER.split(answer_text)
    # parts: [sentence, n, sentence, n, ..., trailing]
    return [(parts[i].strip(), int(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]


@pytest.mark.parametrize("item", QUESTIONS["answerable"], ids=lambda it: it["q"][:40])
def test_answerable_questions_get_cited_extractive_answers(seed_engine, item):
    answer = seed_engine.ask(item["q"])
    assert answer.found, answer.answer
    assert any(e in answer.answer for e in item["expect"]), answer.answer
    pairs = _sentences_with_markers(answer.answer)
    assert 1 <= len(pairs) <= 4
    for sentence, n in pairs:
        assert sentence in answer.citations[n - 1].excerpt  # copied verbatim from the cited source
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    first_use = list(dict.fromkeys(n for _, n in pairs))
    assert first_use == sorted(first_use)  # numbered by first use
    assert len({c.excerpt for c in answer.citations}) == len(answer.citations)  # deduplicated
    for c in answer.citations:
        for start, end in c.highlights:
            assert c.excerpt[start:end].strip() in answer.answer


#: Out-of-scope questions the judge still answers (known gaps, kept visible: strict xfail turns
#: into a failure the day they are refused, so the mark is removed then). None today: "Thời tiết
#: Thanh Hóa hôm nay thế nào?" and "Lương cơ sở năm 2025 là bao nhiêu?" are refused since the
#: judge gates on the share of the question's words the corpus uses (hoidap.judge.gate).
KNOWN_GAPS: set[str] = set()


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(q, marks=pytest.mark.xfail(strict=True, reason="known gap of the judge")) if q in KNOWN_GAPS else q
        for q in QUESTIONS["unanswerable"]
    ],
    ids=lambda q: q[:40],
)
def test_out_of_scope_questions_are_not_answered(seed_engine, question):
    answer = seed_engine.ask(question)
    assert not answer.found
    assert answer.answer.startswith(NOT_FOUND_VI)
    assert answer.citations == [] and answer.related  # nearest passages still offered


def test_json_shape(seed_engine):
    data = seed_engine.ask("Mục tiêu về điện toán đám mây đến năm 2025 là gì?").to_json()
    assert {"question", "found", "answer", "citations"} <= set(data)
    assert {"n", "doc_id", "title", "section", "excerpt", "score", "source"} <= set(data["citations"][0])


def test_reference_is_a_readable_citation(seed_engine):
    answer = seed_engine.ask("Kế hoạch 225 về việc gì?")
    assert answer.citations[0].reference.startswith("VOV.VN")


@pytest.mark.parametrize("item", QUESTIONS["crosslingual"], ids=lambda it: it["q"][:40])
def test_english_questions_find_the_vietnamese_passage(seed_engine, item):
    hits = seed_engine.search(item["q"], k=3)
    assert any(e in h.passage.text for h in hits for e in item["expect"])
    answer = seed_engine.ask(item["q"])
    shown = answer.citations if answer.found else answer.related
    if answer.found:
        assert any(e in answer.answer for e in item["expect"])  # quotes the Vietnamese source
    else:
        assert any(e in h.passage.text for h in shown for e in item["expect"])


def test_numbers_in_the_question_favour_sentences_containing_them(seed_engine):
    answer = seed_engine.ask("Đến năm 2025 tỷ lệ dịch vụ trung tâm dữ liệu chuyển lên đám mây là bao nhiêu phần trăm?")
    first_sentence = re.split(r"\s*\[\d+\]", answer.answer)[0]
    assert "100%" in first_sentence and "2025" in answer.citations[0].excerpt


@pytest.mark.parametrize(
    "question, expect",
    [
        ("trung tam du lieu", "trung tâm dữ liệu"),  # keywords, no diacritics
        ("dich vu TTDL chuyen sang dau", "100%"),  # abbreviation the article never uses
        ("Dịch vụ TTDL được chuyển sang đâu?", "100%"),
    ],
)
def test_an_abbreviation_the_corpus_never_writes_is_not_missing_evidence(seed_engine, question, expect):
    """The question is searched with both forms of an abbreviation ("trung tâm dữ liệu" /
    "TTDL"); the form it did not use must not count against the answer's evidence."""
    answer = seed_engine.ask(question)
    assert answer.found, (answer.confidence, answer.answer)
    assert expect in answer.answer.lower() or expect in answer.answer


def test_citation_excerpt_adds_neighbouring_clauses_verbatim(base_settings, embedder, tmp_path):
    """A one-line khoản is cited with the clauses around it, still copied from the source."""
    import shutil

    from hoidap.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "plan_ke_hoach_mau.txt", corpus)
    engine = Engine(base_settings.with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder)
    engine.index()
    answer = engine.ask("Sở Tài chính có nhiệm vụ gì?")
    cit = answer.citations[0]
    source = (corpus / "plan_ke_hoach_mau.txt").read_text(encoding="utf-8")
    assert cit.excerpt in source
    assert "Sở Tài chính" in cit.excerpt and "Sở Thông tin và Truyền thông" in cit.excerpt
    (start, end), = cit.highlights
    assert cit.excerpt[start:end].startswith("2. Sở Tài chính")
    assert cit.reference.endswith("Mục IV, khoản 2")


def test_coverage_keeps_the_accents_the_user_typed():
    """"đặt" (set) and "đạt" (reach) fold alike; a question typed with accents says which."""
    from hoidap.answer import _coverage, _typed_spellings
    from hoidap.query import analyse

    weights = {"dat": 1.0, "muc": 1.0, "tieu": 1.0}
    reach = "Để đạt được mục tiêu đến năm 2025."
    place = "Thuê chỗ đặt máy chủ tại trung tâm dữ liệu."
    typed = _typed_spellings(analyse("đặt mục tiêu"))
    assert _coverage(place, weights, typed) == 1.0
    assert _coverage(reach, weights, typed) == 2.0  # mục, tiêu: yes; đạt is not đặt
    folded = _typed_spellings(analyse("dat muc tieu"))
    assert folded is None  # no accents typed: any spelling counts
    assert _coverage(reach, weights, folded) == 3.0 and _coverage(place, weights, folded) == 1.0


# ---------------------------------------------------------------- issue 11: trustworthy answers
HEADLINE = (Path(__file__).parents[2] / "corpus" / "plan225-vov-article.txt").read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("item", QUESTIONS["answerable"], ids=lambda it: it["q"][:40])
def test_answer_sentences_are_never_headlines_or_repeats(seed_engine, item):
    from hoidap.evidence import near_duplicate

    answer = seed_engine.ask(item["q"])
    sentences = [s for s, _ in _sentences_with_markers(answer.answer)]
    assert HEADLINE.strip() not in sentences
    for i, a in enumerate(sentences):
        for b in sentences[i + 1 :]:
            assert not near_duplicate(a, b), (a, b)
    for phrase in item.get("expect_not", []):
        assert phrase not in answer.answer, answer.answer


def test_a_date_question_the_article_cannot_answer_is_refused(seed_engine):
    """The article says the plan was issued ("vừa ban hành") but never when."""
    answer = seed_engine.ask("Kế hoạch 225 được ban hành ngày nào?")
    assert not answer.found, answer.answer


def test_english_cloud_question_quotes_the_cloud_sentence_or_offers_it(seed_engine):
    answer = seed_engine.ask("What is the cloud computing target for 2025?")
    if answer.found:
        sentences = [s for s, _ in _sentences_with_markers(answer.answer)]
        assert any("điện toán đám mây" in s for s in sentences), answer.answer
        assert HEADLINE.strip() not in sentences
    else:
        assert any("điện toán đám mây" in h.passage.text for h in answer.related[:3])


def test_confidence_is_a_probability_with_words_for_the_ui(seed_engine):
    data = seed_engine.ask("Mục tiêu về điện toán đám mây đến năm 2025 là gì?").to_json()
    assert 0.0 <= data["confidence"] <= 1.0
    assert data["confidence_label"] in ("độ tin cậy: cao", "độ tin cậy: trung bình")


@pytest.mark.parametrize("query", QUESTIONS["irrelevant_searches"])
def test_search_marks_passages_of_another_topic_irrelevant(seed_engine, query):
    hits = seed_engine.search(query)
    assert hits and not any(h.relevant for h in hits)
    assert all(h.relevant is False for h in hits)


def test_search_puts_relevant_hits_first(seed_engine):
    hits = seed_engine.search("điện toán đám mây")
    assert hits[0].relevant and "điện toán đám mây" in hits[0].passage.text
    flags = [h.relevant for h in seed_engine.relevant_hits("điện toán đám mây", hits)]
    assert flags == sorted(flags, reverse=True)


def test_a_topic_the_passage_writes_word_for_word_is_relevant(seed_engine):
    """Short topics have low cosines; a passage naming "Trung tâm dữ liệu" is still about it."""
    hits = seed_engine.relevant_hits("trung tâm dữ liệu", seed_engine.search("trung tâm dữ liệu", k=8))
    relevant = [h for h in hits if h.relevant]
    assert relevant and all("trung tâm dữ liệu" in h.passage.text.lower() for h in relevant)
    # a question is judged as a question: the same words in a passage do not make it relevant
    question = "Trung tâm dữ liệu của tỉnh được xây dựng ở đâu?"
    assert not any(h.relevant for h in seed_engine.relevant_hits(question, seed_engine.search(question, k=8)))


def test_relevant_hits_keep_a_handout_on_its_topic(seed_engine):
    hits = seed_engine.search("bảo hiểm y tế", k=8)
    assert [h for h in seed_engine.relevant_hits("bảo hiểm y tế", hits) if h.relevant] == []


def test_cli_search_says_when_nothing_is_relevant(seed_engine, capsys):
    from hoidap.cli import main

    settings = seed_engine.settings
    assert main(["search", "xyzqwv", "--index", str(settings.index_dir), "--cache-dir", str(settings.cache_dir)]) == 0
    out = capsys.readouterr().out
    assert "Không có đoạn nào liên quan" in out
    assert "Các đoạn gần nhất (có thể không liên quan)" in out


def test_a_list_item_is_quoted_with_the_line_introducing_its_list(base_settings, embedder, tmp_path):
    """"c) Đi khỏi … từ 12 tháng liên tục trở lên …" answers "phải làm gì?" only with its lead-in:
    "Công dân có trách nhiệm khai báo tạm vắng trong các trường hợp sau đây:" (Luật Cư trú, Điều 31)."""
    import json

    from hoidap.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = (Path(__file__).parents[2] / "data" / "judge" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    article = next(json.loads(r) for r in rows if json.loads(r)["_id"] == "68/2020/QH14||31")
    (corpus / "luat_cu_tru_dieu_31.txt").write_text("Điều 31. " + article["text"], encoding="utf-8")
    engine = Engine(base_settings.with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder)
    engine.index()
    answer = engine.ask("Người đi khỏi xã nơi thường trú từ 12 tháng liên tục trở lên thì phải làm gì?")
    assert answer.found, (answer.confidence, answer.answer)
    lead = "1. Công dân có trách nhiệm khai báo tạm vắng trong các trường hợp sau đây:"
    pairs = _sentences_with_markers(answer.answer)
    texts = [s for s, _ in pairs]
    assert texts[0] == lead and texts[1].startswith("c) Đi khỏi phạm vi đơn vị hành chính cấp xã nơi thường trú")
    cit = answer.citations[0]
    highlighted = [cit.excerpt[a:b] for a, b in cit.highlights]
    assert lead in highlighted and all(s in cit.excerpt for s in texts)
