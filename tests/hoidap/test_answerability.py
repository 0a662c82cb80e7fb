"""Answerability metrics: pure functions checked against hand-computed values."""
import pytest

from hoidap.answerability import AskRecord, auroc, risk_coverage, summarize


def rec(qid, correct, conf, conf_excluded, threshold=0.5, short=None):
    return AskRecord(qid, conf >= threshold, correct and conf >= threshold, conf, short, conf_excluded >= threshold, conf_excluded)


def test_auroc_counts_pairs_ranked_right_and_ties_half():
    assert auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auroc([0.1], [0.9]) == 0.0
    assert auroc([0.5], [0.5]) == 0.5
    assert auroc([0.9, 0.3], [0.5, 0.1]) == pytest.approx(0.75)
    assert auroc([], [0.1]) is None


def test_risk_coverage_picks_the_lowest_threshold_within_each_false_answer_rate():
    # 10 questions; excluded asks score 0.0 .. 0.9, whole asks all correct at 0.95 except q0 (0.05)
    records = [rec(f"q{i}", True, 0.95 if i else 0.05, i / 10) for i in range(10)]
    rows = {r["false_answer_rate"]: r for r in risk_coverage(records, (0.1, 0.2))}
    # 10% of 10 = one excluded ask may be answered: threshold just above 0.8
    assert rows[0.1]["measured_false_answer_rate"] == 0.1
    assert rows[0.1]["threshold"] == pytest.approx(0.8, abs=1e-6)
    assert rows[0.1]["answered_correct"] == 0.9
    assert rows[0.2]["measured_false_answer_rate"] == 0.2


def test_summary_shares():
    records = [
        rec("a", True, 0.9, 0.2, short=True),
        rec("b", False, 0.8, 0.7, short=False),
        rec("c", True, 0.3, 0.1),
    ]
    s = summarize(records)
    assert s["n"] == 3
    assert s["answered"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["answered_correct"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["answer_in_answer"] == 0.5  # over the questions with a short answer
    assert s["false_answer_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert len(s["risk_coverage"]) == 3


def test_protocol_on_a_small_law_set(base_settings, embedder, tmp_path):
    """Real model, real index: eight articles of the judge's set, their written questions."""
    import json
    from pathlib import Path

    from hoidap.answerability import run_answerability

    source = Path(__file__).parents[2] / "data" / "judge"
    corpus = (source / "corpus.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    doc_ids = {json.loads(line)["_id"] for line in corpus}
    qrels = [line.split("\t") for line in (source / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    wanted = {q for q, d, _ in qrels if d in doc_ids}
    queries = [line for line in (source / "queries.jsonl").read_text(encoding="utf-8").splitlines()
               if json.loads(line)["_id"] in wanted and json.loads(line)["origin"] == "written"]
    (tmp_path / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
    (tmp_path / "queries.jsonl").write_text("\n".join(queries) + "\n", encoding="utf-8")
    (tmp_path / "qrels.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, d, _ in qrels if q in wanted), encoding="utf-8"
    )
    result = run_answerability(tmp_path, base_settings, embedder=embedder)
    assert result["n"] == len(queries) >= 15
    assert result["answered_correct"] >= 0.7, result
    assert result["false_answer_rate"] <= 0.2, result
    assert result["auroc"] >= 0.85, result
    assert 0.0 <= result["answer_in_answer"] <= 1.0
    assert [r["false_answer_rate"] for r in result["risk_coverage"]] == [0.05, 0.1, 0.2]
