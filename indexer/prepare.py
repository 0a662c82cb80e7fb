"""One document's way into the index that can run anywhere: load, split, segment, embed.

The local build (:mod:`indexer.build`) and the Dask workers of a distributed
build (:mod:`indexer.distributed`) run these same functions, so a build on a
cluster gives the same passages, tokens and (up to batch padding) the same
vectors as a build in one process. Nothing here touches the index directory:
:mod:`indexer.build` stays the one writer of versions.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Protocol, Sequence

import numpy as np

from indexer import text as vtext
from indexer.config import Settings
from indexer.models.protocols import PassageEncoder
from indexer.readers import LoadError, ReadContext, load_bytes
from indexer.relations.sidecar import read_sidecar_bytes, sidecar_overrides
from indexer.sentences import SentenceIndex, encode_spans_separately, passage_sentence_spans
from indexer.structure import split_passages
from indexer.types import Document, Passage

ProgressFn = Callable[[str, int, int], None]
StageFn = Callable[[str], ContextManager[None]]


@dataclass
class Unit:
    """A document ready for the index, with row-aligned passages, tokens and vectors."""

    document: Document
    passages: list[Passage]
    words: list[list[str]] | None = None
    vectors: np.ndarray | None = None
    sentences: SentenceIndex | None = None


@dataclass
class Job:
    """One source to load and split: its bytes (and sidecar), or its already-loaded document.

    Sent to a worker with its bytes, never a path, so a worker on another machine
    needs no access to the client's files; ``path`` only tells the client where
    to read them (:func:`read_job`) when it sends the job.
    """

    source: str
    digest: str
    data: bytes | None = None
    sidecar: bytes = b""
    document: Document | None = None
    path: Path | None = None


class Preparer(Protocol):
    """Loads, splits, segments and embeds jobs somewhere else than in the building process (a cluster).

    Returns every job's :class:`Unit` (words, vectors and sentences filled) or
    its :class:`LoadError`, keyed by source; reports progress through ``notify``.
    """

    def prepare(
        self, jobs: Sequence[Job], embedder: PassageEncoder, notify: ProgressFn
    ) -> dict[str, Unit | LoadError]: ...


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_job(source: str, path: Path) -> Job:
    """The job of one file: its bytes, its sidecar's, and their hash (editing the sidecar re-indexes)."""
    data = Path(path).read_bytes()
    sidecar = read_sidecar_bytes(Path(path))
    return Job(source, sha256_bytes(data + sidecar), data=data, sidecar=sidecar)


def doc_id_of(source: str) -> str:
    return source.rsplit(".", 1)[0] if "." in Path(source).name else source


def load_job(job: Job, context: ReadContext) -> Document:
    """The document of ``job`` (raises :class:`indexer.readers.LoadError` when refused)."""
    if job.data is not None:
        doc = load_bytes(job.data, job.source, doc_id=doc_id_of(job.source), source=job.source, context=context)
        doc.overrides = sidecar_overrides(job.sidecar, job.source)
    else:
        assert job.document is not None, "a job holds bytes or a document"
        doc = job.document
    doc.content_hash = job.digest
    return doc


def split_unit(doc: Document, settings: Settings) -> Unit:
    return Unit(doc, split_passages(doc, settings.max_passage_syllables, settings.min_passage_syllables))


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


def encode_units(
    units: Sequence[Unit],
    embedder: PassageEncoder,
    settings: Settings,
    notify: ProgressFn | None = None,
    stage: StageFn | None = None,
) -> int:
    """Fill the word tokens, passage vectors and sentence vectors of ``units``; returns passages encoded."""
    stage = stage or (lambda _name: contextlib.nullcontext())
    new_passages = [(u.document, p) for u in units for p in u.passages]
    with stage("segment"):
        words = vtext.word_tokens_batch([lexical_text(p) for _, p in new_passages])
    with stage("embed"):
        vectors, sentence_spans, sentence_vectors = embed_passages(
            embedder, new_passages, settings, notify or (lambda _s, _d, _t: None)
        )
    row = 0
    for u in units:
        n = len(u.passages)
        u.words = words[row : row + n]
        u.vectors = vectors[row : row + n]
        u.sentences = SentenceIndex.from_passages(
            sentence_spans[row : row + n], sentence_vectors[row : row + n], vectors.shape[1]
        )
        row += n
    return len(new_passages)


def embed_passages(
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
