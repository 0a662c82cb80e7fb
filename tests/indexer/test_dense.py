"""FAISS side: exact search equals brute force; HNSW recall vs exact."""
import numpy as np

from indexer.dense import DenseIndex


def _unit(rng, n, d=64):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_flat_equals_brute_force(tmp_path):
    rng = np.random.default_rng(0)
    xb, xq = _unit(rng, 500), _unit(rng, 5)
    index = DenseIndex.build(xb)
    assert index.kind == "flat"
    scores, ids = index.search(xq, 10)
    expected = np.argsort(-(xq @ xb.T), axis=1)[:, :10]
    np.testing.assert_array_equal(ids, expected)
    np.testing.assert_allclose(index.all_scores(xq[0]), xb @ xq[0], rtol=1e-5)
    index.save(tmp_path / "d.faiss")
    again = DenseIndex.load(tmp_path / "d.faiss")
    np.testing.assert_array_equal(again.search(xq, 10)[1], ids)


def test_hnsw_recall_at_10_vs_exact():
    rng = np.random.default_rng(1)
    xb, xq = _unit(rng, 3000), _unit(rng, 50)
    approx = DenseIndex.build(xb, hnsw_threshold=1000)
    assert approx.kind == "hnsw"
    _, got = approx.search(xq, 10)
    exact = np.argsort(-(xq @ xb.T), axis=1)[:, :10]
    recall = np.mean([len(set(g) & set(e)) / 10 for g, e in zip(got, exact)])
    assert recall >= 0.95


def test_empty_index():
    index = DenseIndex.build(np.zeros((0, 8), np.float32))
    scores, ids = index.search(np.ones(8, np.float32), 5)
    assert ids.shape == (1, 0)


def test_top_and_exact_scores_of_rows_for_both_kinds():
    rng = np.random.default_rng(5)
    xb = rng.standard_normal((2000, 16)).astype(np.float32)
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    q = xb[3]
    exact = xb @ q
    hnsw = DenseIndex.build(xb, hnsw_threshold=1000)
    flat = DenseIndex.build(xb)
    assert (hnsw.kind, flat.kind) == ("hnsw", "flat")
    np.testing.assert_allclose(hnsw.all_scores(q), exact, rtol=1e-5, atol=1e-6)
    for index in (hnsw, flat):
        rows, scores = index.top(q, 10)
        assert rows[0] == 3 and len(rows) == 10 and rows.dtype == np.int64
        np.testing.assert_allclose(scores, exact[rows], rtol=1e-5, atol=1e-6)  # the graph's cosines are exact
        assert np.all(np.diff(scores) <= 1e-6)  # best first
        picked = np.array([1500, 7, 3])
        np.testing.assert_allclose(index.scores_of(q, picked), exact[picked], rtol=1e-5, atol=1e-6)
        assert index.scores_of(q, np.zeros(0, np.int64)).shape == (0,)
    flat_rows, _ = flat.top(q, 10)
    assert flat_rows.tolist() == np.argsort(-exact)[:10].tolist()
