"""Vietnamese text utilities: normalisation, folding, sentences, syllables, tokens.

Everything here is a pure function of its input and runs at index time on every
passage, so the hot paths are plain ``str``/``re`` work.  Word segmentation
(:func:`word_tokens`) uses underthesea's regex tokenizer and CRF model, loaded
lazily on first use (~0.6 s) without importing the ``underthesea`` package itself,
whose ``__init__`` pulls in transformers and torch (5-8 s).

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

import importlib.util
import re
import struct
import threading
import unicodedata
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable

__all__ = [
    "normalize",
    "fold",
    "strip_diacritics",
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


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------

# Abbreviations whose final "." never ends a sentence (compared case-sensitively).
_ABBREVIATIONS = frozenset(
    """TP Tp tp TT Tt TX Tx TS ThS Th.S PGS GS BS KS CN NCS Ths Ts Mr Mrs Ms Dr St
    v.v vv Đ/c đ/c Q H X P tr Tr trg No no Nxb NXB Nđ Ông Bà Co Ltd Inc etc e.g i.e
    Sđd sđd tt Tel tel ĐT Fax""".split()
)

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
#: Joins the cells of a table row line (see indexer.readers.tables): such a line is one sentence.
_TABLE_CELL_SEP = " | "
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
    quoted speech that is followed by more of the quote, and anything on a table
    row line (cells joined by " | ": one row is one sentence, so an answer never
    cuts a cell's "Sở Tài chính; Sở Kế hoạch và Đầu tư" at its ";").
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
            start = line_start = i + 1
            quote_depth = 0
            i += 1
            continue
        if i == line_start:
            line_end = text.find("\n", i)
            line_end = n if line_end < 0 else line_end
            if _TABLE_CELL_SEP in text[i:line_end]:
                i = line_end  # a table row: one sentence up to the end of its line
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


# ---------------------------------------------------------------------------
# Word tokens (underthesea word segmentation)
# ---------------------------------------------------------------------------

_lock = threading.Lock()
_segmenter: "_Segmenter | None" = None

# Document numbers and dates: "225/KH-UBND", "13/2023/NĐ-CP", "15/9/2023", "QĐ-TTg".
_CODE_RE = re.compile(
    r"(?<![\w/])\d+(?:/\d+)*/[^\W_]+(?:[-/][^\W_]+)*(?![\w/])"  # 225/KH-UBND, 15/9/2023
    r"|(?<![\w/-])[A-ZĐ]{1,6}(?:-[A-ZĐ][A-Za-zĐ]{0,6})+(?![\w/-])"  # KH-UBND, NĐ-CP, QĐ-TTg
)
_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)*)\s?%")
_PUNCT_ONLY_RE = re.compile(r"[\W_]+")
_TEMPLATE_RE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?")
_TEMPLATE_FNS = frozenset({"", "lower", "isdigit", "istitle", "is_in_dict"})


class _SpanScores(dict):
    """span string -> summed (I-W minus B-W) weight of one template group, filled on demand."""

    def __init__(self, members: list[tuple[str, dict[str, int]]], diff: list[float], dictionary: frozenset[str]) -> None:
        super().__init__()
        self.members = members
        self.diff = diff
        self.dictionary = dictionary

    def __missing__(self, span: str) -> float:
        total = 0.0
        low: str | None = None
        for fn, table in self.members:
            if fn == "":
                value = span
            elif fn == "lower":
                value = low = span.lower() if low is None else low
            elif fn == "isdigit":
                value = "True" if span.isascii() and span.isdigit() else "False"
            elif fn == "istitle":
                value = "False" if any(w[:1].islower() for w in span.split(" ")) else "True"
            else:  # is_in_dict
                low = span.lower() if low is None else low
                value = "True" if low in self.dictionary else "False"
            total += self.diff[table.get(value, 0)]
        self[span] = total
        return total


class _FastCRF:
    """underthesea's word-segmentation CRF, decoded in Python + NumPy.

    Why: underthesea's Rust featurizer returns ~43 Python strings per syllable
    that its Rust tagger then re-hashes; that marshalling dominates (~34k
    syllables/s).  Reading the same CRFsuite model file and looking features up
    per template (the token strings keep their cached hash) is ~2x faster and
    gives identical tags (tested against the Rust tagger).  Feature semantics
    reproduced from underthesea_core: out-of-sentence spans give "BOS" (checked
    first) or "EOS"; ``istitle`` = first character of every syllable not
    lowercase; ``isdigit`` = ASCII digits only; ``is_in_dict`` = lowercased
    span in the model's dictionary.
    """

    def __init__(self, model_dir: Path) -> None:
        import joblib
        import numpy as np

        self.templates = [self._parse_template(t) for t in joblib.load(model_dir / "features.bin")]
        self.dictionary = frozenset(joblib.load(model_dir / "dictionary.bin"))
        self.labels, state, self.trans = self._read_crfsuite(model_dir / "models.bin")
        self.weights = np.zeros((len(state) + 1, len(self.labels)))
        self.tables: list[dict[str, int]] = [{} for _ in self.templates]
        pos = {name: j for j, (name, _, _, _) in enumerate(self.templates)}
        for i, (attr, w) in enumerate(state.items(), start=1):
            self.weights[i] = w
            name, _, value = attr.partition("=")
            j = pos.get(name)
            if j is not None:
                self.tables[j][value] = i
        # Templates grouped by the span they read ((-1, 0) = previous + current syllable).
        # For two labels only the difference of the label scores matters to Viterbi,
        # so each group maps a span string to one float, cached: legal text repeats
        # the same syllables and syllable pairs constantly.
        self.binary = len(self.labels) == 2
        diff = (self.weights[:, 1] - self.weights[:, 0]).tolist() if self.binary else []
        groups: dict[tuple[int, int], list[tuple[str, dict[str, int]]]] = {}
        for (_name, a, b, fn), table in zip(self.templates, self.tables):
            groups.setdefault((a, b), []).append((fn, table))
        self.groups: list[tuple[int, int, float, float, dict[str, float]]] = []
        for (a, b), members in groups.items():
            bos = sum(diff[t.get("BOS", 0)] for _, t in members) if diff else 0.0
            eos = sum(diff[t.get("EOS", 0)] for _, t in members) if diff else 0.0
            self.groups.append((a, b, bos, eos, _SpanScores(members, diff, self.dictionary)))

    @staticmethod
    def _parse_template(t: str) -> tuple[str, int, int, str]:
        m = _TEMPLATE_RE.fullmatch(t)
        if m is None or (m.group(3) or "") not in _TEMPLATE_FNS:
            raise ValueError(f"unsupported feature template {t!r}")
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) is not None else a
        return t, a, b, m.group(3) or ""

    @staticmethod
    def _read_crfsuite(path: Path) -> tuple[list[str], dict[str, list[float]], list[list[float]]]:
        """Labels, state weights by attribute string, transition matrix of a CRFsuite file."""
        data = path.read_bytes()
        if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
            raise ValueError("not a CRFsuite model")
        (_ver, _nf, nlabels, nattrs, off_feat, off_labels, off_attrs) = struct.unpack_from("<7I", data, 12)

        def cqdb(off: int, n: int) -> list[str]:
            if data[off : off + 4] != b"CQDB":
                raise ValueError("bad CQDB chunk")
            bwd_size, bwd_off = struct.unpack_from("<II", data, off + 16)
            out = [""] * n
            for (rec,) in struct.iter_unpack("<I", data[off + bwd_off : off + bwd_off + 4 * bwd_size]):
                if rec:
                    kid, ksize = struct.unpack_from("<II", data, off + rec)
                    if kid < n:
                        out[kid] = data[off + rec + 8 : off + rec + 7 + ksize].decode("utf-8")
            return out

        labels = cqdb(off_labels, nlabels)
        attrs = cqdb(off_attrs, nattrs)
        if data[off_feat : off_feat + 4] != b"FEAT":
            raise ValueError("bad FEAT chunk")
        (nfeat,) = struct.unpack_from("<I", data, off_feat + 8)
        state: dict[str, list[float]] = {}
        trans = [[0.0] * nlabels for _ in range(nlabels)]
        for ftype, src, dst, w in struct.iter_unpack("<IIId", data[off_feat + 12 : off_feat + 12 + 20 * nfeat]):
            if ftype == 0:
                state.setdefault(attrs[src], [0.0] * nlabels)[dst] += w
            else:
                trans[src][dst] += w
        return labels, state, trans

    def _values(self, toks: list[str], low: list[str], length: int, fn: str, cache: dict) -> list[str]:
        """Attribute values of all spans of ``length`` syllables (cached per sentence)."""
        key = (length, fn)
        got = cache.get(key)
        if got is not None:
            return got
        n = len(toks)
        if length == 1:
            if fn == "":
                vals = toks
            elif fn == "lower":
                vals = low
            elif fn == "isdigit":
                vals = ["True" if (t.isascii() and t.isdigit()) else "False" for t in toks]
            elif fn == "istitle":
                vals = ["False" if t[:1].islower() else "True" for t in toks]
            else:  # is_in_dict
                d = self.dictionary
                vals = ["True" if t in d else "False" for t in low]
        else:
            m = n - length + 1
            if fn == "" or fn == "lower":
                src = toks if fn == "" else low
                vals = [" ".join(src[s : s + length]) for s in range(m)]
            elif fn == "isdigit":
                vals = ["False"] * max(m, 0)  # a span contains a space: never all digits
            elif fn == "istitle":
                t1 = self._values(toks, low, 1, "istitle", cache)
                vals = ["False" if "False" in t1[s : s + length] else "True" for s in range(m)]
            else:  # is_in_dict
                d = self.dictionary
                vals = [
                    "True" if v in d else "False" for v in self._values(toks, low, length, "lower", cache)
                ]
        cache[key] = vals
        return vals

    def tag(self, toks: list[str]) -> list[str]:
        """Most likely label ("B-W"/"I-W") of every syllable token."""
        n = len(toks)
        if n == 0:
            return []
        if not self.binary or any(" " in t for t in toks):
            return self._tag_exact(toks)
        spans: dict[int, list[str]] = {1: toks}
        columns: list[list[float]] = []
        for a, b, bos, eos, scores in self.groups:
            length = b - a + 1
            vals = spans.get(length)
            if vals is None:
                vals = spans[length] = [" ".join(toks[s : s + length]) for s in range(n - length + 1)]
            lo = min(n, max(0, -a))
            hi = max(lo, n - max(b, 0))
            col = [bos] * lo if lo else []
            col.extend(map(scores.__getitem__, vals[lo + a : hi + a]))
            if n - hi:
                col.extend([eos] * (n - hi))
            columns.append(col)
            if len(scores) > 60_000:  # bound memory (~12 groups x 60k floats) on huge corpora
                scores.clear()
        emit = [[0.0, e] for e in map(sum, zip(*columns))]
        return [self.labels[k] for k in _viterbi(emit, self.trans)]

    def _tag_exact(self, toks: list[str]) -> list[str]:
        """Reference decoder: one table lookup per template and position."""
        n = len(toks)
        if n == 0:
            return []
        low = [t.lower() for t in toks]
        cache: dict[tuple[int, str], list[str]] = {}
        idx: list[int] = []
        for (_name, a, b, fn), table in zip(self.templates, self.tables):
            vals = self._values(toks, low, b - a + 1, fn, cache)
            lo = min(n, max(0, -a))
            hi = max(lo, n - max(b, 0))
            get = table.get
            if lo:
                idx.extend([get("BOS", 0)] * lo)
            idx.extend(map(get, vals[lo + a : hi + a], repeat(0)))
            if n - hi:
                idx.extend([get("EOS", 0)] * (n - hi))
        nl = len(self.labels)
        emit = self.weights[idx].reshape(len(self.templates), n, nl).sum(axis=0).tolist()
        return [self.labels[k] for k in _viterbi(emit, self.trans)]


def _viterbi(emit: list[list[float]], trans: list[list[float]]) -> list[int]:
    """Best label path; on ties the smaller label index wins (as CRFsuite)."""
    nl = len(trans)
    best = list(emit[0])
    back: list[list[int]] = []
    if nl == 2:
        (t00, t01), (t10, t11) = trans
        b0, b1 = best
        for e0, e1 in emit[1:]:
            x0, x1 = b0 + t00, b1 + t10
            if x1 > x0:
                n0, p0 = x1 + e0, 1
            else:
                n0, p0 = x0 + e0, 0
            x0, x1 = b0 + t01, b1 + t11
            if x1 > x0:
                n1, p1 = x1 + e1, 1
            else:
                n1, p1 = x0 + e1, 0
            b0, b1 = n0, n1
            back.append([p0, p1])
        best = [b0, b1]
    else:
        for row in emit[1:]:
            nb: list[float] = []
            bp: list[int] = []
            for y in range(nl):
                arg = 0
                mx = best[0] + trans[0][y]
                for yp in range(1, nl):
                    v = best[yp] + trans[yp][y]
                    if v > mx:
                        mx, arg = v, yp
                nb.append(mx + row[y])
                bp.append(arg)
            best = nb
            back.append(bp)
    y = 0
    for k in range(1, nl):
        if best[k] > best[y]:
            y = k
    path = [y]
    for bp in reversed(back):
        y = bp[y]
        path.append(y)
    path.reverse()
    return path


_WS_MODEL = "ws_crf_vlsp2013_20230727"
_REGEX_TOKENIZE_IMPORTS = (
    "from underthesea.pipeline.text_normalize import token_normalize\n",
    "from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text\n",
)


def _underthesea_root() -> Path:
    """Install folder of underthesea, found without importing it."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("underthesea is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _light_regex_tokenizer() -> Callable[..., list[str]]:
    """underthesea's regex syllable tokenizer without importing the underthesea package.

    Why: ``import underthesea`` pulls in transformers and torch (4-8 s) for its
    translation pipeline; the tokenizer itself is one regex module whose only
    imports are the token/character normalisers, which we replace (our
    :func:`normalize` already did their work: NFC, "ð" -> "đ").  The module
    source is executed as installed, so its behaviour is underthesea's; any
    surprise in the file raises and the caller falls back to the normal import.
    """
    path = _underthesea_root() / "pipeline" / "word_tokenize" / "regex_tokenize.py"
    src = path.read_text(encoding="utf-8")
    for line in _REGEX_TOKENIZE_IMPORTS:
        if line not in src:
            raise ImportError("unexpected regex_tokenize.py")
        src = src.replace(line, "")
    if "underthesea" in src.replace("underthesea_core", ""):
        raise ImportError("regex_tokenize.py imports more of underthesea")

    def token_normalize(token: str, use_character_normalize: bool = True) -> str:
        return token

    def normalize_characters_in_text(text: str) -> str:
        return unicodedata.normalize("NFC", text).replace("ð", "đ").replace("Ð", "Đ")

    ns: dict[str, object] = {
        "__name__": "indexer._underthesea_regex_tokenize",
        "token_normalize": token_normalize,
        "normalize_characters_in_text": normalize_characters_in_text,
    }
    exec(compile(src, str(path), "exec"), ns)  # noqa: S102 - the installed package's own source
    return ns["tokenize"]  # type: ignore[return-value]


class _Segmenter:
    """underthesea's regex syllable tokenizer + CRF word segmenter, loaded once.

    ``fast=True``: :class:`_FastCRF` and the light tokenizer (~0.5 s to load);
    otherwise (or if either fails) underthesea's own modules (~5 s to import).
    """

    def __init__(self, fast: bool = True) -> None:
        self.fast: _FastCRF | None = None
        if fast:
            try:
                self.tokenize = _light_regex_tokenizer()
                self.fast = _FastCRF(_underthesea_root() / "pipeline" / "word_tokenize" / "models" / _WS_MODEL)
            except Exception:  # a future underthesea changed its files: use it as a library
                self.fast = None
        if self.fast is None:
            from underthesea.pipeline import word_tokenize as wt  # slow import
            from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

            self.tokenize = tokenize
            wt.word_tokenize("khởi động")  # loads wt.word_tokenize_model
            model = wt.word_tokenize_model
            self._featurizer = model.featurizer
            self._estimator = model.estimator

    def tag(self, toks: list[str]) -> list[str]:
        if self.fast is not None:
            return self.fast.tag(toks)
        return self._estimator.tag(self._featurizer.process([[[t] for t in toks]])[0])

    def words(self, line: str) -> list[str]:
        """Words of one line, syllables joined by spaces (as underthesea.word_tokenize)."""
        toks = self.tokenize(line, use_token_normalize=False)
        if not toks:
            return []
        out: list[str] = []
        for tag, tok in zip(self.tag(toks), toks):
            if tag == "I-W" and out:
                out[-1] = out[-1] + " " + tok
            else:
                out.append(tok)
        return out


def _get_segmenter() -> _Segmenter:
    """Load the segmenter once (thread-safe)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = _Segmenter()
    return _segmenter


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
    """:func:`word_tokens` for many texts (identical output), as fast as we can make it.

    Each line is segmented on its own (a newline always separates words), and
    codes bypass the segmenter.  Uses :class:`_FastCRF` (same tags as
    underthesea's Rust tagger, ~2x its throughput).
    """
    if not texts:
        return []
    seg = _get_segmenter()
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
