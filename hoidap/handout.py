"""Trainer handouts: every passage on a topic or a section, a drafted summary, DOCX/Markdown.

A trainer preparing a session on Plan 225 needs three things, each traceable to
the text: the key targets (figures, percentages, deadlines), who does what
("Sở Thông tin và Truyền thông chủ trì, phối hợp với …"), and review questions
whose answers are in the cited passages. Everything here is extractive: an
item's ``text`` is a sentence copied verbatim from a passage and carries that
passage's citation, so the trainer can check each line against the source.

Pure functions over :class:`~hoidap.retrieve.Hit` lists (no gradio): the web
app's trainer tab, the tests and any script call the same code.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from indexer import text as vtext
from indexer.types import Document, Passage

#: Passages taken from the search on a topic (more than a chat answer needs).
GATHER_K = 40
#: Hits past this rank are kept only when they share a query term (lexical evidence).
GATHER_KEEP_TOP = 5
MAX_QUESTIONS = 6
MAX_CLOZE_CHARS = 260

# ------------------------------------------------------------------------ records


@dataclass
class HandoutItem:
    """One line of the handout, with the citation that backs it."""

    key: str  # stable id for the UI's checkboxes: "t1", "r2", "q3", "p4"
    kind: str  # "target" | "responsibility" | "question" | "passage"
    text: str  # verbatim sentence (targets, responsibilities, passages) or the question
    reference: str  # full citation ("Kế hoạch số … , Mục II, khoản 2, điểm a")
    doc_id: str = ""
    section: str = ""
    answer: str = ""  # questions: the expected answer (a substring of the cited passage)
    agency: str = ""  # responsibilities: the agency named
    role: str = ""  # "chủ trì" | "phối hợp" | "thực hiện"
    partners: str = ""  # who the lead coordinates with ("các sở, ngành, địa phương")
    figures: list[str] = field(default_factory=list)  # targets: "100%", "đến năm 2025", …
    passage_id: str = ""

    def label(self) -> str:
        """One-line text for a checkbox (the UI renders it as plain text)."""
        if self.kind == "question":
            return f"Câu hỏi: {self.text}"
        if self.kind == "responsibility":
            who = f"{self.agency} ({self.role})" if self.agency else self.role.capitalize()
            return f"Trách nhiệm — {who}: {_short(self.text, 160)}"
        if self.kind == "target":
            return f"Mục tiêu: {_short(self.text, 180)}"
        return f"Trích đoạn — {self.section or 'phần đầu'}: {_short(self.text, 120)}"


@dataclass
class PassageGroup:
    """Passages of one document section, in document order."""

    doc_id: str
    doc_label: str  # "Kế hoạch số 225/KH-UBND" or the title
    doc_title: str
    section: str  # "Mục II > 2 > a" ("" = preamble)
    items: list[HandoutItem] = field(default_factory=list)


@dataclass
class Handout:
    topic: str
    targets: list[HandoutItem] = field(default_factory=list)
    responsibilities: list[HandoutItem] = field(default_factory=list)
    questions: list[HandoutItem] = field(default_factory=list)
    groups: list[PassageGroup] = field(default_factory=list)
    documents: int = 0

    def drafted(self) -> list[HandoutItem]:
        """Targets, responsibilities and questions: what the trainer reviews."""
        return self.targets + self.responsibilities + self.questions

    def passages(self) -> list[HandoutItem]:
        return [it for g in self.groups for it in g.items]

    def all_items(self) -> list[HandoutItem]:
        return self.drafted() + self.passages()

    def select(self, keys: Iterable[str] | None) -> "Handout":
        """A copy keeping only ``keys`` (None keeps all): the trainer's removals."""
        if keys is None:
            return self
        keep = set(keys)
        groups = []
        for g in self.groups:
            items = [it for it in g.items if it.key in keep]
            if items:
                groups.append(PassageGroup(g.doc_id, g.doc_label, g.doc_title, g.section, items))
        return Handout(
            topic=self.topic,
            targets=[it for it in self.targets if it.key in keep],
            responsibilities=[it for it in self.responsibilities if it.key in keep],
            questions=[it for it in self.questions if it.key in keep],
            groups=groups,
            documents=len({g.doc_id for g in groups}),
        )


# --------------------------------------------------------------------- gathering
def section_passages(passages: Sequence[Passage], doc_id: str, prefix: Sequence[str]) -> list[Passage]:
    """Every passage of ``doc_id`` under the heading path ``prefix`` (empty = whole document)."""
    prefix = tuple(prefix)
    return [
        p
        for p in passages
        if p.doc_id == doc_id and tuple(p.section_path[: len(prefix)]) == prefix
    ]


def gather(
    engine: "object",
    topic: str = "",
    doc_id: str = "",
    section_prefix: Sequence[str] = (),
    k: int = GATHER_K,
) -> list["object"]:
    """Hits for a handout: a wide search on ``topic`` plus every passage under a chosen section.

    Search hits past the first few are kept only if they share a term with the
    topic, so a wide ``k`` does not drag in unrelated text. Returned in document
    order (grouping reads like the source), without duplicates.
    """
    from hoidap.retrieve import Hit, SearchFilter

    contents = engine.searcher.contents()  # type: ignore[attr-defined]
    chosen: dict[str, Hit] = {}
    if topic.strip():
        filters = None
        if doc_id or section_prefix:
            filters = SearchFilter(
                doc_ids=(doc_id,) if doc_id else (),
                section_prefix=tuple(section_prefix) if doc_id else (),
            )
        hits = engine.search(topic, k=k, filters=filters)  # type: ignore[attr-defined]
        for rank, h in enumerate(hits):
            if rank < GATHER_KEEP_TOP or h.matched_terms:
                chosen.setdefault(h.passage.passage_id or f"{h.passage.doc_id}@{h.passage.start}", h)
    if doc_id and (section_prefix or not topic.strip()):
        doc = contents.documents.get(doc_id)
        if doc is not None:
            for p in section_passages(contents.passages, doc_id, section_prefix):
                chosen.setdefault(p.passage_id or f"{p.doc_id}@{p.start}", Hit(passage=p, document=doc, score=0.0))
    return sorted(chosen.values(), key=lambda h: (h.document.source, h.passage.start))


def outline_choices(passages: Sequence[Passage], doc_id: str) -> list[tuple[str, str]]:
    """(label, value) for every heading prefix of a document, in order; value is the path joined by "\\n"."""
    from indexer.citation import section_label

    seen: dict[tuple[str, ...], None] = {}
    for p in passages:
        if p.doc_id != doc_id:
            continue
        path = tuple(p.section_path)
        for depth in range(1, len(path) + 1):
            seen.setdefault(path[:depth], None)
    out = []
    for path in seen:
        label = section_label(path) or path[-1]
        heading = _short(path[-1], 70)
        out.append((f"{'  ' * (len(path) - 1)}{label} — {heading}", "\n".join(path)))
    return out


# ---------------------------------------------------------------------- analysis
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?\s+phần\s+trăm", re.IGNORECASE)
_DEADLINE = re.compile(
    r"(?:đến|trước|sau|chậm nhất|trong)\s+(?:năm|ngày|tháng|quý)\s+[\dIVX/]+(?:\s*[/-]\s*\d+)*(?:\s+hằng\s+năm)?|"
    r"chậm nhất\s+(?:ngày|trước ngày)\s+[\d/]+|hằng\s+(?:năm|quý|tháng)",
    re.IGNORECASE,
)
_STRONG_DEADLINE = re.compile(r"đến năm|trước ngày|trước năm|chậm nhất|trước tháng|trước quý", re.IGNORECASE)
# Digits that are not targets: document codes, dates, the plan's period, "số 225".
_NOT_FIGURE = re.compile(
    r"\d+(?:/\d+)*/[A-ZĐ][\wĐđ-]*|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|"
    r"giai đoạn\s+\d{4}\s*[-–]\s*\d{4}|\d{4}\s*[-–]\s*\d{4}|số\s+\d+|ngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}",
    re.IGNORECASE,
)
# A bare number counts when a word follows it ("100 Mb/s", "30 trạm", "cấp độ 3 trở lên"),
# not inside code-like text ("alert(1)", "v2").
_QUANTITY = re.compile(r"(?<![\w/(])\d+(?:[.,]\d+)*(?=\s+[^\W\d_])")
_SKIP_START = re.compile(r"^\s*(?:Căn cứ|Số:|Nơi nhận|- Như trên|- Lưu|Kính gửi|CỘNG HÒA|Độc lập)", re.IGNORECASE)
_ENUM = re.compile(r"^\s*(?:[-+•*]\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s*|[a-zđ][)]\s*|[IVXLC]+\.\s*)")

_AGENCY_HEAD = (
    r"(?:Sở|Ban|Bộ|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Văn phòng|Công an|Bộ Chỉ huy|Cục|Chi cục|Trung tâm|"
    r"Đài|Báo|Thanh tra|Kho bạc|Hội đồng|Liên đoàn|Tỉnh đoàn|Mặt trận|Ủy ban Mặt trận|Viễn thông|Bưu điện|"
    r"[Cc]ác sở|[Cc]ác doanh nghiệp|[Dd]oanh nghiệp|[Cc]ác cơ quan|[Cc]ác đơn vị|[Cc]ác huyện)"
)
_AGENCY_STOP = (
    r"chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|tổ chức|thực hiện|hướng dẫn|tham mưu|triển khai|"
    r"báo cáo|bố trí|tạo điều kiện|rà soát|xây dựng|theo dõi|kiểm tra|đầu tư|cân đối|tuyên truyền|"
    r"đẩy mạnh|nghiên cứu|ban hành|đảm bảo|bảo đảm|được|là|sẽ|cần|phải"
)
_AGENCY_AT_START = re.compile(
    r"^(?:(?:Giao|Đề nghị|Yêu cầu|Giao cho)\s+)?(?P<agency>" + _AGENCY_HEAD + r"(?:\s+[^\s,;:.()]+){0,10}?)"
    r"(?=\s*:|\s+(?:" + _AGENCY_STOP + r")(?!\w))"
)
_AGENCY_BEFORE_LEAD = re.compile(
    r"(?P<agency>" + _AGENCY_HEAD + r"(?:\s+[^\s,;:.()]+){0,10}?)\s*:?\s+chủ trì(?!\w)", re.IGNORECASE
)
_PARTNERS = re.compile(
    r"phối hợp(?:\s+chặt chẽ)?\s+với\s+(?P<who>[^;.:]+?)"
    r"(?=\s+(?:để|trong|" + _AGENCY_STOP + r")(?!\w)|[;.:]|$)"
)
_LEAD_RE = re.compile(r"(?<!\w)chủ trì(?!\w)", re.IGNORECASE)
_COORD_RE = re.compile(r"(?<!\w)phối hợp(?!\w)", re.IGNORECASE)


@dataclass
class _Sentence:
    hit: "object"
    text: str
    start: int
    end: int


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"


def _clean_xml(text: str) -> str:
    """Drop control characters python-docx (XML 1.0) refuses; keep newlines and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def _is_heading_only(sentence: str) -> bool:
    from indexer.structure import classify_heading

    m = classify_heading(sentence)
    if m is None:
        return False
    return ":" not in m.rest and vtext.syllable_count(m.rest) <= 12


def sentences_of(hits: Sequence["object"]) -> list[_Sentence]:
    """Content sentences of the passages (headings, "Căn cứ …", signature lines dropped)."""
    out: list[_Sentence] = []
    for h in hits:
        text = h.passage.text
        for a, b in vtext.sentence_spans(text):
            s = text[a:b]
            if vtext.syllable_count(s) < 4 or _SKIP_START.match(s) or _is_heading_only(s):
                continue
            out.append(_Sentence(h, s, a, b))
    return out


def target_figures(sentence: str) -> list[str]:
    """Figures that make ``sentence`` a target: percentages, deadlines, other quantities.

    Document codes ("225/KH-UBND"), dates of issue and the plan's period
    ("giai đoạn 2023 - 2025") are not targets and are ignored.
    """
    figures = [m.group(0).strip() for m in _PERCENT.finditer(sentence)]
    figures += [m.group(0).strip() for m in _DEADLINE.finditer(sentence) if _STRONG_DEADLINE.search(m.group(0))]
    if not figures:
        rest = _NOT_FIGURE.sub(" ", _ENUM.sub("", sentence))
        rest = _PERCENT.sub(" ", rest)
        figures += [m.group(0) for m in _QUANTITY.finditer(rest)]
    return list(dict.fromkeys(figures))


def is_target(sentence: str) -> bool:
    return bool(target_figures(sentence))


def _strip_marker(heading: str) -> str:
    from indexer.structure import classify_heading

    m = classify_heading(heading)
    return m.rest if m else heading


def _clean_agency(agency: str) -> str:
    agency = _ENUM.sub("", agency).strip(" ,;:-")
    agency = re.sub(r"^(?:Giao|Đề nghị|Yêu cầu|Giao cho)\s+", "", agency)
    return agency[:1].upper() + agency[1:] if agency else agency


def responsibility_of(sentence: str, section_path: Sequence[str] = ()) -> tuple[str, str, str] | None:
    """(agency, role, partners) if ``sentence`` assigns a task to a named agency, else None.

    Roles: "chủ trì" (leads), "phối hợp" (coordinates), "thực hiện" (does).
    The agency is the subject: at the start of the sentence ("Sở Tài chính: Cân
    đối …", "Giao Sở … chủ trì"), right before "chủ trì", or, for a bullet under
    an item titled with an agency ("1. Sở Thông tin và Truyền thông"), that agency.
    """
    body = _ENUM.sub("", sentence).strip()
    if body.endswith(":"):  # an introduction ("… với các nội dung sau:"), not a task
        return None
    agency = ""
    colon = body.find(":")
    if 0 < colon <= 120 and re.match(_AGENCY_HEAD, body) and body[colon + 1 :].strip():
        before = body[:colon]
        if len(before.split()) <= 12 and not re.search(r"(?<!\w)(?:" + _AGENCY_STOP + r"|ban hành)(?!\w)", before):
            agency = before
    if not agency:
        m = _AGENCY_BEFORE_LEAD.search(body)
        if m:
            agency = m.group("agency")
    if not agency:
        m = _AGENCY_AT_START.match(body)
        if m:
            agency = m.group("agency")
    if not agency and section_path:
        title = _strip_marker(section_path[-1])
        if re.match(_AGENCY_HEAD, title) and sentence.lstrip()[:1] in "-+•":
            agency = title
    if not agency:
        return None
    agency = _clean_agency(agency)
    lead = _LEAD_RE.search(body)
    coord = _COORD_RE.search(body)
    role = "chủ trì" if lead else ("phối hợp" if coord else "thực hiện")
    partners = ""
    pm = _PARTNERS.search(body)
    if pm:
        partners = pm.group("who").strip(" ,")
    return agency, role, partners


def _cloze(sentence: str, answer: str) -> str:
    """The sentence with its first ``answer`` blanked, cut around the blank if long."""
    i = sentence.find(answer)
    blanked = sentence[:i] + "……" + sentence[i + len(answer) :]
    if len(blanked) > MAX_CLOZE_CHARS:
        lo = max(0, i - MAX_CLOZE_CHARS // 2)
        hi = min(len(blanked), lo + MAX_CLOZE_CHARS)
        lo_cut = blanked.rfind(" ", 0, lo) if lo else 0
        hi_cut = blanked.find(" ", hi)
        blanked = ("… " if lo else "") + blanked[max(lo_cut, 0) : hi_cut if hi_cut > 0 else len(blanked)].strip() + (
            " …" if hi_cut > 0 else ""
        )
    return " ".join(_ENUM.sub("", blanked, count=1).split())


def _question_about_agency(sentence: str, agency: str) -> str | None:
    """"Sở X: Chủ trì, phối hợp … triển khai Kế hoạch" -> "Cơ quan nào chủ trì, phối hợp … triển khai Kế hoạch?"."""
    body = _ENUM.sub("", sentence).strip()
    i = body.find(agency)
    if i < 0:
        return None
    rest = body[i + len(agency) :].lstrip(" :,")
    rest = re.sub(r"^(?:có trách nhiệm|chịu trách nhiệm)\s+", "", rest)
    if not _LEAD_RE.match(rest) and not _COORD_RE.match(rest):
        return None
    rest = rest.rstrip(" .;")
    if len(rest) > MAX_CLOZE_CHARS:
        rest = _short(rest, MAX_CLOZE_CHARS)
    return f"Cơ quan nào {rest[:1].lower()}{rest[1:]}?"


def _reference(hit: "object") -> str:
    from hoidap.answer import document_reference

    return document_reference(hit)  # type: ignore[arg-type]


def _doc_label(doc: Document) -> tuple[str, str]:
    from hoidap.web.render import doc_heading

    label, title = doc_heading(doc.meta, doc.meta.title or doc.doc_id)
    return label or title, title


def build_handout(topic: str, hits: Sequence["object"]) -> Handout:
    """Draft the handout from gathered hits (see :func:`gather`)."""
    handout = Handout(topic=topic.strip())
    # passages grouped by document, then section, in document order
    ordered = sorted(hits, key=lambda h: (h.document.source, h.passage.start))
    groups: dict[tuple[str, str], PassageGroup] = {}
    for i, h in enumerate(ordered, 1):
        label, title = _doc_label(h.document)
        key = (h.passage.doc_id, h.passage.section)
        g = groups.get(key)
        if g is None:
            g = groups[key] = PassageGroup(h.passage.doc_id, label, title, h.passage.section)
        g.items.append(
            HandoutItem(
                key=f"p{i}",
                kind="passage",
                text=h.passage.text,
                reference=_reference(h),
                doc_id=h.passage.doc_id,
                section=h.passage.section,
                passage_id=h.passage.passage_id,
            )
        )
    handout.groups = list(groups.values())
    handout.documents = len({h.passage.doc_id for h in ordered})

    seen: set[str] = set()
    for s in sentences_of(ordered):
        key = vtext.fold(" ".join(s.text.split()))
        if key in seen:
            continue
        seen.add(key)
        ref = _reference(s.hit)
        common = dict(
            reference=ref,
            doc_id=s.hit.passage.doc_id,
            section=s.hit.passage.section,
            passage_id=s.hit.passage.passage_id,
        )
        figures = target_figures(s.text)
        if figures:
            handout.targets.append(
                HandoutItem(key=f"t{len(handout.targets) + 1}", kind="target", text=s.text, figures=figures, **common)
            )
        resp = responsibility_of(s.text, s.hit.passage.section_path)
        if resp:
            agency, role, partners = resp
            handout.responsibilities.append(
                HandoutItem(
                    key=f"r{len(handout.responsibilities) + 1}",
                    kind="responsibility",
                    text=s.text,
                    agency=agency,
                    role=role,
                    partners=partners,
                    **common,
                )
            )
    handout.questions = draft_questions(handout)
    return handout


def draft_questions(handout: Handout, limit: int = MAX_QUESTIONS) -> list[HandoutItem]:
    """Review questions whose answers are verbatim in the cited passages.

    Alternates three kinds so a short list still covers the plan: a figure blanked
    out of a target sentence, the agency that leads a task, a deadline blanked out.
    """
    percent, leads, deadlines = [], [], []
    for t in handout.targets:
        pm = _PERCENT.search(t.text)
        if pm:
            percent.append((f"Điền vào chỗ trống: “{_cloze(t.text, pm.group(0))}”", pm.group(0).strip(), t))
            continue
        dm = re.search(r"(?:trước ngày|đến năm|trước năm|chậm nhất (?:ngày|trước ngày))\s+([\d/]+)", t.text, re.IGNORECASE)
        if dm:
            deadlines.append((f"Điền vào chỗ trống (thời hạn): “{_cloze(t.text, dm.group(1))}”", dm.group(1), t))
    for r in handout.responsibilities:
        if r.role == "chủ trì" and r.agency:
            q = _question_about_agency(r.text, r.agency)
            if q:
                leads.append((q, r.agency, r))
    out: list[HandoutItem] = []
    pools = [percent, leads, deadlines]
    used: set[str] = set()
    while len(out) < limit and any(pools):
        for pool in pools:
            if not pool or len(out) >= limit:
                continue
            q, ans, src = pool.pop(0)
            if q in used:
                continue
            used.add(q)
            out.append(
                HandoutItem(
                    key=f"q{len(out) + 1}",
                    kind="question",
                    text=q,
                    answer=ans,
                    reference=src.reference,
                    doc_id=src.doc_id,
                    section=src.section,
                    passage_id=src.passage_id,
                )
            )
    return out


# ------------------------------------------------------------------------ export
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def _md(text: str) -> str:
    """Markdown-safe text: markup characters escaped, raw HTML neutralised."""
    text = _clean_xml(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _bullet_free(text: str) -> str:
    """Drop a leading "-", "+" or "•" (the export adds its own bullets)."""
    return re.sub(r"^\s*[-+•]\s+", "", text)


def _md_quote(text: str) -> str:
    return "\n".join("> " + _md(line) if line.strip() else ">" for line in text.splitlines())


def title_of(handout: Handout) -> str:
    return f"Tài liệu tập huấn: {handout.topic}" if handout.topic else "Tài liệu tập huấn"


def _intro(handout: Handout) -> str:
    n = len(handout.passages())
    return (
        f"Soạn tự động ngày {date.today().strftime('%d/%m/%Y')} từ {n} đoạn trích của {handout.documents} văn bản. "
        "Mỗi ý đều kèm nguồn trích dẫn; người tập huấn cần đối chiếu với văn bản gốc trước khi sử dụng."
    )


def to_markdown(handout: Handout) -> str:
    """The handout as Markdown; every item followed by its citation."""
    lines = [f"# {_md(title_of(handout))}", "", f"_{_md(_intro(handout))}_", ""]
    lines += ["## 1. Mục tiêu, chỉ tiêu chính", ""]
    if handout.targets:
        for t in handout.targets:
            lines.append(f"- {_md(_bullet_free(t.text))}  ")
            lines.append(f"  *Nguồn: {_md(t.reference)}*")
    else:
        lines.append("_Không có chỉ tiêu định lượng trong các đoạn đã chọn._")
    lines += ["", "## 2. Phân công trách nhiệm", ""]
    if handout.responsibilities:
        for r in handout.responsibilities:
            partners = f"; phối hợp với: {_md(r.partners)}" if r.partners else ""
            lines.append(f"- **{_md(r.agency)}** ({_md(r.role)}{partners}): {_md(_bullet_free(r.text))}  ")
            lines.append(f"  *Nguồn: {_md(r.reference)}*")
    else:
        lines.append("_Không có nội dung phân công trong các đoạn đã chọn._")
    lines += ["", "## 3. Câu hỏi ôn tập", ""]
    if handout.questions:
        for i, q in enumerate(handout.questions, 1):
            lines.append(f"{i}. {_md(q.text)}  ")
            lines.append(f"   Đáp án: **{_md(q.answer)}** — *Nguồn: {_md(q.reference)}*")
    else:
        lines.append("_Chưa soạn được câu hỏi từ các đoạn đã chọn._")
    lines += ["", "## 4. Trích đoạn văn bản", ""]
    current_doc = None
    for g in handout.groups:
        if g.doc_id != current_doc:
            current_doc = g.doc_id
            head = g.doc_label if g.doc_label == g.doc_title else f"{g.doc_label} — {g.doc_title}"
            lines += [f"### {_md(head)}", ""]
        lines += [f"#### {_md(g.section or 'Phần mở đầu')}", ""]
        for it in g.items:
            lines.append(_md_quote(it.text))
            lines.append(">")
            lines.append(f"> *Nguồn: {_md(it.reference)}*")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(handout: Handout, path: Path) -> Path:
    """The handout as a Word document (python-docx), same structure as :func:`to_markdown`."""
    from docx import Document as DocxDocument
    from docx.shared import Pt, RGBColor

    doc = DocxDocument()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"  # the administrative standard; has Vietnamese glyphs
    style.font.size = Pt(13)
    doc.core_properties.title = _clean_xml(title_of(handout))
    doc.core_properties.language = "vi-VN"

    def cite(paragraph: "object", reference: str) -> None:
        run = paragraph.add_run(f" (Nguồn: {_clean_xml(reference)})")  # type: ignore[attr-defined]
        run.italic = True
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)

    doc.add_heading(_clean_xml(title_of(handout)), level=0)
    intro = doc.add_paragraph()
    intro.add_run(_intro(handout)).italic = True

    doc.add_heading("1. Mục tiêu, chỉ tiêu chính", level=1)
    for t in handout.targets:
        p = doc.add_paragraph(_clean_xml(_bullet_free(t.text)), style="List Bullet")
        cite(p, t.reference)
    if not handout.targets:
        doc.add_paragraph("Không có chỉ tiêu định lượng trong các đoạn đã chọn.")

    doc.add_heading("2. Phân công trách nhiệm", level=1)
    for r in handout.responsibilities:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(_clean_xml(r.agency)).bold = True
        partners = f"; phối hợp với: {r.partners}" if r.partners else ""
        p.add_run(_clean_xml(f" ({r.role}{partners}): {_bullet_free(r.text)}"))
        cite(p, r.reference)
    if not handout.responsibilities:
        doc.add_paragraph("Không có nội dung phân công trong các đoạn đã chọn.")

    doc.add_heading("3. Câu hỏi ôn tập", level=1)
    for q in handout.questions:
        doc.add_paragraph(_clean_xml(q.text), style="List Number")
        p = doc.add_paragraph()
        p.add_run("Đáp án: ")
        p.add_run(_clean_xml(q.answer)).bold = True
        cite(p, q.reference)
    if not handout.questions:
        doc.add_paragraph("Chưa soạn được câu hỏi từ các đoạn đã chọn.")

    doc.add_heading("4. Trích đoạn văn bản", level=1)
    current_doc = None
    for g in handout.groups:
        if g.doc_id != current_doc:
            current_doc = g.doc_id
            head = g.doc_label if g.doc_label == g.doc_title else f"{g.doc_label} — {g.doc_title}"
            doc.add_heading(_clean_xml(head), level=2)
        doc.add_heading(_clean_xml(g.section or "Phần mở đầu"), level=3)
        for it in g.items:
            p = doc.add_paragraph(_clean_xml(it.text), style="Quote")
            cite(p, it.reference)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def file_stem(topic: str) -> str:
    """ASCII file name stem for downloads: "tai-lieu-tap-huan-dien-toan-dam-may"."""
    slug = re.sub(r"[^a-z0-9]+", "-", vtext.fold(topic or "")).strip("-")[:50].strip("-")
    return "tai-lieu-tap-huan" + (f"-{slug}" if slug else "")


def handout_html(handout: Handout) -> str:
    """Preview for the trainer tab; every document string escaped."""
    from hoidap.web.render import esc

    def cite(ref: str) -> str:
        return f'<div class="hd-cite"><span class="hd-cite-label">Nguồn: </span><span class="hd-reference">{esc(ref)}</span></div>'

    out = [f'<div class="hd-handout"><h2>{esc(title_of(handout))}</h2><p class="hd-note">{esc(_intro(handout))}</p>']
    out.append("<h3>1. Mục tiêu, chỉ tiêu chính</h3><ul>")
    out += [f"<li>{esc(t.text)}{cite(t.reference)}</li>" for t in handout.targets] or ["<li>Không có.</li>"]
    out.append("</ul><h3>2. Phân công trách nhiệm</h3><ul>")
    for r in handout.responsibilities:
        partners = f"; phối hợp với: {esc(r.partners)}" if r.partners else ""
        out.append(f"<li><strong>{esc(r.agency)}</strong> ({esc(r.role)}{partners}): {esc(r.text)}{cite(r.reference)}</li>")
    if not handout.responsibilities:
        out.append("<li>Không có.</li>")
    out.append("</ul><h3>3. Câu hỏi ôn tập</h3><ol>")
    for q in handout.questions:
        out.append(f"<li>{esc(q.text)}<div>Đáp án: <strong>{esc(q.answer)}</strong></div>{cite(q.reference)}</li>")
    if not handout.questions:
        out.append("<li>Chưa có.</li>")
    out.append("</ol><h3>4. Trích đoạn văn bản</h3>")
    current = None
    for g in handout.groups:
        if g.doc_id != current:
            current = g.doc_id
            head = g.doc_label if g.doc_label == g.doc_title else f"{g.doc_label} — {g.doc_title}"
            out.append(f'<h4 class="hd-doc-group">{esc(head)}</h4>')
        out.append(f'<div class="hd-section">{esc(g.section or "Phần mở đầu")}</div>')
        for it in g.items:
            out.append(f'<div class="hd-card"><div class="hd-excerpt">{esc(it.text)}</div>{cite(it.reference)}</div>')
    out.append("</div>")
    return "".join(out)
