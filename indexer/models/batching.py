"""Length-homogeneous batches: on CPU, every padded token is wasted arithmetic."""
from __future__ import annotations

from collections.abc import Sequence

__all__ = ["length_batches"]


def length_batches(lengths: Sequence[int], max_texts: int, max_tokens: int) -> list[list[int]]:
    """Indices grouped by similar token length, longest first: at most ``max_texts`` texts and
    ``max_tokens`` padded tokens per batch (padding is pure waste on CPU)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches, start = [], 0
    while start < len(order):
        size = max(1, min(max_texts, max_tokens // max(1, lengths[order[start]])))
        batches.append(order[start : start + size])
        start += size
    return batches
