"""Extractive answers with citations: every sentence of an answer is copied from a
cited passage, and ``citations[n-1].excerpt`` contains it verbatim.

Second stage after retrieval: the sentences of the top passages are scored
against the question (dense similarity of query vs sentence embeddings, lexical
coverage of the question's content words, numbers when the question asks for a
figure), which reranks the passages and picks the answering sentences. When the
best evidence is too weak, the answer says so and offers the nearest passages.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from hoidap.query import FIGURE_QUESTION_RE, QueryAnalysis, analyse
from hoidap.retrieve import Hit, Searcher
from indexer import text as vtext
from indexer.store import IndexContents
from indexer.citation import passage_reference

NOT_FOUND_VI = "Không tìm thấy thông tin này trong các tài liệu đã lập chỉ mục."
RELATED_VI = "Các đoạn có thể liên quan được liệt kê bên dưới."

#: Passages whose sentences are scored in the second stage.
RERANK_PASSAGES = 8
#: At most this many sentences make an answer.
MAX_ANSWER_SENTENCES = 4
#: Evidence needed to answer, on the scale of ``Evidence.confidence`` (0..1). Calibrated on
#: answerable vs unanswerable questions (tests/hoidap/plan225_questions.json; alqac22 found-rate).
FOUND_THRESHOLD = 0.4
#: Query-passage cosine range of the embedded e5 model mapped to 0..1: below the floor
#: is what unrelated Vietnamese text scores, above the ceiling a near paraphrase.
DENSE_FLOOR = 0.78
DENSE_CEIL = 0.90
DENSE_FLOOR_CROSSLINGUAL = 0.76
#: Excerpts longer than this many characters are cut to a window around the cited sentence.
MAX_EXCERPT_CHARS = 900

_FIGURE = re.compile(r"\d")
#: Weight of the question's idf-weighted word coverage in a sentence's score; sentence
#: cosines of e5 vary over ~0.1, so coverage (0..1) needs about this weight to matter.
COVERAGE_WEIGHT = 0.3
#: Weight of the passage's (min-max normalised) retrieval score in a sentence's score.
PASSAGE_WEIGHT = 0.1


def _minmax(values: list[float]) -> list[float]:
    lo, hi = min(values, default=0.0), max(values, default=0.0)
    return [(v - lo) / (hi - lo) if hi > lo else 1.0 for v in values]


_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*%?")


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
    confidence: float = 0.0

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
            "related": [h.to_json() for h in self.related],
            "confidence": round(float(self.confidence), 4),
        }


@dataclass
class _Sentence:
    hit_index: int
    start: int  # within the passage text
    end: int
    text: str
    score: float = 0.0
    dense: float = 0.0
    coverage: float = 0.0


_HEADER_LINE = re.compile(
    r"^(số\s*:|.{0,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|cộng hòa xã hội|độc lập\s*-|nơi nhận|kính gửi)",
    re.IGNORECASE,
)


def _can_answer(sentence: str, hit: Hit) -> bool:
    """Headings, document header lines and fragments are context, not answers."""
    s = sentence.strip()
    if vtext.syllable_count(s) < 4:
        return False
    if s in hit.passage.section_path or any(s == h.strip() for h in hit.passage.section_path):
        return False
    letters = [ch for ch in s if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.8:  # ALL-CAPS heading
        return False
    return not _HEADER_LINE.match(vtext.normalize(s))


def document_reference(hit: Hit) -> str:
    """Vietnamese administrative citation: "Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1"."""
    p = hit.passage
    return passage_reference(hit.document.meta, hit.document.doc_id, p.section_path, p.page)


class Answerer:
    """Question -> extractive, cited answer, over a ``Searcher``."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._sentence_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def ask(self, question: str, k: int = 5, mode: str = "hybrid", filters: object = None) -> Answer:
        hits = self.searcher.search(question, k=max(k, RERANK_PASSAGES), mode=mode, filters=filters)
        if not hits:
            return Answer(question, False, NOT_FOUND_VI)
        q = analyse(question, self.searcher.contents())
        sentences = self._score_sentences(q, hits, mode)
        best = max(sentences, key=lambda s: s.score) if sentences else None
        confidence = self._confidence(q, hits[best.hit_index]) if best else 0.0
        if best is None or confidence < FOUND_THRESHOLD:
            related = self._rerank(hits, sentences)[:k]
            return Answer(question, False, f"{NOT_FOUND_VI} {RELATED_VI}", related=related, confidence=confidence)
        chosen = self._choose(sentences, q)
        return self._compose(question, hits, chosen, confidence)

    # ------------------------------------------------------------ sentence scores
    def _score_sentences(self, q: QueryAnalysis, hits: list[Hit], mode: str) -> list[_Sentence]:
        contents = self.searcher.contents()
        sentences: list[_Sentence] = []
        stored: list[np.ndarray | None] = []  # the index's vector of each sentence, where it has one
        for i, h in enumerate(hits[:RERANK_PASSAGES]):
            spans, vectors = _passage_sentences(contents, h)
            for j, (start, end) in enumerate(spans):
                sent = h.passage.text[start:end]
                if _can_answer(sent, h):
                    sentences.append(_Sentence(i, start, end, sent))
                    stored.append(vectors[j] if vectors is not None else None)
        if not sentences:
            return sentences
        if mode != "lexical":
            qv = self.searcher.embedder.encode_queries([q.dense_text])[0]  # type: ignore[attr-defined]
            missing = [s.text for s, v in zip(sentences, stored) if v is None]
            computed = iter(self._sentence_vectors(missing)) if missing else iter(())
            dense = np.stack([v if v is not None else next(computed) for v in stored]) @ qv
        else:
            dense = np.zeros(len(sentences), np.float32)
        # idf-weighted: "5g" in a sentence says more than "kế hoạch"
        terms, alternates = _question_terms(q, accented=False)
        weights = contents.lexical.folded.idf(terms)
        total = sum(weights.values())
        wants_figure = bool(FIGURE_QUESTION_RE.search(q.normalized))
        numbers = set(_NUMBER.findall(q.normalized))  # "năm 2025", "100%": the answer should contain them
        # the passage's own retrieval evidence (its context: headings, neighbouring sentences)
        passage_evidence = _minmax([h.score for h in hits[:RERANK_PASSAGES]])
        spellings = _typed_spellings(q)
        for s, d in zip(sentences, dense):
            s.dense = float(d)
            s.coverage = _coverage(s.text, weights, spellings, alternates) / total if total else 0.0
            figure = 0.05 if wants_figure and _FIGURE.search(s.text) else 0.0
            if numbers:
                figure += 0.03 * len(numbers & set(_NUMBER.findall(s.text))) / len(numbers)
            s.score = s.dense + COVERAGE_WEIGHT * s.coverage + figure + PASSAGE_WEIGHT * passage_evidence[s.hit_index]
        return sentences

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Sentences embedded now: only for index versions written without sentence vectors."""
        version = str(self.searcher.contents().path)
        missing = [t for t in dict.fromkeys(texts) if (version, t) not in self._sentence_cache]
        if missing:
            vecs = self.searcher.embedder.encode_passages([vtext.normalize(t) for t in missing])  # type: ignore[attr-defined]
            with self._cache_lock:
                for t, v in zip(missing, vecs):
                    self._sentence_cache[(version, t)] = v
                while len(self._sentence_cache) > 20_000:
                    self._sentence_cache.popitem(last=False)
        return np.stack([self._sentence_cache[(version, t)] for t in texts])

    def _rerank(self, hits: list[Hit], sentences: list[_Sentence]) -> list[Hit]:
        best: dict[int, float] = {}
        for s in sentences:
            best[s.hit_index] = max(best.get(s.hit_index, -1.0), s.score)
        n = len(hits)
        order = sorted(
            range(n),
            key=lambda i: -(best.get(i, -1.0) + 0.02 * (n - i) / n),
        )
        return [hits[i] for i in order] if sentences else hits

    def _confidence(self, q: QueryAnalysis, hit: Hit) -> float:
        """How well the best passage supports an answer, 0..1.

        Two signals that fail differently: the share of the question's content
        (idf-weighted) the passage contains — off-topic questions name things the
        corpus never mentions — and the dense similarity, rescaled. A question in
        another language (most of its words unknown to the corpus, no Vietnamese
        diacritics) cannot be covered lexically, so only the dense side counts.
        """
        lexical = self.searcher.contents().lexical
        field = lexical.words if q.accented else lexical.folded
        terms, alternates = _question_terms(q, accented=q.accented)
        idf = field.idf(terms)
        total = sum(idf.values())
        dense = min(1.0, max(0.0, (hit.dense_score - DENSE_FLOOR) / (DENSE_CEIL - DENSE_FLOOR)))
        if not total:
            return dense
        unknown = sum(v for t, v in idf.items() if not field.knows(t)) / total
        if not q.accented and unknown >= 0.75:  # cross-lingual similarities run lower
            return min(1.0, max(0.0, (hit.dense_score - DENSE_FLOOR_CROSSLINGUAL) / (DENSE_CEIL - DENSE_FLOOR_CROSSLINGUAL)))
        row = hit.row
        present = set(self.searcher.contents().word_tokens[row]) if q.accented else set(vtext.folded_tokens(hit.passage.text))
        present |= set(vtext.folded_tokens(" ".join(hit.passage.section_path))) if not q.accented else set()
        coverage = _covered(idf, present, alternates, present) / total
        return 0.5 * coverage + 0.5 * dense

    def _choose(self, sentences: list[_Sentence], q: QueryAnalysis) -> list[_Sentence]:
        ranked = sorted(sentences, key=lambda s: -s.score)
        top = ranked[0].score
        chosen: list[_Sentence] = []
        seen: set[str] = set()
        for s in ranked:
            if len(chosen) >= MAX_ANSWER_SENTENCES or s.score < top - 0.03:
                break
            key = vtext.fold(s.text)
            if key in seen:
                continue
            seen.add(key)
            chosen.append(s)
        return chosen

    # ------------------------------------------------------------------ compose
    def _compose(self, question: str, hits: list[Hit], chosen: list[_Sentence], confidence: float) -> Answer:
        """``hits`` is the list the sentences were scored against (``hit_index`` points into it)."""
        citations: list[Citation] = []
        by_passage: dict[str, Citation] = {}
        shift: dict[str, int] = {}
        parts = []
        for s in chosen:
            hit = hits[s.hit_index]
            pid = hit.passage.passage_id
            cit = by_passage.get(pid)
            if cit is None:
                start, end = self._context_span(hit)
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


def _typed_spellings(q: QueryAnalysis) -> dict[str, set[str]] | None:
    """Folded syllable -> the accented spellings the user typed, when they typed accents.

    Folding merges different words: "đặt" (to set) and "đạt" (to reach) both
    fold to "dat". A question written with diacritics says which one it means;
    one typed without them (then restored from the corpus) does not.
    """
    if not vtext.has_diacritics(q.raw):
        return None
    out: dict[str, set[str]] = {}
    for syllable in vtext.syllables(q.lexical_text):
        out.setdefault(vtext.fold(syllable), set()).add(syllable)
    return out


def _question_terms(q: QueryAnalysis, accented: bool) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
    """The question's own evidence terms (words, or folded syllables) and, for each
    abbreviation in it, (its terms, the other form's terms).

    Retrieval searches both forms of an abbreviation; as evidence the added form only
    stands in for the one the question used. A corpus that never writes "TTDL" is no
    sign that a question about "trung tâm dữ liệu" is off-topic, and a passage that
    writes "Ủy ban nhân dân" supports a question typed with "UBND".
    """

    def tokens(text: str) -> list[str]:
        if accented:
            return vtext.word_tokens(text)
        return [t for t in vtext.folded_tokens(text) if "_" not in t]

    return tokens(q.content_text), [(tokens(a), tokens(b)) for a, b in q.abbreviations]


def _covered(
    weights: dict[str, float],
    present: set[str],
    alternates: Sequence[tuple[list[str], list[str]]],
    present_any: set[str],
) -> float:
    """Weight of the terms ``present``; an abbreviation's terms also count when all of its
    other form's terms are in ``present_any``."""
    got = {t for t in weights if t in present}
    for own, other in alternates:
        if other and all(t in present_any for t in other):
            got.update(own)
    return sum(weights[t] for t in got if t in weights)


def _coverage(
    sentence: str,
    weights: dict[str, float],
    spellings: dict[str, set[str]] | None,
    alternates: Sequence[tuple[list[str], list[str]]] = (),
) -> float:
    """idf weight of the question's syllables that the sentence contains (as typed, when known)."""
    folded = set(vtext.folded_tokens(sentence))
    if spellings is None:
        return _covered(weights, folded, alternates, folded)
    typed = set(vtext.syllables(sentence))
    present = {t for t in weights if spellings.get(t, {t}) & typed}
    return _covered(weights, present, alternates, folded)


def _same_row(contents: IndexContents, hit: Hit) -> bool:
    """Whether ``hit.row`` still points at the hit's passage (no new version swapped in since)."""
    rows = contents.passages
    return 0 <= hit.row < len(rows) and rows[hit.row].passage_id == hit.passage.passage_id


def _passage_sentences(contents: IndexContents, hit: Hit) -> tuple[list[tuple[int, int]], np.ndarray | None]:
    """Sentence spans of a hit's passage and their stored vectors (None: not stored, embed them)."""
    if contents.sentences is not None and _same_row(contents, hit):
        spans, vectors = contents.sentences.of_passage(hit.row)
        return [(int(a), int(b)) for a, b in spans], vectors
    return vtext.sentence_spans(hit.passage.text), None


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
