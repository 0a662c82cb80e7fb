"""A serving process follows CURRENT by itself (hoidap.live_index): replicas on one shared,
read-only index directory switch to a version another process published, between two
questions, keep the old one when the new one is broken, and never write into the directory.

Versions are "published by another process" the way a writer on another machine does it:
a complete version directory appears, then CURRENT is replaced atomically.
"""
from __future__ import annotations

import logging
import os
import shutil
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from hoidap.engine import Engine
from indexer.store import live_version

FIXTURES = Path(__file__).parents[1] / "fixtures"
NEW_DOC = "bo_sung_den_chieu_sang.txt"
NEW_QUERY = "đèn chiếu sáng năng lượng mặt trời"
QUESTION = "Mục tiêu phát triển hạ tầng số đến năm 2025 là gì?"


class Clock:
    """A hand-moved monotonic clock: when the periodic CURRENT check is due is the test's choice."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def newer_version(seed_engine, embedder, tmp_path_factory) -> Path:
    """A later version of the seed index: the shipped corpus plus one more document."""
    root = tmp_path_factory.mktemp("newer")
    shutil.copytree(seed_engine.settings.corpus_dir, root / "corpus")
    shutil.copy(FIXTURES / NEW_DOC, root / "corpus" / NEW_DOC)
    settings = seed_engine.settings.with_(corpus_dir=root / "corpus", index_dir=root / "index")
    report = Engine(settings, embedder=embedder).index()
    assert not report.errors
    return live_version(settings.index_dir)


@pytest.fixture
def shared(seed_engine, tmp_path) -> Path:
    """A copy of the seed index: the directory the replicas share."""
    index = tmp_path / "shared-index"
    shutil.copytree(seed_engine.settings.index_dir, index)
    return index


def publish(index_dir: Path, version: Path, damage=None) -> Path:
    """What another process's writer does: the complete version first, then CURRENT, atomically."""
    target = index_dir / f"v{time.time_ns()}"
    shutil.copytree(version, target)
    if damage:
        damage(target)
    tmp = index_dir / ".CURRENT.tmp-test"
    tmp.write_text(target.name)
    os.replace(tmp, index_dir / "CURRENT")
    return target


def replica(seed_engine, embedder, index_dir: Path) -> tuple[Engine, Clock]:
    clock = Clock()
    engine = Engine(seed_engine.settings.with_(index_dir=index_dir, reload_check_ms=1000), embedder=embedder)
    engine.searcher.live.clock = clock
    return engine, clock


def sources(hits) -> set[str]:
    return {h.document.source for h in hits}


def test_switches_between_questions_and_a_question_in_flight_ends_on_the_old_version(
    seed_engine, embedder, newer_version, shared
):
    engine, clock = replica(seed_engine, embedder, shared)
    assert engine.status() == {"status": "starting", "version": None}  # nothing loaded before a question
    assert engine.ask(QUESTION).found
    old = engine.status()["version"]
    assert old == live_version(shared).name
    # a question that has started holds its version: block it in the middle
    started, release = threading.Event(), threading.Event()
    real_analysis = engine.searcher.analysis
    in_flight: dict = {}

    def slow_analysis(query, contents=None):
        if query == NEW_QUERY and not started.is_set():
            in_flight["version"] = contents.path.name
            started.set()
            release.wait(30)
        return real_analysis(query, contents)

    engine.searcher.analysis = slow_analysis
    asker = threading.Thread(target=lambda: in_flight.setdefault("hits", engine.search(NEW_QUERY, k=3)))
    asker.start()
    assert started.wait(30)
    new = publish(shared, newer_version)
    # not due yet: the next question is still answered from the old version, and reads nothing
    assert NEW_DOC not in sources(engine.search(NEW_QUERY, k=3))
    clock.now += 1.5  # the check is due: this question starts the load and is answered from the old version
    assert NEW_DOC not in sources(engine.search(NEW_QUERY, k=3))
    engine.searcher.live.wait(60)
    assert engine.status()["version"] == new.name != old
    assert NEW_DOC in sources(engine.search(NEW_QUERY, k=3))  # the next question: the new version
    release.set()
    asker.join(60)
    assert in_flight["version"] == old and NEW_DOC not in sources(in_flight["hits"])
    assert engine.ask(QUESTION).found


def test_a_broken_new_version_keeps_the_old_one_and_says_why(seed_engine, embedder, newer_version, shared, caplog):
    engine, clock = replica(seed_engine, embedder, shared)
    assert engine.search(NEW_QUERY, k=3)
    old = engine.status()["version"]

    def truncate_faiss(version: Path) -> None:
        faiss = version / "dense.faiss"
        faiss.write_bytes(faiss.read_bytes()[:100])

    broken = publish(shared, newer_version, damage=truncate_faiss)
    with caplog.at_level(logging.ERROR, logger="hoidap.live_index"):
        clock.now += 1.5
        assert engine.search(NEW_QUERY, k=3)  # answered, from the old version
        engine.searcher.live.wait(60)
    assert engine.status()["version"] == old
    message = " ".join(r.getMessage() for r in caplog.records)
    assert broken.name in message and "could not be loaded" in message and "Không nạp được" in message
    assert engine.ask(QUESTION).found
    with caplog.at_level(logging.ERROR, logger="hoidap.live_index"):
        clock.now += 1.5  # not tried again at every check
        engine.search(NEW_QUERY, k=3)
        engine.searcher.live.wait(60)
    assert sum("could not be loaded" in r.getMessage() for r in caplog.records) == 1
    # the writer publishes a repaired version: the replica switches to it
    shutil.rmtree(broken)
    fixed = publish(shared, newer_version)
    clock.now += 1.5
    engine.search(NEW_QUERY, k=3)
    engine.searcher.live.wait(60)
    assert engine.status()["version"] == fixed.name
    assert NEW_DOC in sources(engine.search(NEW_QUERY, k=3))


# ------------------------------------------------------------------ read-only
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_MUTATING = {"os.rename", "os.replace", "os.remove", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod",
             "os.symlink", "os.link", "shutil.rmtree", "os.utime"}
_watch: dict = {"root": None, "writes": []}


def _audit(event: str, args: tuple) -> None:
    """Records any write under the watched folder: root ignores chmod a-w, the audit hook does not."""
    root = _watch["root"]
    if root is None or not args:
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None])[:3]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
    elif event in _MUTATING:
        path, writes = args[0], True
    else:
        return
    if writes and isinstance(path, (str, bytes, os.PathLike)) and os.fsdecode(path).startswith(root):
        _watch["writes"].append((event, os.fsdecode(path)))


sys.addaudithook(_audit)


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def _set_writable(root: Path, writable: bool) -> None:
    for p in [root, *root.rglob("*")]:
        mode = p.stat().st_mode
        p.chmod(mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def test_serving_never_writes_into_the_shared_index_dir(seed_engine, embedder, newer_version, shared, tmp_path):
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    _set_writable(shared, False)
    before = _snapshot(shared)
    _watch.update(root=str(shared), writes=[])
    try:
        engine, clock = replica(seed_engine, embedder, shared)
        app = App(engine, WebSettings(feedback_path=tmp_path / "feedback.jsonl"))
        assert engine.ask(QUESTION).found
        assert "hd-results" in app.search.search("hạ tầng số", "", "", "", 3)
        assert engine.documents() and engine.searcher.relations() is not None
        assert engine.status()["status"] == "ok"
        assert _watch["writes"] == [] and _snapshot(shared) == before
        # the writer (another process, with write access) publishes; the replica follows, still reading only
        _watch["root"] = None
        _set_writable(shared, True)
        new = publish(shared, newer_version)
        _set_writable(shared, False)
        before = _snapshot(shared)
        _watch["root"] = str(shared)
        clock.now += 1.5
        engine.status()  # a health check alone starts the switch of an idle replica
        engine.searcher.live.wait(60)
        assert engine.status()["version"] == new.name
        assert NEW_DOC in sources(engine.search(NEW_QUERY, k=3))
        assert _watch["writes"] == [] and _snapshot(shared) == before
    finally:
        _watch["root"] = None
        _set_writable(shared, True)
