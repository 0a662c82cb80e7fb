"""Which passages a handout is drafted from: a wide search on the topic and/or a chosen section."""
from __future__ import annotations

from typing import Any, Sequence

from hoidap.handout.model import shorten
from hoidap.handout.relevance import Relevance, topic_relevance
from indexer.types import Passage

#: Passages taken from the search on a topic (more than a chat answer needs).
GATHER_K = 40


def section_passages(passages: Sequence[Passage], doc_id: str, prefix: Sequence[str]) -> list[Passage]:
    """Every passage of ``doc_id`` under the heading path ``prefix`` (empty = whole document)."""
    prefix = tuple(prefix)
    return [
        p
        for p in passages
        if p.doc_id == doc_id and tuple(p.section_path[: len(prefix)]) == prefix
    ]


def gather(
    engine: Any,
    topic: str = "",
    doc_id: str = "",
    section_prefix: Sequence[str] = (),
    k: int = GATHER_K,
    relevant: Relevance | None = None,
) -> list[Any]:
    """Hits for a handout: a wide search on ``topic`` plus every passage under a chosen section.

    A search returns its ``k`` best hits whether or not they are about the topic,
    so only hits ``relevant`` accepts are kept (default: the conservative stand-in
    :func:`~hoidap.handout.relevance.topic_relevance`; the relevance judge plugs in
    here). Without a topic, a chosen section is taken whole. Returned in document
    order (grouping reads like the source), without duplicates.
    """
    from hoidap.retrieve import Hit, SearchFilter

    contents = engine.searcher.contents()
    chosen: dict[str, Hit] = {}
    if topic.strip():
        if relevant is None:
            relevant = topic_relevance(topic)
        filters = None
        if doc_id or section_prefix:
            filters = SearchFilter(
                doc_ids=(doc_id,) if doc_id else (),
                section_prefix=tuple(section_prefix) if doc_id else (),
            )
        hits = engine.search(topic, k=k, filters=filters)
        for h in hits:
            if relevant(h):
                chosen.setdefault(h.passage.passage_id or f"{h.passage.doc_id}@{h.passage.start}", h)
    if doc_id and (section_prefix or not topic.strip()):
        doc = contents.documents.get(doc_id)
        if doc is not None:
            for p in section_passages(contents.passages, doc_id, section_prefix):
                hit = Hit(passage=p, document=doc, score=0.0)
                if relevant is None or relevant(hit):
                    chosen.setdefault(p.passage_id or f"{p.doc_id}@{p.start}", hit)
    return sorted(chosen.values(), key=lambda h: (h.document.source, h.passage.start))


def outline_choices(passages: Sequence[Passage], doc_id: str) -> list[tuple[str, str]]:
    """(label, value) for every heading prefix of a document, in order; value is the path joined by "\\n"."""
    from indexer.citation import section_label

    seen: dict[tuple[str, ...], None] = {}
    for p in passages:
        if p.doc_id != doc_id:
            continue
        path = tuple(p.section_path)
        for depth in range(1, len(path) + 1):
            seen.setdefault(path[:depth], None)
    out = []
    for path in seen:
        label = section_label(path) or path[-1]
        heading = shorten(path[-1], 70)
        out.append((f"{'  ' * (len(path) - 1)}{label} — {heading}", "\n".join(path)))
    return out
