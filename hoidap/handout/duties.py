"""Who does what: the agency that leads (chủ trì) a task and who supports it (phối hợp).

Read from sentences ("Sở Thông tin và Truyền thông: Chủ trì, phối hợp với các sở,
ngành, địa phương triển khai Kế hoạch", "Giao Sở … chủ trì …", bullets under an item
titled with an agency) and from task tables in an appendix, which the readers
emit either as "Nhiệm vụ: …; Cơ quan chủ trì: …; Cơ quan phối hợp: …" or as
cells "1 | … | … | …" under a header row. Regular expressions over this fixed
administrative phrasing (no library parses it), tested sentence by sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from hoidap.handout.model import HandoutItem
from hoidap.handout.targets import same_target
from hoidap.handout.units import ENUM, sentences_of, strip_marker
from indexer import text as vtext

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
LEAD_RE = re.compile(r"(?<!\w)chủ trì(?!\w)", re.IGNORECASE)
COORD_RE = re.compile(r"(?<!\w)phối hợp(?!\w)", re.IGNORECASE)


def _clean_agency(agency: str) -> str:
    agency = ENUM.sub("", agency).strip(" ,;:-")
    agency = re.sub(r"^(?:Giao|Đề nghị|Yêu cầu|Giao cho)\s+", "", agency)
    return agency[:1].upper() + agency[1:] if agency else agency


def responsibility_of(sentence: str, section_path: Sequence[str] = ()) -> tuple[str, str, str] | None:
    """(agency, role, partners) if ``sentence`` assigns a task to a named agency, else None.

    Roles: "chủ trì" (leads), "phối hợp" (coordinates), "thực hiện" (does).
    The agency is the subject: at the start of the sentence ("Sở Tài chính: Cân
    đối …", "Giao Sở … chủ trì"), right before "chủ trì", or, for a bullet under
    an item titled with an agency ("1. Sở Thông tin và Truyền thông"), that agency.
    """
    body = ENUM.sub("", sentence).strip()
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
        title = strip_marker(section_path[-1])
        if re.match(_AGENCY_HEAD, title) and sentence.lstrip()[:1] in "-+•":
            agency = title
    if not agency:
        return None
    agency = _clean_agency(agency)
    lead = LEAD_RE.search(body)
    coord = COORD_RE.search(body)
    role = "chủ trì" if lead else ("phối hợp" if coord else "thực hiện")
    partners = ""
    pm = _PARTNERS.search(body)
    if pm:
        partners = pm.group("who").strip(" ,")
    return agency, role, partners


_ROW_FIELD = re.compile(r"(?P<name>[^:;|]{2,40}?):\s*(?P<value>[^;|]*)")
_TASK_COLUMN = re.compile(r"nhiệm vụ|nội dung|công việc|tên (?:nhiệm vụ|đề án|dự án)", re.IGNORECASE)
_LEAD_COLUMN = re.compile(r"chủ trì", re.IGNORECASE)
_SUPPORT_COLUMN = re.compile(r"phối hợp", re.IGNORECASE)
_TIME_COLUMN = re.compile(r"thời gian|thời hạn|tiến độ", re.IGNORECASE)


@dataclass
class TaskRow:
    """One row of a task table: the task, who leads, who supports, by when (verbatim cells)."""

    task: str
    lead: str
    supports: str = ""
    deadline: str = ""


def _columns(names: Sequence[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, name in enumerate(names):
        for key, pattern in (("lead", _LEAD_COLUMN), ("supports", _SUPPORT_COLUMN), ("deadline", _TIME_COLUMN)):
            if key not in cols and pattern.search(name):
                cols[key] = i
                break
        else:
            if "task" not in cols and _TASK_COLUMN.search(name):
                cols["task"] = i
    return cols if "task" in cols and "lead" in cols else {}


def _row(cells: Sequence[str], cols: dict[str, int]) -> TaskRow | None:
    def cell(key: str) -> str:
        i = cols.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    task, lead = cell("task"), cell("lead")
    if not task or not lead or _TASK_COLUMN.fullmatch(task.strip()):
        return None
    return TaskRow(task, lead, cell("supports"), cell("deadline"))


def _header_above(doc_text: str, before: int) -> list[str]:
    """Cells of the nearest table header row ("TT | Nhiệm vụ | Cơ quan chủ trì | …") above an offset."""
    for line in reversed(doc_text[:before].split("\n")[-200:]):
        if "|" in line and _LEAD_COLUMN.search(line) and _TASK_COLUMN.search(line):
            return [c.strip() for c in line.split("|")]
    return []


def table_row(hit: Any) -> TaskRow | None:
    """The task row a paragraph holds, in either form the readers emit, else None."""
    line = hit.passage.text.strip()
    if "|" in line:
        cells = [c.strip() for c in line.split("|")]
        if _columns(cells):  # the header row itself
            return None
        cols = _columns(_header_above(hit.document.text, hit.passage.start))
        return _row(cells, cols) if cols else None
    fields = [(m.group("name").strip(), m.group("value").strip()) for m in _ROW_FIELD.finditer(line)]
    if len(fields) < 2:
        return None
    cols = _columns([n for n, _ in fields])
    return _row([v for _, v in fields], cols) if cols else None


def task_of(sentence: str, agency: str) -> str:
    """What the agency is to do: the sentence after the agency and "chủ trì, phối hợp với …"."""
    body = ENUM.sub("", sentence).strip()
    i = body.find(agency)
    rest = body[i + len(agency) :] if i >= 0 else body
    rest = re.sub(r"^\s*:?\s*(?:có trách nhiệm|chịu trách nhiệm)?\s*", "", rest)
    rest = re.sub(r"^(?:[Cc]hủ trì)(?:,\s*|\s+)", "", rest)
    pm = _PARTNERS.match(rest)
    if pm:
        rest = rest[pm.end("who") :]
    return rest.strip(" ,:;.") or body.strip(" .;")


def _item(key: str, hit: Any, text: str, reference: str, **fields: Any) -> HandoutItem:
    return HandoutItem(
        key=key,
        kind="responsibility",
        text=text,
        reference=reference,
        doc_id=hit.passage.doc_id,
        section=hit.passage.section,
        passage_id=hit.passage.passage_id,
        **fields,
    )


def extract_responsibilities(
    paragraphs: Sequence[Any], reference_of: Callable[[Any], str]
) -> list[HandoutItem]:
    """Responsibilities of the paragraphs in document order, from sentences and task-table rows."""
    out: list[HandoutItem] = []
    seen: set[str] = set()
    for hit in paragraphs:
        row = table_row(hit)
        if row is not None:
            out.append(
                _item(f"r{len(out) + 1}", hit, row.task, reference_of(hit), agency=row.lead, role="chủ trì",
                      partners=row.supports, task=row.task, deadline=row.deadline)
            )
            continue
        for s in sentences_of([hit]):
            key = vtext.fold(" ".join(s.text.split()))
            if key in seen:
                continue
            seen.add(key)
            found = responsibility_of(s.text, hit.passage.section_path)
            if found:
                agency, role, partners = found
                item = _item(f"r{len(out) + 1}", hit, s.text, reference_of(hit), agency=agency, role=role,
                             partners=partners, task=task_of(s.text, agency))
                twin = next((r for r in out if r.agency == agency and same_target(r.task, item.task)), None)
                if twin is None:
                    out.append(item)
                elif item.reference not in twin.references():
                    twin.also.append(item.reference)
    return out
