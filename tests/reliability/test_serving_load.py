"""Bounded load test against the real app (``python app.py`` on loopback).

32 clients for 60 s mix /ask and /search through Gradio's HTTP API while one
re-index (``hoidap index`` with one more document) swaps the index under the
server. Pass: zero HTTP 5xx, zero failed calls, no document lost (all old
documents + the new one are live and answerable), and the server's RSS at the
end within 10% of its RSS after a 20 s warm-up at the same concurrency (with
Gradio's per-session store bounded small enough to be full by then). Stops by itself; loopback only.
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.api_client import call_endpoint
from tests.support.servers import free_port, stop
from reliability_support import LOAD_QUERIES as QUERIES, REPO, cli_env, make_corpus, run_cli

CLIENTS = 32
SECONDS = 60
WARMUP_SECONDS = 20


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _call(base: str, name: str, query: str, timeout: float = 120) -> tuple[int, str]:
    """(worst HTTP status seen, "" or error) for one question."""
    return call_endpoint(base, name, [query, 5, "hybrid"], timeout=timeout)


@pytest.mark.slow
def test_32_clients_for_60_seconds_with_a_reindex(tmp_path):
    corpus = make_corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    assert run_cli("index", corpus, "--index", index, timeout=900).returncode == 0
    port = free_port()
    env = cli_env(
        HOIDAP_HOST="127.0.0.1", HOIDAP_PORT=str(port), HOIDAP_CORPUS=str(corpus), HOIDAP_INDEX=str(index),
        HOIDAP_RATE_LIMIT="0", HOIDAP_FEEDBACK=str(tmp_path / "fb.jsonl"), PYTHONUNBUFFERED="1",
    )
    env.pop("HOIDAP_THREADS")
    # Gradio keeps a session (~0.16 MB) per API call up to HOIDAP_MAX_SESSIONS; a small bound
    # fills during the warm-up, so growth after it is a leak, not the session store filling up.
    env["HOIDAP_MAX_SESSIONS"] = "200"
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-3000:]
            status, err = _call(base, "search", "hạ tầng số", timeout=30)
            if status == 200 and not err:
                break
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(1)
        results: list[tuple[str, int, str, float]] = []
        lock = threading.Lock()
        rss_samples: list[int] = []

        def client(i: int, stop_at: float) -> None:
            rng = random.Random(i)
            while time.monotonic() < stop_at:
                name = "ask" if rng.random() < 0.5 else "search"
                t = time.monotonic()
                status, err = _call(base, name, rng.choice(QUERIES))
                with lock:
                    results.append((name, status, err, time.monotonic() - t))

        def reindex() -> None:
            time.sleep(SECONDS / 3)
            (corpus / "bo-sung.txt").write_text(
                "KẾ HOẠCH\nBổ sung về đèn chiếu sáng công cộng\n\nI. MỤC TIÊU\n"
                "Lắp đặt đèn chiếu sáng năng lượng mặt trời cho toàn bộ đường liên thôn trước năm 2026.\n",
                encoding="utf-8",
            )
            proc = run_cli("index", corpus, "--json", "--index", index, timeout=600)
            with lock:
                results.append(("reindex", 200 if proc.returncode == 0 else 500, proc.stderr[-300:] if proc.returncode else "", 0))

        # warm-up under the same concurrency, so the baseline includes the worker threads'
        # buffers and allocator arenas (a leak grows after this; a first burst does not count)
        warm_until = time.monotonic() + WARMUP_SECONDS
        warm = [threading.Thread(target=client, args=(100 + i, warm_until)) for i in range(CLIENTS)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        rss_start = _rss_kib(server.pid)
        results.clear()
        stop_at = time.monotonic() + SECONDS
        threads = [threading.Thread(target=client, args=(i, stop_at)) for i in range(CLIENTS)]
        threads.append(threading.Thread(target=reindex))
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            rss_samples.append(_rss_kib(server.pid))
            time.sleep(2)
        for t in threads:
            t.join()
        # settle: let the old version be collected, then sample again
        for q in QUERIES:
            _call(base, "search", q)
        rss_end = _rss_kib(server.pid)

        calls = [r for r in results if r[0] != "reindex"]
        fivexx = [r for r in results if r[1] >= 500]
        failed = [r for r in results if r[2]]
        lat = sorted(r[3] for r in calls)
        print(
            f"\n{len(calls)} calls in {SECONDS}s by {CLIENTS} clients; p50 {lat[len(lat) // 2]:.2f}s "
            f"p95 {lat[int(len(lat) * 0.95)]:.2f}s; RSS {rss_start // 1024} -> max {max(rss_samples) // 1024} "
            f"-> end {rss_end // 1024} MiB"
        )
        assert not fivexx, fivexx[:5]
        assert not failed, failed[:5]
        assert len(calls) >= CLIENTS
        assert any(r[0] == "reindex" for r in results), "the re-index ran"
        status, err = _call(base, "search", "đèn chiếu sáng năng lượng mặt trời")
        assert status == 200 and not err
        out = run_cli("search", "đèn chiếu sáng năng lượng mặt trời", "--json", "--k", "1", "--index", index, timeout=300)
        assert json.loads(out.stdout)["hits"][0]["source"] == "bo-sung.txt"
        from indexer.store import load_version

        assert load_version(index).manifest.n_documents == 4, "no document lost"
        assert abs(rss_end - rss_start) <= 0.10 * rss_start, (rss_start, rss_end)
    finally:
        stop(server)
        log.close()
        shutil.copy(tmp_path / "server.log", tmp_path / "server-copy.log")
