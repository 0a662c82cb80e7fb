"""The library API: one object that indexes, searches and answers.

The CLI, the web app, the evaluator and the tests all go through ``Engine``, so
there is exactly one code path from a question to a cited answer. The embedding
model is loaded lazily, once per engine, on the first build; questions are embedded
by :func:`indexer.models.factory.query_encoder` (ONNX Runtime for the embedded model), so
a process that only answers never loads torch.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from indexer.build import BuildReport, ProgressFn, index_paths
from indexer.config import Settings
from indexer.models.factory import query_encoder
from indexer.models.protocols import Encoder
from indexer.store import read_manifest
from indexer.types import Document
from hoidap.admin import AdminError
from hoidap.answer import Answer, Answerer
from hoidap.overrides import RelationsForm, read_overrides, save_overrides
from hoidap.relations import annotate_answer
from hoidap.retrieve import Hit, Searcher, SearchFilter
from hoidap.validate import clean_query


class Engine:
    def __init__(self, settings: Settings | None = None, embedder: Encoder | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        self.searcher = Searcher(self.settings, embedder=query_encoder(self.settings, self._lazy_embedder()))
        self.answerer = Answerer(self.searcher)

    def _lazy_embedder(self) -> Encoder:
        if self._embedder is None:
            from indexer.models.embedder import Embedder

            self._embedder = Embedder(self.settings)
        return self._embedder

    @property
    def embedder(self) -> Encoder:
        return self._lazy_embedder()

    # ----------------------------------------------------------------- indexing
    def index(
        self,
        paths: Sequence[Path] | None = None,
        progress: ProgressFn | None = None,
        rebuild: bool = False,
    ) -> BuildReport:
        """(Re)index ``paths`` (default: the corpus folder); readers switch when it is done."""
        targets = list(paths) if paths else [Path(self.settings.corpus_dir)]
        return index_paths(targets, self.settings, embedder=self.embedder, progress=progress, rebuild=rebuild)

    def has_index(self) -> bool:
        return read_manifest(Path(self.settings.index_dir)) is not None

    def status(self) -> dict[str, object]:
        """What a load balancer or an operator checks: the index version this process answers from.

        Never loads or waits (a health check must answer at once); it does start the
        periodic ``CURRENT`` check when it is due, so an idle replica follows a new
        version too (:mod:`hoidap.live_index`).
        """
        live = self.searcher.live
        live.follow()
        c = live.loaded
        if c is None:
            return {"status": "starting", "version": None}
        return {
            "status": "ok",
            "version": c.path.name if c.path else None,
            "documents": len(c.documents),
            "passages": len(c.passages),
            "built_at": c.manifest.built_at,
        }

    # ---------------------------------------------------------------- querying
    def search(
        self, query: str, k: int | None = None, mode: str = "hybrid", filters: SearchFilter | None = None
    ) -> list[Hit]:
        query = clean_query(query)  # refuse empty/emoji-only/huge input here too, not only in the UIs
        hits = self.searcher.search(query, k=k or self.settings.top_k, mode=mode, filters=filters)
        self.answerer.relevant_hits(query, hits, mode)  # marks Hit.relevant; front ends show relevant ones first
        return hits

    def relevant_hits(self, topic: str, hits: list[Hit], mode: str = "hybrid") -> list[Hit]:
        """Judge each hit's relevance to ``topic`` (sets ``Hit.relevant``); relevant hits first.

        E.g. a handout keeps ``[h for h in engine.relevant_hits(topic, hits) if h.relevant]``.
        """
        return self.answerer.relevant_hits(topic, hits, mode)

    def ask(
        self, question: str, k: int | None = None, mode: str = "hybrid", filters: SearchFilter | None = None
    ) -> Answer:
        question = clean_query(question)
        answer = self.answerer.ask(question, k=k or self.settings.top_k, mode=mode, filters=filters)
        annotate_answer(answer, self.searcher.relations())
        return answer

    # ---------------------------------------------------------------- documents
    def document_overrides(self, doc_id: str) -> RelationsForm:
        """What an administrator set for an indexed document (its sidecar), as the form shows it."""
        return RelationsForm.from_overrides(read_overrides(Path(self.settings.corpus_dir), self._source(doc_id)))

    def set_document_overrides(self, doc_id: str, form: RelationsForm, reindex: bool = True) -> BuildReport | None:
        """Check ``form`` and write the document's sidecar (all empty: remove it); then, unless
        ``reindex`` is False (the web app re-indexes in the background), re-index: only this
        document changes. Bad input raises :class:`hoidap.admin.AdminError` and writes nothing."""
        save_overrides(Path(self.settings.corpus_dir), self._source(doc_id), form)
        return self.index() if reindex else None

    def _source(self, doc_id: str) -> str:
        doc = self.searcher.contents().documents.get(doc_id)
        if doc is None:
            raise AdminError("Tài liệu này không có trong chỉ mục.", "not_indexed")
        return doc.source

    def documents(self) -> list[tuple[Document, int]]:
        """(Document, passage count) for every indexed document, in source order."""
        contents = self.searcher.contents()
        counts: dict[str, int] = {}
        for p in contents.passages:
            counts[p.doc_id] = counts.get(p.doc_id, 0) + 1
        docs = sorted(contents.documents.values(), key=lambda d: d.source)
        return [(d, counts.get(d.doc_id, 0)) for d in docs]
