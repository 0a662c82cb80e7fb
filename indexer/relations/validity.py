"""Period of application, effective date and explicit relations, read from a document's text.

A plan states its period in the trích yếu ("giai đoạn 2023 - 2025") or as a horizon
("đến năm 2025, định hướng đến năm 2030": the plan runs to 2025, 2030 is only an
orientation); a decision or law states when it takes effect ("có hiệu lực kể từ ngày
ký", "có hiệu lực thi hành từ ngày 01 tháng 7 năm 2024") and which documents it
replaces, repeals or amends ("thay thế Quyết định số 1245/QĐ-UBND", "Luật ... số
51/2005/QH11 hết hiệu lực"). Regular expressions suffice: these formulas are
prescribed by Nghị định 30/2020/NĐ-CP and Luật Ban hành văn bản quy phạm pháp luật,
and no maintained library parses Vietnamese legal formulas.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.metadata.names import normalize_number, parse_date
from indexer.metadata.vocabulary import DATE_RE, REF_NUMBER_RE

#: Status codes (sidecar ``status``, JSON ``status``) and how the app writes them.
STATUS_VI = {
    "con_hieu_luc": "Còn hiệu lực",
    "het_thoi_ky": "Hết thời kỳ áp dụng",
    "bi_thay_the": "Bị thay thế",
    "het_hieu_luc": "Hết hiệu lực",
    "chua_hieu_luc": "Chưa có hiệu lực",
}
_PERIOD_RE = re.compile(r"giai\s+đoạn\s+(?P<a>(?:19|20)\d\d)\s*[-–—]\s*(?P<b>(?:19|20)\d\d)", re.IGNORECASE)
#: "đến năm 2025" not preceded by "định hướng" (a horizon, not the period).
_UNTIL_RE = re.compile(r"(?<!hướng\s)đến\s+năm\s+(?P<b>(?:19|20)\d\d)", re.IGNORECASE)
_EFFECTIVE_RE = re.compile(
    r"có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+(?P<rest>ngày\s+ký|ngày\s+ban\s+hành|ngày[^.;\n]{0,40})",
    re.IGNORECASE,
)
#: Verbs of explicit relations; each is (kind, pattern). ``after`` kinds name their target after
#: the verb ("thay thế Quyết định số 1245/QĐ-UBND"), ``before`` kinds before it ("... số
#: 51/2005/QH11 hết hiệu lực").
_AFTER_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("thay_the", re.compile(r"\bthay\s+thế\b", re.IGNORECASE)),
    ("bai_bo", re.compile(r"\bbãi\s+bỏ\b", re.IGNORECASE)),
    ("sua_doi", re.compile(r"\bsửa\s+đổi,?\s+bổ\s+sung\b", re.IGNORECASE)),
)
_EXPIRES_RE = re.compile(r"\b(?:hết\s+hiệu\s+lực|bị\s+bãi\s+bỏ|được\s+thay\s+thế)\b", re.IGNORECASE)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.;:])\s+|\n+")
#: Where in a document its period is looked for after the title: the preamble and objectives.
PERIOD_SEARCH_CHARS = 3000


@dataclass(frozen=True)
class Period:
    """Years a plan or programme applies to; ``start`` is None for "đến năm 2025"."""

    start: int | None
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}–{self.end}" if self.start else f"đến năm {self.end}"

    @classmethod
    def parse(cls, raw: str) -> "Period | None":
        """"2023-2025", "2023–2025" or "2025" (an end year) from a sidecar."""
        years = [int(y) for y in re.findall(r"\d{4}", raw or "")]
        if len(years) >= 2:
            return cls(years[0], years[1])
        return cls(None, years[0]) if years else None


@dataclass(frozen=True)
class ExplicitRelation:
    """"This document <kind> <number>": thay_the, bai_bo, sua_doi; or het_hieu_luc (the target expires)."""

    kind: str
    number: str


def extract_period(title: str, text: str) -> Period | None:
    """The period from the title, else from the preamble ("giai đoạn 2023 - 2025" / "đến năm 2025")."""
    for source in (title, text[:PERIOD_SEARCH_CHARS]):
        m = _PERIOD_RE.search(source or "")
        if m and int(m.group("a")) <= int(m.group("b")):
            return Period(int(m.group("a")), int(m.group("b")))
    m = _UNTIL_RE.search(title or "")
    return Period(None, int(m.group("b"))) if m else None


def extract_effective(text: str, signed: str = "") -> str:
    """ISO date the document takes effect: its signing date for "kể từ ngày ký", else the stated date."""
    for m in _EFFECTIVE_RE.finditer(text):
        rest = m.group("rest")
        if re.match(r"ngày\s+(?:ký|ban\s+hành)", rest, re.IGNORECASE):
            return signed
        d = DATE_RE.match(rest)
        if d:
            return parse_date(d)
    return ""


def explicit_relations(text: str) -> list[ExplicitRelation]:
    """Documents this text replaces, repeals, amends or declares expired (numbers only, in order).

    Sentences of the "Căn cứ" list are skipped: "Căn cứ Luật ... được sửa đổi, bổ sung
    bởi Luật số ..." describes a parent's history, not this document's effect.
    """
    found: list[ExplicitRelation] = []
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        s = sentence.strip()
        if not s or re.match(r"(?:Căn\s+cứ|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị)", s, re.IGNORECASE):
            continue
        for kind, verb in _AFTER_VERBS:
            v = verb.search(s)
            if v and not re.search(r"\b(?:được|bị|đã)\s*$", s[: v.start()]):
                for n in REF_NUMBER_RE.finditer(s, v.end()):
                    found.append(ExplicitRelation(kind, normalize_number(n.group("num"))))
        e = _EXPIRES_RE.search(s)
        if e:
            for n in REF_NUMBER_RE.finditer(s, 0, e.start()):
                found.append(ExplicitRelation("het_hieu_luc", normalize_number(n.group("num"))))
    return list(dict.fromkeys(found))
