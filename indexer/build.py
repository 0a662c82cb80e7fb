"""Build or update an index: files -> documents -> passages -> tokens + vectors -> store.

Incremental: a file whose bytes hash like last time keeps its passages, tokens and
vectors; only added and changed files are loaded, split, segmented and embedded;
removed files drop out. A file that fails to load is reported, and if an earlier
version of it was indexed, that version is kept: bad input never loses what the
index already had.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from indexer import text as vtext
from indexer.config import Settings
from indexer.dense import DenseIndex
from indexer.lexical import LexicalIndex
from indexer.models.protocols import PassageEncoder
from indexer.readers import LoadError, ReadContext, iter_corpus_files, load_bytes
from indexer.sentences import SentenceIndex, encode_spans_separately, passage_sentence_spans
from indexer.store import (
    FileRecord,
    IndexContents,
    IndexLoadError,
    Manifest,
    load_version,
    write_version,
    writer_lock,
)
from indexer.relations.sidecar import read_sidecar_bytes, sidecar_overrides
from indexer.structure import split_passages
from indexer.types import Document, Passage

log = logging.getLogger(__name__)

#: Bump when normalisation, segmentation, splitting or the embedded text changes:
#: a different value forces a full rebuild instead of reusing cached passages.
TEXT_VERSION = "text-3"  # text-2: sentence vectors stored with the passages; text-3: PDFium text, table rows, OCR

ProgressFn = Callable[[str, int, int], None]


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


@dataclass
class _Unit:
    """A document ready for the index, with row-aligned passages, tokens and vectors."""

    document: Document
    passages: list[Passage]
    words: list[list[str]] | None = None
    vectors: np.ndarray | None = None
    sentences: SentenceIndex | None = None


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


def embedding_text(doc: Document, passage: Passage) -> str:
    """What the dense model sees: the passage with its headings as context.

    Headings carry the topic ("Điều 5. Quyền của người lao động") that the body
    often does not repeat; the document title disambiguates between documents.
    Normalised (NFC, tone placement), never word-segmented.
    """
    context = [h for h in passage.section_path if h and h not in passage.text]
    title = doc.meta.title
    parts = ([title] if title and title not in passage.text else []) + context + [passage.text]
    return vtext.normalize("\n".join(parts))


def lexical_text(passage: Passage) -> str:
    """What BM25 sees: the passage and the headings above it."""
    context = [h for h in passage.section_path if h and h not in passage.text]
    return "\n".join(context + [passage.text])


def file_summary(doc: Document, passages: int) -> dict[str, object]:
    """What indexing one file gave, for ``hoidap index --json``: its type, pages, OCR'd pages, table rows."""
    return {
        "type": doc.meta.type_label,
        "pages": len(doc.page_starts) or 1,
        "ocr_pages": len(doc.ocr_pages),
        "table_rows": len(doc.table_rows),
        "passages": passages,
    }


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------- entry points
def index_paths(
    paths: Sequence[Path],
    settings: Settings,
    embedder: PassageEncoder | None = None,
    progress: ProgressFn | None = None,
    rebuild: bool = False,
) -> BuildReport:
    """Index the supported files under ``paths`` (files or folders) into ``settings.index_dir``.

    The set of files given is the corpus: files indexed before and not under
    ``paths`` any more are removed.
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
    return _build(settings, embedder, progress, rebuild, file_sources=sources)


def index_documents(
    documents: Iterable[Document],
    settings: Settings,
    embedder: PassageEncoder | None = None,
    progress: ProgressFn | None = None,
    rebuild: bool = False,
) -> BuildReport:
    """Index already-loaded documents (evaluation corpora, tests); ``source`` keys them."""
    docs = {d.source or d.doc_id: d for d in documents}
    return _build(settings, embedder, progress, rebuild, loaded=docs)


# ------------------------------------------------------------------------ the build
def _build(
    settings: Settings,
    embedder: PassageEncoder | None,
    progress: ProgressFn | None,
    rebuild: bool,
    file_sources: dict[str, Path] | None = None,
    loaded: dict[str, Document] | None = None,
) -> BuildReport:
    """Take in every source, split and embed what is new, assemble and publish a version."""
    from indexer.models.embedder import Embedder

    embedder = embedder or Embedder(settings)
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
        for i, source in enumerate(names):
            notify("load", i, len(names))
            with stage("load"):
                doc = intake.admit(source, file_sources, loaded)
            if doc is not None:
                with stage("structure"):
                    passages = split_passages(doc, settings.max_passage_syllables, settings.min_passage_syllables)
                intake.add(source, doc, passages)
        notify("load", len(names), len(names))
        report.removed = sorted(set(intake.old_hashes) - set(intake.units) - {e[0] for e in report.errors})

        _encode_fresh(intake, embedder, settings, stage, notify)
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


@dataclass
class _Intake:
    """Decides, source by source, what the new version holds: reused, freshly loaded,
    a duplicate (same bytes, or same text in another encoding or format), or refused
    (then the previously indexed version, if any, is kept)."""

    report: BuildReport
    old_units: dict[str, _Unit]
    old_hashes: dict[str, str]
    context: ReadContext = field(default_factory=ReadContext)
    units: dict[str, _Unit] = field(default_factory=dict)
    fresh: list[str] = field(default_factory=list)  # sources loaded in this build, in order
    seen_hashes: dict[str, str] = field(default_factory=dict)
    seen_texts: dict[str, str] = field(default_factory=dict)

    def admit(
        self, source: str, file_sources: dict[str, Path] | None, loaded: dict[str, Document] | None
    ) -> Document | None:
        """The document to split and embed for ``source``; None when reused, a duplicate or refused."""
        try:
            return self._admit(source, file_sources, loaded)
        except LoadError as exc:
            log.warning("skipped %s: %s", source, exc)
            self._refuse(source, exc)
        except OSError as exc:
            log.warning("cannot read %s: %s", source, exc)
            self._refuse(source, LoadError("unreadable", str(exc), source=source))
        return None

    def add(self, source: str, doc: Document, passages: list[Passage]) -> None:
        self.units[source] = _Unit(doc, passages)
        self.report.files[source] = file_summary(doc, len(passages))
        self.fresh.append(source)
        (self.report.changed if source in self.old_hashes else self.report.added).append(source)

    def _admit(
        self, source: str, file_sources: dict[str, Path] | None, loaded: dict[str, Document] | None
    ) -> Document | None:
        data: bytes | None = None
        if file_sources is not None:
            data = file_sources[source].read_bytes()
            sidecar = read_sidecar_bytes(file_sources[source])
            digest = sha256_bytes(data + sidecar)  # editing the sidecar re-indexes the document
        else:
            doc = loaded[source]  # type: ignore[index]
            digest = doc.content_hash or sha256_bytes(doc.text.encode("utf-8"))
        if self._duplicate(self.seen_hashes, digest, source):
            return None
        old = self.old_units.get(source)
        if old is not None and self.old_hashes.get(source) == digest:
            if not self._duplicate(self.seen_texts, _text_key(old.document), source):
                self.units[source] = old
                self.report.unchanged.append(source)
            return None
        if data is not None:
            doc = load_bytes(data, source, doc_id=_doc_id(source), source=source, context=self.context)
            doc.overrides = sidecar_overrides(sidecar, source)
        doc.content_hash = digest
        if self._duplicate(self.seen_texts, _text_key(doc), source):
            return None
        return doc

    def _duplicate(self, seen: dict[str, str], key: str, source: str) -> bool:
        """Record ``key`` for ``source``, or report ``source`` as a duplicate of the first holder."""
        if key in seen:
            self.report.duplicates.append((source, seen[key]))
            return True
        seen[key] = source
        return False

    def _refuse(self, source: str, error: LoadError) -> None:
        self.report.errors.append((source, error))
        if source in self.old_units:  # keep what was indexed before
            self.units[source] = self.old_units[source]


def _encode_fresh(
    intake: _Intake, embedder: PassageEncoder, settings: Settings, stage: _Timer, notify: ProgressFn
) -> None:
    """Word tokens, passage vectors and sentence vectors for the freshly loaded sources."""
    units = intake.units
    new_passages = [(units[s].document, p) for s in intake.fresh for p in units[s].passages]
    with stage("segment"):
        words = vtext.word_tokens_batch([lexical_text(p) for _, p in new_passages])
    with stage("embed"):
        vectors, sentence_spans, sentence_vectors = _embed(embedder, new_passages, settings, notify)
    row = 0
    for s in intake.fresh:
        n = len(units[s].passages)
        units[s].words = words[row : row + n]
        units[s].vectors = vectors[row : row + n]
        units[s].sentences = SentenceIndex.from_passages(
            sentence_spans[row : row + n], sentence_vectors[row : row + n], vectors.shape[1]
        )
        row += n
    intake.report.embedded_passages = len(new_passages)


def _text_key(doc: Document) -> str:
    """Identity of a document's content regardless of its file's encoding or format."""
    return sha256_bytes(vtext.normalize(" ".join(doc.text.split())).encode("utf-8"))


def _doc_id(source: str) -> str:
    return source.rsplit(".", 1)[0] if "." in Path(source).name else source


def _embed(
    embedder: PassageEncoder, passages: list[tuple[Document, Passage]], settings: Settings, notify: ProgressFn
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Passage vectors, and the spans and vectors of each passage's sentences.

    Sentence spans are offsets into ``Passage.text``; the model sees the
    passage after its headings (:func:`embedding_text`), so they are shifted
    by the heading prefix for encoding. Encodes in chunks so a terminal or the
    web app can show progress.
    """
    dim = int(embedder.dim)
    texts = [embedding_text(d, p) for d, p in passages]
    spans = [passage_sentence_spans(p.text) for _, p in passages]
    if not texts:
        return np.zeros((0, dim), dtype=np.float32), [], []
    shifted = [s + (len(t) - len(p.text)) for s, t, (_, p) in zip(spans, texts, passages)]
    encode = getattr(embedder, "encode_passages_with_spans", None) or functools.partial(
        encode_spans_separately, embedder.encode_passages
    )
    # longest first across the whole build, so every chunk's batches pad to similar lengths
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    chunk = max(settings.batch_size * 8, 64)
    vectors = np.empty((len(texts), dim), dtype=np.float32)
    sentence_vectors: list[np.ndarray] = [np.zeros((0, dim), np.float32)] * len(texts)
    for start in range(0, len(texts), chunk):
        notify("embed", start, len(texts))
        rows = order[start : start + chunk]
        v, sv = encode([texts[i] for i in rows], [shifted[i] for i in rows])
        vectors[rows] = v
        for i, s in zip(rows, sv):
            sentence_vectors[i] = s
    notify("embed", len(texts), len(texts))
    return vectors, spans, sentence_vectors


def _assemble(units: dict[str, _Unit], embedder: PassageEncoder, stage: _Timer) -> IndexContents:
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


def _units_by_source(c: IndexContents) -> dict[str, _Unit]:
    rows: dict[str, list[int]] = {}
    for i, p in enumerate(c.passages):
        rows.setdefault(p.doc_id, []).append(i)
    units = {}
    for source, rec in c.manifest.files.items():
        doc = c.documents.get(rec.doc_id)
        if doc is None:
            continue
        idx = rows.get(rec.doc_id, [])
        units[source] = _Unit(
            doc,
            [c.passages[i] for i in idx],
            [c.word_tokens[i] for i in idx],
            np.asarray(c.embeddings[idx], dtype=np.float32) if idx else np.zeros((0, c.manifest.dim), np.float32),
            c.sentences.select(idx) if c.sentences is not None else None,
        )
    return units
