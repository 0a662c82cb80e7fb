"""The on-disk index: versioned directories behind an atomically swapped pointer.

Layout of an index directory::

    INDEX_DIR/
      CURRENT            name of the live version (replaced atomically)
      .lock              held by a writer while it builds
      v<time_ns>/        one complete, immutable version
        manifest.json    model id, dimension, text-processing versions, per-file hashes
        documents.jsonl  one Document per line (with its full text and metadata)
        passages.jsonl   one Passage per line, plus its cached word tokens
        embeddings.npy   float32 [n_passages, dim], row i = passage i
        dense.faiss      FAISS index over the same rows
        sentence_*.npy   sentence spans and vectors of every passage (indexer.sentences)
        bm25_words/ bm25_folded/   bm25s sparse matrices

A writer builds a new version beside the live one and only then replaces
``CURRENT``; a crash at any point leaves the previous version live and loadable,
and readers that already opened a version keep using it until they reload.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from indexer.errors import HoidapError
from indexer.text import fold
from indexer.dense import DenseIndex
from indexer.fsutil import fsync_dir, fsync_tree
from indexer.lexical import LexicalIndex
from indexer.sentences import OFFSETS_FILE, SentenceIndex
from indexer.types import Document, Passage

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KEEP_VERSIONS = 2  # the live one and its predecessor (a server may still be reading it)
REBUILD_HINT_VI = "Hãy lập lại chỉ mục bằng lệnh: hoidap index --rebuild"

#: Versions made live by this process (any index directory). A reader in the same process
#: (hoidap.live_index) checks CURRENT as soon as this changes instead of at its next
#: periodic check, so a web upload or ``Engine.index`` is answered from at once.
_published_here = 0
_published_lock = threading.Lock()


class IndexLoadError(HoidapError):
    """The index is missing, damaged or incompatible; says how to rebuild."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message)
        self.message_vi = f"{message_vi} {REBUILD_HINT_VI}"


@dataclass
class FileRecord:
    """What the manifest remembers of one indexed source file."""

    sha256: str
    doc_id: str
    passages: int


@dataclass
class Manifest:
    model_id: str
    dim: int
    text_version: str  # normaliser/segmenter/splitter versions; a change forces a rebuild
    files: dict[str, FileRecord] = field(default_factory=dict)
    n_documents: int = 0
    n_passages: int = 0
    dense_kind: str = "flat"
    built_at: str = ""
    build_seconds: float = 0.0
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, raw: str) -> "Manifest":
        data = json.loads(raw)
        data["files"] = {k: FileRecord(**v) for k, v in data.get("files", {}).items()}
        return cls(**data)


@dataclass
class IndexContents:
    """Everything a version holds, in memory, row-aligned (passage i = embedding row i)."""

    manifest: Manifest
    documents: dict[str, Document]
    passages: list[Passage]
    word_tokens: list[list[str]]
    embeddings: np.ndarray
    dense: DenseIndex
    lexical: LexicalIndex
    sentences: SentenceIndex | None = None  # None: a version written without them (answers embed sentences)
    path: Path | None = None

    @functools.cached_property
    def folded_titles(self) -> str:
        """Every document's title, folded and lower-cased, one a line (which laws the titles name)."""
        return "\n".join(" ".join(fold(d.meta.title or "").lower().split()) for d in self.documents.values())


# ----------------------------------------------------------------------- writing
@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Serialise writers (CLI, web upload, re-index) on one index directory."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_version(index_dir: Path, contents: IndexContents) -> Path:
    """Write ``contents`` as a new version and make it live; returns its directory."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"v{time.time_ns()}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    try:
        _write_files(tmp, contents)
        fsync_tree(tmp)
        final = index_dir / name
        os.rename(tmp, final)
        _replace_text(index_dir / "CURRENT", name)
        fsync_dir(index_dir)
        _count_publication()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _collect_garbage(index_dir, live=name)
    return final


def _count_publication() -> None:
    global _published_here
    with _published_lock:
        _published_here += 1


def published_here() -> int:
    """How many versions this process has made live so far (see ``_published_here``)."""
    return _published_here


def _write_files(directory: Path, c: IndexContents) -> None:
    with open(directory / "documents.jsonl", "w", encoding="utf-8") as fh:
        for doc in c.documents.values():
            fh.write(json.dumps(_doc_to_dict(doc), ensure_ascii=False) + "\n")
    with open(directory / "passages.jsonl", "w", encoding="utf-8") as fh:
        for passage, words in zip(c.passages, c.word_tokens):
            row = passage.to_dict()
            row["words"] = words
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    np.save(directory / "embeddings.npy", np.ascontiguousarray(c.embeddings, dtype=np.float32))
    c.dense.save(directory / "dense.faiss")
    c.lexical.save(directory)
    if c.sentences is not None:
        c.sentences.save(directory)
    # the manifest last: a version directory without one is never considered complete
    (directory / "manifest.json").write_text(c.manifest.to_json(), encoding="utf-8")


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _collect_garbage(index_dir: Path, live: str) -> None:
    versions = sorted((p for p in index_dir.glob("v*") if p.is_dir()), key=lambda p: p.name)
    keep = {live} | {p.name for p in versions[-KEEP_VERSIONS:]}
    for p in versions:
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
    for p in index_dir.glob(".tmp-v*"):  # left by a crashed writer (we hold the lock)
        shutil.rmtree(p, ignore_errors=True)


# ----------------------------------------------------------------------- reading
def live_version(index_dir: Path) -> Path | None:
    """Directory of the live version, or None when no index was ever built here."""
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    name = pointer.read_text().strip()
    return index_dir / name


def read_manifest(index_dir: Path) -> Manifest | None:
    version = live_version(index_dir)
    if version is None:
        return None
    return _manifest_of(version)


def _manifest_of(version: Path) -> Manifest:
    try:
        return Manifest.from_json((version / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError) as exc:
        raise IndexLoadError(f"unreadable manifest in {version}: {exc}", "Tệp mô tả chỉ mục bị hỏng.") from exc


def load_version(index_dir: Path, warm: bool = False, version: Path | None = None) -> IndexContents:
    """Load and cross-check the live version; raise IndexLoadError when anything is off.

    ``warm``: also read its memory-mapped files into the page cache in the
    background (:func:`warm_page_cache`): for a process about to answer questions,
    not for a build that only reuses some vectors. ``version``: that version
    directory instead of the one ``CURRENT`` names when it is read (a reader that
    saw ``CURRENT`` loads exactly what it saw). Only reads: replicas may share a
    read-only index directory.
    """
    version = version or live_version(index_dir)
    if version is None:
        raise IndexLoadError(f"no index in {index_dir}", "Chưa có chỉ mục.")
    if not version.is_dir():
        raise IndexLoadError(f"live version {version} is missing", "Thư mục chỉ mục bị thiếu.")
    manifest = _manifest_of(version)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexLoadError(
            f"index format {manifest.format_version}, expected {FORMAT_VERSION}",
            "Chỉ mục được tạo bởi phiên bản khác của hoidap.",
        )
    if warm:
        warm_page_cache(version)
    try:
        documents = {}
        with open(version / "documents.jsonl", encoding="utf-8") as fh:
            for line in fh:
                doc = _doc_from_dict(json.loads(line))
                documents[doc.doc_id] = doc
        passages, words = [], []
        vocabulary: dict[str, str] = {}  # one str object per distinct word, not one per occurrence
        with open(version / "passages.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                words.append([vocabulary.setdefault(w, w) for w in row.pop("words")])
                passages.append(Passage.from_dict(row))
        embeddings = np.load(version / "embeddings.npy", mmap_mode="r")
        dense = DenseIndex.load(version / "dense.faiss", vectors=embeddings)
        lexical = LexicalIndex.load(version)
        sentences = SentenceIndex.load(version) if (version / OFFSETS_FILE).exists() else None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise IndexLoadError(f"damaged index files in {version}: {exc}", "Các tệp chỉ mục bị hỏng hoặc thiếu.") from exc
    n = manifest.n_passages
    sizes = {
        "passages": len(passages),
        "embeddings": int(embeddings.shape[0]),
        "faiss": dense.size,
        "bm25_words": lexical.words.n_docs,
        "bm25_folded": lexical.folded.n_docs,
    }
    if any(v != n for v in sizes.values()) or len(documents) != manifest.n_documents:
        raise IndexLoadError(
            f"index parts disagree on size (manifest {n}, {sizes})", "Các phần của chỉ mục không khớp nhau."
        )
    if n and (embeddings.ndim != 2 or embeddings.shape[1] != manifest.dim or dense.dim != manifest.dim):
        raise IndexLoadError(
            f"embedding dimension {embeddings.shape[1:]} / {dense.dim} != manifest {manifest.dim}",
            "Kích thước vector của chỉ mục không khớp với mô hình.",
        )
    problem = sentences.check(n, manifest.dim) if sentences is not None else None
    if problem:
        raise IndexLoadError(f"{problem} in {version}", "Các phần của chỉ mục không khớp nhau.")
    return IndexContents(manifest, documents, passages, words, embeddings, dense, lexical, sentences, path=version)


#: Bytes per read when warming the page cache.
_WARM_CHUNK = 8 << 20


def warm_page_cache(version: Path) -> threading.Thread:
    """Read a version's memory-mapped files once, in a background thread, so they are in the page cache.

    The IVF lists, embeddings, BM25 matrices and sentence vectors are memory-mapped
    and only read when a question touches them: right after a load from a cold
    cache, the first questions at 1M passages waited on the disk (search p95 139
    ms instead of 84). Reading them sequentially while the JSON parts are parsed
    (~40 s at 1M) fills the cache first; the thread runs at low priority and stops
    at the first error (the load itself reports damaged files). ``posix_fadvise``
    would be the lighter way, but it read nothing on this machine's disk.
    """
    paths = sorted([*version.rglob("*.npy"), version / "dense.faiss"])

    def read_all() -> None:
        with contextlib.suppress(OSError, AttributeError):  # priority is a Linux nicety
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        buffer = bytearray(_WARM_CHUNK)
        for path in paths:
            try:
                with open(path, "rb", buffering=0) as fh:
                    while fh.readinto(buffer):
                        pass
            except OSError:
                return

    thread = threading.Thread(target=read_all, name="hoidap-warm-cache", daemon=True)
    thread.start()
    return thread


def _doc_to_dict(doc: Document) -> dict:
    d = asdict(doc)
    d["meta"] = doc.meta.to_dict()
    return d


def _doc_from_dict(d: dict) -> Document:
    return Document.from_dict(d)
