"""Drafting a handout from gathered hits: keep what is relevant, read targets and duties, add questions.

Relevance is decided per paragraph (a passage may mix the topic with something
else); a passage the predicate accepts as a whole but none of whose paragraphs
it accepts alone keeps all its paragraphs (a semantic judge may see the topic
in the passage, not in any single line).
"""
from __future__ import annotations

from typing import Any, Sequence

from hoidap.handout.duties import extract_responsibilities
from hoidap.handout.model import Handout, HandoutItem, PassageGroup, Source
from hoidap.handout.questions import draft_questions
from hoidap.handout.relevance import Relevance
from hoidap.handout.targets import extract_targets
from hoidap.handout.units import paragraphs, sentences_of
from indexer.types import Document


def reference_of(hit: Any) -> str:
    """The full citation of a hit (document, section, page)."""
    from hoidap.answer import document_reference

    return document_reference(hit)


def _doc_label(doc: Document) -> tuple[str, str]:
    from indexer.citation import document_heading as doc_heading

    label, title = doc_heading(doc.meta, doc.meta.title or doc.doc_id)
    return label or title, title


def _document_citation(doc: Document) -> str:
    """The document's citation without a section ("Kế hoạch số … ngày … của …")."""
    from hoidap.retrieve import Hit
    from indexer.types import Passage

    return reference_of(Hit(passage=Passage(doc_id=doc.doc_id, text=""), document=doc, score=0.0))


def relevant_paragraphs(hit: Any, relevant: Relevance | None) -> list[Any]:
    """The hit's paragraphs to read items from: all without a predicate, none if it is not relevant."""
    paras = paragraphs(hit)
    if relevant is None:
        return paras
    kept = [p for p in paras if relevant(p)]
    return kept or (paras if relevant(hit) else [])


def _groups(ordered: Sequence[Any]) -> list[PassageGroup]:
    groups: dict[tuple[str, str], PassageGroup] = {}
    for i, h in enumerate(ordered, 1):
        label, title = _doc_label(h.document)
        key = (h.passage.doc_id, h.passage.section)
        g = groups.get(key)
        if g is None:
            g = groups[key] = PassageGroup(h.passage.doc_id, label, title, h.passage.section)
        g.items.append(
            HandoutItem(
                key=f"p{i}",
                kind="passage",
                text=h.passage.text,
                reference=reference_of(h),
                doc_id=h.passage.doc_id,
                section=h.passage.section,
                passage_id=h.passage.passage_id,
            )
        )
    return list(groups.values())


def _deadline_targets(responsibilities: list[HandoutItem], start: int) -> list[HandoutItem]:
    """A task-table row with a completion time is also a deadline to present."""
    out = []
    for r in responsibilities:
        if r.deadline and r.task:
            out.append(
                HandoutItem(
                    key=f"t{start + len(out) + 1}", kind="target", text=r.task, reference=r.reference,
                    doc_id=r.doc_id, section=r.section, passage_id=r.passage_id, figures=[r.deadline],
                    subject=r.agency, deadline=r.deadline,
                )
            )
    return out


def build_handout(
    topic: str, hits: Sequence[Any], relevant: Relevance | None = None, agency: str = ""
) -> Handout:
    """Draft the handout from gathered hits (see :func:`~hoidap.handout.gather.gather`).

    ``topic`` is the handout's title. ``relevant`` decides which paragraphs items
    come from (:func:`~hoidap.handout.service.make_handout` passes the topic's);
    None keeps every paragraph of the hits, as gathered.
    """
    topic = topic.strip()
    ordered, paras = [], []
    for h in sorted(hits, key=lambda h: (h.document.source, h.passage.start)):
        kept = relevant_paragraphs(h, relevant)
        if kept:
            ordered.append(h)
            paras += kept
    handout = Handout(topic=topic, groups=_groups(ordered), agency=agency)
    handout.documents = len({h.passage.doc_id for h in ordered})
    docs = {h.passage.doc_id: h.document for h in ordered}
    handout.sources = [
        Source(doc_id, _doc_label(doc)[0], _document_citation(doc), doc.meta.title, doc.meta.place) for doc_id, doc in docs.items()
    ]
    handout.targets = extract_targets(sentences_of(paras), reference_of)
    handout.responsibilities = extract_responsibilities(paras, reference_of)
    handout.targets += _deadline_targets(handout.responsibilities, len(handout.targets))
    handout.questions = draft_questions(handout)
    return handout
