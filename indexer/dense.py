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

#: Above this many passages an approximate (HNSW) index replaces exact search.
HNSW_THRESHOLD = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


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
        """Cosine of one query with every passage (exact; for small indexes and reranking)."""
        import faiss

        if self.kind == "flat" and self.size:
            xb = faiss.rev_swig_ptr(self.index.get_xb(), self.size * self.dim).reshape(self.size, self.dim)
            return xb @ np.asarray(query_vector, dtype=np.float32)
        scores, ids = self.search(query_vector, self.size)
        out = np.full(self.size, -1.0, dtype=np.float32)
        valid = ids[0] >= 0
        out[ids[0][valid]] = scores[0][valid]
        return out

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        import faiss

        index = faiss.read_index(str(path))
        return cls(index=index, dim=int(index.d))
