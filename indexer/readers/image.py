"""Photographed or scanned pages saved as images (PNG, JPEG, TIFF): read with OCR (:mod:`.ocr`).

A multi-page TIFF (what office scanners write) gives one page per frame, so
citations say "trang 2" as for a PDF.
"""
from __future__ import annotations

import hashlib
import io
import warnings

from indexer.readers import ocr
from indexer.readers.base import Extracted, ReadContext
from indexer.readers.encoding import tidy
from indexer.readers.errors import LoadError
from indexer.readers.layout import reflow, text_lines
from indexer.readers.sniff import sniff

IMAGE_KINDS = frozenset({"png", "jpeg", "tiff"})
#: Larger images are refused before they are decoded (a 600 dpi A3 scan is ~70 Mpx).
MAX_PIXELS = 120_000_000
#: Fewer visible characters than this on every page: OCR found no text.
MIN_CHARS = 10


def read_image(data: bytes, context: ReadContext | None = None) -> Extracted:
    context = context or ReadContext()
    found = sniff(data)
    if found is None or found[0] not in IMAGE_KINDS:
        raise LoadError("unsupported_type", f"not a PNG/JPEG/TIFF image ({found[0] if found else 'unknown'})")
    if not context.ocr:
        raise LoadError("ocr_unavailable", "OCR is turned off")
    digest = hashlib.sha256(data).hexdigest()
    frames = _frames(data)
    texts: list[str] = []
    for i, frame in enumerate(frames):
        context.pages(i, len(frames))
        texts.append(tidy(reflow(text_lines(ocr.read_image(frame, context.cache_dir, digest, i + 1))), collapse_spaces=True))
    context.pages(len(frames), len(frames))
    if sum(len("".join(t.split())) for t in texts) < MIN_CHARS:
        raise LoadError("ocr_empty", f"{len(frames)} page(s)")
    starts, offset = [], 0
    for t in texts:
        starts.append(offset)
        offset += len(t) + 2
    return Extracted("\n\n".join(texts), page_starts=starts if len(texts) > 1 else [],
                     ocr_pages=list(range(1, len(texts) + 1)))


def _frames(data: bytes) -> list:
    """Every page of the image as RGB (one for PNG/JPEG, one per frame for TIFF)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise LoadError("too_large", f"{image.width}x{image.height} pixels", limit=f"{MAX_PIXELS // 1_000_000} Mpx")
            frames = []
            for k in range(getattr(image, "n_frames", 1)):
                image.seek(k)
                frames.append(ImageOps.exif_transpose(image).convert("RGB"))
            return frames
    except LoadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise LoadError("corrupt_image", f"{type(exc).__name__}: {exc}") from None
