"""Memory per passage of each part of an index version, on disk and in a serving process.

    .venv/bin/python benchmarks/bench_memory.py INDEX_DIR [--extrapolate 10000000 50000000]

Reads the live version of INDEX_DIR (never writes there) and loads its parts one
after the other the way :func:`indexer.store.load_version` does, measuring after
each: the Python heap it added (``tracemalloc``, what the process itself holds)
and the file pages it maps once every page is touched (``RssFile``: page cache the
kernel may drop, shared by processes on one machine). Also measures what the
compressions docs/scale.md proposes would keep: int8 sentence vectors (cosine to
the stored float16 ones) and product-quantised passage vectors (recall@10 of exact
search after re-ranking 100 PQ candidates with the exact vectors; 500 passages used
as queries, each excluding itself). Writes benchmarks/results/memory.json.
"""
from __future__ import annotations

import argparse
import gc
import json
import tracemalloc
from pathlib import Path

import numpy as np

from _common import rss_mb, write_result  # (also puts the repository on sys.path)
from indexer.dense import DenseIndex
from indexer.lexical import LexicalIndex
from indexer.sentences import OFFSETS_FILE, SentenceIndex
from indexer.store import _doc_from_dict, live_version
from indexer.types import Passage

MIB = 1 << 20


def _touch(array: np.ndarray) -> None:
    """Read every page of a memory-mapped array (as a warm serving process has)."""
    flat = np.asarray(array).reshape(-1).view(np.uint8) if array.size else None
    if flat is not None:
        int(flat[:: 4096].sum())


def _disk(version: Path) -> dict[str, int]:
    parts = {
        "embeddings.npy": ["embeddings.npy"],
        "dense.faiss": ["dense.faiss"],
        "sentence vectors + spans": ["sentence_vectors.npy", "sentence_spans.npy", "sentence_offsets.npy"],
        "bm25_words": ["bm25_words"],
        "bm25_folded": ["bm25_folded"],
        "passages.jsonl": ["passages.jsonl"],
        "documents.jsonl": ["documents.jsonl"],
        "manifest.json": ["manifest.json"],
    }
    out = {}
    for part, names in parts.items():
        total = 0
        for name in names:
            p = version / name
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.is_dir() else p.stat().st_size
        out[part] = total
    return out


def _step(label: str, fn, steps: dict, keep: list):
    """Python heap (tracemalloc), native heap (RssAnon: FAISS's C++ arrays) and mapped pages added by ``fn``."""
    gc.collect()
    heap0, anon0, file0 = tracemalloc.get_traced_memory()[0], rss_mb("RssAnon"), rss_mb("RssFile")
    value = fn()
    keep.append(value)
    gc.collect()
    steps[label] = {
        "heap_bytes": tracemalloc.get_traced_memory()[0] - heap0,
        "anon_bytes": int((rss_mb("RssAnon") - anon0) * MIB),
        "mapped_bytes": int((rss_mb("RssFile") - file0) * MIB),
    }
    return value


def measure(index_dir: Path) -> dict:
    version = live_version(index_dir)
    assert version is not None, f"no index in {index_dir}"
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    n = manifest["n_passages"]
    steps: dict[str, dict] = {}
    keep: list = []
    import faiss  # noqa: F401  - imported first: their code and libraries are not the index
    import scipy.sparse  # noqa: F401
    from indexer.lexical import _bm25s

    _bm25s()
    tracemalloc.start()

    def documents():
        with open(version / "documents.jsonl", encoding="utf-8") as fh:
            return [_doc_from_dict(json.loads(line)) for line in fh]

    def passages():
        out, words, vocabulary = [], [], {}
        with open(version / "passages.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                words.append([vocabulary.setdefault(w, w) for w in row.pop("words")])
                out.append(Passage.from_dict(row))
        return out, words

    def embeddings():
        e = np.load(version / "embeddings.npy", mmap_mode="r")
        _touch(e)
        return e

    _step("documents (metadata + full text)", documents, steps, keep)
    _, words = _step("passages + word tokens", passages, steps, keep)
    emb = _step("embeddings.npy (mapped)", embeddings, steps, keep)
    _step("dense.faiss", lambda: DenseIndex.load(version / "dense.faiss", vectors=emb), steps, keep)

    def lexical():
        lex = LexicalIndex.load(version)
        for field in (lex.words, lex.folded):
            if field.n_docs:
                for key in ("data", "indices", "indptr"):
                    _touch(np.asarray(field.retriever.scores[key]))
        return lex

    lex = _step("BM25 words + folded", lexical, steps, keep)
    sentences = None
    if (version / OFFSETS_FILE).exists():
        def load_sentences():
            s = SentenceIndex.load(version)
            _touch(s.vectors)
            _touch(s.spans)
            return s

        sentences = _step("sentence vectors + spans", load_sentences, steps, keep)
    tracemalloc.stop()
    postings = {
        name: int(np.asarray(field.retriever.scores["indptr"])[-1]) if field.n_docs else 0
        for name, field in (("words", lex.words), ("folded", lex.folded))
    }
    shape = {
        "passages": n,
        "documents": manifest["n_documents"],
        "dim": manifest["dim"],
        "dense_kind": manifest.get("dense_kind", ""),
        "word_tokens_per_passage": sum(map(len, words)) / max(1, n),
        "postings_per_passage": {k: v / max(1, n) for k, v in postings.items()},
        "sentences_per_passage": (int(sentences.offsets[-1]) / max(1, n)) if sentences is not None else None,
    }
    result = {"version": version.name, "shape": shape, "disk_bytes": _disk(version), "load": steps}
    result["compression"] = compression(np.asarray(emb, dtype=np.float32), sentences)
    return result


def compression(vectors: np.ndarray, sentences: SentenceIndex | None, queries: int = 500, k: int = 10) -> dict:
    """What int8 sentence vectors and product-quantised passage vectors would keep."""
    import faiss

    out: dict[str, object] = {}
    if sentences is not None and len(sentences.vectors):
        s16 = np.asarray(sentences.vectors, dtype=np.float32)
        scale = np.abs(s16).max(axis=1, keepdims=True) / 127.0  # per-vector scale: 384 + 4 bytes
        s8 = np.round(s16 / np.maximum(scale, 1e-12)).astype(np.int8).astype(np.float32) * scale
        cos = (s16 * s8).sum(1) / (np.linalg.norm(s16, axis=1) * np.linalg.norm(s8, axis=1) + 1e-12)
        out["int8_sentence_cosine"] = {"min": float(cos.min()), "p01": float(np.percentile(cos, 1)), "mean": float(cos.mean())}
    n, dim = vectors.shape
    rng = np.random.default_rng(0)
    picked = rng.choice(n, size=min(queries, n), replace=False)
    q = vectors[picked]
    exact = q @ vectors.T
    exact[np.arange(len(picked)), picked] = -np.inf
    truth = np.argsort(-exact, axis=1)[:, :k]
    for m in (48, 96):
        pq = faiss.IndexPQ(dim, m, 8, faiss.METRIC_INNER_PRODUCT)
        pq.train(vectors)
        pq.add(vectors)
        _, cand = pq.search(q, 101)
        recall = []
        for i, row in enumerate(cand):
            row = row[(row >= 0) & (row != picked[i])]
            rescored = row[np.argsort(-(vectors[row] @ q[i]))][:k]
            recall.append(len(set(rescored.tolist()) & set(truth[i].tolist())) / k)
        out[f"pq{m}x8_recall@{k}_rerank100"] = float(np.mean(recall))
        out[f"pq{m}x8_bytes_per_vector"] = m
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--extrapolate", type=int, nargs="*", default=[10_000_000, 50_000_000])
    args = parser.parse_args()
    result = measure(args.index_dir)
    n = result["shape"]["passages"]
    print(json.dumps(result["shape"], indent=1))
    print(f"\n{'part':36s} {'disk B/p':>9s} {'heap B/p':>9s} {'anon B/p':>9s} {'mapped B/p':>10s}")
    for part, size in result["disk_bytes"].items():
        print(f"{part:36s} {size / n:9.0f}")
    for part, s in result["load"].items():
        print(f"{part:36s} {'':9s} {s['heap_bytes'] / n:9.0f} {s['anon_bytes'] / n:9.0f} {s['mapped_bytes'] / n:10.0f}")
    heap = sum(max(s["heap_bytes"], s["anon_bytes"]) for s in result["load"].values()) / n
    mapped = sum(s["mapped_bytes"] for s in result["load"].values()) / n
    disk = sum(result["disk_bytes"].values()) / n
    for size in args.extrapolate:
        print(f"{size:>11,d} passages: heap {heap * size / 2**30:6.1f} GiB, mapped {mapped * size / 2**30:6.1f} GiB, "
              f"disk {disk * size / 2**30:6.1f} GiB")
    print(json.dumps(result["compression"], indent=1))
    write_result("memory", result)


if __name__ == "__main__":
    main()
