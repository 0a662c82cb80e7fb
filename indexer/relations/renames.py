"""Renamed and merged agencies: an editable table, read once, used to expand questions and annotate citations.

In 2025 many ministries and provincial departments merged (Sở Thông tin và
Truyền thông into Sở Khoa học và Công nghệ from 1/3/2025). Documents keep the old
names, users type the new ones; the table links them. It is data, not code: a CSV
(``ten_cu,ten_moi,tu_ngay,can_cu``; lines starting with "#" are comments) at
``Settings.renames_path`` (``HOIDAP_RENAMES``), shipped as
``indexer/relations/co_quan_doi_ten.csv``.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from indexer.citation import format_date_vi

DEFAULT_RENAMES_PATH = Path(__file__).with_name("co_quan_doi_ten.csv")  # == Settings().renames_path


@dataclass(frozen=True)
class RenamedBody:
    old: str  # "Sở Thông tin và Truyền thông"
    new: str  # "Sở Khoa học và Công nghệ"
    since: str  # ISO date, "2025-03-01"
    basis: str = ""  # the document that decided it

    @property
    def note(self) -> str:
        """"Sở Thông tin và Truyền thông (nay là Sở Khoa học và Công nghệ, từ 1/3/2025)"."""
        since = f", từ {format_date_vi(self.since)}" if self.since else ""
        return f"{self.old} (nay là {self.new}{since})"


def parse_renames(text: str) -> tuple[RenamedBody, ...]:
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    out = []
    for row in csv.DictReader(io.StringIO("\n".join(rows))):
        old, new = (row.get("ten_cu") or "").strip(), (row.get("ten_moi") or "").strip()
        if old and new:
            out.append(RenamedBody(old, new, (row.get("tu_ngay") or "").strip(), (row.get("can_cu") or "").strip()))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> tuple[RenamedBody, ...]:
    return parse_renames(Path(path).read_text(encoding="utf-8-sig"))


def load_renames(path: Path | None = None) -> tuple[RenamedBody, ...]:
    """The table at ``path`` (default: the shipped one); re-read when the file changes; () when missing."""
    p = Path(path or DEFAULT_RENAMES_PATH)
    try:
        return _load(str(p), p.stat().st_mtime)
    except FileNotFoundError:
        return ()


def _mentions(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def renamed_in(text: str, table: tuple[RenamedBody, ...]) -> list[RenamedBody]:
    """Rows whose old name ``text`` mentions (for a citation's note)."""
    return [r for r in table if _mentions(r.old, text)]


def name_pairs(text: str, table: tuple[RenamedBody, ...]) -> list[tuple[str, str]]:
    """(name in text, other name) for each old or new name ``text`` mentions: query expansion both ways.

    A new name pairs with every old name merged into it (Sở Nông nghiệp và Môi trường
    -> Sở Tài nguyên và Môi trường, Sở Nông nghiệp và Phát triển nông thôn).
    """
    pairs: list[tuple[str, str]] = []
    for r in table:
        if _mentions(r.old, text):
            pairs.append((r.old, r.new))
        elif _mentions(r.new, text):
            pairs.append((r.new, r.old))
    return list(dict.fromkeys(pairs))
