"""Index build throughput on a Dask cluster (1 and 2 one-thread workers) against the single-process build.

    .venv/bin/python benchmarks/bench_cluster.py --beir /work/shared/eval/alqac22 [--limit 600]

Documents are the BEIR set's corpus records (its corpus.jsonl only: no
question is read). The single-process build uses all cores (as ``hoidap
index``); each cluster is a scheduler plus N workers started with the ``dask``
CLI on this machine (``--nthreads 1``), warmed up by a build of a few documents
(each worker loads the model once) before the timed build. Passages per second
count the whole build as the client sees it: hashing, sending, the workers'
load/split/segment/embed, and the merge (settling the results, FAISS, BM25,
writing the version).

Floors: 2 workers >= 1.7x one worker; the merge (client work after the last
batch: ``merge`` + ``faiss`` + ``bm25`` + ``write`` stages) <= 5% of the build.
Two workers on a 2-core machine only scale when nothing else runs: the load
average is printed with the result.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_average, settings_for, table, write_result  # noqa: E402

MERGE_STAGES = ("merge", "faiss", "bm25", "write")
SPEEDUP_FLOOR = 1.7
MERGE_CEILING = 0.05
WARMUP_DOCUMENTS = 4


def read_documents(beir: Path, limit: int | None) -> list:
    from hoidap.evaluate import beir_document

    with open(beir / "corpus.jsonl", encoding="utf-8") as fh:
        docs = [beir_document(json.loads(line)) for line in fh if line.strip()]
    return docs[:limit] if limit else docs


def timed_build(name: str, docs: list, settings, embedder) -> dict:
    from indexer.build import index_documents

    load = load_average()
    t0 = time.perf_counter()
    report = index_documents(docs, settings, embedder=embedder, rebuild=True)
    wall = time.perf_counter() - t0
    merge = sum(report.stage_seconds.get(s, 0.0) for s in MERGE_STAGES)
    return {
        "build": name,
        "documents": report.documents,
        "passages": report.embedded_passages,
        "build_s": round(wall, 2),
        "passages/s": round(report.embedded_passages / wall, 2),
        "merge_s": round(merge, 3),
        "merge_share": round(merge / wall, 4),
        "load_avg": round(load, 2),
        "stages": {k: round(v, 3) for k, v in report.stage_seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beir", type=Path, required=True, help="BEIR folder; only its corpus.jsonl is read")
    ap.add_argument("--limit", type=int, help="only the first N records")
    ap.add_argument("--batch", type=int, default=None, help="documents per cluster task (HOIDAP_CLUSTER_BATCH)")
    ap.add_argument("--out", default="bench_cluster")
    args = ap.parse_args(argv)

    from indexer import text as vtext
    from indexer.models.embedder import Embedder
    from tests.support.dask_cluster import LoopbackCluster

    docs = read_documents(args.beir, args.limit)
    rows = []
    with tempfile.TemporaryDirectory(prefix="hoidap-bench-cluster-") as tmpname:
        tmp = Path(tmpname)
        settings = settings_for(tmp / "index", cluster_batch=args.batch)
        embedder = Embedder(settings)
        embedder.encode_passages(["khởi động mô hình"])  # load + warm up outside the timings
        vtext.word_tokens_batch(["khởi động mô hình"])
        rows.append(timed_build("single process", docs, settings, embedder))
        for workers in (1, 2):
            with LoopbackCluster(tmp / f"dask-{workers}", Path(settings.cache_dir), workers=workers) as cluster:
                on_cluster = settings.with_(cluster=cluster.address, index_dir=tmp / f"index-{workers}")
                timed_build("warm-up", docs[:WARMUP_DOCUMENTS * workers], on_cluster, embedder)
                rows.append(timed_build(f"{workers} worker{'s' * (workers > 1)} x 1 thread", docs, on_cluster, embedder))
    for row in rows:
        row["vs_single"] = round(row["passages/s"] / rows[0]["passages/s"], 3)
    speedup = rows[2]["passages/s"] / rows[1]["passages/s"]
    merge_share = max(r["merge_share"] for r in rows[1:])
    print(table(rows, ["build", "documents", "passages", "build_s", "passages/s", "vs_single", "merge_s",
                       "merge_share", "load_avg"]))
    print(f"\n2 workers / 1 worker: {speedup:.2f}x (floor {SPEEDUP_FLOOR}x); merge at most "
          f"{100 * merge_share:.1f}% of a cluster build (ceiling {100 * MERGE_CEILING:.0f}%)")
    met = speedup >= SPEEDUP_FLOOR and merge_share <= MERGE_CEILING
    print("floors met" if met else "FLOOR MISSED (a shared machine: check load_avg, re-run on a quiet one)")
    path = write_result(args.out, {"rows": rows, "speedup_2_over_1": round(speedup, 3), "merge_share": merge_share,
                                   "floors": {"speedup": SPEEDUP_FLOOR, "merge_share": MERGE_CEILING}, "floors_met": met})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
