"""Faults that really happen: a damaged index, a full disk, a re-index while the
app answers, a build killed with SIGKILL, a deleted or damaged model cache.

The guarantee under test: the live index is always a complete version or a
clear "rebuild" error (never a silently wrong answer), and the next run works.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from reliability_support import HOIDAP, REPO, TEST_CACHE_DIR, cli_env, is_vietnamese, run_cli, sample_text
from indexer.store import REBUILD_HINT_VI, IndexLoadError, live_version, load_version

QUESTION = "Mục tiêu phát triển hạ tầng số đến năm 2025 là gì?"


def _truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _edit_manifest(version: Path, **changes) -> None:
    m = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    m.update(changes)
    (version / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


DAMAGE = {
    "passages_truncated": lambda v: _truncate(v / "passages.jsonl"),
    "passages_missing": lambda v: (v / "passages.jsonl").unlink(),
    "documents_missing": lambda v: (v / "documents.jsonl").unlink(),
    "embeddings_garbage": lambda v: (v / "embeddings.npy").write_bytes(os.urandom(1000)),
    "embeddings_fewer_rows": lambda v: np.save(v / "embeddings.npy", np.load(v / "embeddings.npy")[:-1]),
    "embeddings_other_dim": lambda v: np.save(v / "embeddings.npy", np.zeros((len(np.load(v / "embeddings.npy")), 768), np.float32)),
    "faiss_truncated": lambda v: _truncate(v / "dense.faiss", 0.3),
    "bm25_missing": lambda v: shutil.rmtree(next(p for p in v.iterdir() if p.is_dir() and p.name.startswith("bm25"))),
    "manifest_garbage": lambda v: (v / "manifest.json").write_text("{not json", encoding="utf-8"),
    "manifest_missing": lambda v: (v / "manifest.json").unlink(),
    "manifest_other_dim": lambda v: _edit_manifest(v, dim=1024),
    "manifest_other_format": lambda v: _edit_manifest(v, format_version=99),
    "version_dir_missing": lambda v: shutil.rmtree(v),
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_index_is_a_clear_error_with_rebuild_hint(kind, fresh_copy, engine_on):
    root, settings = fresh_copy
    DAMAGE[kind](live_version(settings.index_dir))
    with pytest.raises(IndexLoadError) as info:
        load_version(settings.index_dir)
    assert info.value.message_vi.endswith(REBUILD_HINT_VI) and is_vietnamese(info.value.message_vi)
    engine = engine_on(settings)
    with pytest.raises(IndexLoadError):
        engine.ask(QUESTION)
    with pytest.raises(IndexLoadError):
        engine.search("hạ tầng số")


def test_index_from_another_model_is_refused(fresh_copy, engine_on):
    root, settings = fresh_copy
    _edit_manifest(live_version(settings.index_dir), model_id="sentence-transformers/other-model")
    with pytest.raises(IndexLoadError) as info:
        engine_on(settings).ask(QUESTION)
    assert "mô hình khác" in info.value.message_vi and info.value.message_vi.endswith(REBUILD_HINT_VI)


def test_cli_on_damaged_index_exits_4_with_rebuild_hint(fresh_copy):
    """The real CLI: exit code 4, the hint, no traceback, nothing on stdout."""
    root, settings = fresh_copy
    _truncate(live_version(settings.index_dir) / "passages.jsonl")
    proc = run_cli("search", "hạ tầng số", "--index", settings.index_dir, timeout=120)
    assert proc.returncode == 4, proc.stderr[-2000:]
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert "hoidap index --rebuild" in proc.stderr and proc.stderr.startswith("Lỗi chỉ mục:")


@pytest.mark.slow
def test_cli_on_index_from_another_model_exits_4(fresh_copy):
    root, settings = fresh_copy
    _edit_manifest(live_version(settings.index_dir), model_id="sentence-transformers/other-model")
    proc = run_cli("ask", QUESTION, "--index", settings.index_dir, timeout=300)
    assert proc.returncode == 4, proc.stderr[-2000:]
    assert "mô hình khác" in proc.stderr and "hoidap index --rebuild" in proc.stderr


@pytest.mark.slow
def test_rebuild_after_damage_recovers(fresh_copy, embedder, engine_on):
    from indexer.build import index_paths

    root, settings = fresh_copy
    DAMAGE["faiss_truncated"](live_version(settings.index_dir))
    report = index_paths([root / "corpus"], settings, embedder=embedder)  # no --rebuild needed
    assert report.documents == 3 and len(report.added) == 3
    assert engine_on(settings).ask(QUESTION).found


# ------------------------------------------------------------------------ disk full
def test_disk_full_while_writing_keeps_the_old_index(fresh_copy, embedder, monkeypatch, capsys):
    """ENOSPC in the middle of writing a version: exit 5, a Vietnamese message, the old index live."""
    import indexer.models.embedder
    import indexer.store as store
    from hoidap import cli

    root, settings = fresh_copy
    (root / "corpus" / "moi.txt").write_text(sample_text(2)[:800] + "\nPhụ lục mới.", encoding="utf-8")
    before = live_version(settings.index_dir)
    real_save = np.save

    def full_disk(path, *args, **kwargs):
        real_save(path, *args, **kwargs)  # a partial file exists, like a real ENOSPC
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(store.np, "save", full_disk)
    monkeypatch.setattr(indexer.models.embedder, "Embedder", lambda settings: embedder)
    rc = cli.main(["index", str(root / "corpus"), "--index", str(settings.index_dir), "--cache-dir", str(TEST_CACHE_DIR)])
    err = capsys.readouterr().err
    assert rc == cli.EXIT_IO, err
    assert "hết dung lượng đĩa" in err and "vẫn được giữ nguyên" in err and "Traceback" not in err
    monkeypatch.undo()
    assert live_version(settings.index_dir) == before
    assert not list(Path(settings.index_dir).glob(".tmp-*")), "the half-written version is removed"
    contents = load_version(settings.index_dir)
    assert contents.manifest.n_documents == 3


# ------------------------------------------------------------- re-index while serving
def test_reindex_while_answering(fresh_copy, engine_on, embedder):
    """One thread asks without pause while another re-indexes: every answer succeeds,
    served from the old version, then from the new one, never mixing back."""
    root, settings = fresh_copy
    reader = engine_on(settings)
    writer = engine_on(settings)
    old = live_version(settings.index_dir)
    (root / "corpus" / "bo-sung.txt").write_text(
        "KẾ HOẠCH\nBổ sung về đèn chiếu sáng công cộng\n\nI. MỤC TIÊU\n"
        "Lắp đặt đèn chiếu sáng năng lượng mặt trời cho toàn bộ đường liên thôn trước năm 2026.\n",
        encoding="utf-8",
    )
    seen: list[Path] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def ask_forever():
        while True:
            finished = done.is_set()
            try:
                answer = reader.ask(QUESTION)
                assert answer.answer
                seen.append(reader.searcher._version)
            except BaseException as exc:  # noqa: BLE001 - collected and reported
                failures.append(exc)
            if finished:
                return

    asker = threading.Thread(target=ask_forever)
    asker.start()
    time.sleep(0.5)
    report = writer.index([root / "corpus"])
    done.set()
    asker.join(timeout=120)
    assert not failures, failures[:3]
    new = report.index_path
    assert seen and set(seen) <= {old, new}, set(seen)
    assert seen[-1] == new, "the reader switched to the new version"
    first_new = seen.index(new)
    assert all(v == new for v in seen[first_new:]), "never back to the old version"
    hits = reader.search("đèn chiếu sáng năng lượng mặt trời", k=1)
    assert hits[0].document.source == "bo-sung.txt"


# -------------------------------------------------------------------- kill -9 builds
def _big_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = sample_text(i % 3)
        (folder / f"tai-lieu-{i:03d}.txt").write_text(f"{text}\nPhụ lục số {i}: ghi chú riêng của tài liệu {i}.\n", encoding="utf-8")


def _kill_when(cmd: list[str], env: dict, trigger) -> tuple[str, float]:
    """Start ``cmd``; SIGKILL it when ``trigger(stderr_so_far, elapsed)`` is true."""
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.set_blocking(proc.stderr.fileno(), False)
    buf = b""
    t0 = time.monotonic()
    try:
        while proc.poll() is None:
            chunk = proc.stderr.read() or b""
            buf += chunk
            if trigger(buf.decode("utf-8", "replace"), time.monotonic() - t0):
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return buf.decode("utf-8", "replace"), time.monotonic() - t0


@pytest.mark.slow
def test_kill_9_during_index_never_damages_the_live_version(fresh_copy, engine_on):
    root, settings = fresh_copy
    _big_corpus(root / "corpus", 40)  # + the 3 samples already indexed
    cmd = [*HOIDAP, "index", str(root / "corpus"), "--index", str(settings.index_dir)]
    env = cli_env()
    moments = {
        "after 0.5 s": lambda err, t: t >= 0.5,
        "while embedding": lambda err, t: "[mã hóa đoạn]" in err,
        "while writing": lambda err, t: "[ghi chỉ mục] 0/1" in err,
    }
    original = live_version(settings.index_dir)
    for label, trigger in moments.items():
        stderr, elapsed = _kill_when(cmd, env, trigger)
        contents = load_version(settings.index_dir)  # never raises: a complete version is live
        live = live_version(settings.index_dir)
        assert contents.manifest.n_documents in (3, 43), (label, contents.manifest.n_documents)
        if live == original:
            assert contents.manifest.n_documents == 3
        engine = engine_on(settings)
        assert engine.search("hạ tầng số", k=3), label
        print(f"killed {label} at {elapsed:.1f}s; live={live.name} docs={contents.manifest.n_documents}")
    proc = run_cli("index", root / "corpus", "--json", "--index", settings.index_dir, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["documents"] == 43 and not summary["errors"]
    assert not list(Path(settings.index_dir).glob(".tmp-*")), "leftovers of killed writers are collected"
    assert engine_on(settings).ask(QUESTION).found


# ------------------------------------------------------------------- model cache
@pytest.mark.slow
@pytest.mark.parametrize("damage", ["deleted", "truncated", "header_garbage", "manifest_garbage"])
def test_model_cache_damage_is_rebuilt_automatically(tmp_path, damage):
    cache = tmp_path / "cache"
    shutil.copytree(TEST_CACHE_DIR / "models", cache / "models")
    model = next((cache / "models").iterdir())
    weights = model / "model.safetensors"
    if damage == "deleted":
        shutil.rmtree(cache / "models")
    elif damage == "truncated":
        _truncate(weights, 0.9)
    elif damage == "header_garbage":
        with open(weights, "r+b") as fh:
            fh.write(os.urandom(64))
    else:
        (model / "manifest.json").write_text("{", encoding="utf-8")
    proc = run_cli("model", "--cache-dir", cache, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Mô hình sẵn sàng" in proc.stdout
    assert (model / "model.safetensors").stat().st_size == (TEST_CACHE_DIR / "models" / model.name / "model.safetensors").stat().st_size
