"""Sentence vectors stored at index time (late chunking) and their on-disk form."""
from __future__ import annotations

import numpy as np
import pytest

from indexer.sentences import SentenceIndex, passage_sentence_spans, span_vectors

PASSAGE = (
    "Đến năm 2025, 100% dịch vụ Trung tâm dữ liệu được chuyển sang dịch vụ điện toán đám mây. "
    "Tỷ lệ hộ gia đình có cáp quang đạt trên 80%. "
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ngành tổ chức triển khai kế hoạch."
)


# ------------------------------------------------------------------ pure functions
def _span_vectors_by_loop(tokens, offsets, spans, fallback):
    """Reference: one span at a time, token by token."""
    out = []
    for a, b in spans:
        picked = [tokens[i] for i, (s, e) in enumerate(offsets) if e > s and s < b and e > a]
        v = np.mean(picked, axis=0) if picked else fallback
        out.append(v / np.linalg.norm(v))
    return np.array(out)


def test_span_vectors_match_a_token_by_token_reference():
    rng = np.random.default_rng(0)
    tokens = rng.normal(size=(9, 6)).astype(np.float32)
    # <s>, 7 word pieces over "abc def gh ij", </s> (special tokens have empty offsets)
    offsets = np.array([[0, 0], [0, 2], [2, 3], [4, 7], [8, 9], [9, 10], [11, 12], [12, 13], [0, 0]])
    spans = np.array([[0, 3], [4, 10], [11, 13], [20, 30], [2, 5]])
    fallback = np.ones(6, np.float32)
    ours = span_vectors(tokens, offsets, spans, fallback)
    np.testing.assert_allclose(ours, _span_vectors_by_loop(tokens, offsets, spans, fallback), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(ours[3], fallback / np.linalg.norm(fallback), rtol=1e-6)  # past truncation


def test_passage_sentence_spans_are_the_answer_stage_sentences():
    spans = passage_sentence_spans(PASSAGE)
    assert spans.shape == (3, 2) and spans.dtype == np.int32
    assert PASSAGE[spans[1, 0] : spans[1, 1]] == "Tỷ lệ hộ gia đình có cáp quang đạt trên 80%."
    assert passage_sentence_spans("").shape == (0, 2)


def _index(sizes: list[int], dim: int = 4, seed: int = 0) -> SentenceIndex:
    rng = np.random.default_rng(seed)
    spans = [np.array([[i * 10, i * 10 + 5] for i in range(n)], np.int32).reshape(-1, 2) for n in sizes]
    vectors = [rng.normal(size=(n, dim)).astype(np.float32) for n in sizes]
    return SentenceIndex.from_passages(spans, vectors, dim)


def test_offsets_select_and_concat_keep_passages_aligned():
    a, b = _index([2, 0, 3], seed=1), _index([1, 4], seed=2)
    both = SentenceIndex.concat([a, b], dim=4)
    assert both.n_passages == 5 and both.offsets.tolist() == [0, 2, 2, 5, 6, 10]
    for row, (src, src_row) in enumerate([(a, 0), (a, 1), (a, 2), (b, 0), (b, 1)]):
        np.testing.assert_array_equal(both.of_passage(row)[0], src.of_passage(src_row)[0])
        np.testing.assert_array_equal(both.of_passage(row)[1], src.of_passage(src_row)[1])
    picked = both.select([4, 0])
    assert picked.n_passages == 2 and len(picked.spans) == 6
    np.testing.assert_array_equal(picked.of_passage(0)[1], b.of_passage(1)[1])
    assert SentenceIndex.concat([], dim=4).n_passages == 0


def test_save_load_round_trip_is_memory_mapped(tmp_path):
    idx = _index([3, 1, 2])
    idx.save(tmp_path)
    back = SentenceIndex.load(tmp_path)
    assert isinstance(back.vectors, np.memmap)
    assert back.check(3, 4) is None
    np.testing.assert_array_equal(back.spans, idx.spans)
    np.testing.assert_array_equal(back.vectors, idx.vectors)
    assert "passages" in back.check(4, 4)
    assert "dimension" in back.check(3, 8)


# ------------------------------------------------------------------ the real model
@pytest.fixture(scope="module")
def late(embedder):
    spans = passage_sentence_spans(PASSAGE)
    vectors, per_passage = embedder.encode_passages_with_spans([PASSAGE], [spans])
    return spans, vectors[0], per_passage[0]


def test_passage_vector_is_the_plain_passage_embedding(embedder, late):
    _, vector, _ = late
    plain = embedder.encode_passages([PASSAGE])[0]
    assert float(vector @ plain) > 0.9999


def test_each_question_finds_its_own_sentence(embedder, late):
    spans, _, sentence_vectors = late
    assert sentence_vectors.shape == (3, embedder.dim)
    np.testing.assert_allclose(np.linalg.norm(sentence_vectors, axis=1), 1.0, rtol=1e-5)
    questions = [
        "Dịch vụ trung tâm dữ liệu chuyển lên điện toán đám mây đến năm 2025 bao nhiêu phần trăm?",
        "Tỷ lệ hộ gia đình có cáp quang là bao nhiêu?",
        "Cơ quan nào chủ trì triển khai kế hoạch?",
    ]
    q = embedder.encode_queries(questions)
    assert (q @ sentence_vectors.T).argmax(axis=1).tolist() == [0, 1, 2]


def test_sentence_vectors_are_close_to_separately_embedded_sentences(embedder, late):
    spans, _, sentence_vectors = late
    alone = embedder.encode_passages([PASSAGE[a:b] for a, b in spans])
    cos = np.sum(alone * sentence_vectors, axis=1)
    assert cos.min() > 0.85, cos  # same meaning, plus the passage's context


def test_sentence_past_the_truncation_point_gets_the_passage_vector(embedder):
    filler = " ".join(["Ủy ban nhân dân tỉnh giao các sở, ngành triển khai nhiệm vụ."] * 80)  # > 512 tokens
    text = filler + " Câu cuối nằm ngoài giới hạn."
    spans = np.array([[0, 20], [len(filler) + 1, len(text)]])
    vectors, per_passage = embedder.encode_passages_with_spans([text], [spans])
    assert float(per_passage[0][1] @ vectors[0]) > 0.9999
    assert float(per_passage[0][0] @ vectors[0]) < 0.999
