"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI) and how to recognise them.

Before Unicode, Vietnamese documents were typed in 8-bit "font encodings": the
bytes are ordinary Windows-1252 characters, and only the font (.VnTime for
TCVN3, VNI-Times for VNI) drew them as Vietnamese letters. Such text decodes
"fine" but reads as mojibake ("Thµnh phè" / "Thaønh phoá" for "Thành phố"), and
indexing it would make every question about it miss. This module converts those
texts to Unicode, and decides *whether* a text is in one of them by counting how
many words are valid Vietnamese syllables (:mod:`indexer.syllables`) before and
after each conversion.

All functions work on ``str`` whose legacy characters are the cp1252 reading of
the original bytes, since that is what a .txt decoded as cp1252, a .docx run in
a .VnTime font, or a PDF text layer gives us.

Tables: TCVN3 positions follow TCVN 5712:1993 (checked byte by byte against
glibc's TCVN5712-1 converter, see tests/indexer/readers/test_legacy.py); VNI positions
follow the VNI-Windows font layout (checked against public converters).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.syllables import TONE_MARKS as _TONE_MARKS
from indexer.syllables import syllable_counts

# --------------------------------------------------------------------------------------
# TCVN3 (ABC, .VnTime / .VnTimeH fonts): one byte per letter.
# --------------------------------------------------------------------------------------

#: byte value -> Unicode letter. VN3 proper: the 7 uppercase base letters and all
#: lowercase letters; the VN3 code space has no uppercase toned letters (the
#: ".VnTimeH" fonts draw the lowercase codes as capitals instead).
TCVN3_TABLE: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    # tone order in each row: grave, hook, tilde, acute, dot below
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}

#: Uppercase toned letters that TCVN 5712 (VN1/VN2) puts in slots VN3 leaves empty.
#: They never collide with a VN3 letter, so honouring them costs nothing. The VN1
#: slots in 0x00-0x1F and 0x80-0x9F are *not* used: in cp1252 text those are
#: control codes and curly quotes/dashes, which .VnTime documents do contain.
TCVN3_EXTRA_UPPER: dict[int, str] = {
    0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ",
    0xC4: "Ấ", 0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ",
    0xF0: "Ỗ", 0xFF: "Ố",
}


def _cp1252_char(byte: int) -> str:
    """The character a cp1252 decoder yields for ``byte`` (latin-1 where cp1252 has none)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_TCVN3_CHARMAP: dict[int, str] = {
    ord(_cp1252_char(b)): u for b, u in {**TCVN3_TABLE, **TCVN3_EXTRA_UPPER}.items()
}

#: Characters (cp1252 reading) that only appear in TCVN3-encoded text.
TCVN3_CHARS: frozenset[str] = frozenset(chr(c) for c in _TCVN3_CHARMAP)

# Lowercase toned letter -> its base vowel, for undoing "A¸" = "Á" (see _merge_upper).
_VOWEL_FAMILIES = {
    "A": "aàảãáạ", "Ă": "ăằẳẵắặ", "Â": "âầẩẫấậ", "E": "eèẻẽéẹ", "Ê": "êềểễếệ",
    "I": "iìỉĩíị", "O": "oòỏõóọ", "Ô": "ôồổỗốộ", "Ơ": "ơờởỡớợ", "U": "uùủũúụ",
    "Ư": "ưừửữứự", "Y": "yỳỷỹýỵ",
}
_MERGE_RE = re.compile(
    "|".join(f"{base}[{tones[1:]}]" for base, tones in _VOWEL_FAMILIES.items())
)


def _merge_upper(text: str) -> str:
    """Turn "Aá" into "Á": many converters write a capital toned letter as capital base + lowercase toned letter."""
    return _MERGE_RE.sub(lambda m: m.group()[1].upper(), text)


_ASCII_LOWER = re.compile("[a-z]")


def _has_capitals_legacy_word(line: str) -> bool:
    """A word mixing legacy codes with at least two ASCII capitals ("HO¹CH"): typed in capitals."""
    return any(
        sum(ch.isascii() and ch.isalpha() for ch in w) >= 2 and w.translate(_TCVN3_CHARMAP) != w
        for w in line.split()
    )


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (cp1252 reading) to Unicode NFC.

    A line typed in a ".VnTimeH" capitals font stores lowercase codes; when every
    ASCII letter on a line is a capital (and one word has at least two), the line
    is taken as such and upper-cased, so "KÕ HO¹CH" becomes "KẾ HOẠCH".
    """
    out: list[str] = []
    for line in text.split("\n"):
        converted = line.translate(_TCVN3_CHARMAP)
        if not TCVN3_CHARS.isdisjoint(line):
            converted = _merge_upper(converted)
            if not _ASCII_LOWER.search(line) and _has_capitals_legacy_word(line):
                converted = converted.upper()
        out.append(converted)
    return unicodedata.normalize("NFC", "\n".join(out))


# --------------------------------------------------------------------------------------
# VNI (VNI-Windows, VNI-Times fonts): base letter followed by a "mark" byte.
# --------------------------------------------------------------------------------------

# Mark bytes, lowercase form; the uppercase letters use the uppercase cp1252 letter.
# Tone order: acute, grave, hook, tilde, dot below.
_VNI_TONES = ("ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX_TONES = ("á", "à", "å", "ã", "ä")  # â ê ô + tone
_VNI_BREVE_TONES = ("é", "è", "ú", "ü", "ë")  # ă + tone


def _with_tone(letter: str, tone: int | None) -> str:
    return letter if tone is None else unicodedata.normalize("NFC", letter + _TONE_MARKS[tone])


def _build_vni_table() -> dict[str, str]:
    """VNI sequence (lowercase form) -> Unicode lowercase letter."""
    table: dict[str, str] = {}
    for base in "aeouy":
        for i, mark in enumerate(_VNI_TONES):
            if base == "y" and i == 4:
                continue  # ỵ is the single byte "î"
            table[base + mark] = _with_tone(base, i)
    for base, hatted in (("a", "â"), ("e", "ê"), ("o", "ô")):
        table[base + "â"] = hatted
        for i, mark in enumerate(_VNI_CIRCUMFLEX_TONES):
            table[base + mark] = _with_tone(hatted, i)
    table["aê"] = "ă"
    for i, mark in enumerate(_VNI_BREVE_TONES):
        table["a" + mark] = _with_tone("ă", i)
    # ơ and ư are single bytes, toned by a following tone mark.
    for single, letter in (("ô", "ơ"), ("ö", "ư")):
        table[single] = letter
        for i, mark in enumerate(_VNI_TONES):
            table[single + mark] = _with_tone(letter, i)
    # i (and ỵ) take their tones in one byte: í ì æ ó ò; î = ỵ.
    for i, single in enumerate(("í", "ì", "æ", "ó", "ò")):
        table[single] = _with_tone("i", i)
    table["î"] = "ỵ"
    table["ñ"] = "đ"
    return table


#: VNI sequence (lowercase form, cp1252 reading) -> Unicode letter.
VNI_TABLE: dict[str, str] = _build_vni_table()


def _vni_variants() -> dict[str, str]:
    """Every case form of each sequence; the first character decides the result's case."""
    variants: dict[str, str] = {}
    for seq, uni in VNI_TABLE.items():
        if len(seq) == 1:
            variants[seq] = uni
            variants[seq.upper()] = uni.upper()
            continue
        first, mark = seq
        for f in (first, first.upper()):
            for m in (mark, mark.upper()):
                variants[f + m] = uni.upper() if f.isupper() else uni
    return variants


_VNI_VARIANTS = _vni_variants()
_VNI_BASES = "".join(sorted({k[0] for k in _VNI_VARIANTS if len(k) == 2}))
_VNI_MARKS = "".join(sorted({k[1] for k in _VNI_VARIANTS if len(k) == 2}))
_VNI_SINGLES = "".join(sorted(k for k in _VNI_VARIANTS if len(k) == 1))
# Two character classes instead of a 300-way alternation: an order of magnitude faster.
_VNI_RE = re.compile(f"[{_VNI_BASES}][{_VNI_MARKS}]|[{_VNI_SINGLES}]")


def _vni_sub(match: re.Match[str]) -> str:
    seq = match.group()
    if seq in _VNI_VARIANTS:
        return _VNI_VARIANTS[seq]
    # a base that cannot take this mark ("yë"): convert the base alone, keep the mark
    return _VNI_VARIANTS.get(seq[0], seq[0]) + seq[1]
#: Characters (cp1252 reading) that mark VNI text: its mark bytes and single-byte letters.
VNI_CHARS: frozenset[str] = frozenset(ch for k in _VNI_VARIANTS for ch in k if not ch.isascii())


def vni_to_unicode(text: str) -> str:
    """Convert VNI (cp1252 reading) to Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(_vni_sub, text))


# --------------------------------------------------------------------------------------
# Choosing between readings.
# --------------------------------------------------------------------------------------

#: A reading must make at least this share of candidate words valid syllables ...
MIN_VALID_SHARE = 0.75
#: ... and beat every other reading by this margin, or the choice is ambiguous.
MIN_MARGIN = 0.2
#: Below this many candidate words there is nothing to judge: keep the first reading.
MIN_WORDS = 3


#: Readings are compared on this many leading characters: plenty to decide, cheap on big files.
SAMPLE_CHARS = 200_000


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind("\n", 0, SAMPLE_CHARS)
    return text[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]


@dataclass
class Reading:
    name: str
    text: str
    valid: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.valid / self.total if self.total else 0.0


class AmbiguousEncoding(ValueError):
    """No reading of the text is clearly Vietnamese, or two different ones are equally so."""

    def __init__(self, readings: list[Reading]):
        self.readings = readings
        summary = ", ".join(f"{r.name}={r.valid}/{r.total}" for r in readings)
        super().__init__(f"cannot tell the text encoding apart: {summary}")

    @property
    def best_names(self) -> list[str]:
        top = max((r.share for r in self.readings), default=0.0)
        return [r.name for r in self.readings if r.share >= top - MIN_MARGIN]


def choose_reading(candidates: dict[str, str]) -> Reading:
    """Pick the reading that is clearly the most Vietnamese; the first candidate is the default.

    - too little non-ASCII text to judge: the default;
    - the default is good and nothing is clearly better: the default;
    - one reading is good and clearly better than every different one: that one;
    - no other reading is clearly better than the default (text that simply is
      not Vietnamese, e.g. French): the default, and the caller decides;
    - otherwise a conversion helps but not decisively, or two help equally:
      :class:`AmbiguousEncoding`, since guessing would index garbage.
    """
    readings = []
    for name, text in candidates.items():
        valid, total = syllable_counts(_sample(text))
        readings.append(Reading(name, text, valid, total))
    default = readings[0]
    if max(r.total for r in readings) < MIN_WORDS:
        return default
    ranked = sorted(readings, key=lambda r: r.share, reverse=True)
    best = ranked[0]
    rivals = [r for r in ranked[1:] if r.text != best.text]
    runner_up = rivals[0].share if rivals else 0.0
    if default.share >= MIN_VALID_SHARE and default.share >= best.share - MIN_MARGIN:
        return default
    if best.share >= MIN_VALID_SHARE and best.share - runner_up >= MIN_MARGIN:
        return best
    if best.text == default.text or best.share < default.share + MIN_MARGIN:
        return default
    raise AmbiguousEncoding(ranked)


# --------------------------------------------------------------------------------------
# Text-level repair: for text that is already a str (docx, pdf, html, utf-8 txt).
# --------------------------------------------------------------------------------------

_CP1252_HIGH = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


_NOT_CP1252 = re.compile("[^\x00-\xff" + re.escape("".join(sorted(_CP1252_HIGH))) + "]")


def _could_be_legacy(line: str) -> bool:
    """A line holding any character outside cp1252 was not typed in a legacy font."""
    return _NOT_CP1252.search(line) is None


@dataclass
class LegacyFix:
    text: str
    encoding: str | None  # "tcvn3", "vni" or None when nothing was converted
    lines_converted: int = 0


CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


def _legacy_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if not line.isascii() and _could_be_legacy(line)]


def detect_legacy_encoding(text: str) -> str | None:
    """"tcvn3" or "vni" when the cp1252-only lines of ``text`` read as that encoding, else None.

    Raises :class:`AmbiguousEncoding` when the lines are clearly not Unicode
    Vietnamese but neither conversion clearly makes them so.
    """
    lines = text.split("\n")
    sample = _sample("\n".join(lines[i] for i in _legacy_lines(lines)))
    if not sample or not (set(sample) & (TCVN3_CHARS | VNI_CHARS)):
        return None
    reading = choose_reading(
        {"unicode": sample, "tcvn3": tcvn3_to_unicode(sample), "vni": vni_to_unicode(sample)}
    )
    return None if reading.name == "unicode" else reading.name


def convert_legacy_lines(text: str, encoding: str) -> tuple[str, int]:
    """Convert each line that could be ``encoding`` and reads better converted; (text, lines changed).

    Line by line, so Unicode paragraphs mixed into a .VnTime document stay as
    they are. A line that reads equally well both ways ("Sè" is a word, and so
    is "Số") follows the majority: it is converted when most candidate lines
    clearly were. The line count never changes, so callers can keep page offsets.
    """
    convert = CONVERTERS[encoding]
    lines = text.split("\n")
    candidates = _legacy_lines(lines)
    better: dict[int, str] = {}
    ties: dict[int, str] = {}
    for i in candidates:
        after_text = convert(lines[i])
        if after_text == lines[i]:
            continue
        valid_before, total_before = syllable_counts(lines[i])
        valid_after, total_after = syllable_counts(after_text)
        invalid_before, invalid_after = total_before - valid_before, total_after - valid_after
        if valid_after > valid_before or (valid_after == valid_before and invalid_after < invalid_before):
            better[i] = after_text
        elif valid_after == valid_before and invalid_after == invalid_before:
            ties[i] = after_text
    if 2 * len(better) > len(candidates):
        better.update(ties)
    for i, after_text in better.items():
        lines[i] = after_text
    return "\n".join(lines), len(better)


def fix_legacy_text(text: str) -> LegacyFix:
    """Detect a legacy font encoding in ``text`` and convert the passages written in it."""
    encoding = detect_legacy_encoding(text)
    if encoding is None:
        return LegacyFix(text, None)
    fixed, changed = convert_legacy_lines(text, encoding)
    return LegacyFix(fixed, encoding if changed else None, changed)


def font_encoding(font_name: str | None) -> str | None:
    """Legacy encoding implied by a font name: ".VnTime" -> "tcvn3", "VNI-Times" -> "vni"."""
    if not font_name:
        return None
    name = font_name.strip().lower()
    if name.startswith(".vn") or name.startswith("vn3") or name.startswith("abc "):
        return "tcvn3"
    if name.startswith("vni-") or name.startswith("vni "):
        return "vni"
    return None


def convert_with_font(text: str, font_name: str | None) -> str:
    """Convert a run of text typed in ``font_name``; ".VnTimeH"-style capitals fonts are upper-cased."""
    enc = font_encoding(font_name)
    if enc is None:
        return text
    converted = CONVERTERS[enc](text)
    if enc == "tcvn3" and font_name and font_name.strip().lower().rstrip("-").endswith("h"):
        converted = converted.upper()
    return converted
