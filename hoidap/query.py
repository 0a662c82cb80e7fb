"""Query analysis: one normalised view of a question for each retriever.

The dense model gets the question itself (NFC, tone placement); BM25 gets word
tokens without the question's own scaffolding ("là gì", "bao nhiêu"), and, for
queries typed without diacritics, the folded syllable field instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from indexer import text as vtext


@dataclass
class QueryAnalysis:
    raw: str
    normalized: str
    dense_text: str
    word_tokens: list[str] = field(default_factory=list)
    folded_tokens: list[str] = field(default_factory=list)
    accented: bool = True

    def matched_terms(self, passage_words: list[str], passage_text: str) -> list[str]:
        """Query words present in a passage (for highlighting), in query order."""
        words = set(passage_words)
        out = [w for w in self.word_tokens if w in words]
        if not self.accented:
            folded = set(vtext.folded_tokens(passage_text))
            out += [t for t in self.folded_tokens if "_" not in t and t in folded]
        return list(dict.fromkeys(out))


def analyse(query: str, contents: "object | None" = None) -> QueryAnalysis:
    """Split a raw query into what each retriever should see."""
    normalized = vtext.normalize(" ".join(query.split()))
    accented = vtext.has_diacritics(normalized)
    words = vtext.word_tokens(normalized) if accented else []
    folded = vtext.folded_tokens(normalized)
    return QueryAnalysis(
        raw=query,
        normalized=normalized,
        dense_text=normalized,
        word_tokens=words,
        folded_tokens=folded,
        accented=accented,
    )
