"""Extractive answers with citations: every sentence of an answer is copied from a
cited passage, and ``citations[n-1].excerpt`` contains it verbatim.

After retrieval, the sentences of the top passages are scored against the
question (:mod:`hoidap.evidence`); the judge (:mod:`hoidap.judge`) turns the
evidence of the best one into the probability that it answers the question.
Below the judge's threshold the answer says so and offers the nearest
passages. Answer sentences address the question, are never a title or a
heading, and never say the same thing twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hoidap import judge as judging
from hoidap import question_form
from hoidap.names import question_names
from hoidap.evidence import (
    RERANK_PASSAGES,
    Scored,
    ScoredSentence,
    SentenceScorer,
    coverage as _coverage,  # noqa: F401  (tests import it from here)
    lead_in_span,
    near_duplicate,
    same_row as _same_row,
    typed_spellings as _typed_spellings,  # noqa: F401
)
from hoidap.retrieve import Hit, Searcher
from indexer import text as vtext
from indexer.citation import passage_reference

NOT_FOUND_VI = "Không tìm thấy thông tin này trong các tài liệu đã lập chỉ mục."
RELATED_VI = "Các đoạn có thể liên quan được liệt kê bên dưới."

#: At most this many sentences make an answer.
MAX_ANSWER_SENTENCES = 4
#: Excerpts longer than this many characters are cut to a window around the cited sentence.
MAX_EXCERPT_CHARS = 900


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    section: str  # human-readable path, "Mục II > 1 > a"
    excerpt: str  # passage text (or a window of it) containing the cited sentence verbatim
    score: float
    source: str
    reference: str = ""  # full citation for copying: "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của ..., Mục II, khoản 1"
    highlights: list[tuple[int, int]] = field(default_factory=list)  # cited sentence spans within excerpt
    passage_id: str = ""
    page: int | None = None
    relation: dict = field(default_factory=dict)  # status, period, newer, notice, notes (hoidap.relations)
    references: list[int] = field(default_factory=list)  # n of the citations this one's sentence defers to
    referenced_as: str = ""  # for such a cited provision: how the deferring sentence names it ("Điều 5 của Luật này")

    def to_json(self) -> dict:
        return {
            **self.relation,
            "references": self.references,
            "referenced_as": self.referenced_as or None,
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "excerpt": self.excerpt,
            "score": round(float(self.score), 6),
            "source": self.source,
            "reference": self.reference,
            "highlights": [list(h) for h in self.highlights],
            "page": self.page,
        }


@dataclass
class Answer:
    question: str
    found: bool
    answer: str
    citations: list[Citation] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)  # nearest passages when not found
    #: the judge's probability that the answer is right (:mod:`hoidap.judge`)
    confidence: float = 0.0
    #: the judge's features behind ``confidence`` (None when nothing was retrieved)
    evidence: judging.Evidence | None = None

    @property
    def confidence_label(self) -> str:
        """"độ tin cậy: cao / trung bình" for answers (thresholds from the judge's calibration)."""
        return judging.confidence_label(self.confidence)

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
            "related": [h.to_json() for h in self.related],
            "confidence": round(float(self.confidence), 4),
            "confidence_label": self.confidence_label,
        }


def document_reference(hit: Hit) -> str:
    """Vietnamese administrative citation: "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1"."""
    p = hit.passage
    return passage_reference(
        hit.document.meta, hit.document.doc_id, p.section_path, p.page, ocr=hit.document.is_ocr(p.start)
    )


class Answerer:
    """Question -> extractive, cited answer, over a ``Searcher``; the judge decides whether to answer."""

    def __init__(self, searcher: Searcher, model: judging.JudgeModel | None = None) -> None:
        self.searcher = searcher
        self.scorer = SentenceScorer(searcher)
        self._model = model

    @property
    def model(self) -> judging.JudgeModel:
        """The judge (the shipped one unless given; loaded on first use)."""
        return self._model or judging.default_model()

    def ask(self, question: str, k: int = 5, mode: str = "hybrid", filters: object = None) -> Answer:
        hits = self.searcher.search(question, k=max(k, RERANK_PASSAGES), mode=mode, filters=filters)
        if not hits:
            return Answer(question, False, NOT_FOUND_VI)
        q = self.searcher.analysis(question)
        scored = self.scorer.score(q, hits, mode)
        best = scored.best()
        evidence = self._evidence(q, hits, scored, best) if best else None
        confidence = self.model.probability(evidence) if evidence else 0.0
        if best is None or evidence is None or not self.model.answers(confidence):
            related = _rerank(hits, scored.sentences)[:k]
            answer = Answer(question, False, f"{NOT_FOUND_VI} {RELATED_VI}", related=related, confidence=confidence)
        else:
            answer = self._compose(question, hits, _choose(scored.sentences, best), confidence)
        answer.evidence = evidence
        return answer

    def judge_hits(self, question: str, hits: list[Hit], mode: str = "hybrid") -> list[float]:
        """The judge's probability that each hit answers (is relevant to) ``question``."""
        return [p for p, _ in self._judged_hits(question, hits, mode)]

    def relevant_hits(self, topic: str, hits: list[Hit], mode: str = "hybrid") -> list[Hit]:
        """Marks each hit's ``relevant`` (and ``confidence``); relevant hits first, otherwise in rank order.

        For search results and for building a handout on ``topic``: keep
        ``[h for h in engine.relevant_hits(topic, hits) if h.relevant]``. A passage is
        relevant when the judge says it could answer, or, for a topic (no question form:
        "trung tâm dữ liệu"), when it writes the whole topic (:func:`writes_topic`).
        """
        is_topic = question_form.analyse_form(topic).kind == "other" and "?" not in topic
        for h, (p, evidence) in zip(hits, self._judged_hits(topic, hits, mode)):
            h.relevant = p >= self.model.relevant or (is_topic and evidence is not None and writes_topic(evidence))
            h.confidence = p
        return sorted(hits, key=lambda h: not h.relevant)

    def _judged_hits(self, question: str, hits: list[Hit], mode: str) -> list[tuple[float, judging.Evidence | None]]:
        """Each hit judged on its own evidence: how far its document leads the others and
        whether dense and BM25 agree on the best document say whether *one* answer stands
        out, not whether this passage is relevant (a topic such as "hạ tầng số" has several
        relevant documents), so they count at their training mean here.
        """
        if not hits:
            return []
        q = self.searcher.analysis(question)
        scored = self.scorer.score(q, hits, mode, limit=len(hits))
        model = self.model
        neutral = {f: model.mean[model.features.index(f)] for f in ("margin", "agree")}
        out: list[tuple[float, judging.Evidence | None]] = []
        for i in range(len(hits)):
            best = scored.best_of(i)
            if best is None:
                out.append((0.0, None))
                continue
            evidence = replace(self._evidence(q, hits, scored, best), **neutral)
            out.append((model.probability(evidence), evidence))
        return out

    def _evidence(self, q, hits: list[Hit], scored: Scored, best: ScoredSentence) -> judging.Evidence:
        return judging.evidence_for(
            q,
            hits,
            best.hit_index,
            sentence_dense=best.dense,
            sentence_coverage=best.coverage,
            addresses=best.addresses,
            passage_coverage=scored.passage_coverage[best.hit_index],
            unknown=scored.unknown,
            phrases=scored.passage_phrases[best.hit_index],
            rarest_missing=scored.rarest_missing[best.hit_index],
            names=scored.passage_names[best.hit_index],
            definition=scored.form.kind == "definition",
            versions=self.searcher.relations().versions(hits[best.hit_index].passage.doc_id),
        )

    # ------------------------------------------------------------------ compose
    def _compose(self, question: str, hits: list[Hit], chosen: list[ScoredSentence], confidence: float) -> Answer:
        """``hits`` is the list the sentences were scored against (``hit_index`` points into it)."""
        citations: list[Citation] = []
        by_passage: dict[str, Citation] = {}
        shift: dict[str, int] = {}
        parts = []
        form, names = question_form.analyse_form(question), question_names(question)
        for s in chosen:
            s = _speaker_only(s, form, names)
            hit = hits[s.hit_index]
            pid = hit.passage.passage_id
            cit = by_passage.get(pid)
            lead = lead_in_span(hit)
            if cit is None:
                start, end = self._context_span(hit)
                if lead is not None:  # the excerpt reaches back to the list's lead-in
                    start = min(start, lead[0])
                shift[pid] = hit.passage.start - start
                cit = Citation(
                    n=len(citations) + 1,
                    doc_id=hit.passage.doc_id,
                    title=hit.title,
                    section=hit.passage.section,
                    excerpt=hit.document.text[start:end],
                    score=s.score,
                    source=hit.document.source,
                    reference=document_reference(hit),
                    passage_id=pid,
                    page=hit.passage.page,
                )
                by_passage[pid] = cit
                citations.append(cit)
            if lead is not None:
                # a list item is quoted with the line introducing its list: "b) Với số lượng 3.000 cây trở
                # lên;" says nothing without "… thì bị phạt tù từ 03 năm đến 07 năm:"
                at = (lead[0] - hit.passage.start + shift[pid], lead[1] - hit.passage.start + shift[pid])
                if at not in cit.highlights:
                    cit.highlights.append(at)
                    parts.append(f"{hit.document.text[lead[0] : lead[1]]} [{cit.n}]")
            cit.highlights.append((s.start + shift[pid], s.end + shift[pid]))
            parts.append(f"{s.text.strip()} [{cit.n}]")
        for cit in citations:
            _trim_excerpt(cit)
        return Answer(question, True, " ".join(parts), citations, confidence=confidence)


    def _context_span(self, hit: Hit) -> tuple[int, int]:
        """The cited passage widened with its neighbours under the same top heading.

        Passages are small (one khoản, one point); a reader checking a citation
        wants the surrounding clause too. Grows both ways while the excerpt stays
        under ``MAX_EXCERPT_CHARS``; always verbatim source text.
        """
        p = hit.passage
        start, end = p.start, p.end
        contents = self.searcher.contents()
        rows = contents.passages
        if not _same_row(contents, hit):
            return start, end  # the index was swapped meanwhile: cite the passage alone
        top = p.section_path[:1]

        def joinable(i: int) -> bool:
            return 0 <= i < len(rows) and rows[i].doc_id == p.doc_id and rows[i].section_path[:1] == top

        before, after = hit.row - 1, hit.row + 1
        while True:
            grown = False
            if joinable(before) and max(end, rows[before].end) - rows[before].start <= MAX_EXCERPT_CHARS:
                start, before, grown = rows[before].start, before - 1, True
            if joinable(after) and rows[after].end - start <= MAX_EXCERPT_CHARS:
                end, after, grown = rows[after].end, after + 1, True
            if not grown:
                return start, end


def writes_topic(evidence: judging.Evidence) -> bool:
    """Whether a passage writes a whole search topic: every word and every word pair of it,
    its names, and no word the corpus lacks.

    Topics typed in Tra cứu or for a handout are short noun phrases, whose cosines to any
    passage run lower than a question's to its answer (e5: "trung tâm dữ liệu" 0.85 to the
    sentence naming it, against 0.88 on average for training questions), so the answer judge
    put the Plan 225 sentence naming "Trung tâm dữ liệu" at 0.25 and said nothing was relevant.
    A passage holding the topic word for word is about it, whatever the cosine.
    """
    return evidence.coverage_passage >= 0.999 and evidence.phrases >= 0.999 and evidence.names >= 1.0 and evidence.unknown == 0.0


def _speaker_only(s: ScoredSentence, form: question_form.QuestionForm, names: list[str]) -> ScoredSentence:
    """The sentence cut to its speaker clause for a "who" question (see
    :func:`question_form.speaker_clause`); the sentence itself otherwise."""
    span = question_form.speaker_clause(form, names, s.text)
    if span is None:
        return s
    lo, hi = span
    return replace(s, start=s.start + lo, end=s.start + hi, text=s.text[lo:hi])


def _rerank(hits: list[Hit], sentences: list[ScoredSentence]) -> list[Hit]:
    """Hits by their best sentence's score (rank order breaks near-ties)."""
    if not sentences:
        return hits
    best: dict[int, float] = {}
    for s in sentences:
        best[s.hit_index] = max(best.get(s.hit_index, -1.0), s.score)
    n = len(hits)
    return [hits[i] for i in sorted(range(n), key=lambda i: -(best.get(i, -1.0) + 0.02 * (n - i) / n))]


def _choose(sentences: list[ScoredSentence], top: ScoredSentence) -> list[ScoredSentence]:
    """The answer's sentences: ``top`` (the judged one), then those close to it that address
    the question as well as it does, no repeats."""
    chosen: list[ScoredSentence] = [top]
    for s in sorted(sentences, key=lambda s: -s.score):
        if s is top:
            continue
        if len(chosen) >= MAX_ANSWER_SENTENCES or s.score < top.score - 0.03:
            break
        if s.addresses < top.addresses or any(near_duplicate(s.text, c.text) for c in chosen):
            continue
        chosen.append(s)
    return chosen


def _trim_excerpt(cit: Citation) -> None:
    """Cut very long excerpts to a window around the cited sentences (still verbatim)."""
    if len(cit.excerpt) <= MAX_EXCERPT_CHARS or not cit.highlights:
        return
    lo = min(s for s, _ in cit.highlights)
    hi = max(e for _, e in cit.highlights)
    pad = max(0, (MAX_EXCERPT_CHARS - (hi - lo)) // 2)
    start = max(0, lo - pad)
    end = min(len(cit.excerpt), hi + pad)
    # widen to sentence boundaries so the context reads naturally
    spans = vtext.sentence_spans(cit.excerpt)
    start = min([s for s, e in spans if e > start] or [start])
    end = max([e for s, e in spans if s < end] or [end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(cit.excerpt) else ""
    cit.excerpt = prefix + cit.excerpt[start:end] + suffix
    cit.highlights = [(s - start + len(prefix), e - start + len(prefix)) for s, e in cit.highlights]
