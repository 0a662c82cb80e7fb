"""The index version a serving process answers from, and how it follows ``CURRENT``.

Why: several ``hoidap serve`` replicas read one index directory (a shared,
read-only filesystem) that a separate ``hoidap index`` publishes new versions
into (:mod:`indexer.store`). Each replica has to switch by itself, without a
restart, and without a question ever failing or mixing two versions:

* the check is cheap and rare: one read of the small ``CURRENT`` file at most
  every ``Settings.reload_check_ms`` (a stat on a network filesystem is a round
  trip; reading on every question, as before, was one per question);
* a new version is loaded completely in a background thread while questions go
  on being answered from the old one, then the reference is swapped in one
  assignment: a question holds the :class:`IndexContents` it started with, so a
  question in flight finishes on the old version;
* a new version that does not load (damaged, another model, half-copied) is
  logged in English and Vietnamese and the old one stays; it is tried again only
  after ``RETRY_FAILED_SECONDS`` or when ``CURRENT`` names another version;
* a version published by this very process (a web upload, ``Engine.index``) is
  seen at once, loaded before the next question (read your own writes), by
  :func:`indexer.store.published_here`.

Only the first load (nothing to answer from yet) happens in the asking thread
and raises :class:`~indexer.store.IndexLoadError`, as it always did.
"""
from __future__ import annotations

import logging
import threading
import time
import weakref
from pathlib import Path
from typing import Callable

from hoidap.process import release_free_memory
from indexer.store import IndexContents, live_version, published_here

log = logging.getLogger(__name__)

#: A version that failed to load is tried again after this long (a copy still arriving on a
#: shared filesystem, a transient I/O error), or at once when CURRENT names another one.
RETRY_FAILED_SECONDS = 30.0

#: Loads a version directory (None: the one CURRENT names; raises IndexLoadError when none).
Loader = Callable[[Path | None], IndexContents]


class LiveIndex:
    """The loaded version of one index directory, switched atomically when ``CURRENT`` changes."""

    def __init__(
        self, index_dir: Path, load: Loader, check_ms: int = 1000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.index_dir = Path(index_dir)
        self._load = load
        self.check_seconds = max(0, int(check_ms)) / 1000.0
        self.clock = clock
        self._contents: IndexContents | None = None
        self._next_check = 0.0
        self._published = published_here()
        self._failed: dict[Path, float] = {}  # version -> when it may be tried again
        self._loading = threading.Lock()  # held by whoever loads (one load at a time)
        self._loader: threading.Thread | None = None

    # ------------------------------------------------------------------ reading
    @property
    def loaded(self) -> IndexContents | None:
        """The version answering now, without checking or loading anything (health reports)."""
        return self._contents

    @property
    def version(self) -> Path | None:
        c = self._contents
        return c.path if c is not None else None

    def current(self) -> IndexContents:
        """The version to answer one question from: keep it for the whole question."""
        contents = self._contents
        if contents is None:
            return self._load_now()
        published = published_here()
        if published != self._published:  # this process wrote a version: read it before answering
            self._published = published
            return self._load_now()
        self.follow()
        return self._contents or contents

    def follow(self) -> None:
        """Poll when the check is due (never loads in this thread; health checks call it too)."""
        if self._contents is not None and self.clock() >= self._next_check:
            self.poll()

    def poll(self) -> None:
        """Check ``CURRENT`` now; start a background load when it names a version not loaded yet."""
        self._next_check = self.clock() + self.check_seconds
        target = self._wanted()
        if target is None or not self._loading.acquire(blocking=False):
            return  # nothing new, or a load is already under way
        try:
            self._loader = threading.Thread(target=self._load_locked, args=(target,), name="hoidap-index-reload", daemon=True)
            self._loader.start()
        except RuntimeError:  # no thread to be had: try again at the next check
            self._loading.release()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background load in progress (tests, health checks after a publish)."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)

    # ------------------------------------------------------------------ loading
    def _wanted(self) -> Path | None:
        """The version ``CURRENT`` names when it should be loaded, else None."""
        try:
            target = live_version(self.index_dir)
        except OSError as exc:
            log.warning("cannot read %s/CURRENT: %s / Không đọc được tệp CURRENT của chỉ mục.", self.index_dir, exc)
            return None
        if target is None or target == self.version:
            return None
        retry_at = self._failed.get(target)
        if retry_at is not None and self.clock() < retry_at:
            return None
        return target

    def _load_now(self) -> IndexContents:
        """Load in this thread (first load, or this process published): waits for a load under way."""
        with self._loading:
            target = live_version(self.index_dir)
            if self._contents is None:
                self._swap(self._load(target))  # raises: there is nothing to answer from yet
            elif target is not None and target != self.version:
                self._try(target)
        self._next_check = self.clock() + self.check_seconds
        assert self._contents is not None
        return self._contents

    def _load_locked(self, target: Path) -> None:
        """Background load of ``target`` (the caller acquired ``_loading``)."""
        try:
            if target != self.version:  # another thread may have loaded it meanwhile
                self._try(target)
        finally:
            self._loading.release()

    def _try(self, target: Path) -> None:
        """Load ``target`` and swap it in; on failure keep the old version and say so (never raises)."""
        try:
            self._swap(self._load(target))
        except Exception as exc:  # noqa: BLE001 - a broken version must never stop the server
            self._failed[target] = self.clock() + RETRY_FAILED_SECONDS
            old = self.version.name if self.version else "-"
            log.error(
                "index version %s could not be loaded, still answering from %s: %s / "
                "Không nạp được phiên bản chỉ mục mới %s, vẫn trả lời bằng phiên bản %s. %s",
                target.name, old, exc, target.name, old, getattr(exc, "message_vi", ""),
            )

    def _swap(self, contents: IndexContents) -> None:
        old = self._contents
        self._contents = contents  # one assignment: questions already running keep ``old``
        if contents.path is not None:
            self._failed.pop(contents.path, None)
        if old is not None:  # once the questions still running on it finish
            weakref.finalize(old, release_free_memory)
        log.info(
            "answering from index %s (%d passages) / Đang trả lời bằng phiên bản chỉ mục %s",
            contents.path, len(contents.passages), contents.path.name if contents.path else "-",
        )
