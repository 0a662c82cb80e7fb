"""BM25 fields against a direct implementation of the Lucene BM25 formula."""
import math

import numpy as np
import pytest

from indexer.lexical import BM25_B, BM25_K1, BM25Field, LexicalIndex

CORPUS = [
    ["phát_triển", "hạ_tầng", "số", "tỉnh", "thanh_hóa"],
    ["nâng_cao", "chất_lượng", "mạng", "4g", "triển_khai", "mạng", "5g"],
    ["100%", "dịch_vụ", "trung_tâm", "dữ_liệu", "chuyển", "sang", "điện_toán", "đám_mây"],
    ["phổ_cập", "internet", "băng_rộng", "miền_núi", "vùng_sâu", "vùng_xa"],
]


def lucene_bm25(query, corpus, k1=BM25_K1, b=BM25_B):
    n = len(corpus)
    avgdl = sum(len(d) for d in corpus) / n
    out = []
    for doc in corpus:
        s = 0.0
        for term in query:
            df = sum(term in d for d in corpus)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            s += idf * tf / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        out.append(s)
    return np.array(out)


@pytest.mark.parametrize("query", [["mạng", "5g"], ["hạ_tầng", "số"], ["điện_toán", "đám_mây", "100%"], ["không_có"]])
def test_scores_match_reference_formula(query):
    field = BM25Field.build(CORPUS)
    np.testing.assert_allclose(field.scores(query), lucene_bm25(query, CORPUS), rtol=1e-5, atol=1e-6)


def test_unknown_terms_and_empty_index():
    assert BM25Field.build(CORPUS).scores(["xyz"]).tolist() == [0.0] * 4
    assert BM25Field.build([]).scores(["mạng"]).size == 0


def test_save_load_roundtrip(tmp_path):
    index = LexicalIndex.build(CORPUS, [["ha_tang"], ["mang"], ["dam_may"], ["internet"]])
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    np.testing.assert_allclose(loaded.words.scores(["mạng", "5g"]), index.words.scores(["mạng", "5g"]))
    assert loaded.folded.scores(["dam_may"]).argmax() == 2


def _large_corpus(copies: int) -> list[list[str]]:
    """The four passages many times over, with "của" in every passage and "tỉnh" in a quarter."""
    return [doc + ["của"] for _ in range(copies) for doc in CORPUS]


def test_very_common_terms_are_left_out_of_large_corpora():
    from indexer import lexical

    corpus = _large_corpus(400)  # 1,600 passages: "của" in all, "mạng" in 25%
    field = BM25Field.build(corpus)
    assert 400 < lexical.COMMON_TERM_MIN_DF < 1600  # "của" is common here, "mạng" is not
    np.testing.assert_allclose(field.scores(["của", "5g"]), lucene_bm25(["5g"], corpus), rtol=1e-5, atol=1e-6)
    # 25% of 1,600 = 400 passages: below the absolute floor of 1,000, so still scored
    np.testing.assert_allclose(field.scores(["mạng", "5g"]), lucene_bm25(["mạng", "5g"], corpus), rtol=1e-5, atol=1e-6)
    # a question made only of common words keeps them (better than no lexical evidence)
    np.testing.assert_allclose(field.scores(["của"]), lucene_bm25(["của"], corpus), rtol=1e-5, atol=1e-6)


def test_small_corpora_score_every_term():
    """Below COMMON_TERM_MIN_DF passages nothing is common: a plan's own topic words stay."""
    corpus = _large_corpus(5)
    field = BM25Field.build(corpus)
    query = ["của", "hạ_tầng", "số"]
    np.testing.assert_allclose(field.scores(query), lucene_bm25(query, corpus), rtol=1e-5, atol=1e-6)
