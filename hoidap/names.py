"""Names, abbreviations and figures a question mentions, and whether a text writes them.

A passage about another entity ("Tỉnh Nghệ An …" for a question on Thanh Hóa) or
another figure ("05 năm" for "03 năm") does not answer, however many other words
it shares. Used by the sentence scorer (the passage that writes the question's
names is the one to quote) and by the judge (its ``names`` feature and gate).
Hand-written: no library finds Vietnamese names from capitalisation; pure functions.
"""
from __future__ import annotations

import re
from typing import Collection, Sequence

from indexer import text as vtext

_TOKEN = re.compile(r"[^\W\d_]+")
#: "Bộ luật Hình sự năm 2017", "Luật Cư trú": up to the next comma or question mark
_LAW_REFERENCE = re.compile(r"(?:\bBộ\s+)?\b[Ll]uật\b[^,?]*")
#: Capitalised words that start references or forms of address, not names: a law's name
#: ("Luật Cư trú") is a document reference that its articles do not repeat.
_NOT_NAMES = frozenset({"Luật", "Bộ", "Theo", "Điều", "Khoản", "Ông", "Bà", "Anh", "Chị"})
#: The law a question names as its source, which the articles quoted never repeat:
#: "Theo Luật Cư trú,", "trong Bộ luật Dân sự 2015", "Luật Đất đai năm 2013". Tighter than
#: :data:`_LAW_REFERENCE` (names only), because its words are dropped from what a passage must
#: cover: a named law (a capital after "Luật") before punctuation, or any law with its year;
#: "vi phạm luật giao thông bị phạt bao nhiêu?" names no source.
_SOURCE_LAW = re.compile(
    r"(?:\b(?:[Tt]heo|[Tt]rong|[Cc]ăn cứ|[Tt]ại|của)\s+(?:(?:các\s+)?quy định\s+(?:của|tại)\s+)?)?"
    r"(?:\b(?P<dated>(?:[Bb]ộ\s+)?[Ll]uật(?:\s+[^\W\d_]+){1,6}?)\s+(?:năm\s+)?(?:19|20)\d\d\b"
    r"|\b(?P<named>(?:[Bb]ộ\s+)?[Ll]uật\s+[A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[^\W\d_]+){0,5}?)(?=\s*(?:[,?.;:]|$)))"
)


def without_source_law(question: str) -> str:
    """``question`` without the law it names as its source ("Theo Bộ luật Dân sự 2015, …")."""
    return " ".join(_SOURCE_LAW.sub(" ", question).split())


def source_laws(question: str) -> list[str]:
    """Folded names of the laws ``question`` cites as its source: "bo luat dan su" for
    "Theo Bộ luật Dân sự 2015, …"."""
    return [" ".join(vtext.fold(m["dated"] or m["named"]).lower().split()) for m in _SOURCE_LAW.finditer(question)]


def question_names(question: str) -> list[str]:
    """Names a question mentions, folded: runs of capitalised words after its first word
    ("Đỗ Hữu Quyết", "Thanh Hóa", "Pháp"), abbreviations ("UBND") and figures ("2025").
    Vietnamese writes common nouns in lower case, so a capital mid-question marks a name.

    A person's or a place's name capitalises every syllable; a lone capital followed
    by lower-case words starts an agency or a term written with a courtesy capital
    ("Chính phủ quy định", "Nhà nước bảo hộ", "Quốc hội quyết định"), whose
    first syllable alone is no name: such runs are left out.
    """
    text = _LAW_REFERENCE.sub(" ", vtext.normalize(question))
    names, run = [], []
    previous_joined = False  # the previous word is followed by a space, not by punctuation
    for i, m in enumerate(list(_TOKEN.finditer(text)) + [None]):
        tok = m.group() if m else ""
        if i > 0 and tok[:1].isupper() and (not run or previous_joined):
            run.append(tok)
        else:
            lone_capital = len(run) == 1 and not run[0].isupper() and tok[:1].islower() and previous_joined
            if run and len(run[0]) > 1 and run[0] not in _NOT_NAMES and not lone_capital:
                names.append(vtext.fold(" ".join(run)).lower())
            run = [tok] if i > 0 and tok[:1].isupper() else []
        previous_joined = bool(m) and text[m.end() : m.end() + 1] == " "
    figures = [t for t in vtext.syllables(_LAW_REFERENCE.sub(" ", question)) if any(ch.isdigit() for ch in t)]
    return names + figures  # whole tokens: "5g", "2025", "225"


_LEADING_ZEROS = re.compile(r"(?<![\d.,])0+(?=\d)")
#: Small counts as laws write them out ("hai người trở lên" for "2 người"); accented, so
#: "ba" is not "bà". Five ("năm", also "year") is left out: it would match every date.
_NUMBER_WORDS = {"2": "hai", "3": "ba", "4": "bốn", "6": "sáu", "7": "bảy", "8": "tám", "9": "chín", "10": "mười"}
#: An abbreviation as typed: 2-6 capitals ("TNHH", "BHYT", "QSDĐ")
_ABBREVIATION = re.compile(r"(?<!\w)[A-ZĐ]{2,6}(?!\w)")


def question_abbreviations(question: str) -> set[str]:
    """The question's abbreviations, folded ("tnhh", "qsdd")."""
    return {vtext.fold(a).lower() for a in _ABBREVIATION.findall(vtext.normalize(question))}


def spelled_by_initials(abbreviation: str, syllables: Sequence[str]) -> bool:
    """Whether consecutive syllables start with the abbreviation's letters: "tnhh" in
    "trách nhiệm hữu hạn", "bhyt" in "bảo hiểm y tế". Laws write the words out; citizens
    type the abbreviation, and no table lists them all."""
    n = len(abbreviation)
    initials = "".join(s[0] for s in syllables if s)
    return n >= 2 and any(initials[i : i + n] == abbreviation for i in range(len(initials) - n + 1))


def names_share(
    names: Sequence[str],
    text: str,
    other_forms: dict[str, str] | None = None,
    abbreviations: Collection[str] = frozenset(),
) -> float:
    """Share of ``names`` written in ``text`` (1.0 when the question names nothing); an
    abbreviation also counts in its other form ("TTDL" as "trung tâm dữ liệu") or spelled out
    by initials; a figure counts with or without leading zeros ("5" as "05 tuần"), a small
    count also written out ("2" as "hai")."""
    if not names:
        return 1.0
    syllables = vtext.syllables(_LEADING_ZEROS.sub("", vtext.fold(text)))
    folded = f" {' '.join(syllables)} "

    def written(name: str) -> bool:
        forms = [name] + ([other_forms[name]] if other_forms and name in other_forms else [])
        if any(f" {' '.join(vtext.syllables(_LEADING_ZEROS.sub('', f)))} " in folded for f in forms):
            return True
        count = _NUMBER_WORDS.get(_LEADING_ZEROS.sub("", name))
        if count:
            return count in vtext.syllables(text)
        return name in abbreviations and spelled_by_initials(name, syllables)

    return sum(1 for n in names if written(n)) / len(names)


def fold_forms(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A question's (abbreviation, expansion) pairs, folded both ways, for :func:`names_share`."""
    return {vtext.fold(a).lower(): vtext.fold(b).lower() for a, b in pairs}
