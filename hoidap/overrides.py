"""An administrator sets or overrides a document's status and relations (its sidecar file).

Validity is often decided outside the text, so the Tài liệu tab lets an administrator
state it: status and reason, period, effective date, and the số hiệu of documents it
replaces, is replaced by, is followed by (newer), is based on or implements. What they
type is checked here, before anything is written: an unknown status, a malformed số
hiệu, period or date is refused with a Vietnamese message and the existing sidecar is
left as it was. The checked values become ``ten_tep.meta.json`` beside the document
(:func:`indexer.relations.sidecar.write_sidecar`, format in docs/relations.md); the
next build re-indexes that document only, because the sidecar is hashed with it.

No gradio here: :class:`hoidap.engine.Engine` exposes it, the web tab is a thin layer.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from hoidap.admin import AdminError, corpus_path
from indexer.metadata.names import normalize_number
from indexer.metadata.vocabulary import REF_NUMBER_RE
from indexer.relations.sidecar import SidecarError, parse_sidecar, read_sidecar_bytes, write_sidecar
from indexer.relations.validity import STATUS_VI

#: Sidecar keys holding lists of số hiệu, and how the form names them.
NUMBER_FIELDS_VI = {
    "replaces": "Thay thế",
    "replaced_by": "Bị thay thế bởi",
    "newer": "Văn bản mới hơn",
    "based_on": "Căn cứ",
    "implements": "Thực hiện",
}
MAX_REASON_CHARS = 500
_PERIOD_RE = re.compile(r"^(?:(?P<a>\d{4})\s*[-–—]\s*)?(?P<b>\d{4})$")
_DATE_VN_RE = re.compile(r"^(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})$")
_LIST_SPLIT_RE = re.compile(r"[,;\n]+")


@dataclass
class RelationsForm:
    """What the administrator typed; every field may be empty ("" status = as the text says)."""

    status: str = ""
    reason: str = ""
    period: str = ""  # "2023-2025" or "2025"
    effective: str = ""  # "01/7/2024" or "2024-07-01"
    replaces: str = ""  # số hiệu separated by "," ";" or new lines
    replaced_by: str = ""
    newer: str = ""
    based_on: str = ""
    implements: str = ""

    @classmethod
    def from_overrides(cls, overrides: dict) -> "RelationsForm":
        """A sidecar's values as the form shows them (lists one per line, dates as written in Vietnam)."""
        values = {f.name: overrides.get(f.name, "") for f in fields(cls)}
        for key in NUMBER_FIELDS_VI:
            values[key] = "\n".join(overrides.get(key, []))
        if values["effective"]:
            try:
                d = _dt.date.fromisoformat(values["effective"])
                values["effective"] = f"{d.day:02d}/{d.month:02d}/{d.year}"
            except ValueError:
                pass
        return cls(**values)

    def to_overrides(self) -> dict:
        """The checked sidecar values; :class:`AdminError` (Vietnamese) for the first bad field."""
        out: dict = {
            "status": check_status(self.status),
            "reason": " ".join(self.reason.split()),
            "period": check_period(self.period),
            "effective": check_date(self.effective),
        }
        if len(out["reason"]) > MAX_REASON_CHARS:
            raise AdminError(f"Lý do dài quá {MAX_REASON_CHARS} ký tự.", "bad_reason")
        for key, label in NUMBER_FIELDS_VI.items():
            out[key] = check_numbers(getattr(self, key), label)
        return {k: v for k, v in out.items() if v}


def check_status(raw: str) -> str:
    """A status code, from the code or its Vietnamese name ("Hết hiệu lực"); "" = as the text says."""
    value = (raw or "").strip()
    if not value:
        return ""
    by_name = {name.lower(): code for code, name in STATUS_VI.items()}
    code = value if value in STATUS_VI else by_name.get(value.lower(), "")
    if not code:
        allowed = ", ".join(STATUS_VI.values())
        raise AdminError(f"Trạng thái “{value}” không hợp lệ; chọn một trong: {allowed}.", "bad_status")
    return code


def check_period(raw: str) -> str:
    """"2023 - 2025" -> "2023-2025"; "2025" stays (an end year)."""
    value = (raw or "").strip()
    if not value:
        return ""
    m = _PERIOD_RE.match(value)
    if not m or (m.group("a") and int(m.group("a")) > int(m.group("b"))):
        raise AdminError(f"Giai đoạn “{value}” không đúng dạng; ví dụ: 2023-2025 hoặc 2025.", "bad_period")
    return f"{m.group('a')}-{m.group('b')}" if m.group("a") else m.group("b")


def check_date(raw: str) -> str:
    """"01/7/2024" or "2024-07-01" -> "2024-07-01"."""
    value = (raw or "").strip()
    if not value:
        return ""
    m = _DATE_VN_RE.match(value)
    try:
        if m:
            return _dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise AdminError(f"Ngày “{value}” không hợp lệ; ví dụ: 01/7/2024.", "bad_date")


def check_numbers(raw: str, label: str) -> list[str]:
    """Số hiệu separated by "," ";" or new lines, each whole ("178/KH-UBND", "06-NQ/TU")."""
    out: list[str] = []
    for part in _LIST_SPLIT_RE.split(raw or ""):
        value = " ".join(part.split())
        if not value:
            continue
        m = REF_NUMBER_RE.fullmatch(value)
        if m is None:
            raise AdminError(
                f"{label}: số hiệu “{value}” không đúng dạng; ví dụ: 178/KH-UBND, 06-NQ/TU.", "bad_number"
            )
        out.append(normalize_number(m.group("num")))
    return list(dict.fromkeys(out))


def read_overrides(corpus_dir: Path, source: str) -> dict:
    """The checked sidecar of the corpus file ``source`` ({} when none; a broken one raises)."""
    document = corpus_path(Path(corpus_dir), source)
    raw = read_sidecar_bytes(document)
    if not raw:
        return {}
    try:
        return parse_sidecar(raw, source)
    except SidecarError as exc:
        raise AdminError(exc.message_vi, "bad_sidecar") from None


def save_overrides(corpus_dir: Path, source: str, form: RelationsForm) -> Path:
    """Check ``form`` and write (or, all empty, delete) the sidecar of ``source``; nothing written on error."""
    overrides = form.to_overrides()
    document = corpus_path(Path(corpus_dir), source)
    if not document.is_file():
        raise AdminError(f"Không tìm thấy tệp “{source}” trong thư mục tài liệu.", "not_found")
    return write_sidecar(document, overrides)


def form_values(form: RelationsForm) -> list[str]:
    """The form's fields in declaration order (the web tab's component order)."""
    return list(asdict(form).values())
