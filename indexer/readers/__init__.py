"""Turn source files (or uploaded bytes) into :class:`Document` records.

Everything users can drop into the corpus or upload passes through here, so the
readers trust nothing: the type is checked by content, not extension
(:mod:`.sniff`); text encodings (UTF-8/16, Windows-1258, legacy TCVN3/VNI fonts)
are detected rather than assumed (:mod:`.encoding`); zip archives are inspected
before they are opened; and every refusal is a :class:`LoadError` with a polite
Vietnamese message for the user and an English one for the logs. The text that
comes out is NFC, and it is the text passage offsets point into.

One reader per format (:mod:`.plain`, :mod:`.docx`, :mod:`.pdf`, :mod:`.html`),
chosen by the file's suffix through :data:`READERS`.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path, PurePosixPath

from indexer.metadata import extract_metadata
from indexer.readers.base import Extracted, Reader
from indexer.readers.docx import read_docx
from indexer.readers.encoding import decode_text, tidy
from indexer.readers.errors import REASONS, LoadError
from indexer.readers.html import read_html
from indexer.readers.pdf import read_pdf
from indexer.readers.plain import read_plain
from indexer.readers.sniff import MAX_BYTES, human_size, safe_name
from indexer.types import Document

__all__ = [
    "MAX_BYTES",
    "READERS",
    "REASONS",
    "SUPPORTED_SUFFIXES",
    "Extracted",
    "LoadError",
    "Reader",
    "decode_text",
    "iter_corpus_files",
    "load_bytes",
    "tidy",
]

#: The reader for each supported suffix (lower case, with the dot).
READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)


def load_bytes(
    data: bytes,
    filename: str,
    *,
    doc_id: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Load a document from memory (uploads and corpus files alike); ``filename`` decides the reader.

    ``doc_id`` defaults to the file name without its suffix and ``source`` to the
    file name. Raises :class:`LoadError` for anything that cannot be indexed.
    """
    name = safe_name(filename)
    try:
        return _load(data, name, doc_id, source, max_bytes)
    except LoadError as exc:
        raise exc.with_source(source or name) from None


def _load(data: bytes, name: str, doc_id: str | None, source: str | None, max_bytes: int) -> Document:
    suffix = PurePosixPath(name).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise LoadError("unsupported_type", suffix or "no extension")
    if len(data) > max_bytes:
        raise LoadError("too_large", f"{len(data)} bytes", limit=human_size(max_bytes))
    if not data.strip() or not data.replace(b"\x00", b"").strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf\xff\xfe"):
        raise LoadError("empty")

    extracted = reader(data)
    if not extracted.text.strip():
        raise LoadError("empty", "no text after extraction")

    meta = extract_metadata(extracted.text, PurePosixPath(name).name)
    if extracted.title and meta.doc_type in ("", "Bài báo"):
        meta = replace(meta, title=extracted.title)
    return Document(
        doc_id=doc_id if doc_id is not None else str(PurePosixPath(name).with_suffix("")),
        source=source if source is not None else name,
        text=extracted.text,
        meta=meta,
        page_starts=extracted.page_starts,
        content_hash=hashlib.sha256(data).hexdigest(),
    )


def iter_corpus_files(root: Path) -> list[Path]:
    """Supported files under ``root``, recursively, sorted by relative path.

    Hidden files and folders (".git", ".hoidap", editor backups) and README*/LICENSE*
    files are skipped: they describe the corpus, they are not part of it.
    """
    root = Path(root)
    found: list[tuple[str, Path]] = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
            continue
        if path.name.upper().startswith(("README", "LICENSE")):
            continue
        found.append((rel.as_posix(), path))
    return [p for _, p in sorted(found)]

