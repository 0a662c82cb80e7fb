"""The relations between indexed documents, and the status of each at a given date.

Built from the texts (period, effective date, "Căn cứ" list, "thay thế" / "hết
hiệu lực" sentences) and the administrators' sidecars, once per index version. A
relation names its target by số hiệu; the target is linked when a document with
that number is indexed, else shown as not indexed.

Status (``STATUS_VI``): a sidecar's status wins; otherwise a document replaced or
repealed by another one already in force is "bị thay thế" / "hết hiệu lực"; one whose
effective date is after ``today`` is "chưa có hiệu lực"; a plan whose period ended
before ``today``'s year is "hết thời kỳ áp dụng"; everything else is "còn hiệu lực".

Links: "Căn cứ …" (``based_on`` / ``cited_by``) and "Thực hiện …" (``implements`` /
``implemented_by``: a plan carrying out a higher one) are kept apart, as the preamble
writes them.

Newer documents on the same subject: same type, same issuer, later period, and the
same subject by :class:`~indexer.relations.subject.SubjectMatcher` (shared title
words, or, given the index's encoder, close title embeddings).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from indexer.citation import document_citation, format_date_vi
from indexer.metadata.names import normalize_number
from indexer.relations.basis import cited_documents
from indexer.relations.subject import SubjectMatcher, TitleEncoder
from indexer.relations.validity import STATUS_VI, Period, explicit_relations, extract_effective, extract_period
from indexer.text import fold
from indexer.types import Document

_RELATION_WORDS = ("thay thế", "bãi bỏ", "hiệu lực", "sửa đổi")


@dataclass(frozen=True)
class Link:
    """A related document as named (``label``) and, when indexed, its ``doc_id``."""

    label: str
    number: str = ""
    doc_id: str = ""  # "" = not indexed

    def to_json(self) -> dict:
        return {"label": self.label, "number": self.number, "doc_id": self.doc_id or None, "indexed": bool(self.doc_id)}


@dataclass
class DocumentRelations:
    """What one document is, at the graph's date, and how it relates to the others."""

    doc_id: str
    status: str = "con_hieu_luc"
    reason: str = ""
    period: Period | None = None
    effective: str = ""
    based_on: list[Link] = field(default_factory=list)  # its "Căn cứ" list
    cited_by: list[Link] = field(default_factory=list)  # indexed documents based on it
    implements: list[Link] = field(default_factory=list)  # its "Thực hiện" list
    implemented_by: list[Link] = field(default_factory=list)  # indexed documents implementing it
    replaces: list[Link] = field(default_factory=list)
    replaced_by: list[Link] = field(default_factory=list)
    newer: list[Link] = field(default_factory=list)  # same subject, later period
    older: list[Link] = field(default_factory=list)

    @property
    def status_vi(self) -> str:
        return STATUS_VI.get(self.status, self.status)

    @property
    def is_current(self) -> bool:
        return self.status == "con_hieu_luc"

    @property
    def successors(self) -> list[str]:
        """Indexed documents that take this one's place (replacing or newer)."""
        return list(dict.fromkeys(link.doc_id for link in self.replaced_by + self.newer if link.doc_id))


def number_key(number: str) -> str:
    """Số hiệu compared without case, spaces or diacritics: "225/KH-UBND" == "225/kh-ubnd"."""
    return fold(normalize_number(number)).upper()


def document_label(doc: Document) -> str:
    """"Kế hoạch số 178/KH-UBND ngày 25/8/2025 của UBND tỉnh Thanh Hóa" (title when unnumbered)."""
    return document_citation(doc.meta, doc.doc_id)


def build_relations(
    documents: Iterable[Document], today: _dt.date | None = None, titles: TitleEncoder | None = None
) -> dict[str, DocumentRelations]:
    """Relations and status of every document at ``today`` (default: the real date).

    ``titles`` (the index's query encoder) lets titles of differing words still name the
    same subject (:mod:`indexer.relations.subject`); without it only shared words count.
    """
    today = today or _dt.date.today()
    docs = {d.doc_id: d for d in documents}
    by_number = {number_key(d.meta.number): d.doc_id for d in docs.values() if d.meta.number}
    by_title = {fold(d.meta.title): d.doc_id for d in docs.values() if d.meta.doc_type in ("Luật", "Bộ luật")}
    rel = {doc_id: _own(doc, by_number, by_title) for doc_id, doc in docs.items()}

    def link_to(doc_id: str) -> Link:
        return Link(document_label(docs[doc_id]), docs[doc_id].meta.number, doc_id)

    def in_force(doc_id: str) -> bool:  # a replacing document counts from its effective date
        effective = rel[doc_id].effective
        return not effective or effective <= today.isoformat()

    for doc_id, doc in docs.items():
        r = rel[doc_id]
        for links, reverse in ((r.based_on, "cited_by"), (r.implements, "implemented_by")):
            for link in links:
                if link.doc_id and link.doc_id != doc_id:
                    _add(getattr(rel[link.doc_id], reverse), link_to(doc_id))
        for kind, number in _relations_of(doc):
            target = by_number.get(number_key(number))
            if kind == "replaced_by":  # from the sidecar: this document is the target
                _add(r.replaced_by, link_to(target) if target else Link(number, number))
                continue
            _add(r.replaces, link_to(target) if target else Link(number, number))
            if target and target != doc_id:
                _add(rel[target].replaced_by, link_to(doc_id))
                if kind in ("het_hieu_luc", "bai_bo") and in_force(doc_id):
                    rel[target].status = "het_hieu_luc"
        for number in doc.overrides.get("newer", []):
            target = by_number.get(number_key(number))
            r.newer.append(link_to(target) if target else Link(number, number))
    _link_newer(docs, rel, link_to, SubjectMatcher(titles))
    for doc_id, doc in docs.items():
        _decide_status(rel[doc_id], doc, today, in_force)
    return rel


def _add(links: list[Link], link: Link) -> None:
    if link not in links:
        links.append(link)


def _own(doc: Document, by_number: dict[str, str], by_title: dict[str, str]) -> DocumentRelations:
    """What a document says of itself: period, effective date, "Căn cứ" list (+ sidecar)."""
    o = doc.overrides
    period = Period.parse(o["period"]) if o.get("period") else extract_period(doc.meta.title, doc.text)
    effective = o.get("effective") or extract_effective(doc.text, doc.meta.date)
    lists: dict[str, list[Link]] = {"can_cu": [], "thuc_hien": []}
    for c in cited_documents(doc.text):
        target = by_number.get(number_key(c.number)) if c.number else by_title.get(fold(c.name))
        lists[c.relation].append(Link(c.label, c.number, target or ""))
    for key, relation in (("based_on", "can_cu"), ("implements", "thuc_hien")):
        for number in o.get(key, []):
            _add(lists[relation], Link(number, number, by_number.get(number_key(number), "")))
    return DocumentRelations(
        doc.doc_id, period=period, effective=effective, based_on=lists["can_cu"], implements=lists["thuc_hien"]
    )


def _relations_of(doc: Document) -> list[tuple[str, str]]:
    """(kind, số hiệu) of the text's explicit relations and the sidecar's "replaces"/"replaced_by"."""
    found: list[tuple[str, str]] = []
    lowered = doc.text.lower()
    if any(w in lowered for w in _RELATION_WORDS):  # most documents state none: skip the sentence scan
        own = number_key(doc.meta.number)
        found = [(r.kind, r.number) for r in explicit_relations(doc.text) if number_key(r.number) != own]
    found += [("thay_the", n) for n in doc.overrides.get("replaces", [])]
    found += [("replaced_by", n) for n in doc.overrides.get("replaced_by", [])]
    return list(dict.fromkeys(found))


def _link_newer(
    docs: dict[str, Document], rel: dict[str, DocumentRelations], link_to, subject: SubjectMatcher
) -> None:
    """Pairs of same type, issuer and subject where one's period ends later: older -> newer."""
    groups: dict[tuple[str, str], list[str]] = {}
    for doc_id, d in docs.items():
        if rel[doc_id].period and d.meta.doc_type and d.meta.issuer:
            groups.setdefault((d.meta.doc_type, fold(d.meta.issuer)), []).append(doc_id)
    groups = {key: members for key, members in groups.items() if len(members) > 1}
    subject.prepare([docs[d].meta.title for members in groups.values() for d in members])  # one batch
    for members in groups.values():
        for a in members:
            for b in members:
                pa, pb = rel[a].period, rel[b].period
                if a != b and pa and pb and pb.end > pa.end and subject.same(docs[a].meta.title, docs[b].meta.title):
                    if b not in {link.doc_id for link in rel[a].newer}:
                        rel[a].newer.append(link_to(b))
                    rel[b].older.append(link_to(a))


def _decide_status(r: DocumentRelations, doc: Document, today: _dt.date, in_force: Callable[[str], bool]) -> None:
    o = doc.overrides
    this = f"{doc.meta.doc_type} này" if doc.meta.doc_type else "Văn bản này"
    replacing = [link for link in r.replaced_by if not link.doc_id or in_force(link.doc_id)]
    if o.get("status"):
        r.status, r.reason = o["status"], o.get("reason") or "Theo thông tin do quản trị viên cập nhật."
    elif r.status == "het_hieu_luc" or replacing:
        if r.status != "het_hieu_luc":
            r.status = "bi_thay_the"
        by = "; ".join(link.label for link in replacing or r.replaced_by)
        r.reason = f"{this} đã {'hết hiệu lực' if r.status == 'het_hieu_luc' else 'bị thay thế'} theo {by}."
    elif r.effective and r.effective > today.isoformat():
        r.status = "chua_hieu_luc"
        r.reason = f"{this} chưa có hiệu lực: có hiệu lực từ ngày {format_date_vi(r.effective)}."
    elif r.period and r.period.end < today.year:
        r.status = "het_thoi_ky"
        r.reason = f"{this} áp dụng giai đoạn {r.period.label}, đã hết thời kỳ áp dụng."
    if r.replaced_by and not replacing and r.status == "con_hieu_luc":
        by = "; ".join(link.label for link in r.replaced_by)
        r.reason = f"{this} còn hiệu lực đến khi văn bản thay thế có hiệu lực: {by}."


def notice(r: DocumentRelations, doc: Document, docs_relations: dict[str, DocumentRelations]) -> str:
    """The line every answer and hit from an outdated document carries; "" for a current one without newer.

    "Kế hoạch này áp dụng giai đoạn 2023–2025; văn bản mới hơn: Kế hoạch số 178/KH-UBND ngày
    25/8/2025 của UBND tỉnh Thanh Hóa (2025–2030)".
    """
    if r.is_current and not r.newer:
        return ""
    this = f"{doc.meta.doc_type} này" if doc.meta.doc_type else "Văn bản này"
    parts = []
    if r.status in ("bi_thay_the", "het_hieu_luc", "chua_hieu_luc") or (not r.is_current and not r.period):
        parts.append(r.reason.rstrip("."))
    elif r.period:
        parts.append(f"{this} áp dụng giai đoạn {r.period.label}")
    newer = []
    for link in r.newer:
        other = docs_relations.get(link.doc_id)
        span = f" ({other.period.label})" if other and other.period else ""
        newer.append(link.label + span)
    if newer:
        parts.append("văn bản mới hơn: " + "; ".join(newer))
    return "; ".join(parts)
