"""An administrator's sidecar file: status, period and relations the text does not state.

Validity is often decided outside the document (a later decision repeals it, a
plan is superseded without saying so), so ``ten_tep.meta.json`` beside
``ten_tep.docx`` may set or override what the text gives::

    {
      "status": "het_hieu_luc",            # con_hieu_luc | het_thoi_ky | bi_thay_the | het_hieu_luc | chua_hieu_luc
      "reason": "Bị thay thế bởi Quyết định số 176/QĐ-UBND từ ngày 01/02/2024.",
      "period": "2023-2025",               # or "2025" (an end year)
      "effective": "2023-09-15",
      "replaces": ["1245/QĐ-UBND"],        # số hiệu of documents this one replaces
      "replaced_by": ["176/QĐ-UBND"],
      "newer": ["178/KH-UBND"],            # newer documents on the same subject
      "based_on": ["749/QĐ-TTg"],          # added to the parsed "Căn cứ" list
      "implements": ["178/KH-UBND"]        # added to the parsed "Thực hiện" list
    }

Every key is optional. The build hashes the sidecar with the document's bytes, so
editing it re-indexes that document. JSON, not TOML: the web app writes it back
with the standard library.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from indexer.errors import HoidapError
from indexer.relations.validity import STATUS_VI

log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".meta.json"
STATUSES = tuple(STATUS_VI)
_TEXT_KEYS = ("status", "reason", "period", "effective")
_LIST_KEYS = ("replaces", "replaced_by", "newer", "based_on", "implements")


class SidecarError(HoidapError):
    """A sidecar file that cannot be used (bad JSON, unknown key or status)."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(
            f"{path}: {detail}", message_vi=f"Tệp thông tin bổ sung “{Path(path).name}” không hợp lệ: {detail}"
        )


def sidecar_path(document_path: Path) -> Path:
    """``ten_tep.docx`` -> ``ten_tep.meta.json`` (same folder)."""
    return document_path.with_name(document_path.stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def read_sidecar_bytes(document_path: Path) -> bytes:
    """The sidecar's bytes (b"" when there is none), hashed with the document's."""
    try:
        return sidecar_path(document_path).read_bytes()
    except FileNotFoundError:
        return b""


def sidecar_overrides(raw: bytes, source: str) -> dict:
    """Overrides from a sidecar's bytes; a broken sidecar is logged and ignored (the document still counts)."""
    if not raw:
        return {}
    try:
        return parse_sidecar(raw, source + SIDECAR_SUFFIX)
    except SidecarError as exc:
        log.warning("%s", exc)
        return {}


def parse_sidecar(raw: bytes, path: str = "") -> dict:
    """The checked overrides of a sidecar's bytes (text values stripped, lists of số hiệu)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SidecarError(path, f"không đọc được JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise SidecarError(path, "cần một đối tượng JSON")
    unknown = set(data) - set(_TEXT_KEYS) - set(_LIST_KEYS)
    if unknown:
        raise SidecarError(path, f"khóa không hỗ trợ: {', '.join(sorted(unknown))}")
    out: dict = {}
    for key in _TEXT_KEYS:
        if key in data:
            out[key] = str(data[key]).strip()
    for key in _LIST_KEYS:
        if key in data:
            values = data[key] if isinstance(data[key], list) else [data[key]]
            out[key] = [str(v).strip() for v in values if str(v).strip()]
    if out.get("status") and out["status"] not in STATUSES:
        raise SidecarError(path, f"trạng thái “{out['status']}” không thuộc {', '.join(STATUSES)}")
    return out


def write_sidecar(document_path: Path, overrides: dict) -> Path:
    """Write (or, with no overrides, delete) the sidecar of ``document_path``; checked first."""
    path = sidecar_path(document_path)
    clean = parse_sidecar(json.dumps(overrides).encode("utf-8"), str(path))
    clean = {k: v for k, v in clean.items() if v}
    if not clean:
        path.unlink(missing_ok=True)
        return path
    tmp = path.with_name(f".{path.name}.tmp")  # whole or not at all: a crash never leaves half a file
    tmp.write_text(json.dumps(clean, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
