"""N simultaneous clients against the running web app's /search and /ask API on loopback.

    .venv/bin/python benchmarks/bench_concurrency.py --beir /work/shared/eval/alqac22 [--index DIR] [--levels 1,8,32]

Starts ``python app.py --host 127.0.0.1 --port <free port>`` over an index (a
synthetic 10k-passage one unless ``--index``; the per-IP rate limit is switched
off with HOIDAP_RATE_LIMIT=0 because every client here is 127.0.0.1), then for
each level N runs N client threads that send requests back to back through
Gradio's HTTP API (POST /gradio_api/call/<name>, then read the event stream) for
``--seconds`` (new requests stop then; requests still unanswered 60 s after the
level began count as errors). Reports throughput, p50/p95 latency and errors per
level and endpoint; the server is stopped at the end (floor: zero errors).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, table, write_result  # noqa: E402
from bench_query import add_index_options, index_or_synthetic  # noqa: E402

#: Requests are sent for ``--seconds`` (at most 60); one still running then may finish
#: within this grace; anything later counts as an error, and no level runs longer.
GRACE_S = 30.0
FALLBACK_QUERIES = [
    "Người lao động được nghỉ phép năm bao nhiêu ngày?",
    "Thời hiệu khởi kiện vụ án dân sự là bao lâu?",
    "Hợp đồng lao động phải có những nội dung gì?",
    "Ai có quyền kết hôn theo pháp luật?",
    "Mức phạt đối với hành vi trốn thuế",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, name: str, query: str, timeout: float) -> tuple[bool, str]:
    """One API call; (ok, error text)."""
    from tests.support.api_client import call_endpoint

    status, error = call_endpoint(base, name, [query, 5, "hybrid"], timeout=timeout)
    return status < 400 and not error, error


def run_level(base: str, name: str, n: int, seconds: float, queries: list[str]) -> dict:
    start = time.perf_counter()
    stop_at = start + seconds
    cap_at = stop_at + GRACE_S
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        while time.perf_counter() < stop_at:
            q = rng.choice(queries)
            t0 = time.perf_counter()
            remaining = cap_at - t0
            try:
                ok, err = call(base, name, q, timeout=max(1.0, remaining))
            except Exception as exc:  # noqa: BLE001 - every failure is a data point
                ok, err = False, f"{type(exc).__name__}: {exc}"[:200]
            dt = time.perf_counter() - t0
            with lock:
                if ok and time.perf_counter() <= cap_at:
                    lat.append(dt * 1000)
                else:
                    errors.append(err or f"not done {GRACE_S:.0f} s after the last send")

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, cap_at - time.perf_counter()) + 1)
    hung = sum(t.is_alive() for t in threads)
    elapsed = time.perf_counter() - start
    return {
        "endpoint": f"/{name}", "clients": n, "ok": len(lat), "errors": len(errors) + hung,
        "req/s": round(len(lat) / elapsed, 2), "p50 ms": round(percentile(lat, 50), 1) if lat else float("nan"),
        "p95 ms": round(percentile(lat, 95), 1) if lat else float("nan"), "max ms": round(max(lat), 1) if lat else float("nan"),
        "elapsed s": round(elapsed, 1), "error_samples": sorted(set(errors))[:3],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_options(ap)  # --beir also gives the questions
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--endpoints", default="search,ask")
    ap.add_argument("--seconds", type=float, default=20.0, help="how long each level sends new requests (<= 60)")
    ap.add_argument("--out", default="bench_concurrency")
    args = ap.parse_args(argv)
    seconds = min(args.seconds, 60.0)

    queries = FALLBACK_QUERIES
    if args.beir:
        with open(args.beir / "queries.jsonl", encoding="utf-8") as fh:
            queries = [json.loads(line)["text"] for line in fh if line.strip()][:200]
    rows = []
    with tempfile.TemporaryDirectory(prefix="hoidap-bench-conc-") as tmp:
        index_dir = index_or_synthetic(args, ap, Path(tmp), seed=2)
        port = free_port()
        env = dict(os.environ, HOIDAP_INDEX=str(index_dir), HOIDAP_RATE_LIMIT="0", GRADIO_ANALYTICS_ENABLED="False",
                   HOIDAP_FEEDBACK=str(Path(tmp) / "feedback.jsonl"), NO_PROXY="127.0.0.1,localhost")
        log_path = Path(tmp) / "server.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
                                      cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            t0 = time.perf_counter()
            while True:
                if server.poll() is not None:
                    raise SystemExit("server exited:\n" + log_path.read_text()[-3000:])
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except Exception:  # noqa: BLE001
                    if time.perf_counter() - t0 > 240:
                        raise SystemExit("server not ready after 240 s:\n" + log_path.read_text()[-3000:])
                    time.sleep(0.5)
            ready_s = time.perf_counter() - t0
            print(f"server ready on {base} after {ready_s:.1f} s", flush=True)
            for name in args.endpoints.split(","):
                call(base, name, queries[0], timeout=120)  # model + index load, warm-up
                for n in [int(x) for x in args.levels.split(",")]:
                    row = run_level(base, name, n, seconds, queries)
                    rows.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    cols = ["endpoint", "clients", "ok", "errors", "req/s", "p50 ms", "p95 ms", "max ms"]
    print(table(rows, cols))
    met = all(r["errors"] == 0 for r in rows)
    print("floor (zero errors):", "met" if met else "MISSED")
    path = write_result(args.out, {"rows": rows, "seconds_per_level": seconds, "server_ready_s": round(ready_s, 1), "floor_met": met})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
