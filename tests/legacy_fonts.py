"""Encode Unicode Vietnamese into the legacy font encodings, to build test fixtures.

The package only ever reads TCVN3/VNI (indexer.readers.legacy); writing them is
needed by tests alone (fixtures, round trips), so it lives here.
"""
from __future__ import annotations

import unicodedata

from indexer.readers.legacy import _VOWEL_FAMILIES, TCVN3_TABLE, VNI_TABLE, _cp1252_char

_TCVN3_REVERSE: dict[str, str] = {u: _cp1252_char(b) for b, u in TCVN3_TABLE.items()}

_VNI_REVERSE: dict[str, str] = {}
for _seq, _uni in sorted(VNI_TABLE.items(), key=lambda kv: len(kv[0])):
    _VNI_REVERSE.setdefault(_uni, _seq)


def unicode_to_tcvn3(text: str) -> str:
    """Encode Unicode Vietnamese as TCVN3 (cp1252 reading), for tests and round trips.

    Capital toned letters have no VN3 code; they are written as capital base
    letter + lowercase toned letter ("Á" -> "A¸"), the form common converters
    produce and ``tcvn3_to_unicode`` reads back.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_REVERSE:
            out.append(_TCVN3_REVERSE[ch])
        elif ch.lower() in _TCVN3_REVERSE and ch.lower() != ch:
            low = ch.lower()
            base = next(b for b, tones in _VOWEL_FAMILIES.items() if low in tones)
            out.append(_TCVN3_REVERSE.get(base, base) + _TCVN3_REVERSE[low])
        else:
            out.append(ch)
    return "".join(out)


def unicode_to_vni(text: str) -> str:
    """Encode Unicode Vietnamese as VNI (cp1252 reading), for tests and round trips."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        if low in _VNI_REVERSE:
            seq = _VNI_REVERSE[low]
            out.append(seq.upper() if ch != low else seq)
        else:
            out.append(ch)
    return "".join(out)
