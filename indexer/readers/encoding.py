"""Bytes to NFC text: encoding detection, legacy-font repair, tidying.

Text encodings (UTF-8/16, Windows-1258, legacy TCVN3/VNI fonts) are detected
rather than assumed: the 8-bit readings are compared by how much of the text
becomes valid Vietnamese syllables.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

import indexer.readers.legacy as legacy
from indexer.readers.errors import LoadError
from indexer.syllables import STRIP_CHARS

#: Share of control bytes above which "text" is taken to be binary data.
MAX_CONTROL_SHARE = 0.05
#: A cp1252 reading with more non-ASCII characters than this is not Western text.
MAX_NON_ASCII_SHARE = 0.3


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that cp1252/cp1258 leave undefined as their latin-1 characters."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("hoidap.latin1", _latin1_fallback)

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control codes: data no text editor wrote."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > MAX_CONTROL_SHARE * len(sample)


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when every other byte is mostly NUL (ASCII and Latin in UTF-16)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul >= 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul >= 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a plain-text file; raises LoadError("binary"/"bad_encoding"/...).

    Order: BOM; BOM-less UTF-16 by its NUL pattern; binary check; strict UTF-8;
    then the 8-bit readings (Windows-1258, and cp1252 read as-is, as TCVN3 or as
    VNI) compared by how much of the text becomes valid Vietnamese.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise LoadError("bad_encoding", f"invalid {encoding}: {exc}") from None
    utf16 = utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        if text and not looks_binary(text.encode("utf-8")):
            return text, utf16
    if looks_binary(data):
        raise LoadError("binary")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Readings are compared on a leading sample; only the winner is applied to the whole file.
    sample = data
    if len(data) > legacy.SAMPLE_CHARS:
        cut = data.rfind(b"\n", 0, legacy.SAMPLE_CHARS)
        sample = data[: cut if cut > legacy.SAMPLE_CHARS // 2 else legacy.SAMPLE_CHARS]
    try:
        chosen = legacy.choose_reading({name: read(sample) for name, read in _EIGHT_BIT_READINGS.items()})
    except legacy.AmbiguousEncoding as exc:
        if set(exc.best_names) & {"tcvn3", "vni"}:
            raise LoadError("legacy_font_unconvertible", str(exc)) from None
        raise LoadError("bad_encoding", str(exc)) from None
    if chosen.name == "cp1252" and not _plausible_western(chosen.text):
        raise LoadError("bad_encoding", "not UTF-8, and no 8-bit reading looks like text")
    text = chosen.text if sample is data else _EIGHT_BIT_READINGS[chosen.name](data)
    return text, chosen.name


def _cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors="hoidap.latin1")


#: The ways to read 8-bit Vietnamese-or-not text; the first is the default.
_EIGHT_BIT_READINGS = {
    "cp1252": _cp1252,
    "cp1258": lambda data: unicodedata.normalize("NFC", data.decode("cp1258", errors="hoidap.latin1")),
    "tcvn3": lambda data: legacy.tcvn3_to_unicode(_cp1252(data)),
    "vni": lambda data: legacy.vni_to_unicode(_cp1252(data)),
}


def _plausible_western(text: str) -> bool:
    """Does a cp1252 reading look like Western European text (words of mostly ASCII letters)?

    Vietnamese 8-bit text that matched no reading, or a CJK/Cyrillic file read as
    cp1252, is made of words full of accented letters and symbols instead.
    """
    visible = [ch for ch in text if not ch.isspace()]
    foreign = sum(not ch.isascii() for ch in visible)
    if foreign > MAX_NON_ASCII_SHARE * len(visible):
        return False
    words = [w.strip(STRIP_CHARS) for w in text.split() if not w.isascii()]
    words = [w for w in words if w and not w.isascii()]
    if len(words) < legacy.MIN_WORDS:
        return True
    good = 0
    for word in words:
        ascii_letters = sum(ch.isascii() and ch.isalpha() for ch in word)
        good += word.isalpha() and ascii_letters * 2 >= len(word)
    return good >= legacy.MIN_VALID_SHARE * len(words)


def fix_legacy(text: str) -> str:
    """Convert legacy-font passages of already-decoded text; refuse rather than guess."""
    try:
        return legacy.fix_legacy_text(text).text
    except legacy.AmbiguousEncoding as exc:
        raise LoadError("legacy_font_unconvertible", str(exc)) from None


# (regexes rather than str.translate with a dict: several times faster on megabytes of text)
_SPACES = re.compile("[\u00a0\u2007\u202f\u3000]")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f]")
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
# A combining mark separated from its letter by a space: "Tha ̀nh" from some PDF text layers.
_DETACHED_MARK = re.compile(r"(?<=\w)[ \t]+(?=[\u0300-\u036f])")


def tidy(text: str, *, collapse_spaces: bool = False) -> str:
    """NFC, unified line ends and spaces, no invisible characters, no runs of blank lines.

    ``collapse_spaces`` also squeezes runs of spaces inside lines (PDF and HTML,
    where they are layout, not content; Markdown keeps its indentation).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _SPACES.sub(" ", text)
    text = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text)
    text = _INVISIBLE.sub("", text)
    text = _DETACHED_MARK.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    if collapse_spaces:
        lines = [re.sub(r"(?<=\S) {2,}", " ", line) for line in lines]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n").rstrip()
