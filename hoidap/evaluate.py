"""Retrieval and answer evaluation on BEIR-layout data sets (``hoidap eval``).

Metrics are pure functions over ranked document ids and gold sets, checked in
the tests against hand-computed values. A corpus record becomes one document
(split into passages as usual); a document's rank is its best passage's.
The index is built in a temporary directory, never the app's.
"""
from __future__ import annotations

import json
import math
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from indexer import text as vtext
from indexer.config import Settings
from indexer.models.protocols import Encoder
from indexer.types import Document, DocumentMeta

CUTOFFS = (1, 5, 10)


# --------------------------------------------------------------------- metrics
def hit_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 if any gold document is in the top k."""
    return 1.0 if any(d in gold for d in ranked[:k]) else 0.0


def recall_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Share of the gold documents found in the top k."""
    return len(set(ranked[:k]) & gold) / len(gold) if gold else 0.0


def mrr_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Reciprocal rank of the first gold document within the top k (0 if none)."""
    for i, d in enumerate(ranked[:k], start=1):
        if d in gold:
            return 1.0 / i
    return 0.0


def ndcg_at(ranked: Sequence[str], gold: dict[str, float] | set[str], k: int) -> float:
    """nDCG@k with graded gains ``2^rel - 1`` and the standard log2 discount."""
    rel = gold if isinstance(gold, dict) else {d: 1.0 for d in gold}
    dcg = sum((2 ** rel.get(d, 0.0) - 1) / math.log2(i + 1) for i, d in enumerate(ranked[:k], start=1))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum((2**r - 1) / math.log2(i + 1) for i, r in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


# -------------------------------------------------------------------- data set
@dataclass
class BeirSet:
    documents: list[Document]
    queries: list[dict]  # {"_id", "text", optional "answer"}
    qrels: dict[str, dict[str, float]]  # query id -> {doc id: relevance}


_ARTICLE_TITLE = re.compile(r"Điều\s+(\d+[a-zđ]?)\s*$", re.IGNORECASE)


def beir_document(record: dict) -> Document:
    """A corpus record as a Document; law articles get their "Điều N." heading back.

    BEIR law corpora put "LAW - Điều N" in ``title`` and the article's own heading
    on the first line of ``text``; restoring "Điều N. heading" lets the structure
    parser keep the article heading with every passage of the article.
    """
    title = (record.get("title") or "").strip()
    text = (record.get("text") or "").strip()
    m = _ARTICLE_TITLE.search(title)
    if m:
        body = f"Điều {m.group(1)}. {text}"
    else:
        body = f"{title}\n\n{text}" if title else text
    return Document(
        doc_id=str(record["_id"]),
        source=str(record["_id"]),
        text=body,
        meta=DocumentMeta(title=title or str(record["_id"])),
    )


def load_beir(directory: Path, limit_queries: int | None = None) -> BeirSet:
    directory = Path(directory)
    with open(directory / "corpus.jsonl", encoding="utf-8") as fh:
        documents = [beir_document(json.loads(line)) for line in fh if line.strip()]
    qrels: dict[str, dict[str, float]] = {}
    qrels_path = directory / "qrels.tsv"
    if not qrels_path.exists():
        qrels_path = directory / "qrels" / "test.tsv"
    with open(qrels_path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or (i == 0 and not parts[2].strip().lstrip("-").isdigit()):
                continue
            if float(parts[2]) > 0:
                qrels.setdefault(parts[0], {})[parts[1]] = float(parts[2])
    with open(directory / "queries.jsonl", encoding="utf-8") as fh:
        queries = [q for q in (json.loads(line) for line in fh if line.strip()) if q["_id"] in qrels]
    if limit_queries:
        queries = queries[:limit_queries]
    return BeirSet(documents, queries, qrels)


# ------------------------------------------------------------------ evaluation
def evaluate_rankings(
    rankings: dict[str, list[str]], qrels: dict[str, dict[str, float]], k: int = 10
) -> dict[str, float]:
    """Mean metrics over queries; ``rankings`` maps query id -> ranked document ids."""
    n = len(rankings)
    totals = {f"hit@{c}": 0.0 for c in CUTOFFS}
    totals.update({f"recall@{k}": 0.0, f"mrr@{k}": 0.0, f"ndcg@{k}": 0.0})
    for qid, ranked in rankings.items():
        gold = qrels.get(qid, {})
        for c in CUTOFFS:
            totals[f"hit@{c}"] += hit_at(ranked, set(gold), c)
        totals[f"recall@{k}"] += recall_at(ranked, set(gold), k)
        totals[f"mrr@{k}"] += mrr_at(ranked, set(gold), k)
        totals[f"ndcg@{k}"] += ndcg_at(ranked, gold, k)
    return {name: (v / n if n else 0.0) for name, v in totals.items()}


def answer_in_excerpt(answer: str, excerpt: str) -> bool:
    """Gold short answer contained in an excerpt, after normalisation (case, tone marks, spaces)."""
    def norm(s: str) -> str:
        return " ".join(vtext.normalize(s).lower().split())

    a = norm(answer)
    return bool(a) and a in norm(excerpt)


def run_eval(
    data_dir: Path,
    settings: Settings,
    mode: str = "hybrid",
    k: int = 10,
    index_dir: Path | None = None,
    with_answers: bool = True,
    limit_queries: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    embedder: Encoder | None = None,
    unaccented: bool = False,
) -> dict:
    """Index the set's corpus (temporary index unless ``index_dir``), rank, score.

    ``unaccented``: ask every question with its diacritics removed (case kept), as
    civil servants often type them.
    """
    from hoidap.engine import Engine
    from indexer.build import index_documents

    data = load_beir(data_dir, limit_queries)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hoidap-eval-") as tmp:
        eval_settings = settings.with_(index_dir=Path(index_dir) if index_dir else Path(tmp) / "index")
        engine = Engine(eval_settings, embedder=embedder)
        index_documents(data.documents, eval_settings, embedder=engine.embedder, progress=progress)
        t_index = time.perf_counter() - t0
        rankings: dict[str, list[str]] = {}
        answer_hits = 0
        answered = 0
        t1 = time.perf_counter()
        for i, q in enumerate(data.queries):
            if progress:
                progress("query", i, len(data.queries))
            question = vtext.strip_diacritics(q["text"]) if unaccented else q["text"]
            rankings[q["_id"]] = engine.searcher.rank_documents(question, k=k, mode=mode)
            if with_answers and q.get("answer"):
                answered += 1
                result = engine.ask(question, mode=mode)
                if result.citations and answer_in_excerpt(q["answer"], result.citations[0].excerpt):
                    answer_hits += 1
        t_query = time.perf_counter() - t1
    metrics = evaluate_rankings(rankings, data.qrels, k)
    metrics["answer_in_top_citation"] = (answer_hits / answered) if answered else None
    return {
        "n": len(data.queries),
        **{key: round(v, 4) if isinstance(v, float) else v for key, v in metrics.items()},
        "mode": mode,
        "questions": "unaccented" if unaccented else "as written",
        "seconds": round(time.perf_counter() - t0, 1),
        "index_seconds": round(t_index, 1),
        "query_ms": round(1000 * t_query / max(1, len(data.queries)), 1),
    }
