"""Retrieval over a built index: dense, lexical and hybrid search with filters.

``Searcher`` is the one object the CLI, the web app, the evaluator and the tests
share. It loads the live index version lazily and follows ``CURRENT`` through
:class:`hoidap.live_index.LiveIndex`: a query runs entirely on the version it
started with.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from hoidap import fusion
from hoidap.live_index import LiveIndex
from hoidap.process import single_threaded_blas
from hoidap.query_cache import QUERY_CACHE_SIZE, QueryVectorCache
from hoidap.query import QueryAnalysis, analyse
from hoidap.relations import RelationView
from indexer.config import Settings
from indexer.models.protocols import QueryEncoder
from indexer.relations.renames import load_renames
from indexer.store import IndexContents, IndexLoadError, load_version
from indexer.types import Document, Passage

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")
#: Candidates taken from each retriever before fusion.
CANDIDATES = 100


@dataclass(frozen=True)
class SearchFilter:
    """Restrict a search to some documents, document types or a section prefix."""

    doc_ids: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    section_prefix: tuple[str, ...] = ()  # e.g. ("II. MỤC TIÊU",) keeps passages under that heading
    current_only: bool = False  # "chỉ văn bản còn hiệu lực" (hoidap.relations)

    def is_empty(self) -> bool:
        return not (self.doc_ids or self.doc_types or self.section_prefix or self.current_only)


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
    #: whether the evidence judge finds the passage relevant to the query (None: not judged)
    relevant: bool | None = None
    #: the judge's probability behind ``relevant``
    confidence: float = 0.0
    relation: dict = field(default_factory=dict)  # status, period, newer, notice, notes (hoidap.relations)

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
            **self.relation,
        }


class Searcher:
    """Hybrid search over the live version of ``settings.index_dir``."""

    def __init__(self, settings: Settings, embedder: QueryEncoder | None = None) -> None:
        self.settings = settings
        self._embedder = QueryVectorCache(embedder) if embedder is not None else None
        self.live = LiveIndex(Path(settings.index_dir), self._load, settings.reload_check_ms)
        self._row_documents_cache: tuple[IndexContents, np.ndarray, list[str]] | None = None
        self._analyses: OrderedDict[tuple[str, str], QueryAnalysis] = OrderedDict()
        self._analyses_lock = threading.Lock()
        self._references_cache: dict[Path | None, tuple[dict[str, set[str]], dict[str, set[str]], list[str]]] = {}
        self._relations_cache: tuple[IndexContents, date | None, RelationView] | None = None
        self.today: date | None = None  # the date validity is judged at (None = today); tests set it
        single_threaded_blas()

    # -------------------------------------------------------------- resources
    @property
    def embedder(self) -> QueryEncoder:
        if self._embedder is None:
            from indexer.models.embedder import Embedder

            self._embedder = QueryVectorCache(Embedder(self.settings))
        return self._embedder

    def contents(self) -> IndexContents:
        """The live index version, switched when a writer has published a new one (:mod:`hoidap.live_index`)."""
        return self.live.current()

    @property
    def _version(self) -> Path | None:
        return self.live.version

    def _load(self, version: Path | None) -> IndexContents:
        contents = load_version(Path(self.settings.index_dir), warm=True, version=version)
        self._check_model(contents)
        return contents

    def _check_model(self, contents: IndexContents) -> None:
        model_id = getattr(self.embedder, "model_id", None)
        if model_id and contents.manifest.model_id != model_id:
            raise IndexLoadError(
                f"index built with {contents.manifest.model_id!r}, current model is {model_id!r}",
                "Chỉ mục được tạo bằng một mô hình khác với mô hình đang dùng.",
            )

    def relations(self, c: IndexContents | None = None) -> RelationView:
        """Per index version and ``today``: status and relations of its documents (built on first use)."""
        c = c or self.contents()
        cached = self._relations_cache
        if cached is None or cached[0] is not c or cached[1] != self.today:
            titles = self.embedder.encode_queries
            cached = (c, self.today, RelationView.of(c, self.today, self.settings.renames_path, titles))
            self._relations_cache = cached
        return cached[2]

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
        view = self.relations(c)
        q = self.analysis(query, c)
        mask = self._mask(c, filters)
        pool = max(CANDIDATES, k)
        lexical = self._lexical_scores(q, c, mask) if mode != "dense" else None
        lexical_rows = _positive_top(lexical, pool) if lexical is not None else _NO_ROWS
        if mode == "lexical":
            rows, dense = lexical_rows, np.zeros(len(lexical_rows), np.float32)
        else:
            rows, dense = self._dense_candidates(q, c, pool, mask, lexical_rows if mode == "hybrid" else _NO_ROWS)
        lex = lexical[rows] if lexical is not None else np.zeros(len(rows), np.float32)
        if mode == "dense":
            scores = dense
        elif mode == "lexical":
            scores = lex
        else:
            scores = fusion.convex(dense, lex, fusion.DENSE_WEIGHT)
            if q.doc_refs:
                scores = scores + self._reference_lift(rows, q.doc_refs, c)
        if view.has_successors and len(rows):
            scores = scores - view.superseded_penalty([c.passages[int(r)].doc_id for r in rows])
        hits = []
        for i in _top(scores, k, rows):
            row = int(rows[i])
            p = c.passages[row]
            hits.append(
                Hit(
                    passage=p,
                    document=c.documents[p.doc_id],
                    score=float(scores[i]),
                    dense_score=float(dense[i]),
                    lexical_score=float(lex[i]),
                    row=row,
                    matched_terms=q.matched_terms(c.word_tokens[row], p.text),
                    relation=view.status_json(p.doc_id, p.text),
                )
            )
        return hits

    def analysis(self, query: str, contents: IndexContents | None = None) -> QueryAnalysis:
        """The query's analysis on the live version, remembered: search, answer and the
        evidence judge each need it, and word segmentation is the costly part (~3 ms)."""
        c = contents or self.contents()
        key = (query, str(c.path))
        with self._analyses_lock:
            cached = self._analyses.get(key)
            if cached is not None:
                self._analyses.move_to_end(key)
                return cached
        q = analyse(query, c, renames=load_renames(self.settings.renames_path))
        with self._analyses_lock:
            self._analyses[key] = q
            while len(self._analyses) > QUERY_CACHE_SIZE:
                self._analyses.popitem(last=False)
        return q

    def rank_documents(self, query: str, k: int = 10, mode: str = "hybrid") -> list[str]:
        """Document ids, each at its best passage's rank (for evaluation and filters)."""
        hits = self.search(query, k=max(CANDIDATES, k * 10), mode=mode)
        return list(dict.fromkeys(h.passage.doc_id for h in hits))[:k]

    def _reference_lift(self, rows: np.ndarray, refs: list[str], c: IndexContents) -> np.ndarray:
        """Lift for passages of documents the query names ("Kế hoạch 225", "225/KH-UBND")."""
        identities, mentions, row_docs = self._references(c)
        bonus = fusion.reference_bonus(refs, identities, mentions)
        lift = np.fromiter((bonus.get(row_docs[r], 0.0) for r in rows.tolist()), dtype=np.float32, count=len(rows))
        return lift * np.float32(fusion.DOC_REFERENCE_WEIGHT)

    def _references(self, c: IndexContents) -> tuple[dict[str, set[str]], dict[str, set[str]], list[str]]:
        """Per index version: each document's own references, those it mentions, and row -> doc id."""
        cached = self._references_cache.get(c.path)
        if cached is None:
            from indexer.citation import document_number_label
            from indexer.metadata import document_references

            identities = {
                d.doc_id: set(document_references(document_number_label(d.meta))) if d.meta.number else set()
                for d in c.documents.values()
            }
            mentions = {d.doc_id: set(document_references(d.text)) for d in c.documents.values()}
            cached = (identities, mentions, [p.doc_id for p in c.passages])
            self._references_cache = {c.path: cached}  # only the live version is worth keeping
        return cached

    def _dense_candidates(
        self, q: QueryAnalysis, c: IndexContents, pool: int, mask: np.ndarray | None, lexical_rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows to rank (the dense top ``pool`` and ``lexical_rows``) and their exact cosines.

        A flat index scores every passage (one matrix-vector product, as cheap
        as a top-k search up to ~50k passages), as does any filtered search. The
        approximate (IVF) index gives its top ``pool``, and the lexical candidates are scored
        from the stored vectors, so fusion sees true cosines for every row and
        nothing ever has the length of the index.
        """
        vector = self.embedder.encode_queries([q.dense_text])[0]
        if c.dense.kind == "flat" or mask is not None:
            everything = c.dense.all_scores(vector)
            if mask is not None:
                everything = np.where(mask, everything, -np.inf)
            rows = np.union1d(_top(everything, pool), lexical_rows)
            return rows, everything[rows].astype(np.float32)
        dense_rows, _ = c.dense.top(vector, pool)
        rows = np.union1d(dense_rows, lexical_rows)
        return rows, c.dense.scores_of(vector, rows)

    def _lexical_scores(self, q: QueryAnalysis, c: IndexContents, mask: np.ndarray | None) -> np.ndarray:
        """BM25 of every passage, words + folded fields (0 where nothing matches, -inf outside ``mask``)."""
        n = len(c.passages)
        scores = np.zeros(n, dtype=np.float32)
        if q.word_tokens:
            scores += c.lexical.words.scores(q.word_tokens)
        if q.folded_tokens:
            scores += c.lexical.folded.scores(q.folded_tokens)
        if mask is not None:
            scores[~mask] = -np.inf
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
        if filters.current_only:
            keep &= self.relations(c).current_mask(doc_ids)[doc_of_row]
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


_NO_ROWS = np.zeros(0, dtype=np.int64)
#: From this many scores on, :func:`_top` first narrows them with a threshold taken from a sample.
_SAMPLED_TOP_MIN = 65_536
_TOP_SAMPLE = 8_192


def _top(scores: np.ndarray, k: int, ties: np.ndarray | None = None) -> np.ndarray:
    """Positions of the k largest finite scores, best first; ties go to the smallest ``ties`` (default: position).

    Deterministic: among scores tied at the k-th place, the first ones win, so a
    question always gets the same passages. On long arrays (a million BM25
    scores) a full partition costs ~10 ms; instead the k-th largest of an
    evenly strided sample, with room to spare, gives a threshold and only the
    scores above it are partitioned. When fewer than k pass (a skewed sample)
    everything is partitioned, so the result is always exact.
    """
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return _NO_ROWS
    within = None  # positions sure to hold the top k, when narrowed by a sample
    if n >= _SAMPLED_TOP_MIN and k * 64 < n:
        sample = scores[:: n // _TOP_SAMPLE]
        rank = min(len(sample), 4 * (k * len(sample) // n) + 8)  # the k-th place expected in the sample, x4 + 8
        threshold = np.partition(sample, len(sample) - rank)[len(sample) - rank]
        above = np.flatnonzero(scores >= threshold)
        if k <= len(above) <= n // 8:
            within = above
    values = scores if within is None else scores[within]
    if k < len(values):
        kth = np.partition(values, len(values) - k)[len(values) - k]
        sure = np.flatnonzero(values > kth)
        tied = np.flatnonzero(values == kth)
        if ties is not None:
            tied = tied[np.argsort(ties[tied if within is None else within[tied]], kind="stable")]
        part = np.concatenate([sure, tied[: k - len(sure)]])
    else:
        part = np.arange(len(values))
    if within is not None:
        part = within[part]
    part = part[np.isfinite(scores[part])]
    return part[np.lexsort((part if ties is None else ties[part], -scores[part]))]


def _positive_top(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k best positive scores (a lexical candidate must match something), best first."""
    rows = _top(scores, k)
    return rows[scores[rows] > 0]
