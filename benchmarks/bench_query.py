"""Query latency (search / ask, p50/p95/p99) and serving memory at 1k..1M passages.

    .venv/bin/python benchmarks/bench_query.py --beir /work/shared/eval/alqac22 --sizes 1000,10000,100000

Indexes of the requested sizes are synthesised, not embedded: a passage is 2-4
sentences, in order, of a BEIR article and its next two articles (no two passages
alike), tokenised per sentence with the real segmenter. The dense side is
synthetic unit vectors, chosen by ``--dense``:

* ``composed`` (default with ``--vectors-from INDEX_DIR``, a real index built
  with sentence vectors): a passage's vector is the length-weighted mean of the
  real vectors of its sentences (what mean pooling gives, minus the context
  across sentences), and its stored sentence vectors are those real ones. Dense
  and lexical sides agree about the text, and the vectors keep the real space's
  topical clusters;
* ``gaussian``: drawn from a Gaussian with the real passage vectors' mean and
  covariance: as anisotropic, but without clusters, a hard case for an
  approximate index (a question's top 100 lie within ~0.015 cosine); sentence
  vectors are the passage's plus noise;
* ``random``: random directions (without ``--vectors-from``).

The IndexContents is written with ``indexer.store.write_version`` and then served
by a fresh process (``Engine``, as the app builds it) so its RSS is the serving
footprint. Queries are the BEIR set's questions (read at run time, never stored),
embedded for real by the serving path's query encoder.

Per size the worker measures:
* search: ``Engine.search(q, k=5)`` hybrid, with the query embedding (cold) and
  again with embeddings memoised (the retrieval part alone); embedding alone;
* ask: ``Engine.ask(q)`` with everything real (query embedding, then sentence
  scoring on the stored sentence vectors) and with the query embedding memoised;
* recall@10 of the dense index against exact search when it is approximate (a returned
  passage counts when it is at least as close as the exact 10th, as in ann-benchmarks).

Floors: search p95 <= 50 ms and ask p95 <= 150 ms at 100k; search p95 <= 100 ms at
1M (approximate index, recall@10 >= 0.99); RSS <= 1.5 GB at 100k.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, percentile, rss_mb, settings_for, table, write_result  # noqa: E402


# ------------------------------------------------------------------ synthesis
def sentence_pool(beir: Path, max_articles: int | None = None, vectors: dict[str, np.ndarray] | None = None) -> list[dict]:
    """Articles as lists of (text, word tokens, folded tokens) sentences, plus their heading.

    With ``vectors`` (sentence text -> its real embedding, see
    :func:`real_sentence_vectors`), each article also carries its sentences'
    vectors, and sentences without one are left out.
    """
    from hoidap.evaluate import load_beir
    from indexer import text as vtext

    docs = load_beir(beir).documents[:max_articles]
    items = []
    for d in docs:
        text = vtext.normalize(d.text)
        spans = vtext.sentence_spans(text)
        sents = [text[a:b].strip() for a, b in spans if text[a:b].strip()]
        if vectors is not None:
            sents = [t for t in sents if _sentence_key(t) in vectors]
        if sents:
            item = {"heading": sents[0][:120], "sentences": sents}
            if vectors is not None:
                item["vectors"] = np.stack([vectors[_sentence_key(t)] for t in sents])
            items.append(item)
    flat = [s for it in items for s in it["sentences"]]
    words = vtext.word_tokens_batch(flat)
    folded = [vtext.folded_tokens(s) for s in flat]
    k = 0
    for it in items:
        n = len(it["sentences"])
        it["words"], it["folded"] = words[k : k + n], folded[k : k + n]
        k += n
    return items


DENSE_MODES = {
    "composed": "passage vector = length-weighted mean of its sentences' real vectors",
    "gaussian": "Gaussian fitted to real passage embeddings",
    "random": "random directions",
}


def _sentence_key(text: str) -> str:
    return " ".join(text.split())


def real_sentence_vectors(index_dir: Path) -> dict[str, np.ndarray]:
    """Sentence text -> the vector a real build stored for it (late chunking, see indexer.sentences)."""
    from indexer.store import load_version

    c = load_version(index_dir)
    if c.sentences is None:
        raise SystemExit(f"{index_dir} has no sentence vectors (built before text-2?)")
    table: dict[str, np.ndarray] = {}
    for row, p in enumerate(c.passages):
        spans, vecs = c.sentences.of_passage(row)
        for (a, b), v in zip(spans, vecs):
            table.setdefault(_sentence_key(p.text[a:b]), v)
    return table


def synthetic_vectors(n: int, dim: int, rng: np.random.Generator, real: np.ndarray | None) -> np.ndarray:
    """Unit vectors: random directions, or drawn from a Gaussian fitted to ``real`` embeddings.

    The fitted Gaussian has the real vectors' mean and full covariance, so it is
    as anisotropic as e5's embedding space (mean cosine to the mean direction
    0.928 for both on alqac22), but it has no near-duplicates or topical
    clusters: a query's top 100 lie within ~0.015 cosine of each other, a harder
    case for an approximate index than real documents.
    """
    if real is None or not len(real):
        v = rng.standard_normal((n, dim), dtype=np.float32)
    else:
        mean = real.mean(axis=0)
        eigenvalues, eigenvectors = np.linalg.eigh(np.cov(real - mean, rowvar=False))
        scale = (np.sqrt(np.clip(eigenvalues, 0, None))[:, None] * eigenvectors.T).astype(np.float32)
        v = np.empty((n, dim), dtype=np.float32)
        for start in range(0, n, 100_000):  # bounded temporaries at 1M
            z = rng.standard_normal((min(100_000, n - start), dim), dtype=np.float32)
            v[start : start + len(z)] = mean + z @ scale
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v.astype(np.float32)


def synthetic_sentences(passages: list, embeddings: np.ndarray, rng: np.random.Generator) -> "object":
    """Each passage's sentence spans, with vectors near the passage's own (as late chunking gives)."""
    from indexer.sentences import SentenceIndex, passage_sentence_spans

    spans = [passage_sentence_spans(p.text) for p in passages]
    counts = np.fromiter((len(s) for s in spans), dtype=np.int64, count=len(spans))
    vectors = np.repeat(embeddings, counts, axis=0)
    vectors += 0.5 * rng.standard_normal(vectors.shape, dtype=np.float32) / np.sqrt(embeddings.shape[1])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    return SentenceIndex.from_passages(spans, [vectors[a:b] for a, b in zip(bounds[:-1], bounds[1:])], embeddings.shape[1])


def composed_vectors(pool: list[dict], ids: np.ndarray, counts: np.ndarray, dim: int) -> tuple[np.ndarray, "object"]:
    """Passage vectors and sentence index of passages made of the pool's sentences ``ids`` (``counts`` per passage).

    A mean-pooling model's passage vector is the token-weighted mean of its
    tokens' vectors, so the length-weighted mean of the sentences' real vectors
    approximates it (minus the context across sentences). Sentence spans follow
    the " ".join of the sentences. Chunked: 1M passages stay within a few GB.
    """
    from indexer.sentences import SentenceIndex

    table = np.concatenate([it["vectors"] for it in pool]).astype(np.float32)
    lengths = np.array([len(t) for it in pool for t in it["sentences"]], dtype=np.int64)[ids]
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    embeddings = np.empty((len(counts), dim), dtype=np.float32)
    vectors = np.empty((len(ids), dim), dtype=np.float16)
    step = 100_000
    for p0 in range(0, len(counts), step):
        p1 = min(len(counts), p0 + step)
        s0, s1 = offsets[p0], offsets[p1]
        chunk = table[ids[s0:s1]]
        vectors[s0:s1] = chunk
        embeddings[p0:p1] = np.add.reduceat(chunk * lengths[s0:s1, None], offsets[p0:p1] - s0)
    embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
    running = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])  # start of each sentence, all passages end to end
    starts = running - np.repeat(running[offsets[:-1]], counts)
    spans = np.stack([starts, starts + lengths], axis=1).astype(np.int32)
    return embeddings, SentenceIndex(spans=spans, offsets=offsets, vectors=vectors)


#: A synthetic passage takes 2-4 sentences, in order, from an article and the next ones of the same
#: code (neighbouring articles share a topic), and no two passages take the same sentences:
#: a real corpus does not hold a passage many times, and exact duplicates would make the
#: approximate index's recall meaningless (ties).
WINDOW_ARTICLES = 3


def _distinct_pick(pool: list[dict], rng: random.Random, used: set) -> tuple[int, list[tuple[int, int]]]:
    """(first article, [(article, sentence), ...]) not picked before (retries; a repeat only if the pool runs dry)."""
    for _ in range(50):
        first = rng.randrange(len(pool))
        window = [(a, i) for a in range(first, min(len(pool), first + WINDOW_ARTICLES)) for i in range(len(pool[a]["sentences"]))]
        picked = sorted(rng.sample(window, min(len(window), rng.randint(2, 4))))
        key = tuple(picked)
        if key not in used:
            used.add(key)
            return first, picked
    return first, picked


def synthesise(size: int, pool: list[dict], index_dir: Path, model_id: str, dim: int, seed: int, real: np.ndarray | None) -> dict:
    from indexer.build import TEXT_VERSION
    from indexer.dense import DenseIndex
    from indexer.lexical import LexicalIndex
    from indexer.store import FileRecord, IndexContents, Manifest, write_version
    from indexer.types import Document, DocumentMeta, Passage

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    documents: dict[str, Document] = {}
    passages: list[Passage] = []
    words: list[list[str]] = []
    folded: list[list[str]] = []
    files: dict[str, FileRecord] = {}
    composed = "vectors" in pool[0]
    used: set[tuple[tuple[int, int], ...]] = set()
    picked_ids: list[int] = []  # composed: global sentence ids of every passage, in order
    picked_counts: list[int] = []
    first_id = np.cumsum([0] + [len(it["sentences"]) for it in pool])
    per_doc = 20
    n_docs = (size + per_doc - 1) // per_doc
    for d in range(n_docs):
        doc_id = f"synth-{d:07d}"
        chunks, offset = [], 0
        for j in range(min(per_doc, size - d * per_doc)):
            first, picked = _distinct_pick(pool, rng, used)
            sents = [pool[a]["sentences"][i] for a, i in picked]
            art = pool[first]
            text = " ".join(sents)
            picked_ids.extend(int(first_id[a]) + i for a, i in picked)
            picked_counts.append(len(picked))
            passages.append(
                Passage(doc_id=doc_id, text=text, section_path=(art["heading"],), start=offset,
                        end=offset + len(text), passage_id=f"{doc_id}#{j}")
            )
            words.append([w for a, i in picked for w in pool[a]["words"][i]])
            folded.append([t for a, i in picked for t in pool[a]["folded"][i]])
            chunks.append(text)
            offset += len(text) + 2
        body = "\n\n".join(chunks)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        documents[doc_id] = Document(doc_id=doc_id, source=doc_id + ".txt", text=body, content_hash=digest,
                                     meta=DocumentMeta(title=f"Văn bản tổng hợp {d}", doc_type="Luật"))
        files[doc_id + ".txt"] = FileRecord(sha256=digest, doc_id=doc_id, passages=len(chunks))
    t_text = time.perf_counter() - t0
    if composed:
        embeddings, sentences = composed_vectors(pool, np.array(picked_ids), np.array(picked_counts), dim)
    else:
        embeddings = synthetic_vectors(len(passages), dim, nrng, real)
    t1 = time.perf_counter()
    dense = DenseIndex.build(embeddings)
    t_dense = time.perf_counter() - t1
    t1 = time.perf_counter()
    lexical = LexicalIndex.build(words, folded)
    t_bm25 = time.perf_counter() - t1
    manifest = Manifest(model_id=model_id, dim=dim, text_version=TEXT_VERSION, files=files, n_documents=len(documents),
                        n_passages=len(passages), dense_kind=dense.kind)
    t1 = time.perf_counter()
    if not composed:
        sentences = synthetic_sentences(passages, embeddings, nrng)
    contents = IndexContents(manifest, documents, passages, words, embeddings, dense, lexical, sentences)
    path = write_version(index_dir, contents)
    t_write = time.perf_counter() - t1
    size_mb = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
    return {"synth_text_s": round(t_text, 1), "dense_build_s": round(t_dense, 1), "bm25_build_s": round(t_bm25, 1),
            "write_s": round(t_write, 1), "index_mb": round(size_mb), "dense_kind": dense.kind}


# --------------------------------------------------------------------- worker
class MemoEmbedder:
    """Wraps an Embedder; query embeddings memoised when ``memo`` is on."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.memo = False
        self.cache: dict[str, np.ndarray] = {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode_queries(self, texts):
        if not self.memo:
            return self.inner.encode_queries(texts)
        missing = [t for t in texts if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode_queries(missing)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts])


def synthetic_index(size: int, beir: Path, directory: Path, seed: int) -> Path:
    """A synthesised index of ``size`` passages under ``directory`` for the embedded model."""
    from indexer.models.embedder import Embedder

    emb = Embedder(settings_for(Path("unused")))
    index_dir = directory / "index"
    synthesise(size, sentence_pool(beir), index_dir, emb.model_id, emb.dim, seed=seed, real=None)
    return index_dir


def add_index_options(ap: argparse.ArgumentParser, index_help: str = "an existing index directory") -> None:
    """``--index`` or ``--beir`` (+ ``--size``): the index a benchmark runs on."""
    ap.add_argument("--beir", type=Path, help="BEIR folder for the synthetic index (when --index is not given)")
    ap.add_argument("--index", type=Path, help=index_help)
    ap.add_argument("--size", type=int, default=10_000, help="passages of the synthetic index")


def index_or_synthetic(args: argparse.Namespace, ap: argparse.ArgumentParser, directory: Path, seed: int) -> Path:
    """``args.index``, or a synthetic index of ``args.size`` passages built under ``directory``."""
    if args.index is not None:
        return args.index
    if not args.beir:
        ap.error("give --index or --beir")
    return synthetic_index(args.size, args.beir, directory, seed=seed)


def stats(ms: list[float]) -> dict:
    return {"p50": round(percentile(ms, 50), 2), "p95": round(percentile(ms, 95), 2),
            "p99": round(percentile(ms, 99), 2), "n": len(ms)}


def clear_searcher_cache(engine) -> None:
    """Forget the Searcher's own query-vector cache (hoidap.retrieve, when it has one)."""
    cache = getattr(engine.searcher.embedder, "_cache", None)
    if cache is not None:
        cache.clear()


def worker(index_dir: Path, queries: list[str], n_ask: int) -> dict:
    t0 = time.perf_counter()
    from hoidap.engine import Engine
    from hoidap.query import analyse
    from indexer.models.embedder import Embedder
    from indexer.models.factory import query_encoder

    settings = settings_for(index_dir)
    emb = MemoEmbedder(query_encoder(settings, Embedder(settings)))  # what the app answers with
    engine = Engine(settings, embedder=emb)
    emb.encode_queries(["khởi động"])  # model load
    rss_model = rss_mb()
    t1 = time.perf_counter()
    c = engine.searcher.contents()
    load_s = time.perf_counter() - t1
    rss_loaded = rss_mb()
    out: dict = {"query_encoder": type(emb.inner).__name__, "startup_s": round(time.perf_counter() - t0, 2), "index_load_s": round(load_s, 2),
                 "rss_model_mb": round(rss_model), "rss_loaded_mb": round(rss_loaded),
                 "passages": len(c.passages), "dense_kind": c.dense.kind}
    for q in queries[:3]:  # warm-up
        engine.search(q)
    # query embedding alone
    emb_ms = []
    for q in queries:
        dense_text = analyse(q, c).dense_text
        t = time.perf_counter()
        emb.inner.encode_queries([dense_text])
        emb_ms.append(1000 * (time.perf_counter() - t))
    # search with the embedding (cold), then memoised
    clear_searcher_cache(engine)
    cold, warm = [], []
    for q in queries:
        t = time.perf_counter()
        engine.search(q, k=5)
        cold.append(1000 * (time.perf_counter() - t))
    emb.memo = True
    for q in queries:
        engine.search(q, k=5)  # fill the memo
    for q in queries:
        t = time.perf_counter()
        engine.search(q, k=5)
        warm.append(1000 * (time.perf_counter() - t))
    # ask: all real, then with the query embedding memoised
    emb.memo = False
    clear_searcher_cache(engine)  # a new question: nothing remembered for it
    ask_cold, ask_warm = [], []
    asks = queries[:n_ask]
    for q in asks:
        t = time.perf_counter()
        engine.ask(q)
        ask_cold.append(1000 * (time.perf_counter() - t))
    emb.memo = True
    for q in asks:
        t = time.perf_counter()
        engine.ask(q)
        ask_warm.append(1000 * (time.perf_counter() - t))
    out.update({"embed_ms": stats(emb_ms), "search_ms": stats(cold), "search_noembed_ms": stats(warm),
                "ask_ms": stats(ask_cold), "ask_noembed_ms": stats(ask_warm), "rss_after_mb": round(rss_mb()),
                "rss_anon_mb": round(rss_mb("RssAnon")), "rss_file_mb": round(rss_mb("RssFile"))})
    if c.dense.kind != "flat":
        vecs = emb.inner.encode_queries([analyse(q, c).dense_text for q in queries]).astype(np.float32)
        _, approx = c.dense.search(vecs, 10)
        recalls, id_recalls = [], []
        for v, got in zip(vecs, approx):
            exact_scores = c.embeddings @ v
            exact = np.argpartition(-exact_scores, 10)[:10]
            tenth = float(exact_scores[exact].min())
            got = got[got >= 0]
            # ann-benchmarks' definition: a returned row counts if it is as close as the exact 10th
            # (rows tied with it are equally right); the id overlap is kept for reference
            recalls.append(float(np.sum(exact_scores[got] >= tenth - 1e-6)) / 10)
            id_recalls.append(len(set(exact.tolist()) & set(got.tolist())) / 10)
        out["ann_recall@10"] = round(float(np.mean(recalls)), 4)
        out["ann_id_recall@10"] = round(float(np.mean(id_recalls)), 4)
    return out


# ----------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beir", type=Path, required=True, help="BEIR folder: articles to recombine, questions to ask")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=100, help="search queries per size")
    ap.add_argument("--asks", type=int, default=40, help="ask questions per size")
    ap.add_argument("--vectors-from", type=Path, help="a real index (built with sentence vectors) to take vectors from")
    ap.add_argument("--dense", choices=("composed", "gaussian", "random"), default=None,
                    help="passage vectors: 'composed' of the real vectors of the recombined sentences (default "
                         "with --vectors-from), 'gaussian' fitted to the real passage vectors (a harder case "
                         "for the approximate index), or 'random' directions (default without)")
    ap.add_argument("--keep", type=Path, help="keep the synthetic indexes under this folder")
    ap.add_argument("--out", default="bench_query")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    with open(args.beir / "queries.jsonl", encoding="utf-8") as fh:
        queries = [json.loads(line)["text"] for line in fh if line.strip()]
    random.Random(7).shuffle(queries)
    queries = queries[: args.queries]
    if args.worker:
        print(json.dumps(worker(args.worker, queries, args.asks)))
        return 0

    from indexer.models.embedder import Embedder

    embedder = Embedder(settings_for(Path("unused")))
    model_id, dim = embedder.model_id, embedder.dim
    dense_mode = args.dense or ("composed" if args.vectors_from else "random")
    if dense_mode != "random" and not args.vectors_from:
        ap.error(f"--dense {dense_mode} needs --vectors-from")
    real, sentence_vectors = None, None
    if dense_mode == "gaussian":
        from indexer.store import load_version

        real = np.asarray(load_version(args.vectors_from).embeddings, dtype=np.float32)
    elif dense_mode == "composed":
        sentence_vectors = real_sentence_vectors(args.vectors_from)
    t0 = time.perf_counter()
    pool = sentence_pool(args.beir, vectors=sentence_vectors)
    print(f"sentence pool: {sum(len(p['sentences']) for p in pool)} sentences of {len(pool)} articles "
          f"segmented in {time.perf_counter() - t0:.1f} s", flush=True)
    rows = []
    keep_root = args.keep
    with tempfile.TemporaryDirectory(prefix="hoidap-bench-query-") as tmpname:
        root = keep_root or Path(tmpname)
        for size in [int(s) for s in args.sizes.split(",")]:
            index_dir = root / f"index-{size}"
            built = synthesise(size, pool, index_dir, model_id, dim, seed=size, real=real)
            print(f"{size}: built {built}", flush=True)
            env = dict(os.environ)
            proc = subprocess.run(
                [sys.executable, __file__, "--beir", str(args.beir), "--queries", str(args.queries),
                 "--asks", str(args.asks), "--worker", str(index_dir)],
                capture_output=True, text=True, env=env, cwd=ROOT,
            )
            if proc.returncode:
                print(proc.stderr[-3000:])
                raise SystemExit(f"worker failed at size {size}")
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            row = {"size": size, **built, **res}
            rows.append(row)
            print(json.dumps(row), flush=True)
    flat = []
    for r in rows:
        flat.append({
            "passages": r["size"], "dense": r["dense_kind"],
            "search p50": r["search_ms"]["p50"], "search p95": r["search_ms"]["p95"], "search p99": r["search_ms"]["p99"],
            "search-noemb p95": r["search_noembed_ms"]["p95"], "embed p50": r["embed_ms"]["p50"], "embed p95": r["embed_ms"]["p95"],
            "ask p50": r["ask_ms"]["p50"], "ask p95": r["ask_ms"]["p95"], "ask p99": r["ask_ms"]["p99"],
            "ask-noemb p95": r["ask_noembed_ms"]["p95"],
            "rss MiB": r["rss_after_mb"], "of it mapped files": r.get("rss_file_mb", float("nan")), "load s": r["index_load_s"], "recall@10": r.get("ann_recall@10", float("nan")),
        })
    print("\nlatency in ms; synthetic passages (recombined alqac sentences) and synthetic unit vectors"
          + f" ({DENSE_MODES[dense_mode]}); real query embeddings")
    print(table(flat))
    path = write_result(args.out, {"rows": rows, "synthetic": True, "vectors": dense_mode})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
