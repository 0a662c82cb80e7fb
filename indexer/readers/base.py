"""What every format reader returns, what it may be given, and the shape a reader has."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from indexer.types import TableRow

#: ``progress(done, total)`` for the pages of one file (OCR takes seconds per page).
PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReadContext:
    """What a reader may need beyond the bytes: where to cache OCR text, whom to tell about pages.

    ``cache_dir`` None: no OCR cache (uploads in tests); ``ocr`` False: scans are
    refused as before (the benchmark's "text only" run, machines told not to OCR).
    """

    cache_dir: Path | None = None
    progress: PageProgress | None = None
    ocr: bool = True

    def pages(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass
class Extracted:
    """A reader's output: NFC text (what passage offsets point into) and what the format adds."""

    text: str
    page_starts: list[int] = field(default_factory=list)  # PDF: offset where page i+1 starts
    title: str = ""  # HTML: the headline, used when the text has no document title
    table_rows: list[TableRow] = field(default_factory=list)  # data rows of tables, as spans of ``text``
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by OCR (images: [1])
    meta: dict[str, str] = field(default_factory=dict)  # DocumentMeta fields the file states (HTML <meta>)


class Reader(Protocol):
    """Turns a file's bytes into text; raises :class:`~indexer.readers.errors.LoadError` on refusal."""

    def __call__(self, data: bytes, context: ReadContext) -> Extracted: ...
