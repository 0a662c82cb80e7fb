"""Tables as data: every data row becomes one line that names its columns.

An appendix "DANH MỤC NHIỆM VỤ" (STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
Thời gian hoàn thành) read as raw rows "2 | Xây dựng … | Sở Thông tin và Truyền thông |
Sở Tài chính; …" loses what each cell means, and an answer cut at the cell's ";"
loses the rest. So a data row is written as

    STT: 2 | Nhiệm vụ: Xây dựng … | Cơ quan chủ trì: Sở … | Cơ quan phối hợp: Sở Tài chính; Sở …

Fields are joined by " | ", not "; ": cells themselves list agencies with ";",
and the sentence splitter keeps a " | " line whole (one row, one sentence). The
header row is not written at all (every row carries the names), so it is never
an answer. A group row spanning the table ("II. Hạ tầng trung tâm dữ liệu") is
written as its own line and becomes the section of the rows under it. Each row
is a :class:`~indexer.types.TableRow`: its own passage, cited "…, STT 2".

Readers mark row lines with :data:`ROW_MARK` while they assemble text and call
:func:`take_row_marks` after the last text transformation (NFC, legacy fonts,
spaces), so the spans point into the final text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from indexer.types import TableRow

#: Separates the fields of a row line (the sentence splitter keeps such a line whole).
FIELD_SEP = " | "
#: Private-use character starting a row line until :func:`take_row_marks` removes it.
ROW_MARK = "\ue000"
#: Header cells longer than this many words mean the table is layout (a letterhead), not data.
MAX_HEADER_WORDS = 10

_NUMBER_CELL_RE = re.compile(r"\(?\s*\d{1,2}\s*\)?")
_STT_NAMES = frozenset({"stt", "tt", "số tt", "số thứ tự", "thứ tự"})
_GROUP_LABEL_RE = re.compile(r"(?:[IVXLC]{1,6}|[A-ZĐ])\.?")


@dataclass(frozen=True)
class Cell:
    """One grid position: its text and an identity shared by the positions of one merged cell."""

    text: str
    key: object


def cell_text(paragraphs: Sequence[str]) -> str:
    """A cell's paragraphs on one line: joined by "; " unless a paragraph ends in punctuation."""
    out = ""
    for p in (" ".join(p.split()) for p in paragraphs):
        if not p:
            continue
        out = p if not out else out + (" " if out[-1] in ".;:,!?…" else "; ") + p
    return out


@dataclass
class Continued:
    """Where a data table stood at the end of a page, so its rows on the next page keep their names."""

    names: list[str]
    group: tuple[str, ...] = ()
    rows: int = 0


def table_lines(
    grid: Sequence[Sequence[Cell]], previous: Continued | None = None
) -> list[tuple[str, tuple[str, ...] | None]] | None:
    """Lines for a data table: (text, None) for group rows, (text, path) for data rows.

    None when the grid is not a data table (fewer than two rows or columns, a
    header row of long or empty cells: a letterhead or a signature block; or
    numbers as column names: "Chỉ tiêu | 2023 | 2025"), so the caller keeps its
    plain rendering.
    """
    rows = [list(r) for r in grid if any(c.text for c in r)]
    if not rows:
        return None
    header = rows[0]
    if _is_header(header) and len(rows) >= 2:
        names, group, n_data = [c.text for c in header], (), 0
    elif previous is not None and previous.names and len(header) == len(previous.names):
        # a table running over a page break: the rows go on under the previous page's header
        names, group, n_data = previous.names, previous.group, previous.rows
        rows = [[Cell("", None)] * len(header)] + rows
    else:
        return None
    stt_col = next((i for i, n in enumerate(names) if n.lower().strip(" .") in _STT_NAMES), -1)
    lines: list[tuple[str, tuple[str, ...] | None]] = []
    start_rows = n_data
    for row in rows[1:]:
        texts = [c.text for c in row]
        if all(not t or _NUMBER_CELL_RE.fullmatch(t) for t in texts):
            continue  # "(1) | (2) | (3)": column numbers under the header
        distinct = _distinct(row)
        if _is_group(row, distinct, stt_col):
            title = " ".join(c.text for c in distinct if c.text)
            title = re.sub(r"^([IVXLC]{1,6}|[A-ZĐ])\s+(?=\S)", r"\1. ", title) if not re.match(r"^\S+\.", title) else title
            group = (title,)
            lines.append((title, None))
            continue
        n_data += 1
        fields: list[str] = []
        for i, c in enumerate(row):
            if not c.text or (i > 0 and row[i - 1].key == c.key):
                continue  # empty, or the rest of a horizontally merged cell
            name = names[i] if i < len(names) else ""
            fields.append(f"{name}: {c.text}" if name else c.text)
        stt = row[stt_col].text if 0 <= stt_col < len(row) else ""
        label = f"STT {stt.rstrip('.')}" if stt else f"dòng {n_data}"
        lines.append((FIELD_SEP.join(fields), group + (label,)))
    if previous is not None:
        previous.names, previous.group, previous.rows = names, group, n_data
    return lines if n_data > start_rows else None


def _is_header(row: Sequence[Cell]) -> bool:
    """Short names in every cell, at least two distinct cells, not numbers ("2023", "2025")."""
    if len(row) < 2 or len({c.key for c in row}) < 2:
        return False
    if any(not c.text or len(c.text.split()) > MAX_HEADER_WORDS for c in row):
        return False
    return all(re.search(r"[^\W\d_]", c.text) for c in row)


def _distinct(row: Sequence[Cell]) -> list[Cell]:
    out: list[Cell] = []
    for c in row:
        if not out or out[-1].key != c.key:
            out.append(c)
    return out


def _is_group(row: Sequence[Cell], distinct: list[Cell], stt_col: int) -> bool:
    """A row naming a group of the rows below: one cell merged across, or a Roman label + a title."""
    filled = [c for c in distinct if c.text]
    if len(filled) == 1 and len(distinct) < len(row) and len(distinct) <= max(1, len(row) // 2):
        return True
    if len(filled) == 2 and stt_col >= 0 and row[stt_col].text and _GROUP_LABEL_RE.fullmatch(row[stt_col].text):
        return not re.fullmatch(r"\d+\.?", row[stt_col].text)
    return False


def render(lines: list[tuple[str, tuple[str, ...] | None]], paths: list[tuple[str, ...]]) -> list[str]:
    """Text lines of :func:`table_lines` output; data rows marked, their paths appended to ``paths``."""
    out = []
    for text, path in lines:
        if path is None:
            out.append(text)
        else:
            out.append(ROW_MARK + text)
            paths.append(path)
    return out


def take_row_marks(text: str, paths: list[tuple[str, ...]]) -> tuple[str, list[TableRow]]:
    """Remove the row marks from the final text; the spans of the marked lines, with their paths."""
    if ROW_MARK not in text:
        return text, []
    out: list[str] = []
    rows: list[TableRow] = []
    pos = 0
    for line in text.split("\n"):
        marked = line.startswith(ROW_MARK)
        line = line.replace(ROW_MARK, "")
        if marked and len(rows) < len(paths) and line.strip():
            rows.append(TableRow(pos, pos + len(line.rstrip()), paths[len(rows)]))
        out.append(line)
        pos += len(line) + 1
    return "\n".join(out), rows
