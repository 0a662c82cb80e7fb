"""Word layout of an administrative document after Nghị định 30/2020/NĐ-CP (Phụ lục I).

python-docx writes the content; its default template is US Letter with 1.25"
margins, Calibri headings in blue and core properties "python-docx, 2013". This
module applies the decree's presentation rules instead: A4; margins top and
bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 13 pt, black; page
numbers in Arabic figures centred at the top, from the second page (a PAGE field
in the header, different first page); the agency and national-motto block; and
real document properties (title, author = the configured agency, created now).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

FONT = "Times New Roman"
SIZE_PT = 13
PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
HEADER_MM = 10
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _set_font(rpr_owner: Any, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Times New Roman for every script (ascii, hAnsi, East Asian, complex), theme fonts removed."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = rpr_owner.font
    font.name = FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def apply_page_and_styles(doc: Any) -> None:
    """A4, the decree's margins, Times New Roman 13 pt for the body and every heading style."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    for section in doc.sections:
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance = section.footer_distance = Mm(HEADER_MM)
    normal = doc.styles["Normal"]
    _set_font(normal, SIZE_PT)
    fmt = normal.paragraph_format
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size, italic in (("Title", 14, False), ("Heading 1", 13, False), ("Heading 2", 13, False),
                               ("Heading 3", 13, True), ("Quote", 12, True), ("List Bullet", SIZE_PT, False),
                               ("List Number", SIZE_PT, False)):
        style = doc.styles[name]
        _set_font(style, size, bold=name.startswith(("Title", "Heading")))
        style.font.italic = italic
        style.font.all_caps = False
        if name.startswith(("Title", "Heading")):
            style.paragraph_format.space_before = Pt(12 if name != "Heading 3" else 6)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "Title" else None
    _drop_title_border(doc.styles["Title"])


def _drop_title_border(style: Any) -> None:
    """The default template's Title has a blue bottom border: not part of an administrative text."""
    from docx.oxml.ns import qn

    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def add_page_numbers(doc: Any) -> None:
    """A centred PAGE field in the header of every page but the first (different first page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, SIZE_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    section.first_page_header.paragraphs[0].text = ""


def indent() -> Any:
    """Indent of answer options under a question."""
    from docx.shared import Mm

    return Mm(10)


def tight() -> Any:
    from docx.shared import Pt

    return Pt(0)


def _line(cell: Any, text: str, size: float, bold: bool = False, italic: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.add_paragraph() if cell.paragraphs[0].text else cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    _set_font(run, size, bold=bold)
    run.italic = italic


def add_heading_block(doc: Any, agency: str, place: str, when: datetime) -> None:
    """Agency (left) and national motto (right), then "Place, ngày … tháng … năm …" (italic, right)."""
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    widths = (Mm(62), Mm(103))  # the motto fits on one line at 12 pt
    for column, width in zip(table.columns, widths):
        column.width = width
    left, right = table.rows[0].cells
    left.width, right.width = widths
    _line(left, agency.upper(), 12, bold=True)
    _line(left, "———————", 12)
    _line(right, MOTTO[0], 12, bold=True)
    _line(right, MOTTO[1], 13, bold=True)
    _line(right, "———————————", 12)
    date_line = f"ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"
    _line(right, f"{place}, {date_line}" if place else date_line.capitalize(), 13, italic=True)


def set_properties(doc: Any, title: str, agency: str, subject: str, description: str, when: datetime) -> None:
    """Core properties a reader sees under File > Properties (the template's "python-docx, 2013" replaced)."""
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.author = agency
    props.last_modified_by = agency
    props.comments = description
    props.category = "Tài liệu tập huấn"
    props.keywords = f"tập huấn; {subject}" if subject else "tập huấn"
    props.language = "vi-VN"
    props.created = props.modified = when.astimezone(timezone.utc).replace(tzinfo=None)
    props.revision = 1
    props.identifier = ""
    props.version = ""
    props.content_status = ""
