"""The handout as a Word document laid out after Nghị định 30/2020/NĐ-CP (see :mod:`.nd30`).

Every item ends with its full citation "(Nguồn: …)"; the cited documents are
listed, numbered, at the end with their full citation strings.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from hoidap.handout.export import nd30
from hoidap.handout.export.common import (
    PARTS,
    agency_of,
    answer_text,
    bullet_free,
    clean_xml,
    duty_text,
    group_heading,
    intro,
    place_of,
    question_lines,
    target_details,
    title_of,
)
from hoidap.handout.model import Handout, HandoutItem

_CITE_PT = 11


def _cite(paragraph: Any, item: HandoutItem) -> None:
    run = paragraph.add_run(f" (Nguồn: {clean_xml(item.reference)})")
    run.italic = True
    nd30._set_font(run, _CITE_PT)
    others = item.references()[1:]
    if others:
        more = paragraph.add_run(f" (Cũng nêu tại: {clean_xml('; '.join(others))})")
        more.italic = True
        nd30._set_font(more, _CITE_PT)


def _targets(doc: Any, handout: Handout) -> None:
    doc.add_heading(PARTS["targets"][0], level=1)
    for t in handout.targets:
        p = doc.add_paragraph(style="List Bullet")
        if t.subject:
            p.add_run(clean_xml(f"{t.subject}: ")).bold = True
        p.add_run(clean_xml(bullet_free(t.text)))
        _cite(p, t)
        details = target_details(t)
        if details:
            p.add_run(clean_xml(f" — {details}."))
    if not handout.targets:
        doc.add_paragraph(PARTS["targets"][1])


def _duties(doc: Any, handout: Handout) -> None:
    doc.add_heading(PARTS["responsibilities"][0], level=1)
    for r in handout.responsibilities:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(clean_xml(r.agency)).bold = True
        partners = f"; phối hợp với: {r.partners}" if r.partners else ""
        p.add_run(clean_xml(f" ({r.role}{partners}): {duty_text(r)}"))
        _cite(p, r)
    if not handout.responsibilities:
        doc.add_paragraph(PARTS["responsibilities"][1])


def _questions(doc: Any, handout: Handout) -> None:
    doc.add_heading(PARTS["questions"][0], level=1)
    for i, q in enumerate(handout.questions, 1):
        lines = question_lines(q)
        p = doc.add_paragraph()
        p.add_run(f"Câu {i}. ").bold = True
        p.add_run(clean_xml(lines[0]))
        for option in lines[1:]:
            o = doc.add_paragraph(clean_xml(option))
            o.paragraph_format.left_indent = nd30.indent()
            o.paragraph_format.space_after = nd30.tight()
        a = doc.add_paragraph()
        a.add_run("Đáp án: ")
        a.add_run(clean_xml(answer_text(q))).bold = True
        _cite(a, q)
    if not handout.questions:
        doc.add_paragraph(PARTS["questions"][1])


def _excerpts(doc: Any, handout: Handout) -> None:
    doc.add_heading(PARTS["passages"][0], level=1)
    current = None
    for g in handout.groups:
        if g.doc_id != current:
            current = g.doc_id
            doc.add_heading(clean_xml(group_heading(g)), level=2)
        if g.section:  # a text without parts gets no "part" heading
            doc.add_heading(clean_xml(g.section), level=3)
        for it in g.items:
            p = doc.add_paragraph(clean_xml(it.text), style="Quote")
            _cite(p, it)


def _sources(doc: Any, handout: Handout) -> None:
    doc.add_heading(PARTS["sources"][0], level=1)
    for i, s in enumerate(handout.sources, 1):
        doc.add_paragraph(clean_xml(f"[{i}] {s.citation}"))


def to_docx(handout: Handout, path: Path, when: datetime | None = None) -> Path:
    """Write the handout to ``path`` (.docx) and return the path."""
    from docx import Document as DocxDocument
    when = when or datetime.now().astimezone()
    agency = agency_of(handout)
    doc = DocxDocument()
    nd30.apply_page_and_styles(doc)
    nd30.add_page_numbers(doc)
    nd30.add_heading_block(doc, agency, place_of(handout), when)
    title = doc.add_paragraph(style="Title")
    title.add_run(clean_xml(title_of(handout))).font.all_caps = True  # shown in capitals, text as typed
    note = doc.add_paragraph()
    note.add_run(intro(handout, when)).italic = True
    _targets(doc, handout)
    _duties(doc, handout)
    _questions(doc, handout)
    _excerpts(doc, handout)
    _sources(doc, handout)
    nd30.set_properties(
        doc,
        title=clean_xml(title_of(handout)),
        agency=clean_xml(agency),
        subject=clean_xml(handout.topic),
        description=intro(handout, when),
        when=when,
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
