"""Tuning of a process that answers questions: BLAS threads and returning freed memory.

Here rather than in :mod:`indexer.models.threads` because both are policies of
the *serving* process (a build wants every BLAS thread, and never drops an
index version it is serving); the encoder-side thread decisions live there.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools

__all__ = ["single_threaded_blas", "release_free_memory"]


@functools.cache
def single_threaded_blas() -> None:
    """Run numpy's BLAS on one thread in a process that answers questions.

    A query's BLAS work is one matrix-vector product, memory-bound, and
    OpenBLAS's second thread spin-waits after it, competing for the cores with
    the query encoder's OpenMP threads: on two cores, search p50 went from 74 to
    29 ms (10k passages) and from 114 to 40 ms (100k) with one BLAS thread.
    Process-wide, once (cached); torch and FAISS have their own thread pools.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def release_free_memory() -> None:
    """Give memory freed by a dropped index version back to the OS (glibc ``malloc_trim``).

    A version is many small Python objects spread over the allocator's arenas;
    without a trim, a long-running server that re-indexes keeps the old
    version's pages resident although nothing uses them.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
