"""Plain text and Markdown: decode, repair legacy fonts, tidy (indentation kept)."""
from __future__ import annotations

import logging

from indexer.readers.base import Extracted
from indexer.readers.encoding import decode_text, fix_legacy, tidy
from indexer.readers.sniff import mismatch

log = logging.getLogger(__name__)


def read_plain(data: bytes) -> Extracted:
    found = mismatch(data, "text")
    if found:
        raise found
    text, encoding = decode_text(data)
    log.debug("decoded as %s", encoding)
    if encoding not in ("tcvn3", "vni", "cp1252", "cp1258"):
        text = fix_legacy(text)
    return Extracted(tidy(text))
