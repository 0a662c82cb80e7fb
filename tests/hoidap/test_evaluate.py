"""Retrieval metrics against hand-computed values, and the BEIR reader on a tiny real-shaped set."""
import json
import math

import pytest

from hoidap.evaluate import (
    answer_in_excerpt,
    beir_document,
    evaluate_rankings,
    hit_at,
    load_beir,
    mrr_at,
    ndcg_at,
    recall_at,
)


def test_hit_recall_mrr():
    ranked = ["d3", "d1", "d2"]
    gold = {"d1", "d9"}
    assert hit_at(ranked, gold, 1) == 0.0
    assert hit_at(ranked, gold, 2) == 1.0
    assert recall_at(ranked, gold, 3) == 0.5
    assert mrr_at(ranked, gold, 10) == 0.5
    assert mrr_at(ranked, {"d7"}, 10) == 0.0


def test_ndcg_binary_and_graded():
    # gold at rank 2 of a single relevant doc: DCG = 1/log2(3), IDCG = 1
    assert ndcg_at(["a", "b"], {"b"}, 10) == pytest.approx(1 / math.log2(3))
    assert ndcg_at(["b", "a"], {"b"}, 10) == pytest.approx(1.0)
    graded = {"a": 2.0, "b": 1.0}
    dcg = (2**1 - 1) / math.log2(2) + (2**2 - 1) / math.log2(3)
    idcg = (2**2 - 1) / math.log2(2) + (2**1 - 1) / math.log2(3)
    assert ndcg_at(["b", "a"], graded, 10) == pytest.approx(dcg / idcg)


def test_evaluate_rankings_means():
    rankings = {"q1": ["a", "b"], "q2": ["c", "a"]}
    qrels = {"q1": {"a": 1.0}, "q2": {"a": 1.0}}
    m = evaluate_rankings(rankings, qrels, k=10)
    assert m["hit@1"] == 0.5
    assert m["hit@5"] == 1.0
    assert m["mrr@10"] == pytest.approx(0.75)


def test_answer_in_excerpt_normalises_tone_marks_and_case():
    assert answer_in_excerpt("07 năm", "... phạt tù từ 02 năm đến 07 NĂM.")
    assert answer_in_excerpt("Thanh Hoá", "tỉnh Thanh Hóa")
    assert not answer_in_excerpt("", "bất kỳ")


def test_beir_law_record_gets_article_heading_back():
    doc = beir_document({"_id": "91/2015/QH13||1", "title": "91/2015/QH13 - Điều 1", "text": "Phạm vi điều chỉnh\n\nBộ luật này quy định..."})
    assert doc.doc_id == "91/2015/QH13||1"
    assert doc.text.startswith("Điều 1. Phạm vi điều chỉnh")


def test_load_beir_reads_corpus_queries_qrels(tmp_path):
    (tmp_path / "corpus.jsonl").write_text(
        json.dumps({"_id": "L||1", "title": "L - Điều 1", "text": "Phạm vi\n\nLuật này quy định về an ninh mạng."}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "queries.jsonl").write_text(
        json.dumps({"_id": "q1", "text": "Luật quy định về gì?", "answer": "an ninh mạng"}, ensure_ascii=False) + "\n"
        + json.dumps({"_id": "q-no-gold", "text": "không có nhãn"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tL||1\t1\n", encoding="utf-8")
    data = load_beir(tmp_path)
    assert [q["_id"] for q in data.queries] == ["q1"]
    assert data.qrels == {"q1": {"L||1": 1.0}}
    assert data.documents[0].text.startswith("Điều 1. Phạm vi")
