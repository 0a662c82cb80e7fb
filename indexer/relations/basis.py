"""The documents a text is based on: its "Căn cứ" (and "Thực hiện") list, parsed into cited documents.

"Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt
..." gives type "Quyết định", số hiệu "749/QĐ-TTg", date 2020-06-03, issuer "Thủ
tướng Chính phủ". A law is often cited by name and date only ("Căn cứ Luật Tổ
chức chính quyền địa phương ngày 19 tháng 6 năm 2015"); its name is kept so it can
be linked by title. Only the preamble is read: the list ends where the body starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.citation import document_citation, format_date_vi
from indexer.metadata.names import normalize_number, parse_date, type_from_number
from indexer.metadata.vocabulary import DATE_RE, REF_NUMBER_RE

#: The preamble ends at the body's first structural line or the enacting formula.
_PREAMBLE_END_RE = re.compile(
    r"^\s*(?:[IVX]+\.\s|Chương\s+[IVX\d]|Điều\s+1\b|QUYẾT\s+ĐỊNH\s*:|QUYẾT\s+NGHỊ\s*:|PHẦN\s)", re.MULTILINE
)
_BASIS_RE = re.compile(r"(?:^|[;.]\s*|\n)\s*(?P<kind>Căn\s+cứ|Thực\s+hiện)\s+(?P<body>[^;\n]+)", re.IGNORECASE)
_TYPE_RE = re.compile(
    r"(?P<type>Hiến\s+pháp|Bộ\s+luật|Luật|Pháp\s+lệnh|Nghị\s+quyết|Nghị\s+định|Quyết\s+định|Thông\s+tư(?:\s+liên\s+tịch)?"
    r"|Chỉ\s+thị|Kế\s+hoạch|Công\s+văn|Văn\s+bản|Hướng\s+dẫn|Thông\s+báo|Kết\s+luận|Chương\s+trình)\b",
)
#: Words that end an issuer: what follows is the cited document's subject.
_ISSUER_END_RE = re.compile(
    r"\s+(?:phê\s+duyệt|ban\s+hành|về\s|quy\s+định|hướng\s+dẫn|sửa\s+đổi|thông\s+qua|triển\s+khai|thực\s+hiện|tại\s)"
)
#: Characters of the preamble read at most.
PREAMBLE_CHARS = 6000


@dataclass(frozen=True)
class CitedDocument:
    """One document of a "Căn cứ" list, as the text names it."""

    doc_type: str  # "Quyết định", "Luật", ... ("" when the line names none)
    number: str  # số hiệu, "" for a law cited by name
    date: str  # ISO date, "" when absent
    issuer: str  # "Thủ tướng Chính phủ", "" when absent
    name: str  # the words after the type, up to the date or number: "Luật Tổ chức chính quyền địa phương"
    text: str  # the cited line as written (after "Căn cứ")
    relation: str = "can_cu"  # "can_cu" (Căn cứ ...) or "thuc_hien" (Thực hiện ...)

    # CitableMeta, so indexer.citation writes its label like any document's
    @property
    def title(self) -> str:
        return self.name or self.text[:80]

    outlet = ""

    @property
    def label(self) -> str:
        """How a civil servant writes it: "Quyết định số 749/QĐ-TTg ngày 3/6/2020 của Thủ tướng Chính phủ"."""
        head = document_citation(self, self.text[:80])
        if not self.number and self.date:
            head += f" ngày {format_date_vi(self.date)}"
        return head


def cited_documents(text: str) -> list[CitedDocument]:
    """The "Căn cứ" list of ``text``'s preamble, in order."""
    preamble = text[:PREAMBLE_CHARS]
    end = _PREAMBLE_END_RE.search(preamble)
    if end:
        preamble = preamble[: end.start()]
    out: list[CitedDocument] = []
    for m in _BASIS_RE.finditer(preamble):
        body = " ".join(m.group("body").split()).rstrip(" ,.")
        cited = _parse_cited(body)
        if cited is not None:
            kind = "thuc_hien" if m.group("kind").lower().startswith("th") else "can_cu"
            out.append(replace(cited, relation=kind))
    return out


def _parse_cited(body: str) -> CitedDocument | None:
    t = _TYPE_RE.match(body)
    number_m = REF_NUMBER_RE.search(body)
    number = normalize_number(number_m.group("num")) if number_m else ""
    date_m = DATE_RE.search(body)
    date = parse_date(date_m) if date_m else ""
    doc_type = " ".join(t.group("type").split()) if t else type_from_number(number)
    if doc_type == "Văn bản" and number:
        doc_type = type_from_number(number) or doc_type
    if not (doc_type or number):
        return None
    stops = [x.start() for x in (number_m, date_m) if x is not None]
    name = body[: min(stops)] if stops else body
    name = re.sub(r"\s+số\s*:?\s*$", "", name.strip()).strip(" ,")
    issuer = ""
    of = re.search(r"\bcủa\s+(?P<who>.+)", body[date_m.end() if date_m else (number_m.end() if number_m else 0) :])
    if of:
        who = of.group("who")
        cut = _ISSUER_END_RE.search(who)
        issuer = (who[: cut.start()] if cut else who).strip(" ,")[:120]
    return CitedDocument(doc_type, number, date, issuer, name, body)
