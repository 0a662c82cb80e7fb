"""The handout as a Word document (python-docx)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from hoidap.handout.export.common import bullet_free, clean_xml, group_heading, intro, title_of
from hoidap.handout.model import Handout


def to_docx(handout: Handout, path: Path) -> Path:
    """The handout as a Word document (python-docx), same structure as :func:`to_markdown`."""
    from docx import Document as DocxDocument
    from docx.shared import Pt, RGBColor

    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"  # the administrative standard; has Vietnamese glyphs
    style.font.size = Pt(13)
    doc.core_properties.title = clean_xml(title_of(handout))
    doc.core_properties.language = "vi-VN"

    def cite(paragraph: Any, reference: str) -> None:
        run = paragraph.add_run(f" (Nguồn: {clean_xml(reference)})")  # type: ignore[attr-defined]
        run.italic = True
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)

    doc.add_heading(clean_xml(title_of(handout)), level=0)
    lead = doc.add_paragraph()
    lead.add_run(intro(handout)).italic = True

    doc.add_heading("1. Mục tiêu, chỉ tiêu chính", level=1)
    for t in handout.targets:
        p = doc.add_paragraph(clean_xml(bullet_free(t.text)), style="List Bullet")
        cite(p, t.reference)
    if not handout.targets:
        doc.add_paragraph("Không có chỉ tiêu định lượng trong các đoạn đã chọn.")

    doc.add_heading("2. Phân công trách nhiệm", level=1)
    for r in handout.responsibilities:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(clean_xml(r.agency)).bold = True
        partners = f"; phối hợp với: {r.partners}" if r.partners else ""
        p.add_run(clean_xml(f" ({r.role}{partners}): {bullet_free(r.text)}"))
        cite(p, r.reference)
    if not handout.responsibilities:
        doc.add_paragraph("Không có nội dung phân công trong các đoạn đã chọn.")

    doc.add_heading("3. Câu hỏi ôn tập", level=1)
    for q in handout.questions:
        doc.add_paragraph(clean_xml(q.text), style="List Number")
        p = doc.add_paragraph()
        p.add_run("Đáp án: ")
        p.add_run(clean_xml(q.answer)).bold = True
        cite(p, q.reference)
    if not handout.questions:
        doc.add_paragraph("Chưa soạn được câu hỏi từ các đoạn đã chọn.")

    doc.add_heading("4. Trích đoạn văn bản", level=1)
    current_doc = None
    for g in handout.groups:
        if g.doc_id != current_doc:
            current_doc = g.doc_id
            head = group_heading(g)
            doc.add_heading(clean_xml(head), level=2)
        doc.add_heading(clean_xml(g.section or "Phần mở đầu"), level=3)
        for it in g.items:
            p = doc.add_paragraph(clean_xml(it.text), style="Quote")
            cite(p, it.reference)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
