"""The handout's records: items with their citations, passage groups, the handout itself.

Plain dataclasses shared by every step (gather → extract → questions → export),
so each step can be tested on hand-made records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary before ``limit`` characters (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut before ``limit`` characters at a clause boundary (", ", "; ") when one is past half-way,
    else at a word boundary, so a slide never shows half a compound ("hỗ…" for "hỗ trợ")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(", ", 0, limit), text.rfind("; ", 0, limit))
    if cut > limit // 2:
        return text[:cut] + " …"
    return shorten(text, limit)


@dataclass
class HandoutItem:
    """One line of the handout, with the citation that backs it."""

    key: str  # stable id for the UI's checkboxes: "t1", "r2", "q3", "p4"
    kind: str  # "target" | "responsibility" | "question" | "passage"
    text: str  # verbatim sentence (targets, responsibilities, passages) or the question
    reference: str  # full citation ("Kế hoạch số … , Mục II, khoản 2, điểm a")
    doc_id: str = ""
    section: str = ""
    answer: str = ""  # questions: the expected answer (a substring of the cited passage)
    agency: str = ""  # responsibilities: the agency named
    role: str = ""  # "chủ trì" | "phối hợp" | "thực hiện"
    partners: str = ""  # who the lead coordinates with ("các sở, ngành, địa phương")
    task: str = ""  # responsibilities: what is to be done (verbatim, without the agency)
    figures: list[str] = field(default_factory=list)  # targets: "100%", "đến năm 2025", …
    passage_id: str = ""
    # targets: what is to be reached, the figure, by when ("" = the clause states none)
    subject: str = ""
    amount: str = ""
    deadline: str = ""
    deadline_note: str = ""  # why an inherited deadline applies ("mốc của kế hoạch")
    # questions: "fill" (cloze), "choice" (multiple choice), "truefalse"
    qtype: str = ""
    options: list[str] = field(default_factory=list)  # choice: the answer and its distractors, shuffled
    evidence: str = ""  # questions: the verbatim phrase of the cited passage that settles the answer
    fact: str = ""  # the fact a question tests ("t3", "r1"): no two questions share one
    # the same fact found in other passages or documents (full citations), after deduplication
    also: list[str] = field(default_factory=list)

    def references(self) -> list[str]:
        """Every citation backing the item: its own, then those of its duplicates."""
        return [self.reference, *[r for r in self.also if r != self.reference]]

    def label(self) -> str:
        """One-line text for a checkbox (the UI renders it as plain text)."""
        if self.kind == "question":
            return f"Câu hỏi: {self.text}"
        if self.kind == "responsibility":
            who = f"{self.agency} ({self.role})" if self.agency else self.role.capitalize()
            return f"Trách nhiệm — {who}: {shorten(self.text, 160)}"
        if self.kind == "target":
            return f"Mục tiêu: {shorten(self.text, 180)}"
        return f"Trích đoạn — {self.section or 'phần đầu'}: {shorten(self.text, 120)}"


@dataclass
class PassageGroup:
    """Passages of one document section, in document order."""

    doc_id: str
    doc_label: str  # "Kế hoạch số 225/KH-UBND" or the title
    doc_title: str
    section: str  # "Mục II > 2 > a" ("" = preamble)
    items: list[HandoutItem] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """A document the handout cites: its label and full citation (closing slide, source list)."""

    doc_id: str
    label: str  # "Kế hoạch số 888/KH-UBND"
    citation: str  # "Kế hoạch số 888/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa"
    title: str = ""
    place: str = ""  # where it was issued ("Thanh Hóa"), for the handout's date line


@dataclass
class Handout:
    topic: str
    targets: list[HandoutItem] = field(default_factory=list)
    responsibilities: list[HandoutItem] = field(default_factory=list)
    questions: list[HandoutItem] = field(default_factory=list)
    groups: list[PassageGroup] = field(default_factory=list)
    documents: int = 0
    sources: list[Source] = field(default_factory=list)
    agency: str = ""  # who issues the handout (settings.agency, HOIDAP_AGENCY)

    def drafted(self) -> list[HandoutItem]:
        """Targets, responsibilities and questions: what the trainer reviews."""
        return self.targets + self.responsibilities + self.questions

    def passages(self) -> list[HandoutItem]:
        return [it for g in self.groups for it in g.items]

    def all_items(self) -> list[HandoutItem]:
        return self.drafted() + self.passages()

    def select(self, keys: Iterable[str] | None) -> "Handout":
        """A copy keeping only ``keys`` (None keeps all): the trainer's removals."""
        if keys is None:
            return self
        keep = set(keys)
        groups = []
        for g in self.groups:
            items = [it for it in g.items if it.key in keep]
            if items:
                groups.append(PassageGroup(g.doc_id, g.doc_label, g.doc_title, g.section, items))
        return Handout(
            topic=self.topic,
            targets=[it for it in self.targets if it.key in keep],
            responsibilities=[it for it in self.responsibilities if it.key in keep],
            questions=[it for it in self.questions if it.key in keep],
            groups=groups,
            documents=len({g.doc_id for g in groups}),
            sources=self.sources,
            agency=self.agency,
        )
