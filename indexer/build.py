"""Build or update an index: files -> documents -> passages -> tokens + vectors -> store.

Incremental: a file whose bytes hash like last time keeps its passages, tokens and
vectors; only added and changed files are loaded, split, segmented and embedded;
removed files drop out. A file that fails to load is reported, and if an earlier
version of it was indexed, that version is kept: bad input never loses what the
index already had.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from indexer import text as vtext
from indexer.config import Settings
from indexer.dense import DenseIndex
from indexer.errors import HoidapError
from indexer.lexical import LexicalIndex
from indexer.models.protocols import PassageEncoder
from indexer.prepare import (
    Job,
    Preparer,
    ProgressFn,
    Unit,
    embedding_text,
    encode_units,
    lexical_text,
    load_job,
    read_job,
    sha256_bytes,
    split_unit,
)
from indexer.readers import LoadError, ReadContext, iter_corpus_files
from indexer.sentences import SentenceIndex
from indexer.store import (
    FileRecord,
    IndexContents,
    IndexLoadError,
    Manifest,
    load_version,
    write_version,
    writer_lock,
)
from indexer.types import Document

log = logging.getLogger(__name__)

#: Bump when normalisation, segmentation, splitting or the embedded text changes:
#: a different value forces a full rebuild instead of reusing cached passages.
TEXT_VERSION = "text-3"  # text-2: sentence vectors stored with the passages; text-3: PDFium text, table rows, OCR

__all__ = ["BuildReport", "ProgressFn", "TEXT_VERSION", "embedding_text", "lexical_text", "index_paths",
           "index_documents"]


@dataclass
class BuildReport:
    """What one build did, for the CLI summary, the web app and the benchmarks."""

    documents: int = 0
    passages: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, same-content source)
    errors: list[tuple[str, LoadError]] = field(default_factory=list)
    embedded_passages: int = 0
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    index_path: Path | None = None
    files: dict[str, dict[str, object]] = field(default_factory=dict)  # source -> file_summary, loaded files

    @property
    def passages_per_second(self) -> float:
        return self.embedded_passages / self.seconds if self.seconds else 0.0


class _Timer:
    def __init__(self, report: BuildReport) -> None:
        self.report = report

    def __call__(self, stage: str) -> "_Stage":
        return _Stage(self.report, stage)


class _Stage:
    def __init__(self, report: BuildReport, stage: str) -> None:
        self.report, self.stage = report, stage

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        dt = time.perf_counter() - self.t0
        self.report.stage_seconds[self.stage] = self.report.stage_seconds.get(self.stage, 0.0) + dt


def file_summary(doc: Document, passages: int) -> dict[str, object]:
    """What indexing one file gave, for ``hoidap index --json``: its type, pages, OCR'd pages, table rows."""
    return {
        "type": doc.meta.type_label,
        "pages": len(doc.page_starts) or 1,
        "ocr_pages": len(doc.ocr_pages),
        "table_rows": len(doc.table_rows),
        "passages": passages,
    }


# --------------------------------------------------------------------- entry points
def index_paths(
    paths: Sequence[Path],
    settings: Settings,
    embedder: PassageEncoder | None = None,
    progress: ProgressFn | None = None,
    rebuild: bool = False,
    preparer: Preparer | None = None,
) -> BuildReport:
    """Index the supported files under ``paths`` (files or folders) into ``settings.index_dir``.

    The set of files given is the corpus: files indexed before and not under
    ``paths`` any more are removed. ``preparer`` (default: a Dask cluster when
    ``settings.cluster`` is set, else this process) loads, splits and embeds.
    """
    sources: dict[str, Path] = {}
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for f in iter_corpus_files(path):
                sources[f.relative_to(path).as_posix()] = f
        elif path.is_file():
            sources[path.name] = path
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return _build(settings, embedder, progress, rebuild, preparer, file_sources=sources)


def index_documents(
    documents: Iterable[Document],
    settings: Settings,
    embedder: PassageEncoder | None = None,
    progress: ProgressFn | None = None,
    rebuild: bool = False,
    preparer: Preparer | None = None,
) -> BuildReport:
    """Index already-loaded documents (evaluation corpora, tests); ``source`` keys them."""
    docs = {d.source or d.doc_id: d for d in documents}
    return _build(settings, embedder, progress, rebuild, preparer, loaded=docs)


# ------------------------------------------------------------------------ the build
def _build(
    settings: Settings,
    embedder: PassageEncoder | None,
    progress: ProgressFn | None,
    rebuild: bool,
    preparer: Preparer | None,
    file_sources: dict[str, Path] | None = None,
    loaded: dict[str, Document] | None = None,
) -> BuildReport:
    """Take in every source, split and embed what is new, assemble and publish a version."""
    from indexer.models.embedder import Embedder

    embedder = embedder or Embedder(settings)
    preparer = preparer or _cluster_preparer(settings)
    report = BuildReport()
    stage = _Timer(report)
    t0 = time.perf_counter()
    notify = progress or (lambda _stage, _done, _total: None)
    index_dir = Path(settings.index_dir)

    with writer_lock(index_dir):
        previous = None if rebuild else _reusable_previous(index_dir, embedder.model_id)
        old_units = _units_by_source(previous) if previous else {}
        old_hashes = {s: r.sha256 for s, r in previous.manifest.files.items()} if previous else {}
        # OCR text is cached beside the models; scanned pages report their progress as stage "ocr"
        context = ReadContext(cache_dir=Path(settings.cache_dir), progress=lambda d, t: notify("ocr", d, t))
        intake = _Intake(report, old_units, old_hashes, context)
        names = sorted(file_sources or loaded or {})
        if preparer is None:
            for i, source in enumerate(names):
                notify("load", i, len(names))
                with stage("load"):
                    doc = intake.admit(source, file_sources, loaded)
                if doc is not None:
                    with stage("structure"):
                        intake.add(source, split_unit(doc, settings))
            notify("load", len(names), len(names))
        else:
            _prepare_elsewhere(intake, names, file_sources, loaded, preparer, embedder, stage, notify)
        report.removed = sorted(set(intake.old_hashes) - set(intake.units) - {e[0] for e in report.errors})

        pending = [intake.units[s] for s in intake.fresh if intake.units[s].words is None]
        encode_units(pending, embedder, settings, notify, stage)
        report.embedded_passages = sum(len(intake.units[s].passages) for s in intake.fresh)
        contents = _assemble(intake.units, embedder, stage)
        contents.manifest.build_seconds = round(time.perf_counter() - t0, 3)
        notify("write", 0, 1)
        with stage("write"):
            report.index_path = write_version(index_dir, contents)
        notify("write", 1, 1)

    report.documents = len(contents.documents)
    report.passages = len(contents.passages)
    report.seconds = time.perf_counter() - t0
    return report


def _cluster_preparer(settings: Settings) -> Preparer | None:
    """The Dask cluster of ``settings.cluster``, or None (this process). A local build never imports Dask."""
    if not settings.cluster:
        return None
    try:
        from indexer.distributed import DaskPreparer
    except ImportError as exc:  # the optional extra is missing on this machine
        raise HoidapError(
            f"a cluster build needs dask[distributed]: {exc}",
            "Lập chỉ mục trên cụm cần gói dask[distributed]: hãy cài bằng lệnh pip install -e '.[cluster]'.",
        ) from exc
    return DaskPreparer(settings)


def _prepare_elsewhere(
    intake: "_Intake",
    names: list[str],
    file_sources: dict[str, Path] | None,
    loaded: dict[str, Document] | None,
    preparer: Preparer,
    embedder: PassageEncoder,
    stage: "_Timer",
    notify: ProgressFn,
) -> None:
    """Hash here, load-split-segment-embed on the ``preparer``, then settle every source in name order.

    Settling the loaded files in name order keeps the local build's decisions
    (which of two same-text files is the duplicate), so both builds give the same
    passages in the same order. One difference: unchanged files are settled in the
    first pass, so a new file with the same text as an unchanged one sorted after
    it is the duplicate here, where a local build would re-embed it and drop the
    unchanged one (either keeps the text once).
    """
    jobs: list[Job] = []
    with stage("load"):
        for i, source in enumerate(names):
            notify("load", i, len(names))
            try:
                job = intake.check(source, file_sources, loaded, keep_bytes=False)
            except (LoadError, OSError) as exc:
                intake.refuse(source, exc)
                continue
            if job is not None:
                jobs.append(job)
        notify("load", len(names), len(names))
    with stage("cluster"):
        results = preparer.prepare(jobs, embedder, notify)
    with stage("merge"):
        for job in jobs:
            result = results[job.source]
            if isinstance(result, LoadError):
                intake.refuse(job.source, result)
            elif intake.accept(job.source, result.document):
                intake.add(job.source, result)


@dataclass
class _Intake:
    """Decides, source by source, what the new version holds: reused, freshly loaded,
    a duplicate (same bytes, or same text in another encoding or format), or refused
    (then the previously indexed version, if any, is kept)."""

    report: BuildReport
    old_units: dict[str, Unit]
    old_hashes: dict[str, str]
    context: ReadContext = field(default_factory=ReadContext)
    units: dict[str, Unit] = field(default_factory=dict)
    fresh: list[str] = field(default_factory=list)  # sources loaded in this build, in order
    seen_hashes: dict[str, str] = field(default_factory=dict)
    seen_texts: dict[str, str] = field(default_factory=dict)

    def admit(
        self, source: str, file_sources: dict[str, Path] | None, loaded: dict[str, Document] | None
    ) -> Document | None:
        """The document to split and embed for ``source``; None when reused, a duplicate or refused."""
        try:
            job = self.check(source, file_sources, loaded)
            if job is None:
                return None
            doc = load_job(job, self.context)
            return doc if self.accept(source, doc) else None
        except (LoadError, OSError) as exc:
            self.refuse(source, exc)
        return None

    def add(self, source: str, unit: Unit) -> None:
        self.units[source] = unit
        self.report.files[source] = file_summary(unit.document, len(unit.passages))
        self.fresh.append(source)
        (self.report.changed if source in self.old_hashes else self.report.added).append(source)

    def check(
        self,
        source: str,
        file_sources: dict[str, Path] | None,
        loaded: dict[str, Document] | None,
        keep_bytes: bool = True,
    ) -> Job | None:
        """What to load for ``source``; None when its old version is reused or its bytes are a duplicate.

        ``keep_bytes`` False: the job names the file instead of holding its bytes
        (a cluster build reads them again when it sends the job's batch).
        """
        if file_sources is not None:
            job = read_job(source, file_sources[source])
            if not keep_bytes:
                job = Job(source, job.digest, path=file_sources[source])
        else:
            doc = loaded[source]  # type: ignore[index]
            job = Job(source, doc.content_hash or sha256_bytes(doc.text.encode("utf-8")), document=doc)
        if self._duplicate(self.seen_hashes, job.digest, source):
            return None
        old = self.old_units.get(source)
        if old is not None and self.old_hashes.get(source) == job.digest:
            if not self._duplicate(self.seen_texts, _text_key(old.document), source):
                self.units[source] = old
                self.report.unchanged.append(source)
            return None
        return job

    def accept(self, source: str, doc: Document) -> bool:
        """False (a duplicate) when an earlier source has the same text in another encoding or format."""
        return not self._duplicate(self.seen_texts, _text_key(doc), source)

    def refuse(self, source: str, exc: LoadError | OSError) -> None:
        """Report why ``source`` is not indexed; its previously indexed version, if any, is kept."""
        if isinstance(exc, LoadError):
            log.warning("skipped %s: %s", source, exc)
            error = exc
        else:
            log.warning("cannot read %s: %s", source, exc)
            error = LoadError("unreadable", str(exc), source=source)
        self.report.errors.append((source, error))
        if source in self.old_units:  # keep what was indexed before
            self.units[source] = self.old_units[source]

    def _duplicate(self, seen: dict[str, str], key: str, source: str) -> bool:
        """Record ``key`` for ``source``, or report ``source`` as a duplicate of the first holder."""
        if key in seen:
            self.report.duplicates.append((source, seen[key]))
            return True
        seen[key] = source
        return False


def _text_key(doc: Document) -> str:
    """Identity of a document's content regardless of its file's encoding or format."""
    return sha256_bytes(vtext.normalize(" ".join(doc.text.split())).encode("utf-8"))


def _assemble(units: dict[str, Unit], embedder: PassageEncoder, stage: _Timer) -> IndexContents:
    dim = int(embedder.dim)
    documents: dict[str, Document] = {}
    passages: list[Passage] = []
    words: list[list[str]] = []
    vectors: list[np.ndarray] = []
    sentences: list[SentenceIndex] = []
    files: dict[str, FileRecord] = {}
    for source in sorted(units):
        u = units[source]
        documents[u.document.doc_id] = u.document
        passages.extend(u.passages)
        words.extend(u.words or [])
        if u.vectors is not None and len(u.vectors):
            vectors.append(np.asarray(u.vectors, dtype=np.float32))
        if u.sentences is not None:
            sentences.append(u.sentences)
        files[source] = FileRecord(sha256=u.document.content_hash, doc_id=u.document.doc_id, passages=len(u.passages))
    embeddings = np.concatenate(vectors) if vectors else np.zeros((0, dim), np.float32)
    with stage("faiss"):
        dense = DenseIndex.build(embeddings)
    with stage("bm25"):
        lexical = LexicalIndex.build(words, [vtext.folded_tokens(lexical_text(p)) for p in passages])
    manifest = Manifest(
        model_id=embedder.model_id,
        dim=dim,
        text_version=TEXT_VERSION,
        files=files,
        n_documents=len(documents),
        n_passages=len(passages),
        dense_kind=dense.kind,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    return IndexContents(
        manifest, documents, passages, words, embeddings, dense, lexical, SentenceIndex.concat(sentences, dim)
    )


def _reusable_previous(index_dir: Path, model_id: str) -> IndexContents | None:
    """The live version if its vectors and tokens can be reused, else None (full rebuild)."""
    try:
        previous = load_version(index_dir)
    except IndexLoadError as exc:
        if (index_dir / "CURRENT").exists():
            log.warning("previous index unusable, rebuilding from scratch: %s", exc)
        return None
    m = previous.manifest
    if m.model_id != model_id or m.text_version != TEXT_VERSION or previous.sentences is None:
        log.info("model or text processing changed (%s/%s): full rebuild", m.model_id, m.text_version)
        return None
    return previous


def _units_by_source(c: IndexContents) -> dict[str, Unit]:
    rows: dict[str, list[int]] = {}
    for i, p in enumerate(c.passages):
        rows.setdefault(p.doc_id, []).append(i)
    units = {}
    for source, rec in c.manifest.files.items():
        doc = c.documents.get(rec.doc_id)
        if doc is None:
            continue
        idx = rows.get(rec.doc_id, [])
        units[source] = Unit(
            doc,
            [c.passages[i] for i in idx],
            [c.word_tokens[i] for i in idx],
            np.asarray(c.embeddings[idx], dtype=np.float32) if idx else np.zeros((0, c.manifest.dim), np.float32),
            c.sentences.select(idx) if c.sentences is not None else None,
        )
    return units
