"""Per-client rate limiting for the web app's ask and search (token bucket per client IP).

Why: the server answers a whole office on 2 CPU cores; one script (or a stuck
browser tab) firing questions in a loop would starve everyone else. Each client
gets a bucket of ``per_minute`` tokens that refills continuously; a question or
search takes one token; an empty bucket means a polite Vietnamese "please wait"
with the number of seconds until the next token.

``per_minute <= 0`` disables the limit (tests, load benchmarks). The client key
is the peer address Gradio saw (``gr.Request.client.host``): behind a reverse
proxy listed in ``HOIDAP_TRUSTED_PROXIES``, uvicorn has already replaced it by the
client the proxy named in X-Forwarded-For (any other peer's header is ignored).
Requests without one (direct calls from tests or scripts in-process) share the key "local".
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable

from indexer.errors import HoidapError

#: Buckets idle this long are forgotten, so memory stays bounded however many clients come.
IDLE_SECONDS = 600.0
MAX_CLIENTS = 10_000


class RateLimited(HoidapError):
    """Too many requests from one client; ``message_vi`` is shown, ``retry_after`` in seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        self.message_vi = (
            f"Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ khoảng {self.retry_after} giây rồi thử lại."
        )
        self.reason = "rate_limited"
        super().__init__(f"rate limited, retry after {self.retry_after}s")


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token bucket keyed by client: ``per_minute`` sustained, bursts up to ``burst`` (default: per_minute)."""

    def __init__(self, per_minute: int, burst: int | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = int(per_minute)
        self.capacity = float(burst if burst is not None else max(1, self.per_minute))
        self.rate = self.per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    def check(self, client: str | None) -> None:
        """Take one token for ``client`` or raise :class:`RateLimited`."""
        if not self.enabled:
            return
        key = client or "local"
        now = self.clock()
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_idle(now)
                b = self._buckets[key] = _Bucket(self.capacity, now)
            b.tokens = min(self.capacity, b.tokens + (now - b.stamp) * self.rate)
            b.stamp = now
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return
            wait = (1.0 - b.tokens) / self.rate
        raise RateLimited(wait)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items() if now - b.stamp > IDLE_SECONDS]:
            del self._buckets[key]
        if len(self._buckets) >= MAX_CLIENTS:  # all busy: drop the stalest half
            for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1].stamp)[: MAX_CLIENTS // 2]:
                del self._buckets[key]


def client_key(request: object | None) -> str:
    """The client's IP from a ``gr.Request`` (or anything with ``.client.host``); "local" otherwise."""
    client = getattr(request, "client", None)
    host = getattr(client, "host", None)
    return str(host) if host else "local"
