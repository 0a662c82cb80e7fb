"""What a file really is, by its first bytes, and how much it may inflate to.

The type is checked by content, not extension; zip archives (.docx) are
inspected on their directory before anything is decompressed.
"""
from __future__ import annotations

import re
import zipfile

from indexer.readers.errors import LoadError

MiB = 1024 * 1024
MAX_BYTES = 50 * MiB

#: Zip-bomb limits for .docx, checked on the archive's directory before anything is inflated.
ZIP_MAX_TOTAL = 200 * MiB  # total uncompressed size of all members
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for members larger than ZIP_RATIO_MIN_SIZE
ZIP_RATIO_MIN_SIZE = 1 * MiB
ZIP_MAX_MEMBERS = 10_000

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "zip", "tệp nén ZIP hoặc tài liệu Office"),
    (b"PK\x05\x06", "zip", "tệp nén ZIP hoặc tài liệu Office"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", "tệp Word 97-2003 (.doc) hoặc Excel cũ; hãy mở bằng Word và lưu lại dưới dạng .docx"),
    (b"\x89PNG\r\n\x1a\n", "png", "ảnh PNG; nếu là văn bản quét thì cần nhận dạng ký tự (OCR)"),
    (b"\xff\xd8\xff", "jpeg", "ảnh JPEG; nếu là văn bản quét thì cần nhận dạng ký tự (OCR)"),
    (b"GIF8", "gif", "ảnh GIF"),
    (b"II*\x00", "tiff", "ảnh TIFF; nếu là văn bản quét thì cần nhận dạng ký tự (OCR)"),
    (b"MM\x00*", "tiff", "ảnh TIFF; nếu là văn bản quét thì cần nhận dạng ký tự (OCR)"),
    (b"{\\rtf", "rtf", "tệp RTF; hãy mở bằng Word và lưu lại dưới dạng .docx"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, Vietnamese description) of a recognised binary format at the start of ``data``."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf", "tệp PDF"
    for magic, kind, description in _MAGIC:
        if data.startswith(magic):
            return kind, description
    return None


def mismatch(data: bytes, expected: str) -> LoadError | None:
    found = sniff(data)
    if found and found[0] != expected:
        return LoadError("type_mismatch", actual=found[0], actual_vi=found[1])
    return None


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse archives whose directory promises more than we are willing to inflate.

    Python's zipfile never yields more than a member's declared size, so the
    declared sizes checked here bound what python-docx can make us decompress.
    """
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise LoadError("zip_bomb", f"{len(infos)} members")
    total = sum(info.file_size for info in infos)
    if total > ZIP_MAX_TOTAL:
        raise LoadError("zip_bomb", f"{total} bytes uncompressed")
    for info in infos:
        if info.file_size > ZIP_RATIO_MIN_SIZE and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise LoadError(
                "zip_bomb", f"{info.filename}: {info.file_size} bytes from {info.compress_size}"
            )


def safe_name(filename: str) -> str:
    """An upload's name as a relative posix path: no drive, no "..", no leading "/"."""
    parts = [p for p in filename.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    return "/".join(parts) or "document"


def human_size(n: int) -> str:
    return f"{n / MiB:.0f} MiB" if n >= MiB else f"{n} bytes"
