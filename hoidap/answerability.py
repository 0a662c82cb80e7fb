"""Answerability protocol (``hoidap eval --answerability``): does ``ask`` know when it has no answer?

Every question of a BEIR-layout set is asked twice: once over the whole corpus,
and once with its gold documents excluded by a ``SearchFilter`` (every other
document allowed). The second ask has, by construction, no answer in reach: any
answer it gives is a confident answer citing the wrong text, the worst outcome
for a civil servant. See ``docs/answerability.md`` for the metrics.

The records also carry the judge's features, so ``scripts/fit_judge.py`` fits
the judge with exactly this protocol on its own training set.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from indexer.config import Settings

#: False-answer rates at which the risk-coverage table reports answered_correct.
RISK_LEVELS = (0.05, 0.1, 0.2)


@dataclass
class AskRecord:
    """One question asked over the whole corpus and again without its gold documents."""

    qid: str
    found: bool
    correct: bool  # found, and the first citation is a gold document
    confidence: float
    answer_in_answer: bool | None  # the short answer is in the answer sentences (None: no short answer)
    found_excluded: bool
    confidence_excluded: float
    features: list[float] | None = None  # judge features of the whole-corpus ask
    features_excluded: list[float] | None = None


# ------------------------------------------------------------------ metrics
def auroc(positive: Sequence[float], negative: Sequence[float]) -> float | None:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not positive or not negative:
        return None
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score([1] * len(positive) + [0] * len(negative), [*positive, *negative]))


def risk_coverage(records: Sequence[AskRecord], levels: Sequence[float] = RISK_LEVELS) -> list[dict]:
    """For each false-answer rate: the lowest threshold keeping the excluded asks' answers at or
    below it, and the share of questions then answered correctly (whole corpus).

    Answering at ``confidence >= t``; thresholds are the observed confidences.
    """
    n = len(records)
    excluded = sorted((r.confidence_excluded for r in records), reverse=True)
    rows = []
    for level in levels:
        allowed = int(level * n)  # at most this many excluded asks may be answered
        # a threshold just above the (allowed+1)-th highest excluded confidence
        t = excluded[allowed] + 1e-9 if allowed < len(excluded) else 0.0
        correct = sum(1 for r in records if r.correct and r.confidence >= t)
        far = sum(1 for c in excluded if c >= t)
        rows.append({
            "false_answer_rate": level,
            "threshold": round(t, 4),
            "measured_false_answer_rate": round(far / n, 4) if n else 0.0,
            "answered_correct": round(correct / n, 4) if n else 0.0,
        })
    return rows


def summarize(records: Sequence[AskRecord]) -> dict:
    n = len(records)
    with_short = [r for r in records if r.answer_in_answer is not None]

    def share(k: int, d: int) -> float | None:
        return round(k / d, 4) if d else None

    a = auroc([r.confidence for r in records], [r.confidence_excluded for r in records])
    return {
        "n": n,
        "answered": share(sum(r.found for r in records), n),
        "answered_correct": share(sum(r.correct for r in records), n),
        "answer_in_answer": share(sum(bool(r.answer_in_answer) for r in with_short), len(with_short)),
        "false_answer_rate": share(sum(r.found_excluded for r in records), n),
        "auroc": round(a, 4) if a is not None else None,
        "risk_coverage": risk_coverage(records),
    }


# ---------------------------------------------------------------- protocol
def ask_both_ways(
    engine: "object",
    qid: str,
    question: str,
    gold: set[str],
    all_doc_ids: Sequence[str],
    short_answer: str | None = None,
    mode: str = "hybrid",
) -> AskRecord:
    """Ask ``question`` over everything, then with ``gold`` filtered out of the search."""
    from hoidap.evaluate import answer_in_excerpt
    from hoidap.retrieve import SearchFilter

    whole = engine.ask(question, mode=mode)  # type: ignore[attr-defined]
    others = tuple(d for d in all_doc_ids if d not in gold)
    excluded = engine.ask(question, mode=mode, filters=SearchFilter(doc_ids=others)) if others else None  # type: ignore[attr-defined]
    correct = whole.found and bool(whole.citations) and whole.citations[0].doc_id in gold
    return AskRecord(
        qid=qid,
        found=whole.found,
        correct=correct,
        confidence=whole.confidence,
        answer_in_answer=(whole.found and answer_in_excerpt(short_answer, whole.answer)) if short_answer else None,
        found_excluded=bool(excluded and excluded.found),
        confidence_excluded=excluded.confidence if excluded else 0.0,
        features=_features(whole),
        features_excluded=_features(excluded),
    )


def _features(answer: "object | None") -> list[float] | None:
    evidence = getattr(answer, "evidence", None)
    return evidence.vector() if evidence is not None else None


def collect(
    engine: "object",
    data: "object",
    mode: str = "hybrid",
    progress: Callable[[str, int, int], None] | None = None,
) -> list[AskRecord]:
    """The protocol over a loaded :class:`hoidap.evaluate.BeirSet` on an engine that indexed it."""
    doc_ids = [d.doc_id for d in data.documents]  # type: ignore[attr-defined]
    records = []
    queries = data.queries  # type: ignore[attr-defined]
    for i, q in enumerate(queries):
        if progress:
            progress("query", i, len(queries))
        gold = set(data.qrels.get(q["_id"], {}))  # type: ignore[attr-defined]
        records.append(ask_both_ways(engine, q["_id"], q["text"], gold, doc_ids, q.get("answer"), mode))
    if progress:
        progress("query", len(queries), len(queries))
    return records


def run_answerability(
    data_dir: Path,
    settings: Settings,
    mode: str = "hybrid",
    index_dir: Path | None = None,
    limit_queries: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    embedder: "object | None" = None,
) -> dict:
    """Index the set's corpus (temporary index unless ``index_dir``) and run the protocol."""
    from hoidap.engine import Engine
    from hoidap.evaluate import load_beir
    from indexer.build import index_documents

    data = load_beir(data_dir, limit_queries)
    with tempfile.TemporaryDirectory(prefix="hoidap-answerability-") as tmp:
        eval_settings = settings.with_(index_dir=Path(index_dir) if index_dir else Path(tmp) / "index")
        engine = Engine(eval_settings, embedder=embedder)
        index_documents(data.documents, eval_settings, embedder=engine.embedder, progress=progress)
        records = collect(engine, data, mode, progress)
    return {**summarize(records), "mode": mode, "protocol": "answerability"}
