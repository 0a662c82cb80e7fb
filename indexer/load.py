"""Turn source files (or uploaded bytes) into :class:`Document` records.

Everything users can drop into the corpus or upload passes through here, so the
loader trusts nothing: the type is checked by content, not extension; text
encodings (UTF-8/16, Windows-1258, legacy TCVN3/VNI fonts) are detected rather
than assumed; zip archives are inspected before they are opened; and every
refusal is a :class:`LoadError` with a polite Vietnamese message for the user and
an English one for the logs. The text that comes out is NFC, and it is the text
passage offsets point into.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from indexer import legacy
from indexer.errors import HoidapError
from indexer.metadata import extract_metadata
from indexer.types import Document

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
MiB = 1024 * 1024
MAX_BYTES = 50 * MiB

#: Zip-bomb limits for .docx, checked on the archive's directory before anything is inflated.
ZIP_MAX_TOTAL = 200 * MiB  # total uncompressed size of all members
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for members larger than ZIP_RATIO_MIN_SIZE
ZIP_RATIO_MIN_SIZE = 1 * MiB
ZIP_MAX_MEMBERS = 10_000

#: A PDF with fewer visible characters than this per page is treated as scanned.
SCANNED_CHARS_PER_PAGE = 10
#: Share of control bytes above which "text" is taken to be binary data.
MAX_CONTROL_SHARE = 0.05
#: A cp1252 reading with more non-ASCII characters than this is not Western text.
MAX_NON_ASCII_SHARE = 0.3

# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------
# Content sniffing
# --------------------------------------------------------------------------------------

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


def _mismatch(data: bytes, expected: str) -> LoadError | None:
    found = sniff(data)
    if found and found[0] != expected:
        return LoadError("type_mismatch", actual=found[0], actual_vi=found[1])
    return None


# --------------------------------------------------------------------------------------
# Text decoding
# --------------------------------------------------------------------------------------


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that cp1252/cp1258 leave undefined as their latin-1 characters."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("hoidap.latin1", _latin1_fallback)

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control codes: data no text editor wrote."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > MAX_CONTROL_SHARE * len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when every other byte is mostly NUL (ASCII and Latin in UTF-16)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul >= 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul >= 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a plain-text file; raises LoadError("binary"/"bad_encoding"/...).

    Order: BOM; BOM-less UTF-16 by its NUL pattern; binary check; strict UTF-8;
    then the 8-bit readings (Windows-1258, and cp1252 read as-is, as TCVN3 or as
    VNI) compared by how much of the text becomes valid Vietnamese.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise LoadError("bad_encoding", f"invalid {encoding}: {exc}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        if text and not _looks_binary(text.encode("utf-8")):
            return text, utf16
    if _looks_binary(data):
        raise LoadError("binary")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Readings are compared on a leading sample; only the winner is applied to the whole file.
    sample = data
    if len(data) > legacy.SAMPLE_CHARS:
        cut = data.rfind(b"\n", 0, legacy.SAMPLE_CHARS)
        sample = data[: cut if cut > legacy.SAMPLE_CHARS // 2 else legacy.SAMPLE_CHARS]
    try:
        chosen = legacy.choose_reading({name: read(sample) for name, read in _EIGHT_BIT_READINGS.items()})
    except legacy.AmbiguousEncoding as exc:
        if set(exc.best_names) & {"tcvn3", "vni"}:
            raise LoadError("legacy_font_unconvertible", str(exc)) from None
        raise LoadError("bad_encoding", str(exc)) from None
    if chosen.name == "cp1252" and not _plausible_western(chosen.text):
        raise LoadError("bad_encoding", "not UTF-8, and no 8-bit reading looks like text")
    text = chosen.text if sample is data else _EIGHT_BIT_READINGS[chosen.name](data)
    return text, chosen.name


def _cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors="hoidap.latin1")


#: The ways to read 8-bit Vietnamese-or-not text; the first is the default.
_EIGHT_BIT_READINGS = {
    "cp1252": _cp1252,
    "cp1258": lambda data: unicodedata.normalize("NFC", data.decode("cp1258", errors="hoidap.latin1")),
    "tcvn3": lambda data: legacy.tcvn3_to_unicode(_cp1252(data)),
    "vni": lambda data: legacy.vni_to_unicode(_cp1252(data)),
}


def _plausible_western(text: str) -> bool:
    """Does a cp1252 reading look like Western European text (words of mostly ASCII letters)?

    Vietnamese 8-bit text that matched no reading, or a CJK/Cyrillic file read as
    cp1252, is made of words full of accented letters and symbols instead.
    """
    visible = [ch for ch in text if not ch.isspace()]
    foreign = sum(not ch.isascii() for ch in visible)
    if foreign > MAX_NON_ASCII_SHARE * len(visible):
        return False
    words = [w.strip(legacy._STRIP) for w in text.split() if not w.isascii()]
    words = [w for w in words if w and not w.isascii()]
    if len(words) < legacy.MIN_WORDS:
        return True
    good = 0
    for word in words:
        ascii_letters = sum(ch.isascii() and ch.isalpha() for ch in word)
        good += word.isalpha() and ascii_letters * 2 >= len(word)
    return good >= legacy.MIN_VALID_SHARE * len(words)


def _fix_legacy(text: str) -> str:
    """Convert legacy-font passages of already-decoded text; refuse rather than guess."""
    try:
        return legacy.fix_legacy_text(text).text
    except legacy.AmbiguousEncoding as exc:
        raise LoadError("legacy_font_unconvertible", str(exc)) from None


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------

# (regexes rather than str.translate with a dict: several times faster on megabytes of text)
_SPACES = re.compile("[\u00a0\u2007\u202f\u3000]")
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f]")
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
# A combining mark separated from its letter by a space: "Tha ̀nh" from some PDF text layers.
_DETACHED_MARK = re.compile(r"(?<=\w)[ \t]+(?=[\u0300-\u036f])")


def tidy(text: str, *, collapse_spaces: bool = False) -> str:
    """NFC, unified line ends and spaces, no invisible characters, no runs of blank lines.

    ``collapse_spaces`` also squeezes runs of spaces inside lines (PDF and HTML,
    where they are layout, not content; Markdown keeps its indentation).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _SPACES.sub(" ", text)
    text = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text)
    text = _INVISIBLE.sub("", text)
    text = _DETACHED_MARK.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    if collapse_spaces:
        lines = [re.sub(r"(?<=\S) {2,}", " ", line) for line in lines]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n").rstrip()


# --------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------


def _load_plain(data: bytes) -> str:
    mismatch = _mismatch(data, "text")
    if mismatch:
        raise mismatch
    text, encoding = decode_text(data)
    log.debug("decoded as %s", encoding)
    if encoding not in ("tcvn3", "vni", "cp1252", "cp1258"):
        text = _fix_legacy(text)
    return tidy(text)


def _check_zip(archive: zipfile.ZipFile) -> None:
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


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _fonts_of(element: Any) -> str | None:
    """The font an rPr-holding element sets for non-ASCII text (w:hAnsi, else w:ascii)."""
    if element is None:
        return None
    rfonts = element.find(f"{_W}rPr/{_W}rFonts")
    if rfonts is None:
        return None
    return rfonts.get(f"{_W}hAnsi") or rfonts.get(f"{_W}ascii")


def _style_font(style: Any) -> str | None:
    seen = 0
    while style is not None and seen < 20:
        font = _fonts_of(style.element)
        if font:
            return font
        style, seen = style.base_style, seen + 1
    return None


def _paragraph_text(paragraph: Any, default_font: str | None) -> str:
    """Paragraph text, with runs in a legacy font (.VnTime, VNI-Times) converted by that font.

    The font is the run's own, else its character style's, else the paragraph
    style's, else the document default: where Word itself would look.
    """
    from docx.text.hyperlink import Hyperlink

    para_font = _style_font(paragraph.style) if paragraph.style is not None else None
    segments: list[tuple[str, str | None]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            font = _fonts_of(run._r) or (_style_font(run.style) if run.style is not None else None)
            font = font or para_font or default_font
            encoding = legacy.font_encoding(font)
            if encoding == "tcvn3" and font and font.strip().lower().endswith("h"):
                encoding = "tcvn3h"
            if segments and segments[-1][1] == encoding:
                segments[-1] = (segments[-1][0] + run.text, encoding)
            else:
                segments.append((run.text, encoding))
    if not any(enc for _, enc in segments):
        return paragraph.text
    out = []
    for text, encoding in segments:
        if encoding == "tcvn3h":
            out.append(legacy.tcvn3_to_unicode(text).upper())
        elif encoding:
            out.append(legacy.CONVERTERS[encoding](text))
        else:
            out.append(text)
    return "".join(out)


def _docx_blocks(container: Any, default_font: str | None, seen: set[Any]) -> list[str]:
    """Lines of a body or table cell, in document order; tables row by row.

    A row of single-paragraph cells becomes one line "a | b | c", so a data row
    keeps its meaning; rows with multi-paragraph cells (header blocks) give one
    line per paragraph. Merged cells, which python-docx repeats, are read once.
    """
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    if cell._tc in seen:  # the element itself: ids of lxml proxies get reused
                        continue
                    seen.add(cell._tc)
                    cells.append(_docx_blocks(cell, default_font, seen))
                non_empty = [c for c in cells if c]
                if non_empty and all(len(c) == 1 for c in non_empty):
                    lines.append(" | ".join(c[0] for c in non_empty))
                else:
                    for c in non_empty:
                        lines.extend(c)
        else:
            text = _paragraph_text(block, default_font)
            if text.strip():
                lines.append(text)
    return lines


def _load_docx(data: bytes) -> str:
    mismatch = _mismatch(data, "zip")
    if mismatch:
        raise mismatch
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise LoadError("corrupt_docx", str(exc)) from None
    with archive:
        _check_zip(archive)
        if "word/document.xml" not in archive.namelist():
            raise LoadError("corrupt_docx", "no word/document.xml in the archive")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault")
        default_font = _fonts_of(defaults)
        lines = _docx_blocks(document, default_font, set())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, AttributeError) as exc:
        raise LoadError("corrupt_docx", f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # lxml syntax errors and other parser failures in a broken part
        if type(exc).__module__.startswith(("lxml", "docx", "zlib")) or isinstance(exc, (EOFError, OSError)):
            raise LoadError("corrupt_docx", f"{type(exc).__name__}: {exc}") from None
        raise
    return tidy(_fix_legacy("\n".join(lines)))


def _load_pdf(data: bytes) -> tuple[str, list[int]]:
    if b"%PDF-" not in data[:1024]:
        mismatch = _mismatch(data, "pdf")
        raise mismatch or LoadError("corrupt_pdf", "no %PDF header")
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise LoadError("encrypted_pdf", f"cannot decrypt: {exc}") from None
            if not opened:
                raise LoadError("encrypted_pdf")
        pages = list(reader.pages)
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError("encrypted_pdf") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise LoadError("corrupt_pdf", f"{type(exc).__name__}: {exc}") from None
    if not pages:
        raise LoadError("empty", "PDF has no pages")

    texts: list[str] = []
    failures = 0
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # one broken page must not lose the others
            log.warning("page %d: text extraction failed: %s", number, exc)
            texts.append("")
            failures += 1
    if failures == len(pages):
        raise LoadError("corrupt_pdf", "text extraction failed on every page")
    visible = sum(len("".join(t.split())) for t in texts)
    if visible < SCANNED_CHARS_PER_PAGE * len(pages):
        raise LoadError("scanned_pdf", f"{visible} characters on {len(pages)} pages")

    try:
        encoding = legacy.detect_legacy_encoding("\n".join(texts))
    except legacy.AmbiguousEncoding as exc:
        raise LoadError("legacy_font_unconvertible", str(exc)) from None
    if encoding:
        texts = [legacy.convert_legacy_lines(t, encoding)[0] for t in texts]
    texts = [tidy(t, collapse_spaces=True) for t in texts]
    starts: list[int] = []
    offset = 0
    for t in texts:
        starts.append(offset)
        offset += len(t) + 2
    return "\n\n".join(texts), starts


_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "nav"})
_PAGE_CHROME = frozenset({"header", "footer"})
_BLOCK_TAGS = frozenset(
    "p div section article main aside h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr "
    "blockquote pre figure figcaption dl dt dd address hr form fieldset details summary caption "
    "center body html title legend".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)


def _decode_html(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if _looks_binary(data):
        raise LoadError("binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _HTML_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codecs.lookup(name)
            return unicodedata.normalize("NFC", data.decode(name, errors="hoidap.latin1"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def _html_text(node: Any, out: list[str], in_content: bool, in_pre: bool) -> None:
    """Append the visible text under ``node``; block boundaries become newlines, cells tabs."""
    child = node.child
    while child is not None:
        if child.is_text_node:
            text = child.text_content or ""
            out.append(text if in_pre else re.sub(r"\s+", " ", text))
        elif child.is_element_node:
            tag = child.tag
            if tag in _DROP_TAGS or (tag in _PAGE_CHROME and not in_content):
                pass
            elif tag == "br":
                out.append("\n")
            else:
                block = tag in _BLOCK_TAGS
                if tag in _CELL_TAGS:
                    out.append("\t")
                elif block:
                    out.append("\n")
                _html_text(child, out, in_content or tag in ("article", "main"), in_pre or tag == "pre")
                if block:
                    out.append("\n")
        child = child.next


def _load_html(data: bytes) -> tuple[str, str]:
    """(text, title) of a web page: the first <h1>, else <title>, is the title."""
    mismatch = _mismatch(data, "html")
    if mismatch:
        raise mismatch
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode_html(data))
    title = ""
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None:
            title = re.sub(r"\s+", " ", node.text(deep=True)).strip()
            if title:
                break
    out: list[str] = []
    if tree.body is not None:
        _html_text(tree.body, out, False, False)
    lines = []
    for line in "".join(out).split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        line = " | ".join(c for c in cells if c)
        if line:
            lines.append(line)
    text = tidy(_fix_legacy("\n".join(lines)), collapse_spaces=True)
    return text, unicodedata.normalize("NFC", title)[:300]


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def _safe_name(filename: str) -> str:
    """An upload's name as a relative posix path: no drive, no "..", no leading "/"."""
    parts = [p for p in filename.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    return "/".join(parts) or "document"


def _human_size(n: int) -> str:
    return f"{n / MiB:.0f} MiB" if n >= MiB else f"{n} bytes"


def load_bytes(
    data: bytes,
    filename: str,
    *,
    doc_id: str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Load a document from memory (the web app's upload path); ``filename`` decides the parser.

    ``doc_id`` defaults to the file name without its suffix and ``source`` to the
    file name. Raises :class:`LoadError` for anything that cannot be indexed.
    """
    name = _safe_name(filename)
    try:
        return _load(data, name, doc_id, source, max_bytes)
    except LoadError as exc:
        raise exc.with_source(source or name) from None


def _load(data: bytes, name: str, doc_id: str | None, source: str | None, max_bytes: int) -> Document:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError("unsupported_type", suffix or "no extension")
    if len(data) > max_bytes:
        raise LoadError("too_large", f"{len(data)} bytes", limit=_human_size(max_bytes))
    if not data.strip() or not data.replace(b"\x00", b"").strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf\xff\xfe"):
        raise LoadError("empty")

    page_starts: list[int] = []
    html_title = ""
    if suffix == ".pdf":
        text, page_starts = _load_pdf(data)
    elif suffix == ".docx":
        text = _load_docx(data)
    elif suffix in (".html", ".htm"):
        text, html_title = _load_html(data)
    else:
        text = _load_plain(data)
    if not text.strip():
        raise LoadError("empty", "no text after extraction")

    meta = extract_metadata(text, PurePosixPath(name).name)
    if html_title and meta.doc_type in ("", "Bài báo"):
        meta = replace(meta, title=html_title)
    return Document(
        doc_id=doc_id if doc_id is not None else str(PurePosixPath(name).with_suffix("")),
        source=source if source is not None else name,
        text=text,
        meta=meta,
        page_starts=page_starts,
        content_hash=hashlib.sha256(data).hexdigest(),
    )


def load_document(path: Path, root: Path | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Load one corpus file; ``doc_id``/``source`` are its path relative to ``root`` (posix).

    The size is checked before the file is read, so an oversized file costs nothing.
    """
    path = Path(path)
    rel = path.relative_to(root) if root is not None else Path(path.name)
    name = rel.as_posix()
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError("too_large", f"{size} bytes", source=name, limit=_human_size(max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError("unreadable", f"{type(exc).__name__}: {exc}", source=name) from None
    return load_bytes(data, name, doc_id=rel.with_suffix("").as_posix(), source=name, max_bytes=max_bytes)


def iter_corpus_files(root: Path) -> list[Path]:
    """Supported files under ``root``, recursively, sorted by relative path.

    Hidden files and folders (".git", ".hoidap", editor backups) and README*/LICENSE*
    files are skipped: they describe the corpus, they are not part of it.
    """
    root = Path(root)
    found: list[tuple[str, Path]] = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
            continue
        if path.name.upper().startswith(("README", "LICENSE")):
            continue
        found.append((rel.as_posix(), path))
    return [p for _, p in sorted(found)]

