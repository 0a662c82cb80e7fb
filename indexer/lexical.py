"""Lexical side of the index: BM25 (bm25s, sparse matrices) over our own tokens.

Two fields, two BM25 models, because Vietnamese typed without diacritics is a
different language to a word segmenter:

* ``words``  — underthesea word tokens of the accented text ("hạ_tầng", "số");
* ``folded`` — diacritic-folded syllables and syllable bigrams ("ha", "ha_tang"),
  so "ha tang so" finds "hạ tầng số".

The corpus side is tokenised once at index time (cached in the passage store);
queries are scored against the precomputed sparse matrix, no per-query rebuild.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

log = logging.getLogger(__name__)

#: BM25 parameters. k1/b are the Lucene defaults; measured on alqac22 (see README).
BM25_K1 = 1.2
BM25_B = 0.75
#: A query term found in more than this share of the passages (and in more than
#: COMMON_TERM_MIN_DF of them) is not scored: "của", "người", "quy_định" carry ~1/8 of
#: a rare word's idf but most of a question's postings. Only large corpora have them.
COMMON_TERM_SHARE = 0.2
COMMON_TERM_MIN_DF = 1000


def _bm25s() -> "object":
    """Import bm25s, undoing its import-time ``setLevel(DEBUG)`` that floods our logs."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


@dataclass
class BM25Field:
    """One BM25 model over pre-tokenised passages."""

    retriever: "object"  # bm25s.BM25
    n_docs: int

    @classmethod
    def build(cls, corpus_tokens: Sequence[Sequence[str]], k1: float = BM25_K1, b: float = BM25_B) -> "BM25Field":
        bm25s = _bm25s()
        retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
        # an empty passage still needs one token for bm25s' vocabulary bookkeeping
        tokens = [list(t) if len(t) else [""] for t in corpus_tokens]
        if tokens:
            retriever.index(tokens, show_progress=False)
        return cls(retriever=retriever, n_docs=len(tokens))

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage for one query (zeros when nothing matches)."""
        if self.n_docs == 0:
            return np.zeros(0, dtype=np.float32)
        vocab = self.retriever.vocab_dict
        ids = [vocab[t] for t in query_tokens if t and t in vocab]
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.retriever.get_scores_from_ids(self._without_common(ids)), dtype=np.float32)

    def _without_common(self, ids: list[int]) -> list[int]:
        """The query's term ids minus the very common ones (all of them if nothing else is left).

        Why: at 1M passages the common words of a question are most of its postings
        for little of its score. On alqac22 (6,585 passages) leaving out terms in
        more than 20% of the passages also ranked better: MRR@10 hybrid .962 -> .964,
        lexical .938 -> .944; .955 -> .958 for questions typed without diacritics.
        """
        limit = max(COMMON_TERM_SHARE * self.n_docs, COMMON_TERM_MIN_DF)
        if self.n_docs <= limit:
            return ids
        kept = [i for i in ids if self._df(i) <= limit]
        return kept or ids

    def _df(self, term_id: int) -> int:
        """Passages containing the term (its column's length in the score matrix)."""
        indptr = self.retriever.scores["indptr"]
        return int(indptr[term_id + 1] - indptr[term_id])

    def idf(self, tokens: Sequence[str]) -> dict[str, float]:
        """Lucene BM25 idf of each token; unseen tokens get the maximum (df = 0).

        Used to weigh how much of a question a passage covers: a rare word missing
        from the whole corpus says more than a common one.
        """
        vocab = self.retriever.vocab_dict if self.n_docs else {}
        out = {}
        for t in tokens:
            df = self._df(vocab[t]) if t in vocab else 0
            out[t] = float(np.log(1 + (self.n_docs - df + 0.5) / (df + 0.5)))
        return out

    def document_frequencies(self) -> dict[str, int]:
        """token -> number of passages containing it."""
        if not self.n_docs:
            return {}
        indptr = np.asarray(self.retriever.scores["indptr"])
        return {t: int(indptr[i + 1] - indptr[i]) for t, i in self.retriever.vocab_dict.items() if t}

    def knows(self, token: str) -> bool:
        return self.n_docs > 0 and token in self.retriever.vocab_dict

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "field.json").write_text(json.dumps({"n_docs": self.n_docs}))
        if self.n_docs:
            self.retriever.save(str(directory))

    @classmethod
    def load(cls, directory: Path, mmap: bool = True) -> "BM25Field":
        bm25s = _bm25s()
        n_docs = json.loads((directory / "field.json").read_text())["n_docs"]
        if n_docs == 0:
            return cls(retriever=bm25s.BM25(), n_docs=0)
        retriever = bm25s.BM25.load(str(directory), mmap=mmap, load_corpus=False)
        return cls(retriever=retriever, n_docs=n_docs)


@dataclass
class LexicalIndex:
    """The two BM25 fields of an index, built from the same passages in the same order."""

    words: BM25Field
    folded: BM25Field
    _accents: dict[str, str] | None = None
    _spellings: frozenset[str] | None = None

    def accent_map(self) -> dict[str, str]:
        """Folded word -> its most frequent accented spelling in this corpus.

        ``"ha_tang" -> "hạ_tầng"``: lets a query typed without diacritics be
        restored with the corpus's own vocabulary, so it is searched exactly like
        its accented form. Built once per index version.
        """
        if self._accents is None:
            from indexer.text import fold

            best: dict[str, tuple[int, str]] = {}
            for token, df in self.words.document_frequencies().items():
                key = fold(token)
                if key != token.lower() or key not in best:
                    if df > best.get(key, (-1, ""))[0]:
                        best[key] = (df, token)
            self._accents = {k: v for k, (_, v) in best.items()}
        return self._accents

    def syllable_spellings(self) -> frozenset[str]:
        """Every accented syllable the corpus writes ("lượng", "hạ", "tầng"), lower case.

        Folding merges different words ("lương" salary, "lượng" quantity): a question
        typed with diacritics uses a word the corpus knows only if it is written so.
        Built once per index version from the word field's vocabulary.
        """
        if self._spellings is None:
            vocab = self.words.retriever.vocab_dict if self.words.n_docs else {}
            self._spellings = frozenset(s for token in vocab for s in token.split("_") if s)
        return self._spellings

    @classmethod
    def build(cls, word_tokens: Sequence[Sequence[str]], folded_tokens: Sequence[Sequence[str]]) -> "LexicalIndex":
        if len(word_tokens) != len(folded_tokens):
            raise ValueError("word and folded token lists differ in length")
        return cls(words=BM25Field.build(word_tokens), folded=BM25Field.build(folded_tokens))

    def save(self, directory: Path) -> None:
        self.words.save(directory / "bm25_words")
        self.folded.save(directory / "bm25_folded")

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        return cls(words=BM25Field.load(directory / "bm25_words"), folded=BM25Field.load(directory / "bm25_folded"))
