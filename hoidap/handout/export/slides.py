"""The training session as slides (python-pptx): title, targets, duties, quiz, sources.

Readable on a projector: 16:9, Arial, bullets at 24 pt (never under 18 pt),
each with its source; a slide that would overflow is continued on the next one
("(tiếp)"), decided by measuring the text with real font metrics
(:mod:`.textfit`) rather than trusting auto-fit, which python-pptx cannot apply.
Quiz answers and their full citations go to the speaker notes.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from hoidap.handout.export import textfit
from hoidap.handout.export.common import OPTION_LETTERS, agency_of, answer_text, clean_xml, duty_text
from hoidap.handout.model import Handout, HandoutItem, clip, shorten

SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 x 7.5 in (16:9)
MARGIN = 40.0
TITLE_TOP, TITLE_H, TITLE_PT = 24.0, 72.0, 32
BODY_TOP = TITLE_TOP + TITLE_H + 8
BODY_H = SLIDE_H - BODY_TOP - 30
BODY_W = SLIDE_W - 2 * MARGIN
INSET = 7.2  # python-pptx's default left/right text inset (0.1 in)
BULLET_SIZES = (24, 22, 20, 18)
SOURCE_PT = 16
CELL_PT = 18
GAP = 6.0
BULLET_CHARS = 220
DARK = (0x1F, 0x3A, 0x5F)
GREY = (0x55, 0x55, 0x55)


# ------------------------------------------------------------------- drawing
def _pt(value: float) -> Any:
    from pptx.util import Pt

    return Pt(value)


def _rgb(color: tuple[int, int, int]) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor(*color)


def _box(slide: Any, left: float, top: float, width: float, height: float) -> Any:
    from pptx.enum.text import MSO_AUTO_SIZE

    shape = slide.shapes.add_textbox(_pt(left), _pt(top), _pt(width), _pt(height))
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_top = tf.margin_bottom = _pt(2)
    return shape


def _para(tf: Any, text: str, size: float, bold: bool = False, color=(0x11, 0x11, 0x11), italic: bool = False,
          align: Any = None, after: float = 0.0) -> None:
    p = tf.paragraphs[0] if (len(tf.paragraphs) == 1 and not tf.paragraphs[0].runs) else tf.add_paragraph()
    run = p.add_run()
    run.text = clean_xml(text)
    run.font.size = _pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.name = textfit.FONT_NAME
    run.font.color.rgb = _rgb(color)
    p.space_after = _pt(after)
    if align is not None:
        p.alignment = align


def _title(slide: Any, text: str) -> None:
    size = TITLE_PT
    while size > 24 and textfit.height_pt(text, BODY_W - 2 * INSET, size, True) > TITLE_H - 4:
        size -= 2
    if textfit.height_pt(text, BODY_W - 2 * INSET, size, True) > TITLE_H - 4:
        text = shorten(text, 70)
    _para(_box(slide, MARGIN, TITLE_TOP, BODY_W, TITLE_H).text_frame, text, size, bold=True, color=DARK)


def _notes(slide: Any, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = clean_xml(text)


# -------------------------------------------------------------------- layout
Bullet = tuple[str, str]  # (text, source)


def _bullet_height(b: Bullet, size: float) -> float:
    width = BODY_W - 2 * INSET
    return (textfit.height_pt(f"• {b[0]}", width, size) + GAP
            + textfit.height_pt(b[1], width, SOURCE_PT) + GAP * 2)


def paginate(bullets: Sequence[Bullet]) -> list[tuple[int, list[Bullet]]]:
    """Bullets cut into slides that fit: (font size, bullets) each, the largest size that fits."""
    pages: list[tuple[int, list[Bullet]]] = []
    rest = list(bullets)
    while rest:
        for size in BULLET_SIZES:
            n, used = 0, 0.0
            while n < len(rest) and used + _bullet_height(rest[n], size) <= BODY_H:
                used += _bullet_height(rest[n], size)
                n += 1
            if n >= min(len(rest), 3) or size == BULLET_SIZES[-1]:
                break
        if n == 0:  # one bullet too long even at the smallest size: shorten it
            text, source = rest[0]
            rest[0] = (shorten(text, max(40, len(text) * 2 // 3)), source)
            continue
        pages.append((size, rest[:n]))
        rest = rest[n:]
    return pages


def _bullet_slides(prs: Any, title: str, bullets: Sequence[Bullet]) -> None:
    for i, (size, page) in enumerate(paginate(bullets)):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, title if i == 0 else f"{title} (tiếp)")
        tf = _box(slide, MARGIN, BODY_TOP, BODY_W, BODY_H).text_frame
        for text, source in page:
            _para(tf, f"• {text}", size, after=GAP)
            _para(tf, source, SOURCE_PT, color=GREY, italic=True, after=GAP * 2)


def short_source(item: HandoutItem, handout: Handout) -> str:
    """"Nguồn: Kế hoạch số 888/KH-UBND, Mục II, khoản 1" (the document by its label, then where)."""
    ref = item.reference
    for s in handout.sources:
        if s.citation and ref.startswith(s.citation):
            ref = s.label + ref[len(s.citation):]
            break
    return f"Nguồn: {ref}"


def by_document(handout: Handout, items: Sequence[HandoutItem]) -> list[tuple[str, list[HandoutItem]]]:
    """Items in runs of one document each, named by the document's label."""
    labels = {s.doc_id: s.label for s in handout.sources}
    groups: list[tuple[str, list[HandoutItem]]] = []
    for it in items:
        name = labels.get(it.doc_id, "")
        if groups and groups[-1][0] == name:
            groups[-1][1].append(it)
        else:
            groups.append((name, [it]))
    return groups


def _where(item: HandoutItem, handout: Handout) -> str:
    """The citation after the document ("Mục III, khoản 1"); the whole citation if it has no part."""
    short = short_source(item, handout).removeprefix("Nguồn: ")
    label = next((s.label for s in handout.sources if s.doc_id == item.doc_id), "")
    rest = short[len(label):].lstrip(", ") if label and short.startswith(label) else short
    return rest or short


# -------------------------------------------------------------------- slides
def _title_slide(prs: Any, handout: Handout, when: datetime) -> None:
    from pptx.enum.text import PP_ALIGN

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    tf = _box(slide, MARGIN, 130, BODY_W, 300).text_frame
    _para(tf, "TÀI LIỆU TẬP HUẤN", 40, bold=True, color=DARK, align=PP_ALIGN.CENTER, after=12)
    if handout.topic:
        _para(tf, shorten(handout.topic, 80), 32, bold=True, align=PP_ALIGN.CENTER, after=24)
    _para(tf, agency_of(handout), 22, align=PP_ALIGN.CENTER, after=6)
    _para(tf, f"Ngày {when.day:02d}/{when.month:02d}/{when.year} · soạn từ {handout.documents} văn bản",
          20, color=GREY, align=PP_ALIGN.CENTER)


def _duty_slides(prs: Any, handout: Handout) -> None:
    for name, items in by_document(handout, handout.responsibilities):
        rows = [(duty_text(r), r.agency, r.partners or "—", _where(r, handout)) for r in items]
        for i, page in enumerate(paginate_rows(rows)):
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            _title(slide, f"Phân công trách nhiệm — {name}" + (" (tiếp)" if i else ""))
            _table(slide, page)


COLUMNS = (("Nhiệm vụ", 0.46), ("Chủ trì", 0.2), ("Phối hợp", 0.18), ("Nguồn", 0.16))


def _row_height(cells: Sequence[str], bold: bool = False) -> float:
    heights = [textfit.height_pt(clip(c, BULLET_CHARS), BODY_W * w - 2 * INSET, CELL_PT, bold)
               for c, (_, w) in zip(cells, COLUMNS)]
    return max(heights) + 2 * 3.6 + 2  # python-pptx's default cell insets are 0.05 in top and bottom


def paginate_rows(rows: Sequence[tuple[str, ...]]) -> list[list[tuple[str, ...]]]:
    """Table rows cut into slides whose table (with its header) fits the body."""
    header = _row_height([c for c, _ in COLUMNS], True)
    pages: list[list[tuple[str, ...]]] = []
    page: list[tuple[str, ...]] = []
    used = header
    for row in rows:
        h = _row_height(row)
        if page and used + h > BODY_H:
            pages.append(page)
            page, used = [], header
        page.append(row)
        used += h
    if page:
        pages.append(page)
    return pages


def _table(slide: Any, rows: Sequence[tuple[str, ...]]) -> None:
    heights = [_row_height([c for c, _ in COLUMNS], True)] + [_row_height(r) for r in rows]
    shape = slide.shapes.add_table(len(rows) + 1, len(COLUMNS), _pt(MARGIN), _pt(BODY_TOP), _pt(BODY_W),
                                   _pt(sum(heights)))
    table = shape.table
    for j, (name, w) in enumerate(COLUMNS):
        table.columns[j].width = _pt(BODY_W * w)
    for i, row in enumerate([tuple(c for c, _ in COLUMNS), *rows]):
        table.rows[i].height = _pt(heights[i])
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text_frame.word_wrap = True
            cell.text_frame.paragraphs[0].text = ""
            _para(cell.text_frame, clip(text, BULLET_CHARS), CELL_PT, bold=(i == 0),
                  color=(0xFF, 0xFF, 0xFF) if i == 0 else (0x11, 0x11, 0x11))


def _quiz_slides(prs: Any, handout: Handout) -> None:
    total = len(handout.questions)
    for n, q in enumerate(handout.questions, 1):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        _title(slide, f"Câu hỏi ôn tập {n}/{total}")
        lines = [q.text] + ([f"{OPTION_LETTERS[i]}. {o}" for i, o in enumerate(q.options)] if q.qtype == "choice"
                            else ["Đúng / Sai"] if q.qtype == "truefalse" else [])
        size = 28
        while size > BULLET_SIZES[-1] and _lines_height(lines, size) > BODY_H:
            size -= 2
        if _lines_height(lines, size) > BODY_H:
            lines[0] = shorten(lines[0], 300)
        tf = _box(slide, MARGIN, BODY_TOP, BODY_W, BODY_H).text_frame
        for i, line in enumerate(lines):
            _para(tf, line, size if i == 0 else size - 2, bold=(i == 0), after=10)
        _notes(slide, f"Đáp án: {answer_text(q)}\nNguồn: {q.reference}")


def _lines_height(lines: Iterable[str], size: float) -> float:
    return sum(textfit.height_pt(line, BODY_W - 2 * INSET, size if i == 0 else size - 2, i == 0) + 10
               for i, line in enumerate(lines))


def to_pptx(handout: Handout, path: Path, when: datetime | None = None) -> Path:
    """Write the session's slides to ``path`` (.pptx) and return the path."""
    from pptx import Presentation

    when = when or datetime.now().astimezone()
    prs = Presentation()
    prs.slide_width, prs.slide_height = _pt(SLIDE_W), _pt(SLIDE_H)
    _title_slide(prs, handout, when)
    for name, targets in by_document(handout, handout.targets):
        bullets = []
        for t in targets:
            text = clip(t.text, BULLET_CHARS)
            text = f"{t.subject}: {text[:1].lower()}{text[1:]}" if t.subject else text[:1].upper() + text[1:]
            if t.deadline and t.deadline.lower() not in t.text.lower():
                text += f" ({t.deadline})"
            bullets.append((text, f"Nguồn: {_where(t, handout)}"))
        _bullet_slides(prs, f"Mục tiêu — {name}" if name else "Mục tiêu, chỉ tiêu", bullets)
    if handout.responsibilities:
        _duty_slides(prs, handout)
    _quiz_slides(prs, handout)
    sources = [(s.citation, s.title if s.title and s.title not in s.citation else "") for s in handout.sources]
    _bullet_slides(prs, "Văn bản trích dẫn", sources)
    props = prs.core_properties
    props.title = clean_xml(f"Tập huấn: {handout.topic}" if handout.topic else "Tập huấn")
    props.author = props.last_modified_by = clean_xml(agency_of(handout))
    props.subject = clean_xml(handout.topic)
    props.language = "vi-VN"
    props.created = props.modified = when.astimezone(timezone.utc).replace(tzinfo=None)
    props.revision = 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def overflowing(prs: Any) -> list[str]:
    """Every text box or table that does not fit its slide ("slide 3: …"), measured like the layout."""
    from pptx.util import Emu

    problems = []
    width, height = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    for n, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            left, top = Emu(shape.left).pt, Emu(shape.top).pt
            right, bottom = left + Emu(shape.width).pt, top + Emu(shape.height).pt
            if shape.has_table:
                table = shape.table
                needed = 0.0
                for row in table.rows:
                    cells = [c.text_frame.text for c in row.cells]
                    bold = any(r.font.bold for r in row.cells[0].text_frame.paragraphs[0].runs)
                    needed += _row_height(cells, bold)
                bottom = max(bottom, top + needed)
            elif textfit.overflows(shape):
                problems.append(f"slide {n}: text overflows its box: {shape.text_frame.text[:60]!r}")
            if left < 0 or top < 0 or right > width + 0.5 or bottom > height + 0.5:
                problems.append(f"slide {n}: shape outside the slide ({left:.0f},{top:.0f})-({right:.0f},{bottom:.0f})")
    return problems
