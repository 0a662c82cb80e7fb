"""Sentence-level evidence: how well each sentence of the retrieved passages meets a question.

The second stage after retrieval, shared by answers (which sentences to quote)
and the judge (is there an answer at all, is a hit relevant). For every
sentence of the top passages: the dense similarity of question and sentence
(stored sentence vectors), the idf-weighted share of the question's content
words it contains (accents as typed, abbreviations either way), and whether it
has the kind of thing the question asks for (:mod:`hoidap.question_form`).

Document titles, headlines, headings and header lines are context, never
evidence sentences: they repeat the question's words without answering it.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from hoidap import names as qnames
from hoidap import question_form
from hoidap.query import QueryAnalysis
from hoidap.retrieve import Hit
from indexer import text as vtext
from indexer.citation import document_citation
from indexer.store import IndexContents

#: Passages whose sentences are scored.
RERANK_PASSAGES = 8
#: Weight of the question's idf-weighted word coverage in a sentence's score; sentence
#: cosines of e5 vary over ~0.1, so coverage (0..1) needs about this weight to matter.
COVERAGE_WEIGHT = 0.3
#: Weight of "the sentence has what the question asks for" (a date for "ngày nào").
ADDRESS_WEIGHT = 0.08
#: Weight of the share of the question's word pairs in the sentence ("trung tâm dữ liệu" as a phrase).
PHRASE_WEIGHT = 0.1
#: How far below the best score a sentence may be and still be preferred for addressing the question better.
ADDRESS_SLACK = 0.1
#: How far below the top a sentence whose passage writes more of the question's names and
#: figures may score and still be the one quoted (see :func:`_best`): the gap between two
#: khoản of one article sharing the question's words.
NAMES_SLACK = 0.2
#: Weight of the passage's coverage (its headings and neighbouring sentences are context).
CONTEXT_WEIGHT = 0.1
#: Weight of the share of the question's names and figures the passage writes: of two khoản of
#: one article, the one with the question's "03 tháng" is the one it asks about.
NAMES_WEIGHT = 0.1


@dataclass
class ScoredSentence:
    hit_index: int
    start: int  # within the passage text
    end: int
    text: str
    score: float = 0.0
    dense: float = 0.0
    coverage: float = 0.0
    addresses: float = 1.0


_HEADER_LINE = re.compile(
    r"^(số\s*:|.{0,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|cộng hòa xã hội|độc lập\s*-|nơi nhận|kính gửi)",
    re.IGNORECASE,
)


#: A list item: "a) …", "đ) …", "1) …", "- …", "+ …"
_LIST_ITEM = re.compile(r"^\s*(?:[a-zđ]\)|\d{1,2}\)|[-+•])\s", re.IGNORECASE)
#: How far back (characters) the line introducing a list item's list is looked for.
LEAD_IN_WINDOW = 1200


def lead_in(hit: Hit) -> str:
    """The line introducing a list item's list, which the item is read with.

    "b) Đi khỏi phạm vi đơn vị hành chính cấp huyện … từ 03 tháng liên tục trở lên …" means
    nothing without "1. Công dân có trách nhiệm khai báo tạm vắng trong các trường hợp sau đây:",
    and a question about it names what the lead-in says ("khai báo tạm vắng"). Long khoản are split into
    passages, so the lead-in is often another passage; "" when the passage is no list item.
    """
    span = lead_in_span(hit)
    return hit.document.text[span[0] : span[1]] if span else ""


def lead_in_span(hit: Hit) -> tuple[int, int] | None:
    """Where :func:`lead_in` is in the document's text (None: no list item, or no lead-in)."""
    p = hit.passage
    if not _LIST_ITEM.match(p.text):
        return None
    lo = max(0, p.start - LEAD_IN_WINDOW)
    found, at = None, lo
    for line in hit.document.text[lo : p.start].splitlines(keepends=True):
        text = line.strip()
        if text.endswith(":"):
            first = at + line.index(text)
            found = (first, first + len(text))
        at += len(line)
    return found


def heading_keys(hit: Hit) -> set[str]:
    """Folded headings, title and first line (a news article's headline) of a hit's document."""
    text = hit.document.text.lstrip()
    first_line = text[: text.find("\n")] if "\n" in text[:300] else text[:300]
    return {_key(h) for h in (*hit.passage.section_path, hit.document.meta.title or "", first_line) if h}


def _key(text: str) -> str:
    return vtext.fold(text).strip(" .:")


def can_answer(sentence: str, hit: Hit, headings: set[str] | None = None) -> bool:
    """Headings, titles, headlines, document header lines and fragments are context, not answers."""
    s = sentence.strip()
    if vtext.syllable_count(s) < 4:
        return False
    if _key(s) in (heading_keys(hit) if headings is None else headings):
        return False
    letters = [ch for ch in s if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.8:  # ALL-CAPS heading
        return False
    return not _HEADER_LINE.match(vtext.normalize(s))


def near_duplicate(a: str, b: str, threshold: float = 0.7) -> bool:
    """Whether two sentences say the same thing (folded-syllable Jaccard), e.g. a lead repeated in the body."""
    x, y = set(vtext.syllables(vtext.fold(a))), set(vtext.syllables(vtext.fold(b)))
    return bool(x and y) and len(x & y) / len(x | y) >= threshold


@dataclass
class Scored:
    """Every candidate sentence, each hit's coverage (with its headings), and the question's
    share of weight in syllables the corpus never uses."""

    sentences: list[ScoredSentence]
    passage_coverage: list[float]
    unknown: float
    #: per hit: idf-weighted share of the question's word pairs ("tử sĩ", "di vật") in the passage
    passage_phrases: list[float] = field(default_factory=list)
    #: per hit: idf of the rarest question term the passage lacks, over the rarest term's idf
    rarest_missing: list[float] = field(default_factory=list)
    #: per hit: share of the question's names and figures written in the passage or its citation
    passage_names: list[float] = field(default_factory=list)
    #: what the question asks for (its kind, focus, term)
    form: question_form.QuestionForm = question_form.QuestionForm("other")

    def best(self) -> ScoredSentence | None:
        return _best(self.sentences, self.passage_names)

    def best_of(self, hit_index: int) -> ScoredSentence | None:
        return _best([s for s in self.sentences if s.hit_index == hit_index])


def _best(sentences: list[ScoredSentence], names: Sequence[float] = ()) -> ScoredSentence | None:
    """The best-scoring sentence among those, close to the top, that best address the question.

    A sentence sharing more of the question's words but lacking what it asks for
    (no technology named for "những công nghệ nào") yields to one that has it; and, first,
    one whose passage lacks the question's names and figures yields to one within
    :data:`NAMES_SLACK` whose passage writes more of them (``names``, per hit): "… thu lợi bất
    chính từ bao nhiêu trở lên thì bị phạt tù từ 02 năm đến 07 năm?" is answered in the khoản
    with "02 năm đến 07 năm", not in the article's first khoản, which shares more words.
    """
    if not sentences:
        return None
    top = max(s.score for s in sentences)
    if names:
        pool = [s for s in sentences if s.score >= top - NAMES_SLACK]
        most = max(names[s.hit_index] for s in pool)
        sentences = [s for s in pool if names[s.hit_index] == most]
        top = max(s.score for s in sentences)
    near = [s for s in sentences if s.score >= top - ADDRESS_SLACK]
    return max(near, key=lambda s: (s.addresses, s.score))


def document_label(hit: Hit) -> str:
    """How the passage's document is cited ("Kế hoạch số 225/KH-UBND ngày … của UBND tỉnh …")."""
    return document_citation(hit.document.meta, hit.document.doc_id)


class SentenceScorer:
    """Scores the sentences of hits against a question, over a ``Searcher``'s live index."""

    def __init__(self, searcher: "object") -> None:
        self.searcher = searcher
        self._sentence_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def score(self, q: QueryAnalysis, hits: list[Hit], mode: str, limit: int = RERANK_PASSAGES) -> Scored:
        contents: IndexContents = self.searcher.contents()  # type: ignore[attr-defined]
        hits = hits[:limit]
        sentences: list[ScoredSentence] = []
        stored: list[np.ndarray | None] = []  # the index's vector of each sentence, where it has one
        weights, alternates, spellings = question_weights(q, contents)
        form = question_form.analyse_form(q.raw)
        weights = focus_weighted(weights, form.focus)
        total = sum(weights.values())
        known = corpus_knows(contents, spellings)
        # an abbreviation the corpus never writes is not unknown when its other form is known
        stand_in = {t for own, other in alternates if other and all(known(o) for o in other) for t in own}
        unknown = sum(v for t, v in weights.items() if not known(t) and t not in stand_in) / total if total else 0.0
        # a passage is read with its list lead-in, headings and its document's citation: a question may name the
        # document itself ("Kế hoạch 225 …"), its số hiệu, type and issuer, which the passage never repeats
        leads = [lead_in(h) for h in hits]
        texts = [
            vtext.spell_percent("\n".join((h.passage.text, lead, *h.passage.section_path, document_label(h))))
            for h, lead in zip(hits, leads)
        ]
        context = [coverage_share(t, weights, spellings, alternates) for t in texts]
        # phrases and rare terms the corpus uses elsewhere: what the right passage would have
        pairs = {t: v for t, v in contents.lexical.folded.idf(question_pairs(q)).items() if known(t)}
        folded = [set(vtext.folded_tokens(t)) for t in texts]
        phrases = [covered(pairs, f, (), f) / sum(pairs.values()) if pairs else 1.0 for f in folded]
        rare = {t: v for t, v in weights.items() if known(t)}
        top = max(rare.values(), default=0.0)
        rarest = [max((v for t, v in rare.items() if t not in f), default=0.0) / top if top else 0.0 for f in folded]
        named = question_names_in(q, texts)
        for i, h in enumerate(hits):
            spans, vectors = passage_sentences(contents, h)
            headings = heading_keys(h)
            for j, (start, end) in enumerate(spans):
                sent = h.passage.text[start:end]
                if can_answer(sent, h, headings):
                    sentences.append(ScoredSentence(i, start, end, sent))
                    stored.append(vectors[j] if vectors is not None else None)
        if not sentences:
            return Scored(sentences, context, unknown, phrases, rarest, named, form)
        if mode != "lexical":
            qv = self.query_vector(q)
            missing = [s.text for s, v in zip(sentences, stored) if v is None]
            computed = iter(self._sentence_vectors(missing)) if missing else iter(())
            dense = np.stack([v if v is not None else next(computed) for v in stored]) @ qv
        else:
            dense = np.zeros(len(sentences), np.float32)
        for s, d in zip(sentences, dense):
            s.dense = float(d)
            s.coverage = coverage(s.text, weights, spellings, alternates) / total if total else 0.0
            # a list item says what its lead-in says ("Bộ Quốc phòng có trách nhiệm sau đây:" for "Bộ nào …?")
            lead = leads[s.hit_index]
            s.addresses = question_form.addresses(form, f"{lead}\n{s.text}" if lead else s.text)
            sentence_pairs = set(vtext.folded_tokens(vtext.spell_percent(s.text)))
            s.score = (
                PHRASE_WEIGHT * (covered(pairs, sentence_pairs, (), sentence_pairs) / sum(pairs.values()) if pairs else 0.0)
                +
                s.dense
                + COVERAGE_WEIGHT * s.coverage
                + ADDRESS_WEIGHT * s.addresses
                + CONTEXT_WEIGHT * context[s.hit_index]
                + NAMES_WEIGHT * named[s.hit_index]
                + question_form.number_bonus(q.normalized, s.text)
            )
        return Scored(sentences, context, unknown, phrases, rarest, named, form)

    def query_vector(self, q: QueryAnalysis) -> np.ndarray:
        return self.searcher.embedder.encode_queries([q.dense_text])[0]  # type: ignore[attr-defined]

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Sentences embedded now: only for index versions written without sentence vectors."""
        version = str(self.searcher.contents().path)  # type: ignore[attr-defined]
        missing = [t for t in dict.fromkeys(texts) if (version, t) not in self._sentence_cache]
        if missing:
            vecs = self.searcher.embedder.encode_passages([vtext.normalize(t) for t in missing])  # type: ignore[attr-defined]
            with self._cache_lock:
                for t, v in zip(missing, vecs):
                    self._sentence_cache[(version, t)] = v
                while len(self._sentence_cache) > 20_000:
                    self._sentence_cache.popitem(last=False)
        return np.stack([self._sentence_cache[(version, t)] for t in texts])


def question_names_in(q: QueryAnalysis, texts: Sequence[str]) -> list[float]:
    """Per text, the share of the question's names, abbreviations and figures it writes."""
    names = qnames.question_names(q.raw)
    forms, abbreviations = qnames.fold_forms(q.abbreviations), qnames.question_abbreviations(q.raw)
    return [qnames.names_share(names, t, forms, abbreviations) for t in texts]


# ------------------------------------------------------------------ coverage
def question_weights(
    q: QueryAnalysis, contents: IndexContents
) -> tuple[dict[str, float], list[tuple[list[str], list[str]]], dict[str, set[str]] | None]:
    """idf weight of each folded content syllable of the question ("5g" says more than "kế hoạch"),
    its abbreviation alternates, and the accented spellings typed."""
    terms, alternates = question_terms(q, accented=False)
    return contents.lexical.folded.idf(terms), alternates, typed_spellings(q)


def corpus_knows(contents: IndexContents, spellings: dict[str, set[str]] | None) -> Callable[[str], bool]:
    """Whether the corpus uses a folded question term; for a question typed with diacritics,
    in a spelling the user typed ("lương" salary is unknown to a corpus that only writes
    "lượng" quantity, though both fold to "luong"), as the word field reads the text
    ("trăm" of "100%", read as "100 phần trăm")."""
    folded = contents.lexical.folded.knows
    if spellings is None:
        return folded
    written = contents.lexical.syllable_spellings()
    return lambda t: bool(spellings[t] & written) if t in spellings else folded(t)


def focus_weighted(weights: dict[str, float], focus: str) -> dict[str, float]:
    """The thing a question asks about ("công nghệ" in "những công nghệ nào") weighs as much as
    its rarest word: common in the corpus, yet what the answer must be about."""
    if not focus or not weights:
        return weights
    top = max(weights.values())
    return {t: (top if t in focus.split() else v) for t, v in weights.items()}


def coverage_share(
    text: str,
    weights: dict[str, float],
    spellings: dict[str, set[str]] | None,
    alternates: Sequence[tuple[list[str], list[str]]] = (),
) -> float:
    total = sum(weights.values())
    return coverage(text, weights, spellings, alternates) / total if total else 0.0


def typed_spellings(q: QueryAnalysis) -> dict[str, set[str]] | None:
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


def question_terms(q: QueryAnalysis, accented: bool) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
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

    return tokens(without_function_words(q.content_text)), [(tokens(a), tokens(b)) for a, b in q.abbreviations]


def question_pairs(q: QueryAnalysis) -> list[str]:
    """Folded syllable pairs of the question's content ("di_vat", "tu_si"): a neighbouring
    article shares a question's words more often than its phrases."""
    return [t for t in vtext.folded_tokens(without_function_words(q.content_text)) if "_" in t]


#: Function words: they carry no topic, yet in a small corpus that happens not to use one
#: ("ở", "những") it would weigh as much as a rare term. Matched with accents, so "đăng"
#: (đăng ký) is not taken for "đang".
FUNCTION_WORDS = frozenset(
    "được những các ở của và có là cho với thì mà này đó sẽ đã đang bị tại trong khi nếu để về theo từ "
    "đến như hay hoặc không nào gì ai một mỗi cái phải thế vậy ra vào lên nhé ạ".split()
)


def without_function_words(text: str) -> str:
    """``text`` without :data:`FUNCTION_WORDS` (syllables typed with their accents)."""
    return " ".join(w for w in text.split() if w.lower() not in FUNCTION_WORDS)


def covered(
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


def coverage(
    sentence: str,
    weights: dict[str, float],
    spellings: dict[str, set[str]] | None,
    alternates: Sequence[tuple[list[str], list[str]]] = (),
) -> float:
    """idf weight of the question's syllables that the sentence contains (as typed, when known;
    "50%" read as "50 phần trăm", as the word field reads it)."""
    sentence = vtext.spell_percent(sentence)
    folded = set(vtext.folded_tokens(sentence))
    if spellings is None:
        return covered(weights, folded, alternates, folded)
    typed = set(vtext.syllables(sentence))
    present = {t for t in weights if spellings.get(t, {t}) & typed}
    return covered(weights, present, alternates, folded)


def same_row(contents: IndexContents, hit: Hit) -> bool:
    """Whether ``hit.row`` still points at the hit's passage (no new version swapped in since)."""
    rows = contents.passages
    return 0 <= hit.row < len(rows) and rows[hit.row].passage_id == hit.passage.passage_id


def passage_sentences(contents: IndexContents, hit: Hit) -> tuple[list[tuple[int, int]], np.ndarray | None]:
    """Sentence spans of a hit's passage and their stored vectors (None: not stored, embed them)."""
    if contents.sentences is not None and same_row(contents, hit):
        spans, vectors = contents.sentences.of_passage(hit.row)
        return [(int(a), int(b)) for a, b in spans], vectors
    return vtext.sentence_spans(hit.passage.text), None
