"""Citation metadata of documents (type, số hiệu, issuer, place, date, title) and the
document numbers a text mentions.

* :mod:`.header`: :func:`extract_metadata` reads the header block;
* :mod:`.names`: cleaning and spelling issuers, places, số hiệu, dates, capitals;
* :mod:`.vocabulary`: document types, codes, provinces, outlets and their patterns;
* :mod:`.references`: :func:`document_references` for the query side.
"""
from __future__ import annotations

from indexer.metadata.header import detect_outlet, extract_metadata
from indexer.metadata.names import normalize_number, readable_issuer, sentence_case
from indexer.metadata.references import document_references

__all__ = [
    "detect_outlet",
    "document_references",
    "extract_metadata",
    "normalize_number",
    "readable_issuer",
    "sentence_case",
]
