"""Fixtures of the reliability/security suite: a small real corpus, a built index
(session-scoped; copy it with ``fresh_copy`` before damaging it) and engines on
it that share the session embedder. Helpers live in reliability_support.py.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reliability_support import SAMPLES, load_generators, make_corpus


@pytest.fixture(scope="session")
def gen():
    return load_generators()


@pytest.fixture(scope="session")
def settings_for(base_settings):
    def make(root: Path, **kw):
        return base_settings.with_(corpus_dir=root / "corpus", index_dir=root / "index", threads=1, **kw)

    return make


@pytest.fixture(scope="session")
def built(tmp_path_factory, settings_for, embedder):
    """A corpus folder and an index built from it (never damage it: use ``fresh_copy``)."""
    from indexer.build import index_paths

    root = tmp_path_factory.mktemp("reliability-built")
    make_corpus(root / "corpus")
    report = index_paths([root / "corpus"], settings_for(root), embedder=embedder)
    assert report.documents == len(SAMPLES) and not report.errors
    return root


@pytest.fixture
def fresh_copy(built, tmp_path, settings_for):
    """A private copy of the built corpus + index: (root, settings)."""
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    return root, settings_for(root)


@pytest.fixture
def engine_on(embedder):
    def make(settings):
        from hoidap.engine import Engine

        return Engine(settings, embedder=embedder)

    return make
