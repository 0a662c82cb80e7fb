"""Dense side of the index: FAISS inner product over L2-normalised embeddings (= cosine).

Exact search (``IndexFlatIP``) is used up to ``HNSW_THRESHOLD`` passages; past
that an HNSW graph keeps queries fast. The embeddings themselves are stored
beside the FAISS file (``embeddings.npy``) so incremental re-indexing can reuse
the vectors of unchanged documents without re-encoding them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Above this many passages an approximate (HNSW) index replaces exact search. Measured on
#: two cores: exact search costs ~0.11 ms per 1,000 passages (11 ms at 100k, one BLAS
#: thread), HNSW ~5 ms at 100k; below ~50k exact is as fast and needs no graph build.
HNSW_THRESHOLD = 50_000
#: Graph degree and build-time beam. A better-connected graph reaches a given recall with a
#: smaller search beam: at 100k passages (real questions; recall@10 against exact search),
#: M=32/efConstruction=80 gave 0.986 at efSearch 1024 on vectors composed from real sentence
#: embeddings, M=48/efConstruction=200 gave 1.000 at efSearch 512 (and 0.9965 on a Gaussian
#: fitted to real embeddings, the hard case). Building costs ~2.5x more (17 s per 100k composed).
HNSW_M = 48
HNSW_EF_CONSTRUCTION = 200
#: Search beam, set on every load (see benchmarks/bench_query.py for recall at each size).
HNSW_EF_SEARCH = 512


@dataclass
class DenseIndex:
    """A FAISS index whose row i is passage i of the store."""

    index: "object"  # faiss.Index
    dim: int

    @classmethod
    def build(cls, embeddings: np.ndarray, hnsw_threshold: int = HNSW_THRESHOLD) -> "DenseIndex":
        import faiss

        vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError("embeddings must be a 2-D array")
        dim = int(vectors.shape[1])
        if len(vectors) > hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dim)
        if len(vectors):
            index.add(vectors)
        return cls(index=index, dim=dim)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        return "hnsw" if "HNSW" in type(self.index).__name__ else "flat"

    def search(self, query_vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, row ids) per query; ids are -1 where fewer than k exist."""
        q = np.ascontiguousarray(np.atleast_2d(query_vectors), dtype=np.float32)
        k = max(1, min(k, self.size)) if self.size else 1
        if self.size == 0:
            return np.zeros((len(q), 0), np.float32), np.zeros((len(q), 0), np.int64)
        return self.index.search(q, k)

    def all_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of one query with every passage (exact; for small indexes and reranking).

        Exact for both kinds: one matrix-vector product over the stored vectors
        (an HNSW graph keeps its vectors in flat storage). Asking the graph for
        ``k = size`` neighbours instead would walk the whole graph, far slower.
        """
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        return self._vectors() @ np.asarray(query_vector, dtype=np.float32).reshape(-1)

    def top(self, query_vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest passages of one query: (rows, cosines), best first.

        Exact for a flat index; from the graph for HNSW (its cosines are exact,
        the set is approximate: recall@10 >= 0.99 is checked by benchmarks/bench_query.py).
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
        """The stored vectors as a read-only [size, dim] view (no copy)."""
        import faiss

        flat = self.index if self.kind == "flat" else faiss.downcast_index(self.index.storage)
        return faiss.rev_swig_ptr(flat.get_xb(), self.size * self.dim).reshape(self.size, self.dim)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        import faiss

        index = faiss.read_index(str(path))
        if hasattr(index, "hnsw"):
            index.hnsw.efSearch = HNSW_EF_SEARCH  # the current setting, not the one it was written with
        return cls(index=index, dim=int(index.d))
