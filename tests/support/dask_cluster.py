"""A Dask cluster of real processes on loopback, started with the ``dask`` CLI (the tests and bench_cluster).

Not ``LocalCluster``: the scheduler and each worker are separate processes, as
on separate machines, so a worker can be killed like a machine that fails.
Every process imports the project from this tree and uses the given model cache.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 180


def dask_cli() -> str:
    beside = Path(sys.executable).parent / "dask"
    return str(beside) if beside.exists() else (shutil.which("dask") or "dask")


class LoopbackCluster:
    """``with LoopbackCluster(logs, cache_dir, workers=2) as c:`` c.address, c.client, c.pids (worker -> pid)."""

    def __init__(self, logs: Path, cache_dir: Path, workers: int = 2, nthreads: int = 1) -> None:
        self.logs, self.workers, self.nthreads = Path(logs), workers, nthreads
        self.env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HOIDAP_CACHE_DIR": str(cache_dir)}
        self.procs: list[subprocess.Popen] = []
        self.address = ""
        self.client: Any = None
        self.pids: dict[str, int] = {}

    def __enter__(self) -> "LoopbackCluster":
        from distributed import Client

        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            scheduler = self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", ":0"],
                                    "scheduler")
            self.address = self._wait_for_line("scheduler", "Scheduler at:", scheduler).split()[-1]
            for i in range(self.workers):  # --no-nanny: one process per worker, so killing it kills the worker
                self._start(["worker", self.address, "--nworkers", "1", "--nthreads", str(self.nthreads),
                             "--no-nanny", "--no-dashboard"], f"worker{i}")
            self.client = Client(self.address, timeout=STARTUP_SECONDS, set_as_default=False)
            self.client.wait_for_workers(self.workers, timeout=STARTUP_SECONDS)
            self.pids = self.client.run(os.getpid)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.client is not None:
            self.client.close()
        for proc in self.procs:  # a graceful close takes ~20 s per worker; these hold nothing worth keeping
            proc.kill()
            proc.wait()

    def _start(self, args: list[str], name: str) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "w") as fh:
            proc = subprocess.Popen([dask_cli(), *args], stdout=fh, stderr=subprocess.STDOUT, env=self.env,
                                    cwd=self.logs)
        self.procs.append(proc)
        return proc

    def _wait_for_line(self, name: str, marker: str, proc: subprocess.Popen) -> str:
        log = self.logs / f"{name}.log"
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            for line in log.read_text(errors="replace").splitlines():
                if marker in line:
                    return line
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args} exited: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"no {marker!r} in {log}")
