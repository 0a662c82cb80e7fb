"""Incremental re-index: apply one changed document to a 10k-passage index.

    .venv/bin/python benchmarks/bench_reindex.py --beir /work/shared/eval/alqac22 [--index DIR] [--runs 3]

The index (a synthetic 10k-passage one unless ``--index``, which is copied, never
modified) is re-indexed with ``indexer.build.index_documents`` after one
document gained a sentence: only that document is split, segmented and embedded;
the other documents' passages, tokens and vectors are reused, and FAISS, BM25 and
the version files are rebuilt. Wall time and stage breakdown (median of runs;
each run changes a different document). The model is loaded beforehand.
"""
from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import median, settings_for, table, write_result  # noqa: E402
from bench_query import add_index_options, sentence_pool, synthesise  # noqa: E402

STAGES = ("load", "structure", "segment", "embed", "faiss", "bm25", "write")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_options(ap, index_help="an existing index directory (copied)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="bench_reindex")
    args = ap.parse_args(argv)

    from indexer.build import index_documents
    from indexer.models.embedder import Embedder
    from indexer.store import load_version

    with tempfile.TemporaryDirectory(prefix="hoidap-bench-reindex-") as tmp:
        index_dir = Path(tmp) / "index"
        settings = settings_for(index_dir)
        embedder = Embedder(settings)
        if args.index:
            shutil.copytree(args.index, index_dir, ignore=shutil.ignore_patterns(".lock"))
        else:
            if not args.beir:
                ap.error("give --index or --beir")
            synthesise(args.size, sentence_pool(args.beir), index_dir, embedder.model_id, embedder.dim, seed=3, real=None)
        embedder.encode_passages(["khởi động"])  # model load outside the timing
        contents = load_version(index_dir)
        n = len(contents.passages)
        docs = list(contents.documents.values())
        runs = []
        for r in range(args.runs):
            target = docs[(r * 37) % len(docs)]
            changed = dataclasses.replace(
                target, text=target.text + "\n\nĐiều bổ sung. Văn bản này được sửa đổi để đo thời gian lập chỉ mục lại.",
                content_hash="",
            )
            batch = [changed if d.doc_id == target.doc_id else d for d in docs]
            t0 = time.perf_counter()
            report = index_documents(batch, settings, embedder=embedder)
            wall = time.perf_counter() - t0
            assert report.changed == [target.source] or report.changed == [target.source or target.doc_id], report.changed
            runs.append({"wall_s": round(wall, 3), "embedded": report.embedded_passages,
                         **{f"{s}_s": round(report.stage_seconds.get(s, 0.0), 3) for s in STAGES}})
            docs = list(load_version(index_dir).documents.values())
    rows = [{"run": i + 1, **r} for i, r in enumerate(runs)]
    med = {"run": "median", **{k: round(median([r[k] for r in runs]), 3) for k in runs[0]}}
    rows.append(med)
    print(f"index: {n} passages; one document changed per run")
    print(table(rows, ["run", "wall_s", "embedded"] + [f"{s}_s" for s in STAGES]))
    staged = sum(med[f"{s}_s"] for s in STAGES)
    print(f"unaccounted (loading the previous version, reuse bookkeeping): {med['wall_s'] - staged:.2f} s")
    path = write_result(args.out, {"passages": n, "runs": runs, "median": med})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
