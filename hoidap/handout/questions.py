"""Review questions drafted from the handout's targets and responsibilities.

Every answer is a verbatim substring of the cited passage, so a trainer can
check it against the source.
"""
from __future__ import annotations

import re

from hoidap.handout.extract import ENUM, LEAD_RE, COORD_RE, PERCENT
from hoidap.handout.model import Handout, HandoutItem, shorten

MAX_QUESTIONS = 6
MAX_CLOZE_CHARS = 260


def _cloze(sentence: str, answer: str) -> str:
    """The sentence with its first ``answer`` blanked, cut around the blank if long."""
    i = sentence.find(answer)
    blanked = sentence[:i] + "……" + sentence[i + len(answer) :]
    if len(blanked) > MAX_CLOZE_CHARS:
        lo = max(0, i - MAX_CLOZE_CHARS // 2)
        hi = min(len(blanked), lo + MAX_CLOZE_CHARS)
        lo_cut = blanked.rfind(" ", 0, lo) if lo else 0
        hi_cut = blanked.find(" ", hi)
        blanked = ("… " if lo else "") + blanked[max(lo_cut, 0) : hi_cut if hi_cut > 0 else len(blanked)].strip() + (
            " …" if hi_cut > 0 else ""
        )
    return " ".join(ENUM.sub("", blanked, count=1).split())


def _question_about_agency(sentence: str, agency: str) -> str | None:
    """"Sở X: Chủ trì, phối hợp … triển khai Kế hoạch" -> "Cơ quan nào chủ trì, phối hợp … triển khai Kế hoạch?"."""
    body = ENUM.sub("", sentence).strip()
    i = body.find(agency)
    if i < 0:
        return None
    rest = body[i + len(agency) :].lstrip(" :,")
    rest = re.sub(r"^(?:có trách nhiệm|chịu trách nhiệm)\s+", "", rest)
    if not LEAD_RE.match(rest) and not COORD_RE.match(rest):
        return None
    rest = rest.rstrip(" .;")
    if len(rest) > MAX_CLOZE_CHARS:
        rest = shorten(rest, MAX_CLOZE_CHARS)
    return f"Cơ quan nào {rest[:1].lower()}{rest[1:]}?"


def draft_questions(handout: Handout, limit: int = MAX_QUESTIONS) -> list[HandoutItem]:
    """Review questions whose answers are verbatim in the cited passages.

    Alternates three kinds so a short list still covers the plan: a figure blanked
    out of a target sentence, the agency that leads a task, a deadline blanked out.
    """
    percent, leads, deadlines = [], [], []
    for t in handout.targets:
        pm = PERCENT.search(t.text)
        if pm:
            percent.append((f"Điền vào chỗ trống: “{_cloze(t.text, pm.group(0))}”", pm.group(0).strip(), t))
            continue
        dm = re.search(r"(?:trước ngày|đến năm|trước năm|chậm nhất (?:ngày|trước ngày))\s+([\d/]+)", t.text, re.IGNORECASE)
        if dm:
            deadlines.append((f"Điền vào chỗ trống (thời hạn): “{_cloze(t.text, dm.group(1))}”", dm.group(1), t))
    for r in handout.responsibilities:
        if r.role == "chủ trì" and r.agency:
            q = _question_about_agency(r.text, r.agency)
            if q:
                leads.append((q, r.agency, r))
    out: list[HandoutItem] = []
    pools = [percent, leads, deadlines]
    used: set[str] = set()
    while len(out) < limit and any(pools):
        for pool in pools:
            if not pool or len(out) >= limit:
                continue
            q, ans, src = pool.pop(0)
            if q in used:
                continue
            used.add(q)
            out.append(
                HandoutItem(
                    key=f"q{len(out) + 1}",
                    kind="question",
                    text=q,
                    answer=ans,
                    reference=src.reference,
                    doc_id=src.doc_id,
                    section=src.section,
                    passage_id=src.passage_id,
                )
            )
    return out
