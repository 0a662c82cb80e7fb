"""gather() on a real index (shared embedded model) over the sample plan and the VOV article."""
from __future__ import annotations

import pytest
from handout_samples import PLAN_FILE, VOV_FILE

from hoidap import handout as HO


@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    """A real engine over the sample plan and the VOV article (shared embedded model)."""
    from hoidap.engine import Engine
    from indexer.config import Settings

    root = tmp_path_factory.mktemp("handout-engine")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in (PLAN_FILE, VOV_FILE):
        (corpus / f.name).write_bytes(f.read_bytes())
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", cache_dir=embedder.settings.cache_dir)
    eng = Engine(settings, embedder=embedder)
    eng.index()
    return eng


def test_gather_topic_and_section(engine):
    hits = HO.gather(engine, "điện toán đám mây")
    texts = " ".join(h.passage.text for h in hits)
    assert "100% dịch vụ Trung tâm dữ liệu" in texts
    keys = [(h.document.source, h.passage.start) for h in hits]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # document order, no duplicates

    plan = next(d for d, _ in engine.documents() if d.meta.number == "888/KH-UBND")
    choices = HO.outline_choices(engine.searcher.contents().passages, plan.doc_id)
    values = [v for _, v in choices]
    section = next(v for v in values if v.startswith("III."))
    only = HO.gather(engine, "", plan.doc_id, section.split("\n"))
    assert only and all(h.passage.section_path[0].startswith("III.") for h in only)
    assert any("Sở Thông tin và Truyền thông" in h.passage.text for h in only)
    ho = HO.build_handout("", only)
    assert ho.responsibilities and ho.responsibilities[0].agency == "Sở Thông tin và Truyền thông"
