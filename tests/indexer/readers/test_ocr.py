"""Scans (issue 12): pages rendered here, tilted, blurred, noisy, stamped, read by Tesseract.

Tesseract takes seconds per page: the default suite reads one small page; whole
A4 pages, the stamped signature block and scanned PDFs are ``slow``.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from indexer.readers import LoadError, ReadContext, load_bytes, ocr
from tests.fixtures import makers

needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-vie is not installed (make setup-system)")

SMALL = (5.8, 2.6)  # inches: a strip of a page, a few lines
LINES = [
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển hạ tầng số giai đoạn 2023 - 2025.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ngành tổ chức triển khai.",
]


def png_bytes(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def small_scan() -> tuple[bytes, list[str]]:
    image, shown = makers.scan(LINES, 200, angle=1.0, blur=0.8, noise=12, inches=SMALL)
    return png_bytes(image), shown


@needs_tesseract
def test_a_scanned_image_is_read_and_cached(small_scan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, shown = small_scan
    pages: list[tuple[int, int]] = []
    context = ReadContext(cache_dir=tmp_path, progress=lambda d, t: pages.append((d, t)))
    doc = load_bytes(data, "ban-quet.png", context=context)
    assert makers.cer("\n".join(shown), doc.text) <= 0.02
    assert doc.ocr_pages == [1] and doc.is_ocr(0)
    assert pages[-1] == (1, 1)
    assert list((tmp_path / "ocr").rglob("*.txt"))

    # a second read (a re-index, even --rebuild) never runs Tesseract again
    import pytesseract

    def no_second_read(*args, **kwargs):
        raise AssertionError("OCR ran twice on the same file")

    monkeypatch.setattr(pytesseract, "image_to_string", no_second_read)
    assert load_bytes(data, "ban-quet.png", context=context).text == doc.text


def test_without_tesseract_a_scan_is_refused_in_vietnamese(small_scan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(LoadError) as info:
        load_bytes(small_scan[0], "anh-chup.png", context=ReadContext(cache_dir=tmp_path))
    assert info.value.reason == "ocr_unavailable"
    assert "tesseract-ocr-vie" in info.value.message_vi and "anh-chup.png" in info.value.message_vi


def test_not_an_image_named_png_is_refused() -> None:
    with pytest.raises(LoadError) as info:
        load_bytes("Kế hoạch".encode(), "anh.png")
    assert info.value.reason == "unsupported_type"


@pytest.mark.slow
@needs_tesseract
@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_a4_scan_with_a_red_stamp(dpi: int, tmp_path: Path) -> None:
    paragraphs = makers.paragraphs_of(makers.plan_text())[6:22]
    image, shown = makers.scan(paragraphs, dpi, angle=-1.5, blur=1.0, noise=15, stamp=True, seed=dpi)
    doc = load_bytes(png_bytes(image), "to-trinh.png", context=ReadContext(cache_dir=tmp_path))
    error = makers.cer("\n".join(shown), doc.text)
    assert error <= (0.02 if dpi >= 200 else 0.05), error
    assert "CHỦ TỊCH" in doc.text  # the signature block under the stamp


@pytest.mark.slow
@needs_tesseract
def test_a_scanned_pdf_is_read_page_by_page(tmp_path: Path) -> None:
    paragraphs = makers.paragraphs_of(makers.plan_text())
    pages = [makers.scan(paragraphs[a:b], 200, angle=0.8, seed=a)[0] for a, b in ((0, 8), (12, 16))]
    pdf = makers.images_to_pdf(pages, tmp_path / "scan.pdf")
    doc = load_bytes(pdf.read_bytes(), "scan.pdf", context=ReadContext(cache_dir=tmp_path))
    assert doc.ocr_pages == [1, 2] and len(doc.page_starts) == 2
    assert doc.meta.number == "999/KH-UBND"
    assert "Phát triển hạ tầng số đồng bộ" in doc.text[doc.page_starts[1]:]
