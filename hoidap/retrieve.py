"""Retrieval over a built index: dense, lexical and hybrid search with filters.

``Searcher`` is the one object the CLI, the web app, the evaluator and the tests
share. It loads the live index version lazily, notices when a writer swaps in a
new one (``CURRENT`` changed) and switches atomically: a query runs entirely on
the version it started with.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hoidap import fusion
from hoidap.query import QueryAnalysis, analyse
from indexer.config import Settings
from indexer.store import IndexContents, IndexLoadError, live_version, load_version
from indexer.types import Document, Passage

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")
#: Candidates taken from each retriever before fusion.
CANDIDATES = 100
#: Recent query vectors kept per Searcher (a question is embedded once for search
#: and again for the answer's sentence scoring; follow-ups and retries repeat it).
QUERY_CACHE_SIZE = 512


@dataclass(frozen=True)
class SearchFilter:
    """Restrict a search to some documents, document types or a section prefix."""

    doc_ids: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    section_prefix: tuple[str, ...] = ()  # e.g. ("II. MỤC TIÊU",) keeps passages under that heading

    def is_empty(self) -> bool:
        return not (self.doc_ids or self.doc_types or self.section_prefix)


@dataclass
class Hit:
    """One retrieved passage with the evidence behind its rank."""

    passage: Passage
    document: Document
    score: float
    dense_score: float = 0.0
    lexical_score: float = 0.0
    row: int = -1  # row in the index version it came from
    matched_terms: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.document.meta.title or self.document.doc_id

    def to_json(self) -> dict:
        return {
            "doc_id": self.passage.doc_id,
            "title": self.title,
            "section": self.passage.section,
            "text": self.passage.text,
            "score": round(float(self.score), 6),
            "source": self.document.source,
        }


class Searcher:
    """Hybrid search over the live version of ``settings.index_dir``."""

    def __init__(self, settings: Settings, embedder: "object | None" = None) -> None:
        self.settings = settings
        self._embedder = _QueryVectorCache(embedder) if embedder is not None else None
        self._contents: IndexContents | None = None
        self._version: Path | None = None
        self._lock = threading.Lock()
        self._row_documents_cache: tuple[IndexContents, np.ndarray, list[str]] | None = None
        self._references_cache: dict[Path | None, tuple[dict[str, set[str]], dict[str, set[str]], list[str]]] = {}
        _single_threaded_blas()

    # -------------------------------------------------------------- resources
    @property
    def embedder(self) -> "object":
        if self._embedder is None:
            from indexer.embed import Embedder

            self._embedder = _QueryVectorCache(Embedder(self.settings))
        return self._embedder

    def contents(self) -> IndexContents:
        """The live index version, reloaded when a writer has swapped in a new one."""
        index_dir = Path(self.settings.index_dir)
        version = live_version(index_dir)
        if self._contents is not None and version == self._version:
            return self._contents
        with self._lock:
            if self._contents is None or version != self._version:
                contents = load_version(index_dir)
                self._check_model(contents)
                if self._contents is not None:  # once queries still running on it finish
                    weakref.finalize(self._contents, release_free_memory)
                self._contents, self._version = contents, contents.path
                log.info("loaded index %s (%d passages)", contents.path, len(contents.passages))
        assert self._contents is not None
        return self._contents

    def _check_model(self, contents: IndexContents) -> None:
        model_id = getattr(self.embedder, "model_id", None)
        if model_id and contents.manifest.model_id != model_id:
            raise IndexLoadError(
                f"index built with {contents.manifest.model_id!r}, current model is {model_id!r}",
                "Chỉ mục được tạo bằng một mô hình khác với mô hình đang dùng.",
            )

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        k: int = 5,
        mode: str = "hybrid",
        filters: SearchFilter | None = None,
    ) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        c = self.contents()
        n = len(c.passages)
        if n == 0:
            return []
        q = analyse(query, c)
        mask = self._mask(c, filters)
        lexical = self._lexical_scores(q, c) if mode in ("hybrid", "lexical") else np.zeros(n, np.float32)
        if mode in ("hybrid", "dense"):
            dense = self._dense_scores(q, c, lexical if mode == "hybrid" else None, k, exact=mask is not None)
        else:
            dense = np.zeros(n, np.float32)
        if mask is not None:
            dense = np.where(mask, dense, -np.inf)
            lexical = np.where(mask, lexical, -np.inf)
        if mode == "dense":
            fused = dense
        elif mode == "lexical":
            fused = lexical
        else:
            fused = self._fuse(dense, lexical, k)
            if q.doc_refs:
                fused = self._boost_referenced(fused, q.doc_refs, c)
        order = _top(fused, k)
        hits = []
        for row in order:
            if not np.isfinite(fused[row]) or (mode == "lexical" and fused[row] <= 0):
                continue
            p = c.passages[row]
            hits.append(
                Hit(
                    passage=p,
                    document=c.documents[p.doc_id],
                    score=float(fused[row]),
                    dense_score=float(dense[row]) if np.isfinite(dense[row]) else 0.0,
                    lexical_score=float(lexical[row]) if np.isfinite(lexical[row]) else 0.0,
                    row=int(row),
                    matched_terms=q.matched_terms(c.word_tokens[row], p.text),
                )
            )
        return hits

    def rank_documents(self, query: str, k: int = 10, mode: str = "hybrid") -> list[str]:
        """Document ids, each at its best passage's rank (for evaluation and filters)."""
        hits = self.search(query, k=max(CANDIDATES, k * 10), mode=mode)
        return list(dict.fromkeys(h.passage.doc_id for h in hits))[:k]

    def _fuse(self, dense: np.ndarray, lexical: np.ndarray, k: int) -> np.ndarray:
        """Fused scores over the union of both retrievers' candidates (-inf elsewhere)."""
        pool = max(CANDIDATES, k)
        d_rank = _top(dense, pool)
        d_rank = d_rank[np.isfinite(dense[d_rank])]
        l_rank = _top(lexical, pool)
        l_rank = l_rank[np.isfinite(lexical[l_rank]) & (lexical[l_rank] > 0)]
        candidates = np.union1d(d_rank, l_rank)
        fused = np.full(len(dense), -np.inf, dtype=np.float32)
        if len(candidates):
            lex = np.where(np.isfinite(lexical[candidates]), lexical[candidates], 0.0)
            fused[candidates] = fusion.convex(dense[candidates], lex, fusion.DENSE_WEIGHT)
        return fused

    def _boost_referenced(self, fused: np.ndarray, refs: list[str], c: IndexContents) -> np.ndarray:
        """Lift passages of documents the query names ("Kế hoạch 225", "225/KH-UBND")."""
        identities, mentions, row_docs = self._references(c)
        bonus = fusion.reference_bonus(refs, identities, mentions)
        if not bonus:
            return fused
        lift = np.array([bonus.get(d, 0.0) for d in row_docs], dtype=np.float32) * fusion.DOC_REFERENCE_WEIGHT
        return np.where(np.isfinite(fused), fused + lift, fused)

    def _references(self, c: IndexContents) -> tuple[dict[str, set[str]], dict[str, set[str]], list[str]]:
        """Per index version: each document's own references, those it mentions, and row -> doc id."""
        cached = self._references_cache.get(c.path)
        if cached is None:
            from indexer.metadata import document_references

            identities = {
                d.doc_id: set(document_references(f"{d.meta.doc_type} số {d.meta.number}")) if d.meta.number else set()
                for d in c.documents.values()
            }
            mentions = {d.doc_id: set(document_references(d.text)) for d in c.documents.values()}
            cached = (identities, mentions, [p.doc_id for p in c.passages])
            self._references_cache = {c.path: cached}  # only the live version is worth keeping
        return cached

    def _dense_scores(
        self, q: QueryAnalysis, c: IndexContents, lexical: np.ndarray | None = None, k: int = 0, exact: bool = False
    ) -> np.ndarray:
        """Cosine with every passage (flat index), or with the candidates only (HNSW).

        With an HNSW graph, scoring every passage would cost a pass over all the
        vectors; fusion only looks at each retriever's top ``max(CANDIDATES, k)``,
        so the graph's top ones and the lexical candidates are scored (exactly)
        and the rest are -inf. Filtered searches stay exact.
        """
        vector = self.embedder.encode_queries([q.dense_text])[0]  # type: ignore[attr-defined]
        if c.dense.kind == "flat" or exact:
            return c.dense.all_scores(vector)
        pool = max(CANDIDATES, k)
        rows = _top(lexical, pool) if lexical is not None else None
        if rows is not None:
            rows = rows[lexical[rows] > 0]
        return c.dense.candidate_scores(vector, pool, rows)

    def _lexical_scores(self, q: QueryAnalysis, c: IndexContents) -> np.ndarray:
        n = len(c.passages)
        scores = np.zeros(n, dtype=np.float32)
        if q.word_tokens:
            scores += c.lexical.words.scores(q.word_tokens)
        if q.folded_tokens:
            scores += c.lexical.folded.scores(q.folded_tokens)
        return scores

    def _mask(self, c: IndexContents, filters: SearchFilter | None) -> np.ndarray | None:
        if filters is None or filters.is_empty():
            return None
        doc_of_row, doc_ids = self._row_documents(c)
        keep = np.ones(len(c.passages), dtype=bool)
        if filters.doc_ids:
            wanted = set(filters.doc_ids)
            keep &= np.fromiter((d in wanted for d in doc_ids), dtype=bool, count=len(doc_ids))[doc_of_row]
        if filters.doc_types:
            types = set(filters.doc_types)
            keep &= np.fromiter(
                (c.documents[d].meta.doc_type in types for d in doc_ids), dtype=bool, count=len(doc_ids)
            )[doc_of_row]
        if filters.section_prefix:
            prefix, depth = filters.section_prefix, len(filters.section_prefix)
            for i in np.flatnonzero(keep):
                if tuple(c.passages[i].section_path[:depth]) != prefix:
                    keep[i] = False
        return keep

    def _row_documents(self, c: IndexContents) -> tuple[np.ndarray, list[str]]:
        """Per index version: each row's document as an index into a list of doc ids."""
        cached = self._row_documents_cache
        if cached is None or cached[0] is not c:
            doc_ids = list(dict.fromkeys(p.doc_id for p in c.passages))
            position = {d: i for i, d in enumerate(doc_ids)}
            rows = np.fromiter((position[p.doc_id] for p in c.passages), dtype=np.int64, count=len(c.passages))
            cached = (c, rows, doc_ids)
            self._row_documents_cache = cached  # only the live version is worth keeping
        return cached[1], cached[2]


@functools.cache
def _single_threaded_blas() -> None:
    """Run numpy's BLAS on one thread in a process that answers questions.

    A query's BLAS work is one matrix-vector product, memory-bound, and
    OpenBLAS's second thread spin-waits after it, competing for the cores with
    the query encoder's OpenMP threads: on two cores, search p50 went from 74 to
    29 ms (10k passages) and from 114 to 40 ms (100k) with one BLAS thread.
    Process-wide, once (cached); torch and FAISS have their own thread pools.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def release_free_memory() -> None:
    """Give memory freed by a dropped index version back to the OS (glibc ``malloc_trim``).

    A version is many small Python objects spread over the allocator's arenas;
    without a trim, a long-running server that re-indexes keeps the old
    version's pages resident although nothing uses them.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


class _QueryVectorCache:
    """The embedder, remembering the vectors of recent single-query calls (LRU, thread-safe).

    Everything else (passages, batches of queries, metadata) goes straight to the
    wrapped embedder. A query's vector depends only on its text and the model,
    which a Searcher never changes, so entries never go stale.
    """

    def __init__(self, inner: "object", size: int = QUERY_CACHE_SIZE) -> None:
        self._inner = inner
        self._size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def __getattr__(self, name: str) -> "object":
        return getattr(self._inner, name)

    def encode_queries(self, texts: "list[str]") -> np.ndarray:
        if isinstance(texts, str) or len(texts) != 1:
            return self._inner.encode_queries(texts)  # type: ignore[attr-defined]
        key = texts[0]
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit[None, :].copy()
        out = self._inner.encode_queries([key])  # type: ignore[attr-defined]
        with self._cache_lock:
            self._cache[key] = np.array(out[0], dtype=np.float32, copy=True)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest finite scores, best first (stable for ties)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]
