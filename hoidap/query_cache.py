"""A query encoder that remembers the vectors of recent questions (LRU, thread-safe)."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from indexer.models.protocols import QueryEncoder

__all__ = ["QueryVectorCache", "QUERY_CACHE_SIZE"]

#: Recent query vectors kept per Searcher (a question is embedded once for search
#: and again for the answer's sentence scoring; follow-ups and retries repeat it).
QUERY_CACHE_SIZE = 512


class QueryVectorCache(QueryEncoder):
    """``inner``, remembering the vectors of recent single-query calls.

    Passages and batches of queries go straight to ``inner``. A query's vector
    depends only on its text and the model, which a Searcher never changes, so
    entries never go stale.
    """

    def __init__(self, inner: QueryEncoder, size: int = QUERY_CACHE_SIZE) -> None:
        self.inner = inner
        self._size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def dim(self) -> int:
        return self.inner.dim

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_passages(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str) or len(texts) != 1:
            return self.inner.encode_queries(texts)
        key = texts[0]
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit[None, :].copy()
        out = self.inner.encode_queries([key])
        with self._cache_lock:
            self._cache[key] = np.array(out[0], dtype=np.float32, copy=True)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]
