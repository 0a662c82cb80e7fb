"""Sentence spans of Vietnamese official text.

Hand-written because underthesea's ``sent_tokenize`` joins lines (a newline
always ends a sentence in our documents: list items, headings) and splits after
abbreviations and enumerators ("TP.", "1.1.") that legal text is full of; the
spans are offsets into the input, which the answer's citations need.
"""
from __future__ import annotations

import re

__all__ = ["sentence_spans", "sentences"]


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

