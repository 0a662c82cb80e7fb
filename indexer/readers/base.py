"""What every format reader returns, and the shape a reader has."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Extracted:
    """A reader's output: NFC text (what passage offsets point into) and what the format adds."""

    text: str
    page_starts: list[int] = field(default_factory=list)  # PDF: offset where page i+1 starts
    title: str = ""  # HTML: the headline, used when the text has no document title


class Reader(Protocol):
    """Turns a file's bytes into text; raises :class:`~indexer.readers.errors.LoadError` on refusal."""

    def __call__(self, data: bytes) -> Extracted: ...
