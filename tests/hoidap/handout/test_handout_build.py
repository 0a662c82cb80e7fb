"""Drafting: passages grouped by document and section, in document order."""
from __future__ import annotations


def test_passages_are_grouped_by_document_and_section(handout):
    docs = [g.doc_id for g in handout.groups]
    # one run per document (documents are not interleaved), sections in document order
    assert docs == sorted(docs, key=docs.index) and len(set(docs)) == handout.documents == 2
    plan = [g for g in handout.groups if g.doc_label == "Kế hoạch số 888/KH-UBND"]
    sections = [g.section for g in plan]
    assert sections.index("Mục II > 1") < sections.index("Mục II > 2") < sections.index("Mục III > 1")
