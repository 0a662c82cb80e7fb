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


def test_hnsw_all_scores_exact_and_candidate_scores():
    rng = np.random.default_rng(5)
    xb = rng.standard_normal((2000, 16)).astype(np.float32)
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    q = xb[3]
    hnsw = DenseIndex.build(xb, hnsw_threshold=1000)
    assert hnsw.kind == "hnsw"
    np.testing.assert_allclose(hnsw.all_scores(q), xb @ q, rtol=1e-5, atol=1e-6)
    cand = hnsw.candidate_scores(q, 10, rows=np.array([1500, 7]))
    finite = np.flatnonzero(np.isfinite(cand))
    assert 3 in finite and 1500 in finite and 7 in finite and len(finite) <= 12
    np.testing.assert_allclose(cand[finite], (xb @ q)[finite], rtol=1e-5, atol=1e-6)
    flat = DenseIndex.build(xb)
    np.testing.assert_allclose(flat.candidate_scores(q, 10), xb @ q, rtol=1e-5)
