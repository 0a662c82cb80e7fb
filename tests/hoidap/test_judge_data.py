"""The judge's training set (data/judge) is consistent: the refit reads it as a BEIR set plus
out-of-scope questions, and a broken line or a short answer missing from its article would
silently teach the judge wrong labels."""
import json
from pathlib import Path

from indexer import text as vtext

DATA = Path(__file__).resolve().parents[2] / "data" / "judge"


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_ids_are_unique_and_every_gold_article_exists():
    corpus = {d["_id"]: d for d in _lines("corpus.jsonl")}
    queries, oos = _lines("queries.jsonl"), _lines("out_of_scope.jsonl")
    ids = [q["_id"] for q in queries + oos]
    assert len(ids) == len(set(ids))
    texts = [vtext.fold(q["text"]).lower() for q in queries + oos]
    assert len(texts) == len(set(texts))  # no question asked twice
    qrels = [line.split("\t") for line in (DATA / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert {q for q, _, _ in qrels} == {q["_id"] for q in queries}
    assert all(doc in corpus for _, doc, _ in qrels)


def test_short_answers_are_copied_from_their_gold_article():
    corpus = {d["_id"]: d["text"] for d in _lines("corpus.jsonl")}
    gold: dict[str, list[str]] = {}
    for line in (DATA / "qrels.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        qid, doc, _ = line.split("\t")
        gold.setdefault(qid, []).append(doc)
    for q in _lines("queries.jsonl"):
        if q.get("answer"):
            assert any(q["answer"].lower() in corpus[d].lower() for d in gold[q["_id"]]), q


def test_the_training_laws_are_not_the_dev_sets():
    dev_laws = {"91/2015/QH13", "01/VBHN-VPQH", "45/2019/QH14", "24/2018/QH14"}  # ALQAC 2022 (evaluation only)
    assert not {d["_id"].split("||")[0] for d in _lines("corpus.jsonl")} & dev_laws
