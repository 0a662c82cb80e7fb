"""Drafting a handout from gathered hits: group passages, pick targets and responsibilities, add questions."""
from __future__ import annotations

from typing import Any, Sequence

from hoidap.handout.extract import responsibility_of, sentences_of, target_figures
from hoidap.handout.model import Handout, HandoutItem, PassageGroup
from hoidap.handout.questions import draft_questions
from indexer import text as vtext
from indexer.types import Document


def _reference(hit: Any) -> str:
    from hoidap.answer import document_reference

    return document_reference(hit)  # type: ignore[arg-type]


def _doc_label(doc: Document) -> tuple[str, str]:
    from hoidap.handlers import doc_heading

    label, title = doc_heading(doc.meta, doc.meta.title or doc.doc_id)
    return label or title, title


def build_handout(topic: str, hits: Sequence[Any]) -> Handout:
    """Draft the handout from gathered hits (see :func:`gather`)."""
    handout = Handout(topic=topic.strip())
    # passages grouped by document, then section, in document order
    ordered = sorted(hits, key=lambda h: (h.document.source, h.passage.start))
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
                reference=_reference(h),
                doc_id=h.passage.doc_id,
                section=h.passage.section,
                passage_id=h.passage.passage_id,
            )
        )
    handout.groups = list(groups.values())
    handout.documents = len({h.passage.doc_id for h in ordered})

    seen: set[str] = set()
    for s in sentences_of(ordered):
        key = vtext.fold(" ".join(s.text.split()))
        if key in seen:
            continue
        seen.add(key)
        ref = _reference(s.hit)
        common = dict(
            reference=ref,
            doc_id=s.hit.passage.doc_id,
            section=s.hit.passage.section,
            passage_id=s.hit.passage.passage_id,
        )
        figures = target_figures(s.text)
        if figures:
            handout.targets.append(
                HandoutItem(key=f"t{len(handout.targets) + 1}", kind="target", text=s.text, figures=figures, **common)
            )
        resp = responsibility_of(s.text, s.hit.passage.section_path)
        if resp:
            agency, role, partners = resp
            handout.responsibilities.append(
                HandoutItem(
                    key=f"r{len(handout.responsibilities) + 1}",
                    kind="responsibility",
                    text=s.text,
                    agency=agency,
                    role=role,
                    partners=partners,
                    **common,
                )
            )
    handout.questions = draft_questions(handout)
    return handout
