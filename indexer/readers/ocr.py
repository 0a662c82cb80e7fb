"""Text of scanned pages and photographed documents: Tesseract (``vie+eng``), cached by content.

Tesseract with Debian's ``tesseract-ocr-vie`` reads a rendered A4 page of
Vietnamese administrative text, rotated ±2°, blurred and noisy, at well under 1%
character error (``benchmarks/bench_ocr.py``), about 10–15 s per page on these
machines. So every page read is cached under ``<cache_dir>/ocr/`` by the hash of
the file's bytes and the page number: re-indexing (even ``--rebuild``) never
reads a scan twice.

The page is given to Tesseract as its red channel: the red round stamp that
covers the signature block of every Vietnamese official document turns white
there, while black (and blue) ink stays dark.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import shutil
import subprocess
from pathlib import Path
from typing import Any

from indexer.readers.errors import LoadError

log = logging.getLogger(__name__)

#: Languages given to Tesseract: Vietnamese first, English for the Latin words of plans (IoT, AI).
LANGUAGES = "vie+eng"
#: Resolution scanned PDF pages are rendered at for OCR.
RENDER_DPI = 300
#: Changes when preprocessing or settings change, so cached text from before is not reused.
OCR_VERSION = "tesseract-1-red-channel"
#: Page segmentation: fully automatic, with orientation and script detection off (mode 3).
TESSERACT_CONFIG = "--psm 3"


@functools.lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str]:
    """Languages the installed Tesseract has (empty when it is not installed)."""
    exe = shutil.which("tesseract")
    if not exe:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def available() -> bool:
    """Can scans be read here (Tesseract with Vietnamese installed)?"""
    return "vie" in tesseract_languages()


def require() -> None:
    """Raise the "ocr_unavailable" refusal when Tesseract or its Vietnamese data is missing."""
    if not available():
        raise LoadError("ocr_unavailable", "tesseract with 'vie' traineddata not found")


def _cache_path(cache_dir: Path | None, content_hash: str, page: int) -> Path | None:
    if cache_dir is None:
        return None
    key = hashlib.sha256(f"{OCR_VERSION}|{LANGUAGES}|{content_hash}|{page}".encode()).hexdigest()
    return Path(cache_dir) / "ocr" / key[:2] / f"{key}.txt"


def cached(cache_dir: Path | None, content_hash: str, page: int) -> str | None:
    """Text read before from page ``page`` of the file hashing to ``content_hash``, if any."""
    path = _cache_path(cache_dir, content_hash, page)
    if path is None or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def read_image(image: Any, cache_dir: Path | None = None, content_hash: str = "", page: int = 1) -> str:
    """The text on a PIL image (one page), from the cache when this page was read before."""
    hit = cached(cache_dir, content_hash, page) if content_hash else None
    if hit is not None:
        return hit
    require()
    import pytesseract

    gray = image.getchannel("R") if image.mode in ("RGB", "RGBA") else image.convert("L")
    try:
        text = pytesseract.image_to_string(gray, lang=LANGUAGES, config=TESSERACT_CONFIG)
    except pytesseract.TesseractError as exc:
        raise LoadError("ocr_unavailable", f"tesseract failed: {exc}") from None
    path = _cache_path(cache_dir, content_hash, page) if content_hash else None
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:  # a read-only cache costs time, not correctness
            log.warning("cannot cache OCR text: %s", exc)
    return text
