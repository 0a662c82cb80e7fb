"""A folder as an agency holds it (issue 12): text PDF, scanned PDF, DOCX with a table, news page, image.

Indexing reports each file's outcome and the OCR pages' progress; what was read
is found by search and answers cite table rows by their place.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from indexer.build import index_paths
from indexer.readers import ocr
from tests.fixtures import makers
from tests.indexer.readers.test_web_pages import NEWS_PAGE

SCAN_LINES = [
    "Ủy ban nhân dân tỉnh giao Sở Thông tin và Truyền thông kiểm tra tiến độ phủ sóng 4G hằng quý.",
    "Các huyện miền núi báo cáo kết quả trước ngày 15 tháng 12 hằng năm.",
]
PHOTO_LINES = ["Biên bản họp: thống nhất lắp đặt trạm thu phát sóng tại trường học và trạm y tế xã."]
SMALL = (5.8, 2.2)


def _png(lines: list[str], seed: int) -> bytes:
    image, _ = makers.scan(lines, 200, angle=0.8, inches=SMALL, seed=seed)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _office_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    makers.plan_with_tasks_docx(folder / "ke-hoach-999.docx")
    (folder / "vov-225.html").write_text(NEWS_PAGE, encoding="utf-8")
    (folder / "bien-ban.png").write_bytes(_png(PHOTO_LINES, 1))
    return folder


def test_without_tesseract_scans_are_refused_and_the_rest_indexed(tmp_path, base_settings, embedder, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    folder = _office_folder(tmp_path / "corpus")
    settings = base_settings.with_(index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    report = index_paths([folder], settings, embedder=embedder)
    assert sorted(report.added) == ["ke-hoach-999.docx", "vov-225.html"]
    [(source, error)] = report.errors
    assert source == "bien-ban.png" and error.reason == "ocr_unavailable"
    assert report.files["ke-hoach-999.docx"]["table_rows"] == 3
    assert report.files["vov-225.html"]["type"] == "Bài báo / trang tin"


@pytest.mark.slow
@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-vie is not installed (make setup-system)")
@pytest.mark.skipif(makers.chromium() is None, reason="chromium is not installed (make browser)")
def test_a_mixed_folder_end_to_end(tmp_path, base_settings, embedder):
    from hoidap.cli import file_outcomes
    from hoidap.engine import Engine

    folder = _office_folder(tmp_path / "corpus")
    makers.chromium_pdf(makers.text_to_html(makers.plan_text(), "Bản in"), folder / "ke-hoach-in.pdf")
    scan, _ = makers.scan(SCAN_LINES, 200, angle=-1.0, inches=SMALL, seed=2)
    makers.images_to_pdf([scan], folder / "ban-quet.pdf")
    (folder / "ke-hoach-in.html").unlink()

    settings = base_settings.with_(index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    calls: list[tuple[str, int, int]] = []
    report = index_paths([folder], settings, embedder=embedder, progress=lambda *a: calls.append(a))
    assert not report.errors
    outcomes = {row["source"]: row for row in file_outcomes(report)}
    assert set(outcomes) == {"ban-quet.pdf", "bien-ban.png", "ke-hoach-999.docx", "ke-hoach-in.pdf", "vov-225.html"}
    assert outcomes["ban-quet.pdf"]["ocr_pages"] == 1 and outcomes["ke-hoach-in.pdf"]["ocr_pages"] == 0
    assert outcomes["ke-hoach-in.pdf"]["pages"] >= 2
    assert ("load", 5, 5) in calls and any(stage == "ocr" for stage, _, _ in calls)

    engine = Engine(settings, embedder=embedder)
    top = engine.search("được ứng dụng rộng rãi trong quản lý nhà nước", k=3)
    assert top[0].passage.doc_id in ("ke-hoach-in", "ke-hoach-999")
    assert "được ứng dụng rộng rãi trong quản lý nhà nước" in top[0].passage.text
    scan_hit = engine.search("kiểm tra tiến độ phủ sóng 4G hằng quý", k=1)[0]
    assert scan_hit.passage.doc_id == "ban-quet"

    answer = engine.ask("Cơ quan nào chủ trì xây dựng trung tâm dữ liệu dùng chung?")
    assert answer.found
    assert "Cơ quan chủ trì: Sở Thông tin và Truyền thông" in answer.answer
    assert any("STT 2" in c.reference for c in answer.citations)

    # a re-index from scratch reads no scan again: the OCR text is cached
    calls.clear()
    again = index_paths([folder], settings, embedder=embedder, progress=lambda *a: calls.append(a), rebuild=True)
    assert not again.errors and again.files["ban-quet.pdf"]["ocr_pages"] == 1
