"""Is a word a valid Vietnamese syllable? The yardstick both for choosing a text's
encoding (which reading makes most words Vietnamese) and for title-casing names.

Hand-written: a syllable is onset + rhyme + one tone, a closed grammar of a few
dozen parts that no maintained library exposes as a yes/no check (underthesea
and pyvi segment words, they do not validate syllables).
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

#: Combining tone marks: acute, grave, hook, tilde, dot below.
TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")

_TONE_SET = set(TONE_MARKS)
_ONSETS = (
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
# Nuclei that may be followed by a final consonant (those in _NEEDS_CODA must be).
_CLOSABLE = frozenset(
    "a ă â e ê i o ô ơ u ư y oa oă oe oo uâ uê uô ươ iê yê uyê uy".split()
)
_NEEDS_CODA = frozenset("ă â oă oo uâ uô ươ iê yê uyê".split())
# Nuclei ending in a glide: never followed by a final consonant.
_OPEN_ONLY = frozenset(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ua ưa uơ oai oao oay oeo "
    "uây uôi ươi ươu iêu yêu uya uyu".split()
)
_HATTED = frozenset("ăâêôơư")
_NEW_STYLE_SECOND = frozenset(("oa", "oe", "uy"))  # "hoà" as well as "hòa"


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` is a well-formed Vietnamese syllable, tone mark on an allowed vowel.

    Checking the tone position (not just the letters) is what tells real text from
    mojibake: VNI read as cp1252 is full of accented Latin letters that spell
    plausible letter sequences but put the "tone" in impossible places.
    """
    letters: list[str] = []
    tone_at = -1
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONE_SET:
            if tone_at != -1 or not letters:
                return False
            tone_at = len(letters) - 1
        elif unicodedata.combining(ch):
            if not letters:
                return False
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters.append(ch)
    plain = "".join(letters)
    if not plain or not all(ch in "abcdđeghiklmnopqrstuvxyăâêôơư" for ch in plain):
        return False
    for onset in _ONSETS:
        if not plain.startswith(onset):
            continue
        for coda in _CODAS:
            if len(onset) + len(coda) >= len(plain) or not plain.endswith(coda):
                continue
            nucleus = plain[len(onset) : len(plain) - len(coda)]
            if coda:
                if nucleus not in _CLOSABLE:
                    continue
            elif nucleus not in _OPEN_ONLY and (nucleus not in _CLOSABLE or nucleus in _NEEDS_CODA):
                continue
            if tone_at == -1:
                return True
            pos = tone_at - len(onset)
            if not 0 <= pos < len(nucleus):
                continue
            hatted = [i for i, ch in enumerate(nucleus) if ch in _HATTED]
            if hatted:
                allowed = {hatted[-1]}  # "ươ" takes the tone on ơ
            elif coda or len(nucleus) == 1:
                allowed = {len(nucleus) - 1}
            elif len(nucleus) == 2:
                allowed = {0, 1} if nucleus in _NEW_STYLE_SECOND else {0}
            else:
                allowed = {1}
            if pos in allowed:
                return True
    return False


STRIP_CHARS = "\"'()[]{}<>.,;:!?…“”‘’«»–—-_/\\|*+=&%#@~^`$"


@lru_cache(maxsize=262144)
def _word_status(raw: str) -> int:
    """0: not a candidate (ASCII, digits, punctuation only); 1: invalid syllable; 2: valid."""
    if raw.isascii():
        return 0
    word = raw.strip(STRIP_CHARS)
    if not word or word.isascii() or any(ch.isdigit() for ch in word):
        return 0
    return 2 if is_vietnamese_syllable(word) else 1


def syllable_counts(text: str) -> tuple[int, int]:
    """(valid syllables, candidate words) over whitespace words that contain non-ASCII letters.

    Pure-ASCII words are ignored: every reading leaves them unchanged, so they
    would only dilute the comparison. Word verdicts are cached: prose repeats
    its vocabulary, which keeps megabyte texts cheap.
    """
    valid = total = 0
    for raw, count in Counter(text.split()).items():
        status = _word_status(raw)
        if status:
            total += count
            valid += count if status == 2 else 0
    return valid, total
