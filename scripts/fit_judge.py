"""Refit the evidence judge (``hoidap/judge_model.json``) on the repository's own training set.

Training questions never come from the dev set (``/work/shared/eval/alqac22``),
so the dev set stays an honest test. They come from:

- ``data/judge``: articles of Vietnamese laws other than the dev set's four
  (BEIR layout), written questions with short answers and questions built from
  the article headings, asked with the answerability protocol
  (:mod:`hoidap.answerability`): once over everything (label: the first
  citation is the gold article), once with the gold article excluded (label 0);
- ``data/judge/out_of_scope.jsonl``: questions the corpus cannot answer (label 0);
- ``tests/hoidap/plan225_questions.json`` over ``corpus/`` (label: an expected
  phrase is in the answer; out-of-scope questions 0).

Features whose fitted sign contradicts what they measure are dropped (see ``_SIGNS``).
Every question is asked with the decision threshold off, so each example has the
answer the pipeline would give and its features. The features are saved to
``data/judge/features.jsonl`` (``--from-features`` refits from them without
re-asking). Thresholds: ``threshold`` keeps the training false-answer rate (gold
excluded + out of scope) at or below ``--max-false-rate``; ``high`` is where the
training precision reaches ``--high-precision``; ``relevant`` (a search hit is
relevant) is ``threshold``: a relevant passage is one that could answer the query.

Run: ``PYTHONPATH=. python scripts/fit_judge.py`` (about 2 minutes on two cores).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hoidap import judge  # noqa: E402

DATA = ROOT / "data" / "judge"
FEATURES_FILE = DATA / "features.jsonl"
#: The direction each feature must count in (1: evidence for an answer, -1: against, 0: free).
#: Correlated features (passage and sentence coverage) can take opposite signs in a free fit;
#: a feature whose sign flips is dropped (coefficient 0) rather than allowed to punish evidence.
_SIGNS = {
    "dense_passage": 1, "dense_sentence": 1, "coverage_passage": 1, "coverage_sentence": 1, "names": 1,
    "addresses": 1, "agree": 1, "margin": 1, "unknown": -1, "phrases": 1, "crosslingual": -1,
    "rarest_missing": -1, "definition": 0,
}


def collect_examples(settings: "object") -> list[dict]:
    """Ask every training question (threshold off); one example per ask: features, label, origin."""
    from hoidap.answer import Answerer
    from hoidap.answerability import ask_both_ways
    from hoidap.engine import Engine
    from hoidap.evaluate import load_beir
    from indexer.build import index_documents

    n = len(judge.FEATURES)  # a neutral judge that always answers: features do not depend on it
    always = judge.JudgeModel(judge.FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, -1.0, 1.0, 0.0)
    examples: list[dict] = []

    def add(features: list[float] | None, label: bool, origin: str, qid: str) -> None:
        if features is not None:
            examples.append({"qid": qid, "origin": origin, "label": int(label), "features": features})

    with tempfile.TemporaryDirectory(prefix="fit-judge-") as tmp:
        data = load_beir(DATA)
        engine = Engine(settings.with_(index_dir=Path(tmp) / "judge"))  # type: ignore[attr-defined]
        engine.answerer = Answerer(engine.searcher, always)
        index_documents(data.documents, engine.settings, embedder=engine.embedder)
        doc_ids = [d.doc_id for d in data.documents]
        for q in data.queries:
            gold = set(data.qrels[q["_id"]])
            r = ask_both_ways(engine, q["_id"], q["text"], gold, doc_ids, q.get("answer"))
            add(r.features, r.correct, f"judge-{q.get('origin', 'written')}", r.qid)
            add(r.features_excluded, False, "judge-excluded", r.qid)
        for line in (DATA / "out_of_scope.jsonl").read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            add(_features(engine.ask(q["text"])), False, "out-of-scope", q["_id"])

        seed = Engine(settings.with_(corpus_dir=ROOT / "corpus", index_dir=Path(tmp) / "seed"))  # type: ignore[attr-defined]
        seed.answerer = Answerer(seed.searcher, always)
        seed.index()
        plan = json.loads((ROOT / "tests" / "hoidap" / "plan225_questions.json").read_text(encoding="utf-8"))
        for i, item in enumerate(plan["answerable"]):
            a = seed.ask(item["q"])
            add(_features(a), any(e in a.answer for e in item["expect"]), "plan225", f"plan225-{i}")
        for i, q in enumerate(plan["unanswerable"]):
            add(_features(seed.ask(q)), False, "plan225-out-of-scope", f"plan225-oos-{i}")
    return examples


def _features(answer: "object") -> list[float] | None:
    evidence = getattr(answer, "evidence", None)
    return evidence.vector() if evidence is not None else None


def fit(examples: list[dict], max_false_rate: float, high_precision: float, c: float, plan_weight: float = 1.0) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    x = np.array([e["features"] for e in examples], dtype=np.float64)
    y = np.array([e["label"] for e in examples])
    weight = np.array([plan_weight if e["origin"].startswith("plan225") else 1.0 for e in examples])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    gate = np.array([judge.gate(row) for row in x])  # the judge multiplies σ(w·x) by it
    fitted = gate > 0  # a passage lacking every name the question gives is already a "no"
    signs = np.array([_SIGNS.get(f, 0) for f in judge.FEATURES])
    kept = np.ones(len(judge.FEATURES), dtype=bool)
    while True:  # evidence must count in its own direction: drop a feature whose fitted sign flips, refit
        clf = LogisticRegression(C=c, max_iter=1000).fit(z[fitted][:, kept], y[fitted], sample_weight=weight[fitted])
        coef = np.zeros(len(kept))
        coef[kept] = clf.coef_[0]
        wrong = np.flatnonzero(kept & (coef * signs < 0))
        if not len(wrong):
            break
        kept[wrong[np.argmin(coef[wrong] * signs[wrong])]] = False
    p = gate * clf.predict_proba(z[:, kept])[:, 1]

    negatives = np.sort(p[y == 0])[::-1]
    allowed = int(max_false_rate * len(negatives))
    threshold = float(negatives[allowed]) + 1e-6 if allowed < len(negatives) else 0.5
    high = 1.0
    for t in np.sort(np.unique(p)):
        above = p >= t
        if t >= threshold and above.any() and y[above].mean() >= high_precision:
            high = float(t)
            break
    bins = reliability(p, y)
    return {
        "about": "Evidence judge: logistic regression over standardised features (hoidap/judge.py). "
        "Refit with scripts/fit_judge.py on data/judge + the Plan 225 set; never on the dev set.",
        "features": list(judge.FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(float(clf.intercept_[0]), 6),
        "threshold": round(threshold, 4),
        "high": round(high, 4),
        "relevant": round(threshold, 4),  # a relevant hit is one that could answer
        "training": {
            "examples": int(len(y)),
            "positives": int(y.sum()),
            "auroc": round(float(roc_auc_score(y, p)), 4),
            "false_answer_rate_at_threshold": round(float((negatives >= threshold).mean()), 4),
            "recall_at_threshold": round(float((p[y == 1] >= threshold).mean()), 4),
            "reliability": bins,
        },
    }


def reliability(p: np.ndarray, y: np.ndarray, edges: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)) -> list[dict]:
    """Mean predicted probability vs observed share of right answers, per probability bin."""
    out = []
    for lo, hi in zip(edges, edges[1:]):
        inside = (p >= lo) & ((p < hi) if hi < 1.0 else (p <= hi))
        if inside.any():
            out.append({"bin": [lo, hi], "n": int(inside.sum()), "predicted": round(float(p[inside].mean()), 3),
                        "observed": round(float(y[inside].mean()), 3)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from-features", action="store_true", help=f"refit from {FEATURES_FILE.name} without asking")
    ap.add_argument("--max-false-rate", type=float, default=0.1)
    ap.add_argument("--high-precision", type=float, default=0.95)
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation strength")
    ap.add_argument("--plan-weight", type=float, default=3.0,
                    help="weight of the Plan 225 examples (the shipped corpus's domain: policy news, not law articles)")
    ap.add_argument("--out", type=Path, default=judge.MODEL_PATH)
    args = ap.parse_args()
    if args.from_features:
        examples = [json.loads(line) for line in FEATURES_FILE.read_text(encoding="utf-8").splitlines()]
    else:
        from indexer.config import Settings

        examples = collect_examples(Settings.from_env())
        with open(FEATURES_FILE, "w", encoding="utf-8") as fh:
            for e in examples:
                fh.write(json.dumps({**e, "features": [round(v, 6) for v in e["features"]]}, ensure_ascii=False) + "\n")
    model = fit(examples, args.max_false_rate, args.high_precision, args.c, args.plan_weight)
    model["training"]["options"] = {"c": args.c, "plan_weight": args.plan_weight, "max_false_rate": args.max_false_rate,
                                    "high_precision": args.high_precision}
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model["training"], ensure_ascii=False, indent=1))
    print(dict(zip(model["features"], model["coef"])), "threshold", model["threshold"], "high", model["high"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
