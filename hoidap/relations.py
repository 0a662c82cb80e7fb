"""Query side of documents in relation: status per hit and citation, the "current only"
filter, the tie-break that puts the current document first, renamed-agency notes and
cross-references.

One :class:`RelationView` per index version (the graph is built from the stored
texts on first use; ~1 ms per document). ``today`` is injectable for tests.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.relations import DocumentRelations, build_relations, load_renames, notice, renamed_in
from indexer.relations.crossref import ResolvedReference, find_references
from indexer.relations.graph import number_key
from indexer.relations.subject import TitleEncoder
from indexer.citation import NEWS_TYPE
from indexer.store import IndexContents

#: Subtracted from the fused score of a passage whose document has a successor (a newer
#: document on the same subject, or the one replacing it) among the same candidates: when
#: both answer, the current one ranks first. Fused scores are min-max normalised (0..1);
#: 0.05 reorders near-ties of near-identical plans and never demotes a clearly better
#: passage. Documents without an indexed successor are never moved.
SUPERSEDED_PENALTY = 0.05
#: A provision cited because an answer defers to it is shown whole up to this many passages.
MAX_REFERENCED_PASSAGES = 6


@dataclass
class RelationView:
    """Relations of one index version's documents at a date."""

    contents: IndexContents
    relations: dict[str, DocumentRelations]
    renames_path: Path | None = None
    _passages: dict[str, list] = field(default_factory=dict, repr=False)
    _numbers: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        contents: IndexContents,
        today: _dt.date | None = None,
        renames_path: Path | None = None,
        titles: TitleEncoder | None = None,
    ) -> "RelationView":
        """``titles``: the index's query encoder, so "same subject" also compares title embeddings."""
        return cls(contents, build_relations(contents.documents.values(), today, titles), renames_path)

    @functools.cached_property
    def has_successors(self) -> bool:
        """Any document with an indexed successor (else the tie-break has nothing to do)."""
        return any(r.successors for r in self.relations.values())

    def get(self, doc_id: str) -> DocumentRelations | None:
        return self.relations.get(doc_id)

    def versions(self, doc_id: str) -> frozenset[str]:
        """Indexed documents that are another version of this one: replacing or replaced by
        it, newer or older on the same subject (two successive plans share most sentences)."""
        r = self.relations.get(doc_id)
        if r is None:
            return frozenset()
        links = r.replaced_by + r.replaces + r.newer + r.older
        return frozenset(link.doc_id for link in links if link.doc_id)

    def is_current(self, doc_id: str) -> bool:
        r = self.relations.get(doc_id)
        return r is None or r.is_current

    def notice(self, doc_id: str) -> str:
        r = self.relations.get(doc_id)
        doc = self.contents.documents.get(doc_id)
        return notice(r, doc, self.relations) if r and doc else ""

    def status_json(self, doc_id: str, text: str = "") -> dict:
        """``status``, ``period``, ``newer`` (when any), ``notice`` and renamed-agency ``notes`` of a document
        ({} for news articles)."""
        r = self.relations.get(doc_id)
        doc = self.contents.documents.get(doc_id)
        if r is None or doc is None or doc.meta.doc_type == NEWS_TYPE:
            return {}  # a news article has no validity of its own: it reports on documents
        out: dict = {
            "status": r.status,
            "status_vi": r.status_vi,
            "reason": r.reason,
            "period": r.period.label if r.period else None,
            "effective": r.effective or None,
        }
        if r.newer:
            out["newer"] = [link.to_json() for link in r.newer]
        if r.replaced_by:
            out["replaced_by"] = [link.to_json() for link in r.replaced_by]
        out["notice"] = self.notice(doc_id)
        notes = self.renamed_notes(text)
        if notes:
            out["notes"] = notes
        return out

    def renamed_notes(self, text: str) -> list[str]:
        """A note per old agency name in ``text``:
        "Sở Thông tin và Truyền thông (nay là Sở Khoa học và Công nghệ, từ 1/3/2025)"."""
        return [r.note for r in renamed_in(text, load_renames(self.renames_path))] if text else []

    def current_mask(self, doc_ids: list[str]) -> np.ndarray:
        return np.fromiter((self.is_current(d) for d in doc_ids), dtype=bool, count=len(doc_ids))

    def superseded_penalty(self, row_docs: list[str]) -> np.ndarray:
        """Per candidate row: :data:`SUPERSEDED_PENALTY` when a successor of its document is also a candidate."""
        present = set(row_docs)
        out = np.zeros(len(row_docs), dtype=np.float32)
        for i, d in enumerate(row_docs):
            r = self.relations.get(d)
            if r is not None and any(s in present for s in r.successors):
                out[i] = SUPERSEDED_PENALTY
        return out

    def passages_of(self, doc_id: str) -> list:
        """The passages of one document (grouped once per index version)."""
        if not self._passages:
            for p in self.contents.passages:
                self._passages.setdefault(p.doc_id, []).append(p)
            documents = self.contents.documents.values()
            self._numbers.update({number_key(d.meta.number): d.doc_id for d in documents if d.meta.number})
        return self._passages.get(doc_id, [])

    def passage(self, doc_id: str, passage_id: str):
        return next((p for p in self.passages_of(doc_id) if p.passage_id == passage_id), None)

    def references(self, doc_id: str, passage_text: str, section_path: tuple[str, ...]) -> list[ResolvedReference]:
        """Cross-references in a passage -> passages
        ("Điều 5 của Luật này", "Phụ lục I", "Kế hoạch số 225/KH-UBND")."""
        self.passages_of(doc_id)
        return find_references(
            passage_text, doc_id, section_path, self.passages_of,
            lambda n: self._numbers.get(number_key(n), ""),
        )


def annotate_answer(answer, view: RelationView) -> None:
    """Each citation gets its document's ``relation``; a cited sentence that defers to another
    provision ("theo quy định tại Điều 5 của Luật này") also cites that provision.

    ``answer`` is a :class:`hoidap.answer.Answer` (duck-typed: answer imports retrieve, which
    imports this module). Added citations come after the answer's own, numbered on, and
    are listed in the deferring citation's ``references``.
    """
    from indexer.citation import passage_reference, section_label

    cited = {c.passage_id for c in answer.citations}
    for cit in list(answer.citations):
        cit.relation = view.status_json(cit.doc_id, cit.excerpt)
        passage = view.passage(cit.doc_id, cit.passage_id)
        if passage is None:
            continue
        sentences = " ".join(cit.excerpt[a:b] for a, b in cit.highlights) or cit.excerpt
        for ref in view.references(cit.doc_id, sentences, passage.section_path):
            found = (view.passage(ref.doc_id, pid) for pid in ref.passage_ids[:MAX_REFERENCED_PASSAGES])
            targets = [t for t in found if t is not None]
            if not targets or all(t.passage_id in cited for t in targets):
                continue
            doc = view.contents.documents[targets[0].doc_id]
            path = _common_prefix([t.section_path for t in targets])
            extra = dataclasses.replace(
                cit,
                n=len(answer.citations) + 1,
                doc_id=doc.doc_id,
                title=doc.meta.title or doc.doc_id,
                section=section_label(path),
                excerpt=doc.text[targets[0].start : targets[-1].end],  # the whole provision, verbatim
                source=doc.source,
                reference=passage_reference(doc.meta, doc.doc_id, path, targets[0].page),
                highlights=[],
                passage_id=targets[0].passage_id,
                page=targets[0].page,
                relation=view.status_json(doc.doc_id, targets[0].text),
                references=[],
                referenced_as=ref.text,
            )
            answer.citations.append(extra)
            cited.update(t.passage_id for t in targets)
            cit.references.append(extra.n)


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for level in zip(*paths):
        if any(h != level[0] for h in level):
            break
        out.append(level[0])
    return tuple(out)
