"""Handouts drafted from the sample plans and the VOV article, shared by the handout tests."""
from __future__ import annotations

import pytest
from handout_samples import PLAN_FILE, TABLE_PLAN_FILE, VOV_FILE, draft, hits_of, write_task_table_docx

from hoidap import handout as HO
from hoidap.retrieve import Hit


@pytest.fixture(scope="session")
def plan_hits() -> list[Hit]:
    return hits_of(PLAN_FILE)


@pytest.fixture(scope="session")
def vov_hits() -> list[Hit]:
    return hits_of(VOV_FILE)


@pytest.fixture(scope="session")
def handout(plan_hits) -> HO.Handout:
    return draft("hạ tầng số", plan_hits + hits_of(VOV_FILE))


@pytest.fixture(scope="session")
def engine(tmp_path_factory, embedder):
    """A real engine (shared embedded model) over the sample plan, the VOV article and two plans with task tables."""
    from hoidap.engine import Engine
    from indexer.config import Settings

    root = tmp_path_factory.mktemp("handout-engine")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in (PLAN_FILE, VOV_FILE, TABLE_PLAN_FILE):
        (corpus / f.name).write_bytes(f.read_bytes())
    write_task_table_docx(corpus / "ke_hoach_bang_nhiem_vu.docx")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", cache_dir=embedder.settings.cache_dir,
                        agency="Sở Thông tin và Truyền thông tỉnh Thanh Hóa")
    eng = Engine(settings, embedder=embedder)
    eng.index()
    return eng
