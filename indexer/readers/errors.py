"""Why a file cannot be indexed: :class:`LoadError` and its message table.

One reason code per refusal, each with an English message for the logs and a
polite Vietnamese one for the person who uploaded the file.
"""
from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from indexer.errors import HoidapError

_MESSAGES: dict[str, tuple[str, str]] = {
    # reason: (English for logs, Vietnamese for users); {name} is the file name.
    "empty": (
        "file is empty or whitespace only",
        "Tệp “{name}” trống hoặc chỉ có khoảng trắng, không có nội dung để lập chỉ mục.",
    ),
    "too_large": (
        "file is larger than the limit of {limit}",
        "Tệp “{name}” quá lớn (giới hạn là {limit}). Vui lòng tách tệp thành các phần nhỏ hơn "
        "hoặc liên hệ quản trị viên.",
    ),
    "unsupported_type": (
        "unsupported file type",
        "Định dạng của tệp “{name}” chưa được hỗ trợ. Các định dạng được hỗ trợ: "
        ".txt, .md, .docx, .pdf, .html, .htm.",
    ),
    "type_mismatch": (
        "content does not match the extension (looks like {actual})",
        "Nội dung tệp “{name}” không khớp với phần mở rộng của tệp (có vẻ là {actual_vi}). "
        "Vui lòng lưu lại đúng định dạng rồi tải lên lại.",
    ),
    "binary": (
        "binary data where text was expected",
        "Tệp “{name}” không phải là văn bản thuần (có chứa dữ liệu nhị phân). "
        "Vui lòng kiểm tra lại tệp.",
    ),
    "bad_encoding": (
        "cannot determine the character encoding",
        "Không nhận dạng được bảng mã ký tự của tệp “{name}”. "
        "Vui lòng lưu lại tệp với bảng mã Unicode (UTF-8) rồi tải lên lại.",
    ),
    "legacy_font_unconvertible": (
        "looks like a legacy Vietnamese font encoding (TCVN3/VNI) but which one is ambiguous",
        "Tệp “{name}” có vẻ được gõ bằng phông chữ cũ (TCVN3/ABC hoặc VNI) nhưng không xác định "
        "chắc chắn được bảng mã. Vui lòng chuyển tệp sang Unicode (ví dụ bằng chức năng chuyển mã "
        "của Unikey) rồi tải lên lại.",
    ),
    "encrypted_pdf": (
        "PDF is encrypted and cannot be opened without a password",
        "Tệp PDF “{name}” được bảo vệ bằng mật khẩu nên không đọc được nội dung. "
        "Vui lòng gỡ mật khẩu rồi tải lên lại.",
    ),
    "scanned_pdf": (
        "PDF has no text layer (scanned?); OCR is needed",
        "Tệp PDF “{name}” không có lớp văn bản (có thể là bản quét); cần nhận dạng ký tự (OCR) "
        "trước khi lập chỉ mục.",
    ),
    "corrupt_pdf": (
        "not a readable PDF",
        "Tệp PDF “{name}” bị hỏng hoặc không đúng định dạng PDF nên không đọc được.",
    ),
    "corrupt_docx": (
        "not a readable .docx",
        "Tệp Word “{name}” bị hỏng hoặc không đúng định dạng .docx nên không đọc được.",
    ),
    "zip_bomb": (
        "archive would inflate beyond safe limits (zip bomb?)",
        "Tệp “{name}” có cấu trúc nén bất thường (dung lượng sau giải nén quá lớn) nên đã bị "
        "từ chối vì lý do an toàn.",
    ),
    "unreadable": (
        "cannot read the file",
        "Không đọc được tệp “{name}” (lỗi truy cập tệp).",
    ),
}

#: Every reason a load can fail for.
REASONS: tuple[str, ...] = tuple(_MESSAGES)


class LoadError(HoidapError):
    """A file that cannot be indexed: ``reason`` for code, ``message_vi`` for users, ``str()`` for logs."""

    def __init__(self, reason: str, detail: str = "", *, source: str = "", **params: Any):
        if reason not in _MESSAGES:
            raise ValueError(f"unknown LoadError reason {reason!r}")
        self.reason = reason
        self.detail = detail
        self.source = source
        self.params = params
        english, vietnamese = _MESSAGES[reason]
        name = PurePosixPath(source).name if source else "này"
        fmt = {"limit": "", "actual": "another format", "actual_vi": "định dạng khác", **params}
        self.message_vi = vietnamese.format(name=name, **fmt)
        if not source:
            self.message_vi = self.message_vi.replace("“này”", "này")
        message = english.format(**fmt) + (f": {detail}" if detail else "")
        super().__init__(f"{source}: {message}" if source else message)

    def with_source(self, source: str) -> "LoadError":
        return LoadError(self.reason, self.detail, source=source, **self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        # picklable, so a process pool can hand refusals back to the parent
        return (_rebuild_load_error, (self.reason, self.detail, self.source, self.params))


def _rebuild_load_error(reason: str, detail: str, source: str, params: dict[str, Any]) -> LoadError:
    return LoadError(reason, detail, source=source, **params)
