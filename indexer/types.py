"""The records that flow through the pipeline: documents, their metadata, passages.

Offsets in a :class:`Passage` index into :attr:`Document.text`, the loaded text
after NFC (and legacy-font conversion), so ``doc.text[p.start:p.end] == p.text``
always holds: an excerpt shown to a user is the source, verbatim.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from indexer.citation import NEWS_LABEL, NEWS_TYPE, section_label


@dataclass(frozen=True)
class TableRow:
    """One data row of a table, a span of :attr:`Document.text` that is its own passage.

    ``path`` is what the row adds to the section path of the text around it: the
    group row above it ("II. Hạ tầng trung tâm dữ liệu") and the row's own label
    ("STT 2"), so a citation reads "Phụ lục, Mục II, STT 2".
    """

    start: int
    end: int
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentMeta:
    """What a civil servant uses to cite a document (all optional, "" when absent)."""

    doc_type: str = ""  # "Kế hoạch", "Quyết định", "Luật", ..., or "Bài báo" for news
    number: str = ""  # số hiệu, e.g. "225/KH-UBND"
    issuer: str = ""  # cơ quan ban hành, e.g. "UBND tỉnh Thanh Hóa"
    place: str = ""  # e.g. "Thanh Hóa"
    date: str = ""  # ISO date "2023-09-15"
    title: str = ""  # trích yếu / headline
    outlet: str = ""  # publisher of a news article or web page, e.g. "VOV.VN" (never its issuer)
    url: str = ""  # address of a web page, where the file states it (HTML canonical/og:url)

    @property
    def is_news(self) -> bool:
        """A news article or web page: cited like the press, its outlet is a "Nguồn", not an issuer."""
        return self.doc_type == NEWS_TYPE

    @property
    def type_label(self) -> str:
        """The document type as shown to users ("Bài báo / trang tin" for news and web pages)."""
        return NEWS_LABEL if self.is_news else self.doc_type

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Document:
    """One loaded source file (or one record of an evaluation corpus)."""

    doc_id: str  # stable id: path relative to the corpus root, without suffix
    source: str  # where it came from (relative path or record id)
    text: str  # NFC text that passage offsets point into
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    page_starts: list[int] = field(default_factory=list)  # PDF: offset where page i+1 starts
    content_hash: str = ""  # sha256 of the raw bytes (+ sidecar), for incremental re-indexing
    table_rows: list[TableRow] = field(default_factory=list)  # data rows of tables, each its own passage
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages whose text came from OCR (images: [1])
    # an administrator's status/period/relations from ``ten_tep.meta.json`` (indexer.relations.sidecar)
    overrides: dict = field(default_factory=dict)

    def is_ocr(self, offset: int) -> bool:
        """Was the text at ``offset`` read from a scan by OCR (citations say so)?"""
        if not self.ocr_pages:
            return False
        return (self.page_at(offset) or 1) in self.ocr_pages

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        """Inverse of ``dataclasses.asdict`` (stored indexes written before a field existed load too)."""
        d = dict(d)
        d["meta"] = DocumentMeta(**d.get("meta", {}))
        d["table_rows"] = [
            r if isinstance(r, TableRow) else TableRow(r["start"], r["end"], tuple(r.get("path", ())))
            for r in d.get("table_rows", ())
        ]
        return cls(**d)

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding ``offset``, or None for unpaged sources."""
        if not self.page_starts:
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


@dataclass
class Passage:
    """The unit of retrieval: the smallest meaningful span with its heading path."""

    doc_id: str
    text: str  # == Document.text[start:end]
    section_path: tuple[str, ...] = ()  # e.g. ("II. NHIỆM VỤ, GIẢI PHÁP", "1. Phát triển ...", "a) ...")
    start: int = 0
    end: int = 0
    page: int | None = None
    passage_id: str = ""  # "<doc_id>#<n>", set when the document is split

    @property
    def section(self) -> str:
        """Short human-readable path, e.g. "Mục II > 1 > a"."""
        return section_label(self.section_path)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["section_path"] = list(self.section_path)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Passage":
        d = dict(d)
        d["section_path"] = tuple(d.get("section_path", ()))
        return cls(**d)
