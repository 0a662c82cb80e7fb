"""Corpus administration from the web app: gated uploads and deletions, background re-index.

Threat model: the app listens on a LAN in a government office. Anyone who can
open the page can ask questions; only someone holding HOIDAP_ADMIN_PASSWORD can
change the corpus. So:

* no password configured -> upload and delete are disabled (never "open");
* the password is compared with :func:`hmac.compare_digest` (constant time);
* a file is checked before it touches the corpus: size limit, supported type
  *by content* (``indexer.readers.load_bytes`` parses it fully), and a sanitised
  name that can only ever resolve to a file directly inside ``corpus_dir``;
* re-indexing runs in a background thread; readers keep the old index version
  until the writer swaps ``CURRENT`` atomically, so the chat keeps answering.
"""
from __future__ import annotations

import hmac
import logging
import os
import re
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable

from hoidap.validate import UserInputError
from indexer.errors import HoidapError

if TYPE_CHECKING:
    from hoidap.engine import Engine
    from indexer.build import BuildReport

log = logging.getLogger(__name__)

MiB = 1024 * 1024
MAX_NAME_CHARS = 120
DISABLED_VI = (
    "Chức năng tải lên và xóa tài liệu đang tắt vì máy chủ chưa đặt mật khẩu quản trị "
    "(biến môi trường HOIDAP_ADMIN_PASSWORD)."
)
WRONG_PASSWORD_VI = "Mật khẩu quản trị không đúng."
BUSY_VI = "Đang lập chỉ mục; vui lòng chờ lượt hiện tại hoàn tất rồi thử lại."
#: Seconds added after a wrong password: makes guessing slow without locking anyone out.
FAIL_DELAY = 0.5


class AdminError(UserInputError):
    """A refused admin action; ``message_vi`` is shown to the user."""

    def __init__(self, message_vi: str, reason: str = "refused") -> None:
        super().__init__(message_vi, reason)


# ------------------------------------------------------------------------- password
class AdminGate:
    """Who may change the corpus: holders of the configured password, nobody if none is set."""

    def __init__(self, password: str | None, fail_delay: float = FAIL_DELAY) -> None:
        self._password = (password or "").encode("utf-8")
        self.fail_delay = fail_delay

    @property
    def enabled(self) -> bool:
        return bool(self._password)

    def check(self, password: str | None) -> None:
        """Raise :class:`AdminError` unless ``password`` is the configured one."""
        if not self.enabled:
            raise AdminError(DISABLED_VI, "disabled")
        given = (password or "").encode("utf-8")
        if not hmac.compare_digest(given, self._password):
            log.warning("admin: wrong password")
            if self.fail_delay:
                time.sleep(self.fail_delay)
            raise AdminError(WRONG_PASSWORD_VI, "wrong_password")


# ------------------------------------------------------------------------ file names
_UNSAFE = re.compile(r"[^\w\s.()\-]", re.UNICODE)


def safe_filename(name: str | None) -> str:
    """A file name that can only land directly inside the corpus folder, still readable.

    Vietnamese letters and spaces are kept ("Kế hoạch 225.docx" stays as is);
    directories are dropped ("../../etc/passwd" -> "passwd", "C:\\x\\y.pdf" ->
    "y.pdf"); leading dots are removed so nothing becomes hidden (".env" ->
    "env"); other punctuation becomes "_"; the suffix is lowercased; very long
    names are shortened keeping the suffix. Never returns "", "." or "..".
    """
    raw = unicodedata.normalize("NFC", str(name or ""))
    raw = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C")
    base = re.split(r"[\\/]", raw)[-1]
    base = re.sub(r"^[A-Za-z]:", "", base)
    base = _UNSAFE.sub("_", base)
    base = " ".join(base.split())
    base = base.lstrip(". ").rstrip(". ")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" ._") or "tai-lieu"
    suffix = suffix.lower()
    if len(stem) > MAX_NAME_CHARS:
        stem = stem[:MAX_NAME_CHARS].rstrip(" ._")
    return f"{stem}.{suffix}" if suffix else stem


def corpus_path(corpus_dir: Path, relative: str) -> Path:
    """``corpus_dir / relative`` if it stays inside ``corpus_dir``, else :class:`AdminError`."""
    root = Path(corpus_dir).resolve()
    rel = PurePosixPath(str(relative).replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise AdminError("Tên tệp không hợp lệ.", "bad_path")
    target = (root / Path(*rel.parts)).resolve()
    if target != root and root not in target.parents:
        raise AdminError("Tên tệp không hợp lệ.", "bad_path")
    return target


# --------------------------------------------------------------------------- uploads
@dataclass
class CheckedUpload:
    """An upload that passed every check, ready to be stored."""

    name: str  # sanitised file name
    data: bytes
    title: str  # what the loader found, for the confirmation message
    doc_type: str = ""
    number: str = ""


def validate_upload(data: bytes, filename: str, max_mb: int) -> CheckedUpload:
    """Size, type (by content, via the real loader) and name checks; raises AdminError.

    The loader parses the whole file, so a PDF renamed to .txt, an image renamed
    to .pdf, a corrupt .docx or a zip bomb is refused here, before it is stored.
    """
    from indexer.readers import SUPPORTED_SUFFIXES, LoadError, load_bytes

    name = safe_filename(filename)
    limit = int(max_mb) * MiB
    if len(data) > limit:
        raise AdminError(f"Tệp “{name}” quá lớn ({_mb(len(data))} MB); giới hạn là {max_mb} MB.", "too_large")
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(SUPPORTED_SUFFIXES)
        raise AdminError(f"Không hỗ trợ loại tệp “{suffix or name}”. Các loại được nhận: {allowed}.", "unsupported_type")
    try:
        doc = load_bytes(data, name, max_bytes=limit)
    except LoadError as exc:
        log.info("upload refused: %s", exc)
        raise AdminError(exc.message_vi, getattr(exc, "reason", "load_error")) from None
    return CheckedUpload(name, data, doc.meta.title or name, doc.meta.doc_type, doc.meta.number)


def _mb(n: int) -> str:
    return f"{n / MiB:.1f}".replace(".", ",")


def store_upload(corpus_dir: Path, upload: CheckedUpload) -> Path:
    """Write the file into ``corpus_dir`` atomically; a different file with the same name
    is kept and the new one gets " (2)", " (3)" …; identical bytes are not stored twice."""
    root = Path(corpus_dir)
    root.mkdir(parents=True, exist_ok=True)
    target = corpus_path(root, upload.name)
    stem, suffix = target.stem, target.suffix
    n = 2
    while target.exists():
        if target.read_bytes() == upload.data:
            return target
        target = corpus_path(root, f"{stem} ({n}){suffix}")
        n += 1
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(upload.data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("stored upload %s (%d bytes)", target, len(upload.data))
    return target


def delete_source(corpus_dir: Path, source: str) -> Path:
    """Remove the corpus file an indexed document came from (``Document.source``)."""
    target = corpus_path(Path(corpus_dir), source)
    if not target.is_file():
        raise AdminError(f"Không tìm thấy tệp “{source}” trong thư mục tài liệu.", "not_found")
    target.unlink()
    log.info("deleted %s", target)
    return target


# --------------------------------------------------------------------- re-indexing
@dataclass
class IndexStatus:
    """A snapshot for the UI: what the background indexer is doing or last did."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    message: str = ""  # Vietnamese summary of the last run
    error: bool = False
    started: float = 0.0
    finished: float = 0.0
    runs: int = 0
    details: list[str] = field(default_factory=list)


STAGE_VI = {"load": "đọc tệp", "embed": "mã hóa đoạn văn", "write": "ghi chỉ mục", "query": "câu hỏi"}


class Reindexer:
    """Runs ``engine.index()`` in one background thread at a time.

    A request that arrives while a run is going sets a flag and the thread runs
    once more when it ends, so an upload during a long build is never lost.
    """

    def __init__(self, engine: Engine, on_done: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.on_done = on_done
        self._lock = threading.Lock()
        self._status = IndexStatus()
        self._again = False
        self._thread: threading.Thread | None = None

    def status(self) -> IndexStatus:
        with self._lock:
            s = self._status
            return IndexStatus(**{**s.__dict__, "details": list(s.details)})

    def start(self) -> bool:
        """Start a run (or queue one more after the current run); True if a new thread started."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return False
            self._status = IndexStatus(running=True, stage="load", started=time.time(), runs=self._status.runs)
            self._thread = threading.Thread(target=self._run, name="hoidap-reindex", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until idle (tests, shutdown); True if idle."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                t = self._thread
            if t is None or not t.is_alive():
                return True
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            t.join(remaining if remaining is not None else 1.0)
            if deadline is not None and time.monotonic() >= deadline:
                return not t.is_alive()

    def _progress(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self._status.stage, self._status.done, self._status.total = stage, done, total

    def _run(self) -> None:
        while True:
            try:
                report = self.engine.index(progress=self._progress)
                message, details = summarize_report(report)
                error = False
            except Exception as exc:  # never kill the server; the admin sees a message
                log.exception("background re-index failed")
                known = exc.message_vi if isinstance(exc, HoidapError) else ""
                message = "Lập chỉ mục thất bại; chỉ mục cũ vẫn được dùng. " + known
                details, error = [], True
            with self._lock:
                self._status.message, self._status.details, self._status.error = message.strip(), details, error
                again, self._again = self._again, False
                if not again:
                    self._status.running = False
                    self._status.finished = time.time()
                    self._status.runs += 1
            if self.on_done is not None:
                try:
                    self.on_done()
                except Exception:
                    log.exception("on_done callback failed")
            if not again:
                return


def summarize_report(report: BuildReport) -> tuple[str, list[str]]:
    """A BuildReport in Vietnamese: one summary line and one line per problem file."""
    r = report
    message = (
        f"Đã lập chỉ mục {r.documents} tài liệu, {r.passages} đoạn trong {r.seconds:.1f} giây "
        f"(mới {len(r.added)}, thay đổi {len(r.changed)}, xóa {len(r.removed)}, giữ nguyên {len(r.unchanged)})."
    )
    details = [f"Bỏ qua “{s}”: trùng nội dung với “{o}”." for s, o in getattr(r, "duplicates", [])]
    details += [f"Lỗi “{s}”: {getattr(e, 'message_vi', str(e))}" for s, e in getattr(r, "errors", [])]
    return message, details


def progress_text(status: IndexStatus) -> str:
    """"Đang lập chỉ mục: mã hóa đoạn văn 64/120" or the last run's summary."""
    if status.running:
        stage = STAGE_VI.get(status.stage, status.stage)
        count = f" {status.done}/{status.total}" if status.total else ""
        return f"Đang lập chỉ mục: {stage}{count}… Hỏi đáp vẫn dùng chỉ mục hiện tại trong lúc chờ."
    return status.message
