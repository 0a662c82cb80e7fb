"""PDF: the text layer read with pypdfium2, tables with pdfplumber, scanned pages with OCR.

pypdf split every syllable with a diacritic of a Chromium-printed Vietnamese plan
("ứ ng d ụ ng r ộ ng kh ắ p"); PDFium (pypdfium2, Apache/BSD) extracts whole
syllables from the same files, from Chromium and from LibreOffice, and is fast
(C). pdfplumber (MIT) finds ruled tables; each data row becomes a line naming
its columns (:mod:`.tables`). Running headers, footers and page numbers are
dropped and wrapped lines rejoined (:mod:`.layout`). A page with no text layer
but an image is a scan: it is rendered and read by Tesseract (:mod:`.ocr`).
Pages stay separate: ``page_starts`` lets citations say "trang 3".
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any

import indexer.readers.legacy as legacy
import indexer.readers.ocr as ocr
from indexer.readers.base import Extracted, ReadContext
from indexer.readers.encoding import tidy
from indexer.readers.errors import LoadError
from indexer.readers.layout import Line, drop_chrome, reflow, text_lines
from indexer.readers.sniff import mismatch
from indexer.readers.tables import Cell, Continued, render, table_lines, take_row_marks

log = logging.getLogger(__name__)

#: A page with fewer visible characters than this in its text layer is taken to be scanned.
SCANNED_CHARS_PER_PAGE = 10
#: Pages with fewer drawn paths than this have no ruled table (pdfplumber is not asked).
MIN_TABLE_PATHS = 4


def read_pdf(data: bytes, context: ReadContext | None = None) -> Extracted:
    """The pages' text joined by blank lines, with the offset where each page starts."""
    context = context or ReadContext()
    if b"%PDF-" not in data[:1024]:
        found = mismatch(data, "pdf")
        raise found or LoadError("corrupt_pdf", "no %PDF header")
    if b"/Encrypt" in data:
        _check_decryptable(data)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise LoadError("encrypted_pdf", str(exc)) from None
        raise LoadError("corrupt_pdf", str(exc)) from None
    try:
        return _read(pdf, data, context)
    finally:
        pdf.close()


def _check_decryptable(data: bytes) -> None:
    """Refuse an encrypted PDF that does not open with the empty user password (checked by pypdf)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted_pdf")
    except (DependencyError, NotImplementedError) as exc:
        raise LoadError("encrypted_pdf", f"cannot decrypt: {exc}") from None
    except FileNotDecryptedError:
        raise LoadError("encrypted_pdf") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        pass  # PDFium decides whether a damaged file is readable


def _read(pdf: Any, data: bytes, context: ReadContext) -> Extracted:
    n = len(pdf)
    if not n:
        raise LoadError("empty", "PDF has no pages")
    pages: list[list[Line]] = []
    heights: list[float] = []
    scans: list[int] = []  # 0-based pages to OCR
    failures = 0
    row_paths: list[tuple[str, ...]] = []
    table_state = Continued([])
    for i in range(n):
        try:
            page = pdf[i]
            lines, height = _page_lines(page)
            if _visible(lines) < SCANNED_CHARS_PER_PAGE and _has_image(page):
                scans.append(i)
                lines = []
            elif _count_paths(page) >= MIN_TABLE_PATHS:
                lines = _with_tables(data, i, lines, row_paths, table_state)
        except LoadError:
            raise
        except Exception as exc:  # one broken page must not lose the others
            log.warning("page %d: text extraction failed: %s", i + 1, exc)
            lines, height = [], 0.0
            failures += 1
        pages.append(lines)
        heights.append(height)
    if failures == n:
        raise LoadError("corrupt_pdf", "text extraction failed on every page")
    if scans and context.ocr:
        _ocr_pages(pdf, data, scans, pages, context)
    elif scans and sum(_visible(p) for p in pages) < SCANNED_CHARS_PER_PAGE * n:
        raise LoadError("scanned_pdf", f"{len(scans)} of {n} pages are images; OCR is off")
    visible = sum(_visible(p) for p in pages)
    if visible < SCANNED_CHARS_PER_PAGE * n:
        raise LoadError("ocr_empty" if scans else "scanned_pdf", f"{visible} characters on {n} pages")

    texts = [reflow(lines) for lines in drop_chrome(pages, heights)]
    try:
        encoding = legacy.detect_legacy_encoding("\n".join(texts))
    except legacy.AmbiguousEncoding as exc:
        raise LoadError("legacy_font_unconvertible", str(exc)) from None
    if encoding:
        texts = [legacy.convert_legacy_lines(t, encoding)[0] for t in texts]
    texts = [tidy(t, collapse_spaces=True) for t in texts]
    starts: list[int] = []
    offset = 0
    for t in texts:
        starts.append(offset)
        offset += len(t) + 2
    text, rows = take_row_marks("\n\n".join(texts), row_paths)
    return Extracted(text, page_starts=starts, table_rows=rows, ocr_pages=[i + 1 for i in scans])


def _visible(lines: list[Line]) -> int:
    return sum(len("".join(ln.text.split())) for ln in lines)


def _page_lines(page: Any) -> tuple[list[Line], float]:
    """The text layer's lines in content order, boxed from their first and last glyph (y down)."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        geometry = len(text) == textpage.count_chars()
        lines: list[Line] = []
        pos = 0
        for raw in text.split("\n"):
            start, pos = pos, pos + len(raw) + 1
            raw = raw.rstrip("\r")
            if not raw.strip():
                continue
            line = Line(raw)
            if geometry:
                first = start + len(raw) - len(raw.lstrip())
                last = start + len(raw.rstrip()) - 1
                _l, bottom, _r, top = textpage.get_charbox(first)
                _l2, bottom2, right, top2 = textpage.get_charbox(last)
                line.top, line.bottom = height - max(top, top2), height - min(bottom, bottom2)
                line.right = right
            lines.append(line)
        return lines, height
    finally:
        textpage.close()


def _has_image(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))


def _count_paths(page: Any) -> int:
    import pypdfium2.raw as pdfium_c

    count = 0
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        count += 1
        if count >= MIN_TABLE_PATHS:
            break
    return count


def _with_tables(
    data: bytes, index: int, lines: list[Line], row_paths: list[tuple[str, ...]], state: Continued
) -> list[Line]:
    """The page's lines with each ruled data table's text replaced by one line per row.

    ``state`` carries the last data table's header over a page break.
    """
    import pdfplumber

    with pdfplumber.open(_bytes_io(data), pages=[index + 1]) as doc:
        found = []
        for table in doc.pages[0].find_tables():
            grid = [[_cell(row, j) for j in range(len(row))] for row in table.extract()]
            rendered = table_lines(grid, state)
            if rendered is not None:
                found.append((table.bbox, rendered))
    if not found:
        return lines
    out: list[Line] = []
    pending = sorted(found, key=lambda t: t[0][1])
    for ln in lines:
        mid = (ln.top + ln.bottom) / 2
        if any(b[1] - 1 <= mid <= b[3] + 1 for b, _ in found):
            continue  # table text, replaced by its rows
        while pending and pending[0][0][3] <= mid:
            out.extend(_table_block(pending.pop(0)[1], row_paths))
        out.append(ln)
    for _bbox, rendered in pending:
        out.extend(_table_block(rendered, row_paths))
    return out


def _table_block(rendered: list[tuple[str, tuple[str, ...] | None]], row_paths: list[tuple[str, ...]]) -> list[Line]:
    return [Line(t, fixed=True) for t in render(rendered, row_paths)]


def _cell(row: list[str | None], j: int) -> Cell:
    """A pdfplumber cell; None (covered by a merged cell) repeats the cell to its left."""
    k = j
    while k > 0 and row[k] is None:
        k -= 1
    text = " ".join((row[k] or "").split())
    return Cell(text, (id(row), k))


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _ocr_pages(pdf: Any, data: bytes, scans: list[int], pages: list[list[Line]], context: ReadContext) -> None:
    """Render each scanned page and read it with Tesseract (cached by the file's hash and page)."""
    digest = hashlib.sha256(data).hexdigest()
    for done, i in enumerate(scans):
        context.pages(done, len(scans))
        text = ocr.cached(context.cache_dir, digest, i + 1)
        if text is None:
            ocr.require()
            image = pdf[i].render(scale=ocr.RENDER_DPI / 72).to_pil()
            text = ocr.read_image(image, context.cache_dir, digest, i + 1)
        pages[i] = text_lines(text)
    context.pages(len(scans), len(scans))
