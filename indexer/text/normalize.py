"""Normalisation and folding of Vietnamese text: NFC, tone-mark placement, diacritics.

* :func:`normalize` is NFC plus tone-mark placement in the style underthesea's
  ``text_normalize`` produces ("hoá" -> "hóa", "thuỷ" -> "thủy", "uỷ" -> "ủy"); it
  never touches spacing or punctuation, and it keeps the length of NFC input,
  so offsets computed on normalised text are offsets into the NFC text.
* :func:`fold` strips all diacritics and lowercases, for the no-accent field.
  It is the one ``fold`` of the code base: everything that compares text
  without accents uses it.

Hand-written rather than ``underthesea.text_normalize`` because that one
re-spaces punctuation (offsets would move) and its package import loads torch.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "fold", "fold_chars", "strip_diacritics", "has_diacritics"]

# ---------------------------------------------------------------------------
# Character tables
# ---------------------------------------------------------------------------

#: The five Vietnamese tone marks (combining characters), in NFD.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
#: Vowel letters with their vowel diacritics (breve, circumflex, horn), lowercase.
_VOWELS = "aăâeêioôơuưy"
_BASE_VOWELS_UPPER = _VOWELS.upper()


def _build_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    """Map every toned/untoned Vietnamese vowel to (toneless vowel, tone index) and back.

    Tone index 0 means "no tone", 1..5 index :data:`_TONES`.
    """
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for v in _VOWELS + _BASE_VOWELS_UPPER:
        join[(v, 0)] = v
        split[v] = (v, 0)
        for t, mark in enumerate(_TONES, start=1):
            c = unicodedata.normalize("NFC", v + mark)
            join[(v, t)] = c
            split[c] = (v, t)
    return split, join


_SPLIT, _JOIN = _build_tables()
_TONED = "".join(c for c, (_, t) in _SPLIT.items() if t)

#: Vietnamese letters (NFC), both cases: what a syllable is made of.
_VN_LETTERS = "bcdđghklmnpqrstvx" + "fjwz" + "".join(_SPLIT)
_VN_LETTERS = _VN_LETTERS + _VN_LETTERS.upper()
_VN_LETTER_SET = frozenset(_VN_LETTERS)

# A run of letters containing at least one toned vowel: the only tokens whose tone
# placement can be wrong.  (\w also covers digits: "Hoá2" is left alone by the parser.)
# Also words with a half-horned "uơ"/"ưo" ("đuợc", "chuơng" -> "được", "chương").
# Whole words only, and not a word carrying a stray combining mark that NFC could not
# compose (moving its tone would make the text compose differently next time).
_TONED_WORD_RE = re.compile(
    r"(?<![^\W\d_])[^\W\d_]*(?:[" + _TONED + r"]|[uU][ơƠ]|[ưƯ][oO])[^\W\d_]*(?![^\W\d_]|[\u0300-\u036f])"
)

_ONSET = r"(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_SYLLABLE_RE = re.compile(_ONSET + r"([aăâeêioôơuưy]{1,3})(ch|ng|nh|c|m|n|p|t)?")
_MODIFIED = frozenset("ăâêôơư")


@lru_cache(maxsize=65536)
def _fix_syllable(word: str) -> str:
    """Return ``word`` with its tone mark on the vowel the traditional rules name.

    Why: Vietnamese text mixes the "new" placement ("hoá", "thuỷ") with the
    traditional one ("hóa", "thủy") that underthesea, most newspapers and most
    queries use; lexical matching needs one spelling.  Rules (on the toneless
    nucleus, after the onset, "qu" and "gi" counting as onsets):

    1. a vowel with a breve/circumflex/horn carries the tone (the last one: "ươ" -> ơ);
    2. otherwise, with a final consonant, the last vowel ("hoàng", "huých");
    3. otherwise three vowels -> the middle one ("hoài", "khuỷu");
    4. otherwise two vowels -> the first ("hóa", "thủy", "khỏe", "mía").

    Also "uơ"/"ưo" before a final consonant -> "ươ" ("đuợc" -> "được").
    Words that are not a single Vietnamese syllable are returned unchanged.
    """
    tone = 0
    bare_chars: list[str] = []
    for ch in word:
        sp = _SPLIT.get(ch)
        if sp is None:
            if ch not in _VN_LETTER_SET:
                return word
            bare_chars.append(ch)
            continue
        v, t = sp
        if t:
            if tone and t != tone:
                return word  # two different tones: not ours to guess
            tone = t
        bare_chars.append(v)
    bare = "".join(bare_chars)
    low = bare.lower()
    m = _SYLLABLE_RE.fullmatch(low)
    if m is None:
        return word
    onset, nucleus, coda = m.group(1) or "", m.group(2), m.group(3) or ""
    if onset == "gi" and not nucleus:
        return word
    if coda and nucleus in ("uơ", "ưo"):
        nucleus = "ươ"
    elif not tone:
        return word
    mods = [i for i, c in enumerate(nucleus) if c in _MODIFIED]
    if mods:
        pos = mods[-1]
    elif coda:
        pos = len(nucleus) - 1
    elif len(nucleus) == 3:
        pos = 1
    elif len(nucleus) == 2:
        pos = 0
    else:
        pos = 0
    new_low = onset + nucleus + coda
    out = []
    tone_at = len(onset) + pos
    for i, (orig, c) in enumerate(zip(bare, new_low)):
        if i == tone_at and tone:
            c = _JOIN[(c, tone)]
        out.append(c.upper() if orig.isupper() else c)
    return "".join(out)


def _fix_match(m: re.Match[str]) -> str:
    return _fix_syllable(m.group(0))


def normalize(text: str) -> str:
    """NFC + traditional tone placement ("Thanh Hoá" -> "Thanh Hóa"), spacing untouched.

    Agrees with ``underthesea.text_normalize`` on Vietnamese words (tone placement,
    "uơ"+consonant -> "ươ", "ð" -> "đ") without its re-spacing of punctuation.
    Length-preserving on NFC input; idempotent; only moves tone marks and horns,
    so ``fold(normalize(x)) == fold(x)``.  Deliberately not done: underthesea's
    spelling fixes that change letters ("nghành" -> "ngành", "qui" -> "quy"):
    they change the length or the folded form, and are rare in official text.
    """
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ð", "đ").replace("Ð", "Đ")  # as underthesea's character map
    return _TONED_WORD_RE.sub(_fix_match, text)


# ---------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------

_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")
_FOLD_TABLE = str.maketrans(
    {c: _COMBINING_RE.sub("", unicodedata.normalize("NFD", c)) for c in _SPLIT}
    | {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"}
)


def strip_diacritics(text: str) -> str:
    """Remove diacritics and map "đ" to "d", keeping case: "Sở TT&TT" -> "So TT&TT"
    (how many users type)."""
    out = text.translate(_FOLD_TABLE)
    if not out.isascii():
        out = _COMBINING_RE.sub("", unicodedata.normalize("NFD", out))
    return out


def fold(text: str) -> str:
    """Remove diacritics, map "đ" to "d", lowercase: "Hạ tầng số" -> "ha tang so".

    Why: users often type without accents; the no-accent field matches on this.
    """
    return strip_diacritics(text).lower()


def has_diacritics(text: str) -> bool:
    """True when ``text`` has a Vietnamese diacritic (tone, vowel mark or "đ")."""
    return fold(text) != text.lower()



def fold_chars(text: str) -> str:
    """:func:`fold` one character at a time, so the result has the length of ``text``.

    Why: a match found in the folded string (a highlighted term, a header
    keyword) is cut out of the original by position.  A character that folds
    to nothing (a stray combining mark of NFD input) is kept as it is; one that
    folds to several ("İ") keeps the first.
    """
    if text.isascii():
        return text.lower()
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch.lower())
            continue
        f = fold(ch)
        out.append(f[0] if f else ch)
    return "".join(out)
