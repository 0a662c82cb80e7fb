"""Targets a trainer can present: what is to be reached, how much, by when, each with its source.

A target is a clause, copied verbatim, that either states a figure or a firm
deadline ("100% thôn, bản … được phủ sóng 4G đến năm 2025"), or sits where the
document sets its aims: a section headed "Mục tiêu", or, in a text without
sections (a news article on a plan), a subject-less aim ("Nâng cao chất lượng
mạng 4G"). Such an aim inherits the deadline its document sets (the section
heading's "đến năm 2025", an earlier "phấn đấu đến năm 2025", the plan's period).

Not targets: reported speech ("… cho biết, để đạt được mục tiêu …"; only the
goal it names is kept, starting at a word boundary), headings, preambles.
The same target found twice (a news article repeating the plan; two documents)
is listed once, with every citation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

from hoidap.handout.figures import deadlines_in, period_end, target_figures
from hoidap.handout.model import HandoutItem
from hoidap.handout.units import ENUM, Sentence, strip_marker
from indexer import text as vtext

_REPORTED = re.compile(
    r"(?<!\w)(?:cho biết|cho rằng|nhấn mạnh|khẳng định|phát biểu|chia sẻ|nói rõ|nói)(?!\w)|[“”\"]", re.IGNORECASE
)
_GOAL_IN_SPEECH = re.compile(r"mục tiêu\s+(?P<goal>[^,;:“”\"]{12,}?)(?=,|;|$)", re.IGNORECASE)
#: Verbs an aim starts with ("Nâng cao chất lượng mạng 4G", "từng bước triển khai mạng 5G").
_AIM_VERBS = (
    r"nâng cao|phổ cập|triển khai|từng bước|phát triển|hoàn thành|bảo đảm|đảm bảo|thúc đẩy|phấn đấu|"
    r"tăng|giảm|duy trì|mở rộng|phủ sóng|chuyển đổi|hình thành|xây dựng|đạt"
)
_AIM_START = re.compile(r"^(?:" + _AIM_VERBS + r")(?!\w)", re.IGNORECASE)
# ", từng bước triển khai mạng 5G": a new aim inside the sentence
_AIM_SPLIT = re.compile(r",\s+(?=(?:" + _AIM_VERBS + r")(?!\w))")
_LABEL = re.compile(r"^(?P<label>[^:;,.0-9]{3,80}?):\s+(?=\S)")
_LEAD_IN = re.compile(r"^(?:Đồng thời|Bên cạnh đó|Ngoài ra|Cùng với đó),\s+")
_FOR_AREA = re.compile(r"^Đối với\s+(?P<area>[^,]{3,60}),\s+")
#: Words that do not tell two targets apart when deduplicating.
_NOISE = frozenset("mục tiêu phấn đấu đến năm đồng thời đối với của và các được sẽ là thì".split())
SAME_TARGET = 0.75


@dataclass
class Clause:
    sentence: Sentence
    text: str  # verbatim, starts at a word boundary
    label: str  # "Hạ tầng viễn thông băng rộng" (what the clause is about), "" if none


def _aim_context(section_path: Sequence[str]) -> bool:
    return any("mục tiêu" in h.lower() for h in section_path)


@lru_cache(maxsize=256)
def _has_sections(text: str) -> bool:
    """Whether a document is divided into numbered parts (a plan), unlike a news article."""
    from indexer.headings import classify_heading

    return any(classify_heading(line) is not None for line in text.split("\n") if line.strip()[:1].isupper())


def _substantial(text: str) -> bool:
    """An aim of its own after a comma ("từng bước triển khai mạng 5G"), not an adjective ("phổ cập, …")."""
    return vtext.syllable_count(re.split(r"[,;]", text, maxsplit=1)[0]) >= 4


def clauses_of(s: Sentence) -> list[Clause]:
    """The sentence cut at ";" and before a new aim; a "Label: …" prefix names their subject."""
    text = s.text
    body = ENUM.sub("", text, count=1)
    offset = len(text) - len(body)
    label = ""
    m = _LABEL.match(body)
    if m and vtext.syllable_count(m.group("label")) <= 12:
        label = m.group("label").strip()
        offset += m.end()
    area = _FOR_AREA.match(text[offset:])
    if area and not label:
        label = area.group("area").strip()
    rest = text[offset:]
    pieces: list[tuple[int, int]] = []
    for part in re.finditer(r"[^;]+", rest):
        a, b = part.start(), part.end()
        cuts = [a, b]
        if _AIM_START.match(rest[a:b].strip()):  # parallel aims: "Nâng cao …, từng bước triển khai …"
            cuts = [a] + [a + x.end() for x in _AIM_SPLIT.finditer(rest[a:b]) if _substantial(rest[a + x.end() : b])] + [b]
        for x, y in zip(cuts, cuts[1:]):
            piece = rest[x:y].strip(" ,")
            if pieces and not target_figures(piece) and not _AIM_START.match(piece):
                pieces[-1] = (pieces[-1][0], y)  # "…, mở; đáp ứng nhu cầu …" continues the aim before it
            else:
                pieces.append((x, y))
    out = []
    for a, b in pieces:
        piece = rest[a:b].strip(" ,").rstrip(" .;…")
        lead = _LEAD_IN.match(piece)
        if lead:
            piece = piece[lead.end() :]
        if vtext.syllable_count(piece) >= 3:
            out.append(Clause(s, piece, label))
    return out


def _goal_of_speech(s: Sentence) -> list[Clause]:
    """"… cho biết, để đạt được mục tiêu đến năm 2025 X, …" -> the clause "đến năm 2025 X"."""
    if "“" in s.text or "”" in s.text:
        return []
    m = _GOAL_IN_SPEECH.search(s.text)
    if not m or not target_figures(m.group("goal")):
        return []
    return [Clause(s, m.group("goal").strip(), "")]


def inherited_deadline(s: Sentence) -> tuple[str, str]:
    """(deadline, note) an aim without its own deadline falls under, or ("", "")."""
    for heading in reversed(s.hit.passage.section_path):
        found = deadlines_in(heading)
        if found:
            name = strip_marker(heading)
            return found[0].lower(), f"theo mục “{name.capitalize() if name.isupper() else name}”"
    doc = s.hit.document
    before = doc.text[: s.hit.passage.start + s.start]
    for sentence in reversed(vtext.sentences(before)[-12:]):
        if re.search(r"mục tiêu|phấn đấu", sentence, re.IGNORECASE):
            found = deadlines_in(sentence)
            if found:
                return found[0], "mốc chung của văn bản"
    end = period_end(doc.meta.title) or period_end(doc.text[:600])
    if end:
        return end, "hết giai đoạn của kế hoạch"
    return "", ""


def _target(clause: Clause, key: str, reference: str, before: str = "") -> HandoutItem | None:
    """The clause as a target, or None; ``before`` is a deadline an earlier clause of its sentence set."""
    s = clause.sentence
    figures = target_figures(clause.text)
    aim = _aim_context(s.hit.passage.section_path) or (
        not _has_sections(s.hit.document.text) and _AIM_START.match(clause.text) is not None
    )
    if not figures and not aim:
        return None
    own = deadlines_in(clause.text)
    if own:
        deadline, note = own[0], ""
    elif before:
        deadline, note = before, "như vế trước của câu"
    else:
        deadline, note = inherited_deadline(s)
    amount = ", ".join(f for f in figures if f not in own)
    subject = clause.label
    if not subject and s.hit.passage.section_path:
        heading = strip_marker(s.hit.passage.section_path[-1])
        subject = "" if "mục tiêu" in heading.lower() else heading
    return HandoutItem(
        key=key,
        kind="target",
        text=clause.text,
        reference=reference,
        doc_id=s.hit.passage.doc_id,
        section=s.hit.passage.section,
        passage_id=s.hit.passage.passage_id,
        figures=figures or ([deadline] if deadline else []),
        subject=subject,
        amount=amount,
        deadline=deadline,
        deadline_note=note,
    )


def _content(text: str) -> set[str]:
    return {w for w in (x.lower() for x in vtext.syllables(vtext.fold(text))) if w not in _NOISE}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def same_target(a: str, b: str) -> bool:
    """Two clauses state the same target: one's content words (nearly) all in the other, same numbers."""
    ca, cb = _content(a), _content(b)
    if not ca or not cb:
        return False
    small, large = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    na, nb = _numbers(a), _numbers(b)
    return len(small & large) / len(small) >= SAME_TARGET and (na <= nb or nb <= na)


def extract_targets(sentences: Sequence[Sentence], reference_of: Callable[[Any], str]) -> list[HandoutItem]:
    """Targets of ``sentences`` (in document order), deduplicated across passages and documents."""
    out: list[HandoutItem] = []
    before, previous = "", None
    for s in sentences:
        clauses = _goal_of_speech(s) if _REPORTED.search(s.text) else clauses_of(s)
        # a deadline carries over "…; …" (the sentence splitter cuts list items at ";")
        if previous is None or previous.hit is not s.hit or not previous.text.rstrip().endswith(";"):
            before = ""
        previous = s
        for clause in clauses:
            item = _target(clause, f"t{len(out) + 1}", reference_of(s.hit), before)
            if item is None:
                continue
            if item.deadline and not item.deadline_note:
                before = item.deadline
            twin = next((t for t in out if same_target(t.text, item.text)), None)
            if twin is not None:
                if item.reference not in twin.references():
                    twin.also.append(item.reference)
                continue
            out.append(item)
    return out
