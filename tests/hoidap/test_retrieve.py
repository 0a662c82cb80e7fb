"""Search over the shipped corpus with the real model: the issue's acceptance checks."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hoidap.retrieve import SearchFilter
from indexer.store import IndexLoadError

CLOUD = "100% dịch vụ Trung tâm dữ liệu"
REPO_ROOT = Path(__file__).parents[2]


def test_cloud_target_query_finds_the_cloud_passage(seed_engine):
    hits = seed_engine.search("mục tiêu điện toán đám mây năm 2025", k=3)
    assert CLOUD in hits[0].passage.text
    top = hits[0].to_json()
    assert set(top) == {"doc_id", "title", "section", "text", "score", "source"}
    assert "hạ tầng số" in top["title"]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_every_mode_finds_it(seed_engine, mode):
    hits = seed_engine.search("dịch vụ trung tâm dữ liệu chuyển sang điện toán đám mây", k=2, mode=mode)
    assert any(CLOUD in h.passage.text for h in hits)


def test_query_without_diacritics_finds_the_same_passages(seed_engine):
    accented = [h.passage.passage_id for h in seed_engine.search("hạ tầng số thanh hóa", k=3)]
    plain = [h.passage.passage_id for h in seed_engine.search("ha tang so thanh hoa", k=3)]
    assert plain[0] == accented[0]
    assert set(plain) == set(accented)


def test_tone_mark_placement_does_not_matter(seed_engine):
    old = seed_engine.search("Thanh Hoá phát triển hạ tầng số", k=4)
    new = seed_engine.search("Thanh Hóa phát triển hạ tầng số", k=4)
    assert [h.passage.passage_id for h in old] == [h.passage.passage_id for h in new]


def test_filters_restrict_documents(seed_engine):
    assert seed_engine.search("hạ tầng số", filters=SearchFilter(doc_ids=("khong-co",))) == []
    hits = seed_engine.search("hạ tầng số", filters=SearchFilter(doc_ids=("plan225-vov-article",)))
    assert hits and all(h.passage.doc_id == "plan225-vov-article" for h in hits)


def test_index_from_another_model_is_refused(seed_engine):
    from hoidap.retrieve import Searcher

    class OtherModel:
        model_id = "another/model"

    with pytest.raises(IndexLoadError) as err:
        Searcher(seed_engine.settings, embedder=OtherModel()).contents()
    assert "mô hình khác" in err.value.message_vi


def test_cli_search_json_contract(seed_engine):
    env = dict(os.environ, HOIDAP_CACHE_DIR=str(seed_engine.settings.cache_dir))
    out = subprocess.run(
        [sys.executable, "-m", "hoidap.cli", "search", "mục tiêu điện toán đám mây năm 2025", "--json", "--k", "2",
         "--index", str(seed_engine.settings.index_dir)],
        capture_output=True, text=True, env=env, timeout=300, check=True,
    )
    data = json.loads(out.stdout)
    assert data["query"] == "mục tiêu điện toán đám mây năm 2025"
    assert CLOUD in data["hits"][0]["text"] and data["hits"][0]["source"] == "plan225-vov-article.txt"


def test_cli_reports_missing_index_in_vietnamese(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "hoidap.cli", "search", "hạ tầng", "--index", str(tmp_path / "none")],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode != 0
    assert "Chưa có chỉ mục" in out.stderr and "hoidap index" in out.stderr
    assert "Traceback" not in out.stderr


def test_named_document_is_preferred(base_settings, embedder, tmp_path):
    """Two plans with the same body: "Kế hoạch 555" must lift the one numbered 555/KH-UBND."""
    from hoidap.engine import Engine

    plan = (Path(__file__).parents[1] / "fixtures" / "plan_ke_hoach_mau.txt").read_text(encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_ke_hoach_999.txt").write_text(plan, encoding="utf-8")
    (corpus / "b_ke_hoach_555.txt").write_text(plan.replace("999/KH-UBND", "555/KH-UBND"), encoding="utf-8")
    engine = Engine(base_settings.with_(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder)
    engine.index()
    question = "mục tiêu điện toán đám mây của Kế hoạch 555"
    hits = engine.search(question, k=2)
    assert hits[0].passage.doc_id == "b_ke_hoach_555"
    assert "điện toán đám mây" in hits[0].passage.text
    assert engine.search("mục tiêu điện toán đám mây của 999/KH-UBND", k=1)[0].passage.doc_id == "a_ke_hoach_999"


@pytest.mark.parametrize("bad", ["", "😀😀", "?!"])
def test_engine_refuses_unsearchable_queries(seed_engine, bad):
    from hoidap.validate import UserInputError

    with pytest.raises(UserInputError):
        seed_engine.search(bad)
    with pytest.raises(UserInputError):
        seed_engine.ask(bad)


# --------------------------------------------------------------------------- ranking against references
def test_top_matches_a_full_sort(monkeypatch):
    """The sampled fast path (long arrays) and the plain one agree with sorting everything."""
    from hoidap import retrieve

    rng = np.random.default_rng(11)
    bm25_like = np.where(rng.random(300_000) < 0.7, rng.gamma(2.0, 2.0, 300_000), 0.0).astype(np.float32)
    cases = {
        "bm25-like": bm25_like,
        "ties": np.round(rng.random(200_000), 2).astype(np.float32),
        "mostly -inf": np.where(rng.random(100_000) < 0.999, -np.inf, rng.random(100_000)).astype(np.float32),
        "constant": np.ones(70_000, np.float32),
        "short": rng.random(50).astype(np.float32),
        "skewed sample": np.concatenate([np.zeros(99_000), rng.random(1_000) + 1]).astype(np.float32),
    }
    for name, scores in cases.items():
        for k in (1, 5, 100, 1000):
            got = retrieve._top(scores, k)
            finite = np.flatnonzero(np.isfinite(scores))
            expected = finite[np.lexsort((finite, -scores[finite]))][:k]
            assert got.tolist() == expected.tolist(), (name, k)
    assert retrieve._top(np.zeros(0, np.float32), 5).tolist() == []
    ties = np.array([30, 10, 20])
    assert retrieve._top(np.array([1.0, 1.0, 2.0], np.float32), 3, ties).tolist() == [2, 1, 0]


@pytest.fixture(scope="module")
def small_library(base_settings, embedder, tmp_path_factory):
    """The Plan 225 article plus the two fixture documents (a plan and a law): a few dozen passages."""
    from hoidap.engine import Engine

    corpus = tmp_path_factory.mktemp("library")
    for src in [*(REPO_ROOT / "corpus").iterdir(), *(REPO_ROOT / "tests" / "fixtures").iterdir()]:
        if src.is_file():
            (corpus / src.name).write_bytes(src.read_bytes())
    settings = base_settings.with_(corpus_dir=corpus, index_dir=corpus.parent / "library-index")
    engine = Engine(settings, embedder=embedder)
    engine.index()
    return engine


def _reference_ranking(engine, query: str, k: int, mode: str, pool: int, mask=None) -> list[tuple[int, float]]:
    """Full-length score arrays for every passage, fused the straightforward way (the pre-sparse algorithm)."""
    from hoidap import fusion
    from hoidap.query import analyse

    c = engine.searcher.contents()
    q = analyse(query, c)
    n = len(c.passages)
    lexical = np.zeros(n, np.float32)
    if q.word_tokens:
        lexical += c.lexical.words.scores(q.word_tokens)
    if q.folded_tokens:
        lexical += c.lexical.folded.scores(q.folded_tokens)
    dense = c.embeddings.astype(np.float32) @ engine.searcher.embedder.encode_queries([q.dense_text])[0]
    if mask is not None:
        lexical, dense = np.where(mask, lexical, -np.inf), np.where(mask, dense, -np.inf)
    by_score = lambda s: [i for i in np.lexsort((np.arange(n), -s)) if np.isfinite(s[i])]  # noqa: E731
    d_top = by_score(dense)[:pool]
    l_top = [i for i in by_score(lexical)[:pool] if lexical[i] > 0]
    if mode == "dense":
        return [(i, float(dense[i])) for i in d_top[:k]]
    if mode == "lexical":
        return [(i, float(lexical[i])) for i in l_top[:k]]
    rows = np.array(sorted(set(d_top) | set(l_top)))
    fused = fusion.convex(dense[rows], lexical[rows], fusion.DENSE_WEIGHT)
    order = np.lexsort((rows, -fused))[:k]
    return [(int(rows[i]), float(fused[i])) for i in order]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_search_equals_the_full_array_reference(small_library, monkeypatch, mode):
    from hoidap import retrieve

    monkeypatch.setattr(retrieve, "CANDIDATES", 4)  # a pool smaller than the library, so candidates matter
    c = small_library.searcher.contents()
    assert len(c.passages) > 20
    only_law = np.array([p.doc_id == c.passages[-1].doc_id for p in c.passages])
    for query in ["hạ tầng số", "ha tang so thanh hoa", "trách nhiệm của Sở Thông tin và Truyền thông", "xử phạt"]:
        got = [(h.row, h.score) for h in small_library.search(query, k=6, mode=mode)]
        want = _reference_ranking(small_library, query, 6, mode, pool=6)
        assert [r for r, _ in got] == [r for r, _ in want], query
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-5), query
        doc = c.passages[-1].doc_id
        got = [h.row for h in small_library.search(query, k=6, mode=mode, filters=SearchFilter(doc_ids=(doc,)))]
        assert got == [r for r, _ in _reference_ranking(small_library, query, 6, mode, pool=6, mask=only_law)]
