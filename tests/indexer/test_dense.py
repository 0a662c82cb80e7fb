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
    assert type(again.index.invlists).__name__ != "ArrayInvertedLists"  # memory-mapped, not read in
    np.testing.assert_array_equal(again.search(xq, 10)[1], got)
    np.testing.assert_allclose(again.scores_of(xq[0], np.array([5, 9])), xb[[5, 9]] @ xq[0], rtol=1e-5)
    with pytest.raises(ValueError):
        DenseIndex.load(tmp_path / "d.faiss").all_scores(xq[0])  # an IVF index cannot score rows without them


def test_a_truncated_ivf_file_fails_to_load_instead_of_crashing_a_search(tmp_path):
    rng = np.random.default_rng(6)
    index = DenseIndex.build(_clustered(rng, 3000), approximate_from=1000)
    index.save(tmp_path / "d.faiss")
    data = (tmp_path / "d.faiss").read_bytes()
    for cut in (len(data) - 10, len(data) // 2):
        (tmp_path / "cut.faiss").write_bytes(data[:cut])
        with pytest.raises(RuntimeError):
            DenseIndex.load(tmp_path / "cut.faiss")


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


def test_probes_are_raised_until_recall_holds_on_structureless_vectors(tmp_path):
    """A cloud without clusters needs many more lists probed; the build finds out and keeps it on disk."""
    from indexer.dense import ivf_lists, ivf_probes, sampled_recall

    rng = np.random.default_rng(3)
    cloud, clustered = _unit(rng, 6000), _clustered(rng, 6000)
    default = ivf_probes(ivf_lists(6000))
    calm = DenseIndex.build(clustered, approximate_from=1000)
    assert calm.index.nprobe == default  # clustered: the default already holds
    wide = DenseIndex.build(cloud, approximate_from=1000)
    assert wide.index.nprobe > default
    held_out = np.arange(0, 6000, 61)
    assert sampled_recall(wide.index, cloud, held_out) >= 0.98
    wide.save(tmp_path / "wide.faiss")
    assert DenseIndex.load(tmp_path / "wide.faiss", vectors=cloud).index.nprobe == wide.index.nprobe


def test_sampled_recall_against_a_brute_force_reference():
    import faiss

    from indexer.dense import sampled_recall

    rng = np.random.default_rng(4)
    xb = _unit(rng, 800, 16)
    exact = faiss.IndexFlatIP(16)
    exact.add(xb)
    rows = np.arange(0, 800, 40)
    assert sampled_recall(exact, xb, rows) == 1.0

    class HalfWrong:  # returns the right 11 but replaces the last 5 non-self with far rows
        def search(self, q, k):
            scores, ids = exact.search(q, k)
            far = np.argsort(xb @ q.T, axis=0)[:5].T  # the 5 farthest rows
            ids[:, -5:], scores[:, -5:] = far, np.take_along_axis((xb @ q.T).T, far, axis=1)
            return scores, ids

    assert sampled_recall(HalfWrong(), xb, rows) == 0.5
