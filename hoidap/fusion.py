"""Hybrid fusion, isolated: how dense and lexical evidence become one ranking.

Pure functions over score arrays, so they can be tested against hand-computed
references and swapped by measurement (``hoidap eval``) without touching retrieval.
"""
from __future__ import annotations

import numpy as np

#: Weight of the dense side in ``convex``. Measured on alqac22 (520 questions, candidates =
#: union of each side's top 100): MRR@10 0.955/0.959/0.962/0.963/0.955 for 0.3/0.4/0.5/0.6/0.7,
#: RRF (k=60) 0.953. 0.5 sits on the flat top without tuning to this one set.
DENSE_WEIGHT = 0.5


def minmax(scores: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant array maps to zeros (it carries no preference)."""
    s = np.asarray(scores, dtype=np.float32)
    if s.size == 0:
        return s
    lo, hi = float(s.min()), float(s.max())
    if hi - lo < 1e-12:
        return np.zeros_like(s)
    return (s - lo) / (hi - lo)


def convex(
    dense: np.ndarray,
    lexical: np.ndarray,
    dense_weight: float,
) -> np.ndarray:
    """Convex combination of min-max normalised scores over the same candidates.

    Unlike RRF it keeps score gaps: a passage far ahead in one signal stays ahead,
    which matters when one retriever is confident and the other is not.
    """
    return dense_weight * minmax(dense) + (1.0 - dense_weight) * minmax(lexical)


#: How much a reference to a document ("Kế hoạch 225", "225/KH-UBND") lifts its passages
#: on the fused 0..1 scale: enough to decide between close candidates, not to override content.
DOC_REFERENCE_WEIGHT = 0.15


def reference_bonus(
    query_refs: list[str], identities: dict[str, set[str]], mentions: dict[str, set[str]]
) -> dict[str, float]:
    """doc id -> 1.0 if the document *is* a referenced one, 0.5 if it only mentions it.

    ``identities`` holds each document's own references (from its số hiệu), ``mentions``
    the references found in its text (a news article about Plan 225 mentions it).
    """
    refs = set(query_refs)
    if not refs:
        return {}
    out: dict[str, float] = {}
    for doc_id in identities.keys() | mentions.keys():
        if identities.get(doc_id, set()) & refs:
            out[doc_id] = 1.0
        elif mentions.get(doc_id, set()) & refs:
            out[doc_id] = 0.5
    return out
