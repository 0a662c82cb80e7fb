"""Figures and deadlines in administrative sentences: what makes a sentence a target.

Regular expressions over the fixed phrasing of Vietnamese plans ("100%",
"đến năm 2025", "trước ngày 15/12 hằng năm", "top 10"): no library parses this
register, and the patterns are few and tested sentence by sentence.
"""
from __future__ import annotations

import re

from hoidap.handout.units import ENUM

PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?\s+phần\s+trăm", re.IGNORECASE)
_DEADLINE = re.compile(
    r"(?:đến|trước|sau|chậm nhất|trong)\s+(?:hết\s+)?(?:năm|ngày|tháng|quý)\s+[\dIVX/]+(?:\s*[/-]\s*\d+)*(?:\s+hằng\s+năm)?|"
    r"chậm nhất\s+(?:ngày|trước ngày)\s+[\d/]+|hằng\s+(?:năm|quý|tháng)",
    re.IGNORECASE,
)
_STRONG_DEADLINE = re.compile(r"đến năm|đến hết năm|trước ngày|trước năm|chậm nhất|trước tháng|trước quý", re.IGNORECASE)
#: The value a deadline question blanks out ("2025", "15/12").
DEADLINE_VALUE = re.compile(
    r"(?:trước ngày|đến năm|đến hết năm|trước năm|chậm nhất (?:ngày|trước ngày))\s+([\d/]+)", re.IGNORECASE
)
# Digits that are not targets: document codes, dates, the plan's period, "số 225".
_NOT_FIGURE = re.compile(
    r"\d+(?:/\d+)*/[A-ZĐ][\wĐđ-]*|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|"
    r"giai đoạn\s+\d{4}\s*[-–]\s*\d{4}|\d{4}\s*[-–]\s*\d{4}|số\s+\d+|ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}",
    re.IGNORECASE,
)
# A bare number counts when a word follows it ("100 Mb/s", "30 trạm", "cấp độ 3 trở lên"),
# not inside code-like text ("alert(1)", "v2").
_QUANTITY = re.compile(r"(?<![\w/(])\d+(?:[.,]\d+)*(?=\s+[^\W\d_])")
_RANK = re.compile(r"\btop\s+\d+|\bnhóm\s+\d+\s+(?:tỉnh|địa phương)", re.IGNORECASE)
_PERIOD = re.compile(r"giai đoạn\s+\d{4}\s*[-–]\s*(\d{4})", re.IGNORECASE)


def target_figures(sentence: str) -> list[str]:
    """Figures that make ``sentence`` a target: percentages, deadlines, ranks, other quantities.

    Document codes ("225/KH-UBND"), dates of issue and the plan's period
    ("giai đoạn 2023 - 2025") are not targets and are ignored.
    """
    marked = sorted([*PERCENT.finditer(sentence), *_RANK.finditer(sentence)], key=lambda m: m.start())
    figures = [m.group(0).strip() for m in marked]
    figures += deadlines_in(sentence)
    if not figures:
        rest = _NOT_FIGURE.sub(" ", ENUM.sub("", sentence))
        rest = PERCENT.sub(" ", rest)
        figures += [m.group(0) for m in _QUANTITY.finditer(rest)]
    return list(dict.fromkeys(figures))


def deadlines_in(text: str) -> list[str]:
    """Firm deadlines stated in ``text`` ("đến năm 2025", "trước ngày 15/12 hằng năm")."""
    return [m.group(0).strip() for m in _DEADLINE.finditer(text) if _STRONG_DEADLINE.search(m.group(0))]


def period_end(text: str) -> str:
    """"… giai đoạn 2023 - 2025" -> "đến năm 2025" ("" without a period)."""
    m = _PERIOD.search(text)
    return f"đến năm {m.group(1)}" if m else ""
