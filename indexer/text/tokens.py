"""Lexical tokens: syllables, folded tokens (no-accent field), word tokens (BM25).

Word tokens are underthesea words (:mod:`indexer.text.segment`) post-processed
with the scheme for numbers, codes and percentages documented in
:func:`word_tokens`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.text.normalize import fold, normalize
from indexer.text.segment import get_segmenter

__all__ = ["syllables", "syllable_count", "folded_tokens", "word_tokens", "word_tokens_batch", "spell_percent"]


# A number with internal separators is one syllable ("1.000.000", "2,5"); otherwise
# alphanumeric runs split at any punctuation ("225/KH-UBND" -> 225, kh, ubnd).
_SYLLABLE_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")


def syllables(text: str) -> list[str]:
    """Lowercased, normalised syllables: whitespace/punctuation split.

    Why: passage length limits are in syllables (Vietnamese words are 1-4 of them).
    """
    return _SYLLABLE_TOKEN_RE.findall(normalize(text).lower())


def syllable_count(text: str) -> int:
    """Number of syllables in ``text`` (cheap: no normalisation needed to count)."""
    return len(_SYLLABLE_TOKEN_RE.findall(text))


# ---------------------------------------------------------------------------
# Folded tokens (no-accent field)
# ---------------------------------------------------------------------------


def folded_tokens(text: str) -> list[str]:
    """Folded syllables plus folded syllable bigrams, for the no-accent lexical field.

    "hạ tầng số" -> ["ha", "tang", "so", "ha_tang", "tang_so"]: unigrams give recall,
    bigrams make "ha tang so" prefer "hạ tầng số" over "hà", "tăng", "sổ" scattered.
    Bigrams never cross a sentence boundary or punctuation other than spaces.
    """
    out: list[str] = []
    bigrams: list[str] = []
    for chunk in _CHUNK_RE.findall(fold(text)):  # fold(normalize(x)) == fold(x)
        sy = _SYLLABLE_TOKEN_RE.findall(chunk)
        out.extend(sy)
        bigrams.extend(f"{a}_{b}" for a, b in zip(sy, sy[1:]))
    return out + bigrams


# runs of syllables separated only by spaces (hyphens inside words like "kinh tế - xã hội"
# do break the chunk, which is right: they separate phrases)
_CHUNK_RE = re.compile(r"[^\W_]+(?:[.,]\d+)*(?:[ \t\u00a0]+[^\W_]+(?:[.,]\d+)*)*")



# Document numbers and dates: "225/KH-UBND", "13/2023/NĐ-CP", "15/9/2023", "QĐ-TTg".
_CODE_RE = re.compile(
    r"(?<![\w/])\d+(?:/\d+)*/[^\W_]+(?:[-/][^\W_]+)*(?![\w/])"  # 225/KH-UBND, 15/9/2023
    r"|(?<![\w/-])[A-ZĐ]{1,6}(?:-[A-ZĐ][A-Za-zĐ]{0,6})+(?![\w/-])"  # KH-UBND, NĐ-CP, QĐ-TTg
)
_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)*)\s?%")
_PUNCT_ONLY_RE = re.compile(r"[\W_]+")


def _post(words: Iterable[str]) -> list[str]:
    """Lowercase, join syllables with "_", drop punctuation, expand codes/percentages."""
    out: list[str] = []
    for w in words:
        if _PUNCT_ONLY_RE.fullmatch(w):
            continue
        w = w.lower().replace(" ", "_")
        out.append(w)
        if ("/" in w or "-" in w) and not w.startswith("-"):
            parts = [p for p in re.split(r"[/\-]+", w) if p]
            if len(parts) > 1:
                out.extend(parts)
    return out


def spell_percent(text: str) -> str:
    """"100%" as "100 phần trăm", so a question's "bao nhiêu phần trăm" meets "50%"."""
    return _PERCENT_RE.sub(r"\1 phần trăm", text) if "%" in text else text


def _prepare(text: str) -> str:
    """Normalise and rewrite "100%" as "100 phần trăm" so both spellings match."""
    return spell_percent(normalize(text))


def word_tokens(text: str) -> list[str]:
    """Lexical tokens for BM25: lowercase underthesea words, syllables joined by "_".

    Scheme (deterministic):
    * ``normalize`` first, so "hoá" and "hóa" give the same token;
    * words: "Hạ tầng số" -> ["hạ_tầng", "số"]; punctuation-only tokens dropped;
    * numbers stay whole ("2.5", "1.000.000", "2025");
    * codes and dates are kept whole and also emitted as parts, so a query for
      "225" or "KH-UBND" finds "225/KH-UBND":
      "225/KH-UBND" -> ["225/kh-ubnd", "225", "kh", "ubnd"];
    * percentages: "100%" is read as "100 phần trăm" -> ["100", "phần_trăm"], so
      the queries "100%" and "100 phần trăm" give the same tokens.
    """
    return word_tokens_batch([text])[0]


def word_tokens_batch(texts: list[str]) -> list[list[str]]:
    """:func:`word_tokens` for many texts (identical output), as fast as we can make it.

    Each line is segmented on its own (a newline always separates words), and
    codes bypass the segmenter.
    """
    if not texts:
        return []
    seg = get_segmenter()
    results: list[list[str]] = []
    for text in texts:
        words: list[str] = []
        for piece, is_code in _split_codes(_prepare(text)):
            if is_code:
                words.append(piece)
                continue
            for line in piece.split("\n"):
                if line.strip():
                    words.extend(seg.words(line))
        results.append(_post(words))
    return results


def _split_codes(text: str) -> list[tuple[str, bool]]:
    """Cut ``text`` into (piece, is_code) so codes bypass the word segmenter."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for m in _CODE_RE.finditer(text):
        if m.start() > last:
            pieces.append((text[last : m.start()], False))
        pieces.append((m.group(0), True))
        last = m.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces
