"""Dense side of the index: FAISS inner product over L2-normalised embeddings (= cosine).

Exact search (``IndexFlatIP``) is used up to ``APPROXIMATE_FROM`` passages; past
that an inverted-file index (IVF: k-means lists, a few probed per query) keeps
queries fast. The embeddings themselves are stored beside the FAISS file
(``embeddings.npy``) so incremental re-indexing can reuse the vectors of
unchanged documents without re-encoding them, and so that any row can be scored
exactly (an IVF index keeps its vectors by list, not by row).

Why IVF and not HNSW (measured with benchmarks/bench_query.py, recall@10 against
exact search, real questions, vectors composed from real sentence embeddings):
at 1M passages IVF (4,096 lists, 128 probed) reached 0.999 in 3.4 ms and built in
79 s; an HNSW graph (M=48, efConstruction=200) took 313 s to build and reached
0.958/0.980/0.995 at efSearch 512/2048/4096 (4096: 11 ms), and one question in
200 got recall 0 at every setting: its passages formed a tight cluster the graph
never reached. Legal texts repeat clauses, so such clusters are real. A Gaussian
without clusters is the opposite case (IVF needs ~25% of the lists for 0.98 at
100k); real embeddings are clustered.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: From this many passages on, an approximate (IVF) index replaces exact search. Exact
#: search costs ~0.11 ms per 1,000 passages on two cores (one BLAS thread): 5.5 ms here.
APPROXIMATE_FROM = 50_000
#: Lists: ~4 sqrt(n) (1M passages -> 4,000 lists of ~250), the usual FAISS rule.
IVF_LISTS_PER_SQRT = 4
#: k-means trains on this many vectors per list (a seeded sample; FAISS wants >= 39).
IVF_TRAINING_PER_LIST = 64
#: Lists probed per query: 1/32 of them, at least 32. Recall@10 against exact search: 0.997
#: at 100k (40 of 1,264 lists, 0.4 ms), 0.999 at 1M (128 of 4,096, 3.4 ms).
IVF_PROBE_FRACTION = 32
IVF_MIN_PROBES = 32
#: Recall@10 the probe count is raised to at build time, on the index's own vectors (see
#: :func:`calibrate_probes`): the default above holds it on clustered (real) embeddings,
#: a structureless cloud needs far more lists.
TARGET_RECALL = 0.99
CALIBRATION_QUERIES = 256
#: First bytes of a FAISS file holding an IndexIVFFlat.
IVF_FLAT_FOURCC = b"IwFl"
#: Graphs written by earlier versions still load and are searched with this beam.
HNSW_EF_SEARCH = 1024


def ivf_lists(n: int) -> int:
    return max(1, int(IVF_LISTS_PER_SQRT * math.sqrt(n)))


def ivf_probes(lists: int) -> int:
    return min(lists, max(IVF_MIN_PROBES, lists // IVF_PROBE_FRACTION))


def sampled_recall(index: "object", vectors: np.ndarray, rows: np.ndarray, k: int = 10) -> float:
    """Recall@k of ``index`` against exact search, with the vectors of ``rows`` as queries.

    Each query's own row is left out of both lists (it is trivially found); a
    returned row counts when it is as close as the exact k-th (ties are equally
    right). Exact scores are computed in chunks of rows, so memory stays small.
    """
    queries = np.ascontiguousarray(vectors[rows], dtype=np.float32)
    best = np.full((len(rows), k + 1), -np.inf, dtype=np.float32)
    for start in range(0, len(vectors), 65_536):
        scores = np.asarray(vectors[start : start + 65_536], dtype=np.float32) @ queries.T  # (chunk, queries)
        both = np.concatenate([best, scores.T], axis=1)
        best = np.partition(both, both.shape[1] - (k + 1), axis=1)[:, -(k + 1) :]  # the k + 1 largest, unordered
    kth = best.min(axis=1)  # the (k+1)-th overall: the k-th best apart from the query itself
    found, ids = index.search(queries, k + 1)
    hits = [np.sum((found[i] >= kth[i] - 1e-6) & (ids[i] != rows[i]) & (ids[i] >= 0)) for i in range(len(rows))]
    return float(np.mean(np.minimum(hits, k))) / k


def calibrate_probes(index: "object", vectors: np.ndarray, target: float = TARGET_RECALL) -> float:
    """Double ``index.nprobe`` until the sampled recall@10 reaches ``target`` (or every list is probed).

    Why: how many lists hold a query's neighbours depends on how clustered the
    embeddings are. On vectors composed from real ones 1/32 of the lists gave
    0.997-0.999; on a Gaussian cloud it gave 0.64. Checking on the corpus's own
    vectors at build time (256 queries, ~2 s per million passages) keeps the
    recall floor whatever the data, at a measured latency cost only where needed.
    """
    rows = np.sort(np.random.default_rng(1).choice(len(vectors), size=min(len(vectors), CALIBRATION_QUERIES), replace=False))
    recall = sampled_recall(index, vectors, rows)
    while recall < target and index.nprobe < index.nlist:
        index.nprobe = min(index.nlist, index.nprobe * 2)
        recall = sampled_recall(index, vectors, rows)
    return recall


@dataclass
class DenseIndex:
    """A FAISS index whose row i is passage i of the store.

    ``vectors`` are the row-aligned embeddings (a memory map when loaded): an IVF
    index needs them to score given rows exactly.
    """

    index: "object"  # faiss.Index
    dim: int
    vectors: np.ndarray | None = None

    @classmethod
    def build(cls, embeddings: np.ndarray, approximate_from: int = APPROXIMATE_FROM) -> "DenseIndex":
        import faiss

        vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError("embeddings must be a 2-D array")
        n, dim = int(vectors.shape[0]), int(vectors.shape[1])
        if n >= approximate_from:
            lists = ivf_lists(n)
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, lists, faiss.METRIC_INNER_PRODUCT)
            sample = np.random.default_rng(0).choice(n, size=min(n, lists * IVF_TRAINING_PER_LIST), replace=False)
            index.train(vectors[np.sort(sample)])
            index.nprobe = ivf_probes(lists)
            index.add(vectors)
            recall = calibrate_probes(index, vectors)
            log.info("IVF index: %d lists, %d probed (sampled recall@10 %.3f)", lists, index.nprobe, recall)
            return cls(index=index, dim=dim, vectors=vectors)
        index = faiss.IndexFlatIP(dim)
        if n:
            index.add(vectors)
        return cls(index=index, dim=dim)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        name = type(self.index).__name__
        return "ivf" if "IVF" in name else "hnsw" if "HNSW" in name else "flat"

    def search(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, row ids) per query; ids are -1 where fewer than k exist."""
        q = np.ascontiguousarray(np.atleast_2d(query_vectors), dtype=np.float32)
        k = max(1, min(k, self.size)) if self.size else 1
        if self.size == 0:
            return np.zeros((len(q), 0), np.float32), np.zeros((len(q), 0), np.int64)
        return self.index.search(q, k)

    def all_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of one query with every passage: one matrix-vector product, exact for every kind."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        return self._vectors() @ np.asarray(query_vector, dtype=np.float32).reshape(-1)

    def top(self, query_vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest passages of one query: (rows, cosines), best first.

        Exact for a flat index; from the probed lists for IVF (their cosines are
        exact, the set is approximate: recall@10 is measured by benchmarks/bench_query.py).
        """
        scores, ids = self.search(np.asarray(query_vector, dtype=np.float32).reshape(1, -1), k)
        valid = ids[0] >= 0
        return ids[0][valid].astype(np.int64), scores[0][valid]

    def scores_of(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosines of one query with the passages ``rows`` (from the stored vectors)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros(0, dtype=np.float32)
        return self._vectors()[rows] @ np.asarray(query_vector, dtype=np.float32).reshape(-1)

    def _vectors(self) -> np.ndarray:
        """The row-aligned vectors as a read-only [size, dim] array (no copy).

        A flat index (and an HNSW graph of an older version) keeps them by row
        in its own storage, so the ``embeddings.npy`` map is not paged in twice.
        """
        import faiss

        if self.kind == "ivf":
            if self.vectors is None:
                raise ValueError("an IVF index needs its row-aligned vectors (DenseIndex.load(..., vectors=...))")
            return self.vectors
        flat = self.index if self.kind == "flat" else faiss.downcast_index(self.index.storage)
        return faiss.rev_swig_ptr(flat.get_xb(), self.size * self.dim).reshape(self.size, self.dim)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, vectors: np.ndarray | None = None) -> "DenseIndex":
        """Read ``path``; the search settings are today's, not the ones it was written with."""
        import faiss

        with open(path, "rb") as fh:
            ivf = fh.read(4) == IVF_FLAT_FOURCC
        # IVF lists are memory-mapped: read on demand (at 1M passages, 0.02 s instead of
        # reading 1.5 GB), shared between processes and evictable. A truncated file
        # still fails here, when the lists are mapped, not later in a search.
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP if ivf else 0)
        if hasattr(index, "nprobe"):  # read_index returns the concrete class (IndexIVFFlat)
            index.nprobe = max(int(index.nprobe), ivf_probes(int(index.nlist)))  # as calibrated at build time
        if hasattr(index, "hnsw"):
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index=index, dim=int(index.d), vectors=vectors)
