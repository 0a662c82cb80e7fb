"""Word .docx: paragraphs and tables in document order, legacy-font runs converted by their font.

The archive's directory is checked for zip-bomb limits before python-docx
inflates anything.
"""
from __future__ import annotations

import io
import zipfile
from typing import Any

import indexer.readers.legacy as legacy
from indexer.readers.base import Extracted
from indexer.readers.encoding import fix_legacy, tidy
from indexer.readers.errors import LoadError
from indexer.readers.sniff import check_zip, mismatch


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _fonts_of(element: Any) -> str | None:
    """The font an rPr-holding element sets for non-ASCII text (w:hAnsi, else w:ascii)."""
    if element is None:
        return None
    rfonts = element.find(f"{_W}rPr/{_W}rFonts")
    if rfonts is None:
        return None
    return rfonts.get(f"{_W}hAnsi") or rfonts.get(f"{_W}ascii")


def _style_font(style: Any) -> str | None:
    seen = 0
    while style is not None and seen < 20:
        font = _fonts_of(style.element)
        if font:
            return font
        style, seen = style.base_style, seen + 1
    return None


def _paragraph_text(paragraph: Any, default_font: str | None) -> str:
    """Paragraph text, with runs in a legacy font (.VnTime, VNI-Times) converted by that font.

    The font is the run's own, else its character style's, else the paragraph
    style's, else the document default: where Word itself would look.
    """
    from docx.text.hyperlink import Hyperlink

    para_font = _style_font(paragraph.style) if paragraph.style is not None else None
    segments: list[tuple[str, str | None]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            font = _fonts_of(run._r) or (_style_font(run.style) if run.style is not None else None)
            font = font or para_font or default_font
            encoding = legacy.font_encoding(font)
            if encoding == "tcvn3" and font and font.strip().lower().endswith("h"):
                encoding = "tcvn3h"
            if segments and segments[-1][1] == encoding:
                segments[-1] = (segments[-1][0] + run.text, encoding)
            else:
                segments.append((run.text, encoding))
    if not any(enc for _, enc in segments):
        return paragraph.text
    out = []
    for text, encoding in segments:
        if encoding == "tcvn3h":
            out.append(legacy.tcvn3_to_unicode(text).upper())
        elif encoding:
            out.append(legacy.CONVERTERS[encoding](text))
        else:
            out.append(text)
    return "".join(out)


def _docx_blocks(container: Any, default_font: str | None, seen: set[Any]) -> list[str]:
    """Lines of a body or table cell, in document order; tables row by row.

    A row of single-paragraph cells becomes one line "a | b | c", so a data row
    keeps its meaning; rows with multi-paragraph cells (header blocks) give one
    line per paragraph. Merged cells, which python-docx repeats, are read once.
    """
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    if cell._tc in seen:  # the element itself: ids of lxml proxies get reused
                        continue
                    seen.add(cell._tc)
                    cells.append(_docx_blocks(cell, default_font, seen))
                non_empty = [c for c in cells if c]
                if non_empty and all(len(c) == 1 for c in non_empty):
                    lines.append(" | ".join(c[0] for c in non_empty))
                else:
                    for c in non_empty:
                        lines.extend(c)
        else:
            text = _paragraph_text(block, default_font)
            if text.strip():
                lines.append(text)
    return lines


def read_docx(data: bytes) -> Extracted:
    found = mismatch(data, "zip")
    if found:
        raise found
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise LoadError("corrupt_docx", str(exc)) from None
    with archive:
        check_zip(archive)
        if "word/document.xml" not in archive.namelist():
            raise LoadError("corrupt_docx", "no word/document.xml in the archive")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault")
        default_font = _fonts_of(defaults)
        lines = _docx_blocks(document, default_font, set())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError) as exc:
        raise LoadError("corrupt_docx", f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # lxml syntax errors and other parser failures in a broken part
        if type(exc).__module__.startswith(("lxml", "docx", "zlib")) or isinstance(exc, (EOFError, OSError)):
            raise LoadError("corrupt_docx", f"{type(exc).__name__}: {exc}") from None
        raise
    return Extracted(tidy(fix_legacy("\n".join(lines))))
