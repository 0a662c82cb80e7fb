"""Vietnamese text utilities: normalisation, folding, sentences, syllables, tokens.

Everything here is a pure function of its input and runs at index time on every
passage, so the hot paths are plain ``str``/``re`` work. underthesea (whose import
costs ~4.5 s) is imported lazily and only by :func:`word_tokens` /
:func:`word_tokens_batch`.

Conventions
-----------
* :func:`normalize` is NFC plus tone-mark placement in the style underthesea's
  ``text_normalize`` produces ("hoá" -> "hóa", "thuỷ" -> "thủy", "uỷ" -> "ủy"); it
  never touches spacing or punctuation, and it keeps the length of NFC input,
  so offsets computed on normalised text are offsets into the NFC text.
* :func:`fold` strips all diacritics and lowercases, for the no-accent field.
* Lexical tokens (:func:`word_tokens`) are lowercase underthesea words joined
  with "_", plus the token scheme for numbers and codes documented there.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Iterable

__all__ = [
    "normalize",
    "fold",
    "has_diacritics",
    "sentence_spans",
    "sentences",
    "syllables",
    "syllable_count",
    "word_tokens",
    "word_tokens_batch",
    "folded_tokens",
]

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
_TONED_WORD_RE = re.compile(r"[^\W\d_]*[" + _TONED + r"][^\W\d_]*")
# Whole word "qui" (an old spelling underthesea maps to "quy").
_QUI_RE = re.compile(r"\b([Qq])([Uu])([Ii])\b")

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
    if not tone:
        return word
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
        if i == tone_at:
            c = _JOIN[(c, tone)]
        out.append(c.upper() if orig.isupper() else c)
    return "".join(out)


def _fix_match(m: re.Match[str]) -> str:
    return _fix_syllable(m.group(0))


def _fix_qui(m: re.Match[str]) -> str:
    return m.group(1) + m.group(2) + ("Y" if m.group(3) == "I" else "y")


def normalize(text: str) -> str:
    """NFC + traditional tone placement ("Thanh Hoá" -> "Thanh Hóa"), spacing untouched.

    Agrees with ``underthesea.text_normalize`` on Vietnamese words (tone placement,
    "uơ"+consonant -> "ươ", "qui" -> "quy") without its re-spacing of punctuation.
    Length-preserving on NFC input; idempotent.  Not done (length-changing):
    underthesea's "ngh" before a/o/u fixes ("nghành" -> "ngành").
    """
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ð", "đ").replace("Ð", "Đ")  # as underthesea's character map
    text = _TONED_WORD_RE.sub(_fix_match, text)
    if "ui" in text or "UI" in text or "uI" in text or "Ui" in text:
        text = _QUI_RE.sub(_fix_qui, text)
    return text


# ---------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------

_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")
_FOLD_TABLE = str.maketrans(
    {c: _COMBINING_RE.sub("", unicodedata.normalize("NFD", c)) for c in _SPLIT}
    | {"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"}
)


def fold(text: str) -> str:
    """Remove diacritics, map "đ" to "d", lowercase: "Hạ tầng số" -> "ha tang so".

    Why: users often type without accents; the no-accent field matches on this.
    """
    out = text.translate(_FOLD_TABLE)
    if not out.isascii():
        out = _COMBINING_RE.sub("", unicodedata.normalize("NFD", out))
    return out.lower()


def has_diacritics(text: str) -> bool:
    """True when ``text`` has a Vietnamese diacritic (tone, vowel mark or "đ")."""
    return fold(text) != text.lower()


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

# Abbreviations whose final "." never ends a sentence (compared case-sensitively).
_ABBREVIATIONS = frozenset(
    """TP Tp tp TT Tt TX Tx TS ThS Th.S PGS GS BS KS CN NCS Ths Ts Mr Mrs Ms Dr St
    v.v vv Đ/c đ/c Q H X P tr Tr trg No no Nxb NXB Nđ Ông Bà Co Ltd Inc etc e.g i.e
    Sđd sđd tt Tel tel ĐT Fax""".split()
)

_SENT_END_RE = re.compile(r"[.!?…;]+|\n")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the "." at ``dot`` the end of an abbreviation such as "TP." or "v.v."?"""
    j = dot
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(\"'“‘[":
        j -= 1
    word = text[j:dot]
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # single letters / initials: "A.", "Nguyễn V. A." and dotted initialisms "T.Ư"
    if len(word) == 1 and word.isalpha():
        return True
    if "." in word and all(p.isalpha() and len(p) <= 3 for p in word.split(".")):
        return True
    return False


def _is_enumerator(text: str, dot: int, line_start: int) -> bool:
    """Is the "." at ``dot`` part of a line-start enumerator ("1.", "1.1.", "II.", "a.")?"""
    head = text[line_start:dot].strip(" \t*#>")
    if not head:
        return False
    return bool(_ENUM_HEAD_RE.fullmatch(head))


_ENUM_HEAD_RE = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7}|[a-zđ]|(?:Điều|Điểm|Khoản|Mục|Chương|Phần)\s+\w{1,10})",
    re.IGNORECASE,
)
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` into ``text``, stripped of surrounding whitespace.

    Newline-aware (a newline always ends a sentence, unlike underthesea's
    ``sent_tokenize``).  Within a line, a sentence ends at ``. ! ? … ;`` followed by
    whitespace and then an uppercase letter, a digit or an opening quote/bracket
    (or the end of the line).  Not a boundary: decimal/thousand separators
    ("2.5", "1.000.000"), dates and codes ("15/9/2023", "225/KH-UBND"), URLs and
    e-mails (no whitespace after the dot), abbreviations ("TP.", "ThS.", "v.v."),
    line-start enumerators ("1.", "1.1.", "II.", "a)"), and punctuation inside
    quoted speech that is followed by more of the quote.
    Pure ``str`` scanning: linear, never raises.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    line_start = 0
    quote_depth = 0

    def emit(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))

    start = 0
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            emit(start, i)
            start = i + 1
            line_start = i + 1
            quote_depth = 0
            i += 1
            continue
        if ch in "“«":
            quote_depth += 1
        elif ch in "”»":
            quote_depth = max(0, quote_depth - 1)
        if ch in ".!?…;":
            # take the whole run of terminal punctuation and closing quotes
            j = i
            while j < n and text[j] in ".!?…;":
                j += 1
            k = j
            while k < n and text[k] in _CLOSERS:
                if text[k] in "”»":
                    quote_depth = max(0, quote_depth - 1)
                k += 1
            if _is_boundary(text, i, j, k, max(start, line_start), quote_depth):
                emit(start, k)
                start = k
            i = k
            continue
        i += 1
    emit(start, n)
    return spans


def _is_boundary(text: str, i: int, j: int, k: int, line_start: int, quote_depth: int) -> bool:
    """Decide whether the punctuation run ``text[i:j]`` (+ closers to ``k``) ends a sentence."""
    n = len(text)
    # what follows, after horizontal whitespace
    m = k
    while m < n and text[m] in " \t\r\f\v\u00a0":
        m += 1
    if m >= n or text[m] == "\n":
        # end of line: ends the sentence unless it's a bare enumerator like "1."
        return not (text[i] == "." and j - i == 1 and _is_enumerator(text, i, line_start))
    if m == k:
        return False  # no whitespace after: "2.5", "a.b", URLs, "TP.HCM"
    nxt = text[m]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt in "-–•+*"):
        return False
    if quote_depth > 0 and k == j:
        return False  # still inside quoted speech
    run = text[i:j]
    if run == ".":
        if _is_abbreviation(text, i):
            return False
        if _is_enumerator(text, i, line_start):
            return False
    return True


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]


# ---------------------------------------------------------------------------
# Syllables
# ---------------------------------------------------------------------------

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
    return sum(1 for _ in _SYLLABLE_TOKEN_RE.finditer(text))


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
    for chunk in _CHUNK_RE.findall(fold(normalize(text))):
        sy = _SYLLABLE_TOKEN_RE.findall(chunk)
        out.extend(sy)
        bigrams.extend(f"{a}_{b}" for a, b in zip(sy, sy[1:]))
    return out + bigrams


# runs of syllables separated only by spaces (hyphens inside words like "kinh tế - xã hội"
# do break the chunk, which is right: they separate phrases)
_CHUNK_RE = re.compile(r"[^\W_]+(?:[.,]\d+)*(?:[ \t\u00a0]+[^\W_]+(?:[.,]\d+)*)*")


# ---------------------------------------------------------------------------
# Word tokens (underthesea word segmentation)
# ---------------------------------------------------------------------------

_lock = threading.Lock()
_model: object | None = None

# Document numbers and dates: "225/KH-UBND", "13/2023/NĐ-CP", "15/9/2023", "QĐ-TTg".
_CODE_RE = re.compile(
    r"(?<![\w/])\d+(?:/\d+)*/[^\W_]+(?:[-/][^\W_]+)*(?![\w/])"  # 225/KH-UBND, 15/9/2023
    r"|(?<![\w/-])[A-ZĐ]{1,6}(?:-[A-ZĐ][A-Za-zĐ]{0,6})+(?![\w/-])"  # KH-UBND, NĐ-CP, QĐ-TTg
)
_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)*)\s?%")
_PUNCT_ONLY_RE = re.compile(r"[\W_]+")


def _load_model() -> object:
    """Load underthesea's word segmentation CRF once (thread-safe)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from underthesea.pipeline import word_tokenize as wt  # slow import

                wt.word_tokenize("khởi động")  # loads wt.word_tokenize_model
                _model = wt.word_tokenize_model
    return _model


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


def _prepare(text: str) -> str:
    """Normalise and rewrite "100%" as "100 phần trăm" so both spellings match."""
    text = normalize(text)
    if "%" in text:
        text = _PERCENT_RE.sub(r"\1 phần trăm", text)
    return text


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
    """:func:`word_tokens` for many texts; same output, one model call per text.

    Calls underthesea's regex tokenizer and CRF tagger directly (skipping its
    per-call wrapper work), one sentence = one line-sized chunk, because CRF
    decoding is linear in the sequence and the features are local.
    """
    model = _load_model()
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    featurizer = model.featurizer  # type: ignore[attr-defined]
    estimator = model.estimator  # type: ignore[attr-defined]
    results: list[list[str]] = []
    for text in texts:
        prepared = _prepare(text)
        words: list[str] = []
        for piece, is_code in _split_codes(prepared):
            if is_code:
                words.append(piece)
                continue
            for line in piece.split("\n"):
                if not line.strip():
                    continue
                toks = tokenize(line, use_token_normalize=False)
                if not toks:
                    continue
                x = featurizer.process([[[t] for t in toks]])[0]
                tags = estimator.tag(x)
                cur: list[str] = []
                for tag, tok in zip(tags, toks):
                    if tag == "I-W" and cur:
                        cur[-1] = cur[-1] + " " + tok
                    else:
                        cur.append(tok)
                words.extend(cur)
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
