"""Real Vietnamese passages for the handout tests (imported by the test modules and conftest).

Passages come from the real loader and splitter (indexer.load / indexer.structure)
over the VOV article in corpus/ and the sample plan used by the browser test.
"""
from __future__ import annotations

from pathlib import Path

from hoidap import handout as HO
from hoidap.retrieve import Hit
from indexer.load import load_bytes
from indexer.structure import split_passages

REPO = Path(__file__).parents[3]
PLAN_FILE = REPO / "tests" / "e2e" / "fixtures" / "ke_hoach_mau_e2e.txt"
VOV_FILE = REPO / "corpus" / "plan225-vov-article.txt"
XSS_FILE = REPO / "tests" / "e2e" / "fixtures" / "kiem_tra_hien_thi.txt"


def hits_of(path: Path) -> list[Hit]:
    doc = load_bytes(path.read_bytes(), path.name)
    passages = split_passages(doc)
    for i, p in enumerate(passages):
        p.passage_id = p.passage_id or f"{doc.doc_id}#{i}"
    return [Hit(passage=p, document=doc, score=0.0) for p in passages]


def passage_text(handout: HO.Handout, item: HO.HandoutItem) -> str:
    for g in handout.groups:
        for p in g.items:
            if p.passage_id == item.passage_id:
                return p.text
    raise AssertionError(f"no passage {item.passage_id}")
