"""Index builds on a Dask cluster: workers load, split, segment and embed batches of documents.

Embedding is ~96% of a build and runs at ~31 passages/s on two cores, so a
national corpus needs many machines. ``dask.distributed`` already schedules
tasks across machines, moves their data, and re-runs the tasks of a worker that
dies; this module only says what a task is (:func:`prepare_batch`: the same
functions as a local build, from :mod:`indexer.prepare`) and collects the
results for :mod:`indexer.build`, which stays the one writer of the versioned
index (the live version is untouched until its atomic swap).

* The client sends each document's bytes with its task (never a path): a worker
  needs the project and the model cache, not the client's files.
* Each worker loads the model once, in :class:`EmbedderPlugin` (a Dask worker
  plugin, applied to workers that join later too), from its own offline model
  cache (``HOIDAP_CACHE_DIR`` there, built by ``hoidap model``), with as many
  torch threads as the worker has Dask threads (``dask worker --nthreads``).
* At most a few batches per worker thread are in flight (:data:`BATCHES_PER_THREAD`),
  so the client never holds a whole national corpus in memory.

Imported only by a build with ``settings.cluster`` set: a local build never imports Dask.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

from distributed import Client, WorkerPlugin, as_completed, get_worker
from distributed.client import Future

from indexer.config import Settings
from indexer.errors import HoidapError
from indexer.models.protocols import PassageEncoder
from indexer.prepare import Job, ProgressFn, Unit, encode_units, load_job, read_job, split_unit
from indexer.readers import LoadError, ReadContext

log = logging.getLogger(__name__)

PLUGIN_NAME = "hoidap-embedder"
#: Re-runs of a batch whose task raised (a worker that dies is handled by the scheduler itself:
#: its tasks go to other workers, up to ``distributed.scheduler.allowed-failures`` deaths per task).
RETRIES = 3
#: Batches in flight per worker thread: one running, one queued so a worker never waits for the client.
BATCHES_PER_THREAD = 2
#: A batch stops growing at this many bytes of documents (Dask warns from ~10 MB per task).
BATCH_BYTES = 4 * 1024 * 1024
#: Seconds to reach the scheduler, and to wait for a first worker.
CONNECT_TIMEOUT = 30


class ClusterError(HoidapError):
    """The cluster cannot build: unreachable, no workers, another model, or a batch that kills workers."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message, f"{message_vi} Chỉ mục hiện có vẫn được giữ nguyên.")


_EMBEDDERS: dict[Settings, Any] = {}  # per worker process, by settings: a second build reuses the loaded model
_EMBEDDERS_LOCK = threading.Lock()


def _worker_embedder(settings: Settings) -> Any:
    """This process's Embedder for ``settings``, loaded (torch, model, word segmenter) on first need."""
    from indexer import text as vtext
    from indexer.models.embedder import Embedder

    with _EMBEDDERS_LOCK:
        if settings not in _EMBEDDERS:
            t0 = time.perf_counter()
            embedder = Embedder(settings)
            embedder.encode_passages(["khởi động mô hình"])
            vtext.word_tokens_batch(["khởi động bộ tách từ"])
            log.info("model %s loaded in %.1f s", embedder.model_id, time.perf_counter() - t0)
            _EMBEDDERS[settings] = embedder
        return _EMBEDDERS[settings]


class EmbedderPlugin(WorkerPlugin):
    """Loads the embedding model once per worker process (not per task), with this machine's model cache.

    Registered by every build (same name: it replaces the previous one), but the
    model stays loaded in the process (:func:`_worker_embedder`). It loads in a
    thread so the worker keeps answering the scheduler's heartbeats meanwhile.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.worker_settings: Settings | None = None
        self.embedder: Any = None

    async def setup(self, worker: Any) -> None:
        local = Settings.from_env()  # this machine's HOIDAP_CACHE_DIR (model and OCR caches)
        self.worker_settings = self.settings.with_(
            cache_dir=local.cache_dir, threads=self.settings.threads or worker.state.nthreads, cluster=""
        )
        self.embedder = await asyncio.to_thread(_worker_embedder, self.worker_settings)


def prepare_batch(jobs: list[Job]) -> tuple[str, list[tuple[str, Unit | tuple[str, str, dict]]]]:
    """On a worker: load, split, segment and embed ``jobs``; (model id, [(source, unit or error)]).

    A refused file comes back as ``(reason, detail, params)`` of its
    :class:`LoadError` (which does not pickle), not as a failed task: Dask would retry it.
    """
    plugin: EmbedderPlugin = get_worker().plugins[PLUGIN_NAME]
    settings, embedder = plugin.worker_settings, plugin.embedder
    assert settings is not None and embedder is not None, "EmbedderPlugin.setup has run"
    context = ReadContext(cache_dir=Path(settings.cache_dir))
    out: list[tuple[str, Unit | tuple[str, str, dict]]] = []
    units: list[Unit] = []
    for job in jobs:
        try:
            unit = split_unit(load_job(job, context), settings)
        except LoadError as exc:
            out.append((job.source, (exc.reason, exc.detail, exc.params)))
            continue
        units.append(unit)
        out.append((job.source, unit))
    encode_units(units, embedder, settings)
    return embedder.model_id, out


class DaskPreparer:
    """A :class:`indexer.prepare.Preparer` on the Dask scheduler at ``settings.cluster``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def prepare(self, jobs: Sequence[Job], embedder: PassageEncoder, notify: ProgressFn) -> dict[str, Unit | LoadError]:
        results: dict[str, Unit | LoadError] = {}
        if not jobs:
            return results
        with self._connect() as client:
            client.register_plugin(EmbedderPlugin(self.settings), name=PLUGIN_NAME)
            threads = sum(client.nthreads().values())
            log.info("cluster %s: %d workers, %d threads", self.settings.cluster, len(client.nthreads()), threads)
            batches = _batches(jobs, max(1, self.settings.cluster_batch))
            in_flight = as_completed(loop=client.loop)
            for _ in range(max(2, BATCHES_PER_THREAD * threads)):
                self._submit_next(client, batches, in_flight, results)
            meter = _Meter(notify, len(jobs))
            for future in in_flight:
                model_id, prepared = self._result(future)
                if model_id != embedder.model_id:
                    raise ClusterError(
                        f"worker model {model_id} differs from {embedder.model_id}",
                        f"Máy trong cụm dùng mô hình khác ({model_id}) với máy lập chỉ mục ({embedder.model_id}).",
                    )
                for source, unit in prepared:
                    results[source] = unit if isinstance(unit, Unit) else LoadError(
                        unit[0], unit[1], source=source, **unit[2]
                    )
                    meter.add(len(unit.passages) if isinstance(unit, Unit) else 0)
                self._submit_next(client, batches, in_flight, results)
            meter.add(0, done=len(jobs) - meter.documents)  # files unreadable at send time
        return results

    def _connect(self) -> Client:
        address = self.settings.cluster
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {address}: {exc}",
                f"Không kết nối được với bộ điều phối cụm Dask tại {address} (HOIDAP_CLUSTER, --cluster).",
            ) from exc
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError as exc:
            client.close()
            raise ClusterError(
                f"no Dask worker joined {address}",
                f"Cụm Dask tại {address} chưa có máy xử lý nào (hãy chạy “dask worker {address}”).",
            ) from exc
        return client

    @staticmethod
    def _submit_next(
        client: Client, batches: Iterator[list[Job]], in_flight: as_completed, results: dict[str, Unit | LoadError]
    ) -> None:
        """Read the next batch's files and send them; a file gone since it was hashed is refused here."""
        for batch in batches:
            payload = []
            for job in batch:
                try:
                    payload.append(read_job(job.source, job.path) if job.path is not None else job)
                except OSError as exc:
                    results[job.source] = LoadError("unreadable", str(exc), source=job.source)
            if payload:
                in_flight.add(client.submit(prepare_batch, payload, retries=RETRIES, pure=False))
                return

    @staticmethod
    def _result(future: Future) -> tuple[str, list[tuple[str, Any]]]:
        try:
            return future.result()
        except Exception as exc:  # KilledWorker: the batch took down allowed-failures workers
            raise ClusterError(
                f"a batch failed on the cluster: {exc!r}",
                "Một nhóm tài liệu không xử lý được trên cụm Dask (máy xử lý bị dừng nhiều lần).",
            ) from exc


def _batches(jobs: Sequence[Job], size: int) -> Iterator[list[Job]]:
    """Jobs in name order, ``size`` documents (or :data:`BATCH_BYTES`) per batch."""
    batch: list[Job] = []
    weight = 0
    for job in jobs:
        if batch and (len(batch) >= size or weight >= BATCH_BYTES):
            yield batch
            batch, weight = [], 0
        batch.append(job)
        weight += _size(job)
    if batch:
        yield batch


def _size(job: Job) -> int:
    if job.path is not None:
        try:
            return job.path.stat().st_size
        except OSError:
            return 0
    return len(job.data or b"") + (len(job.document.text.encode("utf-8")) if job.document is not None else 0)


class _Meter:
    """Progress of a cluster build: documents as the bar (rate, time left), passages as its detail."""

    def __init__(self, notify: ProgressFn, total: int) -> None:
        self.notify, self.total = notify, total
        self.documents = self.passages = 0
        self.t0 = time.perf_counter()
        self.detail = getattr(notify, "detail", None)
        notify("cluster", 0, total)

    def add(self, passages: int, done: int = 1) -> None:
        self.documents += done
        self.passages += passages
        if self.detail is not None:
            rate = self.passages / max(time.perf_counter() - self.t0, 1e-9)
            self.detail(f"{self.passages} đoạn, {rate:.1f} đoạn/giây")
        self.notify("cluster", self.documents, self.total)
