"""FAISS side: exact search equals brute force; IVF recall vs exact; older HNSW files still load."""
import numpy as np
import pytest

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


def _clustered(rng, n, d=64, clusters=40, spread=0.35):
    """Unit vectors around topic centres, like real embeddings (a structureless cloud is not)."""
    centres = _unit(rng, clusters, d)
    x = centres[rng.integers(0, clusters, n)] + spread * rng.standard_normal((n, d)).astype(np.float32) / np.sqrt(d)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_ivf_recall_at_10_vs_exact(tmp_path):
    from indexer.dense import ivf_lists, ivf_probes

    rng = np.random.default_rng(1)
    points = _clustered(rng, 4050)
    xb, xq = points[:4000], points[4000:]
    approx = DenseIndex.build(xb, approximate_from=1000)
    assert approx.kind == "ivf" and approx.index.nlist == ivf_lists(4000) and approx.index.nprobe == ivf_probes(ivf_lists(4000))
    _, got = approx.search(xq, 10)
    exact = np.argsort(-(xq @ xb.T), axis=1)[:, :10]
    recall = np.mean([len(set(g) & set(e)) / 10 for g, e in zip(got, exact)])
    assert recall >= 0.99
    approx.save(tmp_path / "d.faiss")
    again = DenseIndex.load(tmp_path / "d.faiss", vectors=xb)
    assert again.kind == "ivf" and again.index.nprobe == approx.index.nprobe
    np.testing.assert_array_equal(again.search(xq, 10)[1], got)
    np.testing.assert_allclose(again.scores_of(xq[0], np.array([5, 9])), xb[[5, 9]] @ xq[0], rtol=1e-5)
    with pytest.raises(ValueError):
        DenseIndex.load(tmp_path / "d.faiss").all_scores(xq[0])  # an IVF index cannot score rows without them


def test_hnsw_graphs_of_earlier_versions_still_load(tmp_path):
    import faiss

    from indexer.dense import HNSW_EF_SEARCH

    rng = np.random.default_rng(2)
    xb = _unit(rng, 500)
    graph = faiss.IndexHNSWFlat(64, 16, faiss.METRIC_INNER_PRODUCT)
    graph.add(xb)
    faiss.write_index(graph, str(tmp_path / "old.faiss"))
    old = DenseIndex.load(tmp_path / "old.faiss", vectors=xb)
    assert old.kind == "hnsw" and old.index.hnsw.efSearch == HNSW_EF_SEARCH
    rows, scores = old.top(xb[7], 5)
    assert rows[0] == 7
    np.testing.assert_allclose(old.scores_of(xb[7], rows), scores, rtol=1e-5, atol=1e-6)


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
    ivf = DenseIndex.build(xb, approximate_from=1000)
    flat = DenseIndex.build(xb)
    assert (ivf.kind, flat.kind) == ("ivf", "flat")
    np.testing.assert_allclose(ivf.all_scores(q), exact, rtol=1e-5, atol=1e-6)
    for index in (ivf, flat):
        rows, scores = index.top(q, 10)
        assert rows[0] == 3 and len(rows) == 10 and rows.dtype == np.int64
        np.testing.assert_allclose(scores, exact[rows], rtol=1e-5, atol=1e-6)  # the returned cosines are exact
        assert np.all(np.diff(scores) <= 1e-6)  # best first
        picked = np.array([1500, 7, 3])
        np.testing.assert_allclose(index.scores_of(q, picked), exact[picked], rtol=1e-5, atol=1e-6)
        assert index.scores_of(q, np.zeros(0, np.int64)).shape == (0,)
    flat_rows, _ = flat.top(q, 10)
    assert flat_rows.tolist() == np.argsort(-exact)[:10].tolist()
