"""Index build throughput and memory, by stage, against raw ``model.encode``.

    .venv/bin/python benchmarks/bench_index.py --corpus corpus/ --beir /work/shared/eval/alqac22

For each corpus a fresh index is built in a temporary directory (the embedding
model and the word segmenter are loaded and warmed up first, so model loads are
not part of the build time). Then the
same passage texts the build embedded (``indexer.build.embedding_text``) are
encoded with the bare SentenceTransformer ``model.encode`` of the same model, and
the ratio build/raw passages per second is reported (floor: >= 0.85).
Peak RSS is the process high-water mark during the build (reset before each).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
if TYPE_CHECKING:  # for annotations only: the functions import it when they run
    from indexer.models.embedder import Embedder

from _common import (  # noqa: E402
    median,
    peak_rss_since_reset_mb,
    reset_peak_rss,
    rss_mb,
    settings_for,
    table,
    write_result,
)

STAGES = ("load", "structure", "segment", "embed", "faiss", "bm25", "write")
FLOOR = 0.85
PAIRED = [0]


def build_once(kind: str, source: object, embedder: Embedder, tmp: Path, batch_size: int | None) -> dict:
    from indexer.build import index_documents, index_paths

    settings = settings_for(tmp / f"index-{kind}-{time.time_ns()}", batch_size=batch_size)
    reset_peak_rss()
    t0 = time.perf_counter()
    if kind == "files":
        report = index_paths([Path(source)], settings, embedder=embedder, rebuild=True)
    else:
        report = index_documents(source, settings, embedder=embedder, rebuild=True)
    wall = time.perf_counter() - t0
    return {
        "report": report,
        "settings": settings,
        "wall": wall,
        "peak_rss_mb": peak_rss_since_reset_mb(),
    }


def raw_encode(embedder: Embedder, texts: list[str], batch_size: int) -> float:
    """Seconds for bare ``SentenceTransformer.encode`` over ``texts`` (its own length sorting)."""
    model = embedder.model
    t0 = time.perf_counter()
    model.encode(
        texts,
        prompt=embedder.passage_prompt,
        batch_size=batch_size,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    return time.perf_counter() - t0


def bench(name: str, kind: str, source: object, embedder: Embedder, tmp: Path, repeats: int, batch_size: int) -> dict:
    from indexer.build import embedding_text
    from indexer.store import load_version

    builds = [build_once(kind, source, embedder, tmp, batch_size) for _ in range(repeats)]
    contents = load_version(Path(builds[0]["settings"].index_dir))
    texts = [embedding_text(contents.documents[p.doc_id], p) for p in contents.passages]
    raws = [raw_encode(embedder, texts, batch_size) for _ in range(repeats)]
    n = builds[0]["report"].embedded_passages
    wall = median([b["wall"] for b in builds])
    raw = median(raws)
    stages = {s: round(median([b["report"].stage_seconds.get(s, 0.0) for b in builds]), 3) for s in STAGES}
    embed_s = stages["embed"]
    paired = {}
    if PAIRED[0] and texts:
        from indexer.prepare import embed_passages as _embed

        pairs = [(contents.documents[p.doc_id], p) for p in contents.passages[: PAIRED[0]]]
        sample = texts[: PAIRED[0]]
        a_s, b_s = [], []
        for _ in range(2):  # the build's embed stage (passage + sentence vectors) vs bare encode, ABAB
            t0 = time.perf_counter()
            _embed(embedder, pairs, builds[0]["settings"], lambda *_: None)
            a_s.append(time.perf_counter() - t0)
            b_s.append(raw_encode(embedder, sample, batch_size))
        paired = {"paired_n": len(sample), "paired_embedder_s": [round(x, 2) for x in a_s],
                  "paired_raw_s": [round(x, 2) for x in b_s], "paired_ratio": round(sum(b_s) / sum(a_s), 3)}
    row = {
        "corpus": name,
        "documents": builds[0]["report"].documents,
        "passages": n,
        "build_s": round(wall, 2),
        "build_p/s": round(n / wall, 2),
        "raw_encode_p/s": round(n / raw, 2),
        "ratio": round((n / wall) / (n / raw), 3),
        "embed_stage_ratio": round(raw / embed_s, 3) if embed_s else float("nan"),
        "peak_rss_mb": round(max(b["peak_rss_mb"] for b in builds)),
        **{f"{s}_s": v for s, v in stages.items()},
        **paired,
        "repeats": repeats,
        "all_build_s": [round(b["wall"], 2) for b in builds],
        "all_raw_s": [round(r, 2) for r in raws],
    }
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="folder of source files (e.g. corpus/)")
    ap.add_argument("--beir", type=Path, help="BEIR folder; its corpus.jsonl records are indexed")
    ap.add_argument("--limit", type=int, help="only the first N BEIR records (a loaded 2-core machine needs hours for all)")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=None, help="default: settings.batch_size")
    ap.add_argument("--paired", type=int, default=0,
                    help="also time the build's embed path vs raw encode on N of the texts, interleaved ABAB "
                         "(cancels load drift on a shared machine)")
    ap.add_argument("--out", default="bench_index")
    args = ap.parse_args(argv)
    if not args.corpus and not args.beir:
        ap.error("give --corpus and/or --beir")

    from indexer.models.embedder import Embedder

    PAIRED[0] = args.paired
    with tempfile.TemporaryDirectory(prefix="hoidap-bench-index-") as tmpname:
        tmp = Path(tmpname)
        settings = settings_for(tmp / "unused", batch_size=args.batch_size)
        embedder = Embedder(settings)
        t0 = time.perf_counter()
        embedder.encode_passages(["khởi động mô hình"])  # load + warm up outside the timings
        from indexer import text as vtext

        vtext.word_tokens_batch(["khởi động mô hình"])  # the word segmenter's CRF model too
        model_load = time.perf_counter() - t0
        batch_size = settings.batch_size
        rows = []
        if args.corpus:
            rows.append(bench(str(args.corpus), "files", args.corpus, embedder, tmp, args.repeats, batch_size))
        if args.beir:
            from hoidap.evaluate import load_beir

            docs = load_beir(args.beir).documents[: args.limit]
            rows.append(bench(f"{args.beir.name} ({len(docs)} records)", "docs", docs, embedder, tmp, args.repeats, batch_size))
    cols = ["corpus", "documents", "passages", "build_s", "build_p/s", "raw_encode_p/s", "ratio", "peak_rss_mb"]
    print(table(rows, cols))
    print()
    print(table(rows, ["corpus"] + [f"{s}_s" for s in STAGES] + ["embed_stage_ratio"]))
    if args.paired:
        print()
        print(table(rows, ["corpus", "paired_n", "paired_embedder_s", "paired_raw_s", "paired_ratio"]))
    print(f"\nmodel load + warm-up {model_load:.1f} s (not in build times); batch size {batch_size}; "
          f"process RSS now {rss_mb():.0f} MiB; floor build/raw >= {FLOOR}")
    met = all(r["ratio"] >= FLOOR for r in rows)
    print("floor met" if met else "FLOOR MISSED")
    path = write_result(args.out, {"rows": rows, "model_load_s": round(model_load, 2), "batch_size": batch_size, "floor": FLOOR, "floor_met": met})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
