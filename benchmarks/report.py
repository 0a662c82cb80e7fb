"""Print the Markdown tables of docs/performance.md from benchmarks/results/*.json.

    .venv/bin/python benchmarks/report.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import RESULTS, table  # noqa: E402


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main() -> int:
    r = load("bench_index")
    if r:
        print(f"### Index build (load avg {r['environment']['load_avg_1m']})\n")
        print(table(r["rows"], ["corpus", "documents", "passages", "build_s", "build_p/s", "raw_encode_p/s", "ratio", "peak_rss_mb"]))
        print()
        print(table(r["rows"], ["corpus", "load_s", "structure_s", "segment_s", "embed_s", "faiss_s", "bm25_s", "write_s"]))
        print()
    r = load("bench_query")
    if r:
        print(f"### Query latency, ms (load avg {r['environment']['load_avg_1m']}; vectors: {r['vectors']})\n")
        rows = []
        for x in r["rows"]:
            rows.append({
                "passages": x["size"], "dense": x["dense_kind"],
                "search p50": x["search_ms"]["p50"], "search p95": x["search_ms"]["p95"], "search p99": x["search_ms"]["p99"],
                "search w/o embed p95": x["search_noembed_ms"]["p95"],
                "embed p50": x["embed_ms"]["p50"], "embed p95": x["embed_ms"]["p95"],
                "ask p50": x["ask_ms"]["p50"], "ask p95": x["ask_ms"]["p95"], "ask p99": x["ask_ms"]["p99"],
                "ask w/o embed p95": x["ask_noembed_ms"]["p95"],
                "RSS MiB": x["rss_after_mb"], "index load s": x["index_load_s"], "index MiB": x["index_mb"],
            })
        print(table(rows))
        print()
    r = load("bench_coldstart")
    if r:
        print(f"### Cold start, {r['passages']} passages, s (load avg {r['environment']['load_avg_1m']})\n")
        rows = [{"run": i + 1, **x} for i, x in enumerate(r["runs"])] + [r["median"]]
        print(table(rows, ["run", "interpreter_s", "imports_s", "model_load_s", "index_load_s", "first_ask_s", "to_first_answer_s"]))
        print()
    r = load("bench_reindex")
    if r:
        print(f"### One changed document, {r['passages']}-passage index, s (load avg {r['environment']['load_avg_1m']})\n")
        rows = [{"run": i + 1, **x} for i, x in enumerate(r["runs"])] + [r["median"]]
        print(table(rows, ["run", "wall_s", "embedded", "load_s", "segment_s", "embed_s", "faiss_s", "bm25_s", "write_s"]))
        print()
    r = load("bench_concurrency")
    if r:
        print(f"### Concurrent API clients, {r['seconds_per_level']} s per level (load avg {r['environment']['load_avg_1m']})\n")
        print(table(r["rows"], ["endpoint", "clients", "ok", "errors", "req/s", "p50 ms", "p95 ms", "max ms"]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
