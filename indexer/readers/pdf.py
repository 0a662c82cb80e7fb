"""PDF text layers (pypdf), page by page; scanned and encrypted files are refused politely."""
from __future__ import annotations

import io
import logging

import indexer.readers.legacy as legacy
from indexer.readers.base import Extracted
from indexer.readers.encoding import tidy
from indexer.readers.errors import LoadError
from indexer.readers.sniff import mismatch

log = logging.getLogger(__name__)

#: A PDF with fewer visible characters than this per page is treated as scanned.
SCANNED_CHARS_PER_PAGE = 10


def read_pdf(data: bytes) -> Extracted:
    """The pages' text joined by blank lines, with the offset where each page starts."""
    if b"%PDF-" not in data[:1024]:
        found = mismatch(data, "pdf")
        raise found or LoadError("corrupt_pdf", "no %PDF header")
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise LoadError("encrypted_pdf", f"cannot decrypt: {exc}") from None
            if not opened:
                raise LoadError("encrypted_pdf")
        pages = list(reader.pages)
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError("encrypted_pdf") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise LoadError("corrupt_pdf", f"{type(exc).__name__}: {exc}") from None
    if not pages:
        raise LoadError("empty", "PDF has no pages")

    texts: list[str] = []
    failures = 0
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # one broken page must not lose the others
            log.warning("page %d: text extraction failed: %s", number, exc)
            texts.append("")
            failures += 1
    if failures == len(pages):
        raise LoadError("corrupt_pdf", "text extraction failed on every page")
    visible = sum(len("".join(t.split())) for t in texts)
    if visible < SCANNED_CHARS_PER_PAGE * len(pages):
        raise LoadError("scanned_pdf", f"{visible} characters on {len(pages)} pages")

    try:
        encoding = legacy.detect_legacy_encoding("\n".join(texts))
    except legacy.AmbiguousEncoding as exc:
        raise LoadError("legacy_font_unconvertible", str(exc)) from None
    if encoding:
        texts = [legacy.convert_legacy_lines(t, encoding)[0] for t in texts]
    texts = [tidy(t, collapse_spaces=True) for t in texts]
    starts: list[int] = []
    offset = 0
    for t in texts:
        starts.append(offset)
        offset += len(t) + 2
    return Extracted("\n\n".join(texts), page_starts=starts)
