"""Structure of Vietnamese administrative and legal texts: outline and passages.

A civil servant cites "điểm a khoản 1 Mục II Kế hoạch 225" or "khoản 1 Điều 5 Luật ...",
so a passage must be the smallest such unit and must know its place in the outline.

* :func:`parse_outline` (:mod:`.outline`) recognises heading lines
  (grammar in :mod:`indexer.headings`) and nests them by rank.
* :func:`split_passages` (:mod:`.passages`) cuts a :class:`~indexer.types.Document`
  into passages whose ``text`` is exactly ``doc.text[start:end]``.
* Section labels and citations live in :mod:`indexer.citation`.
"""
from __future__ import annotations

from indexer.headings import Heading, HeadingMatch, classify_heading
from indexer.structure.outline import parse_outline
from indexer.structure.passages import split_passages

__all__ = [
    "Heading",
    "HeadingMatch",
    "parse_outline",
    "classify_heading",
    "split_passages",
]
