"""The relation fixtures (tests/fixtures/relations) loaded as documents, with their sidecars."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.readers import load_bytes
from indexer.relations.sidecar import read_sidecar_bytes, sidecar_overrides

FIXTURES = Path(__file__).parents[2] / "fixtures" / "relations"


def load_fixture(name: str):
    path = FIXTURES / name
    doc = load_bytes(path.read_bytes(), path.name, doc_id=path.stem)
    doc.overrides = sidecar_overrides(read_sidecar_bytes(path), path.name)
    return doc


@pytest.fixture(scope="session")
def relation_docs():
    """doc_id -> Document of every fixture text (read-only: tests copy before changing one)."""
    return {p.stem: load_fixture(p.name) for p in sorted(FIXTURES.glob("*.txt"))}
