"""PDFs as agencies get them: printed by Chromium (and LibreOffice), with tables, headers, footers.

Issue 12: pypdf split every syllable with a diacritic of a Chromium-printed plan
("ứ ng d ụ ng") and indexed the browser's date line. These PDFs are made here,
by the real printers.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.readers import load_bytes
from indexer.citation import section_citation
from indexer.structure import split_passages
from indexer.text import sentence_spans
from tests.fixtures import makers

pytestmark = pytest.mark.skipif(makers.chromium() is None, reason="chromium is not installed (make browser)")

TITLE = "Bản in thử kế hoạch mẫu"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, bytes]:
    """The sample plan printed by Chromium: plain, in two columns, and with its appendix table."""
    folder = tmp_path_factory.mktemp("pdf")
    text = makers.plan_text()
    out = {}
    for name, page in {
        "plain": makers.text_to_html(text, TITLE),
        "columns": makers.text_to_html(text, TITLE, columns=2),
        "table": makers.text_to_html(text, TITLE, table=True),
    }.items():
        out[name] = makers.chromium_pdf(page, folder / f"{name}.pdf").read_bytes()
    return out


def test_pypdf_split_the_syllables_of_this_file(printed) -> None:
    """The bug, measured on the very file the reader is tested with."""
    import io

    from pypdf import PdfReader

    old = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(printed["plain"])).pages)
    assert makers.lone_letter_ratio(old) > 0.1


@pytest.mark.parametrize("layout", ["plain", "columns"])
def test_whole_syllables_and_exact_phrases(printed, layout: str) -> None:
    doc = load_bytes(printed[layout], f"{layout}.pdf")
    # as many one-letter tokens as the source has ("a)", "4G", "Mb/s"): no syllable is split
    assert makers.lone_letter_ratio(doc.text) <= makers.lone_letter_ratio(makers.plan_text()) + 0.003
    for phrase in (
        "được ứng dụng rộng rãi trong quản lý nhà nước",
        "Căn cứ Quyết định số 999/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ",
        "tốc độ truy cập Internet băng rộng cố định đạt tối thiểu 100 Mb/s",
    ):
        assert phrase in doc.text, phrase
    assert doc.meta.number == "999/KH-UBND"


def test_browser_header_footer_and_page_numbers_are_dropped(printed) -> None:
    doc = load_bytes(printed["plain"], "plain.pdf")
    assert TITLE not in doc.text
    assert "file://" not in doc.text
    assert not re.search(r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}", doc.text)  # "11/30/26, 9:01 AM"
    assert not re.search(r"^\d+/\d+$", doc.text, re.M)  # page numbers "2/3"
    assert len(doc.page_starts) >= 2


def test_wrapped_lines_are_one_sentence(printed) -> None:
    doc = load_bytes(printed["plain"], "plain.pdf")
    sentence = ("Phát triển hạ tầng số đồng bộ, hiện đại, làm nền tảng cho chuyển đổi số của tỉnh; bảo đảm kết nối "
                "thông suốt từ tỉnh đến cơ sở, phục vụ chính quyền số, kinh tế số và xã hội số.")
    assert sentence in doc.text.split("\n")


def test_citations_say_the_page(printed) -> None:
    doc = load_bytes(printed["plain"], "plain.pdf")
    passages = split_passages(doc)
    assert passages[0].page == 1
    assert max(p.page or 0 for p in passages) == len(doc.page_starts)
    last = passages[-1]
    assert doc.text[doc.page_starts[-1]:].find(last.text[:30]) >= 0


def test_pdf_table_rows_carry_their_column_names(printed) -> None:
    doc = load_bytes(printed["table"], "table.pdf")
    row = next(r for r in doc.table_rows if r.path[-1] == "STT 2")
    line = doc.text[row.start:row.end]
    assert "Nhiệm vụ: Xây dựng trung tâm dữ liệu dùng chung của tỉnh" in line
    assert "Cơ quan chủ trì: Sở Thông tin và Truyền thông" in line
    assert "Cơ quan phối hợp: Sở Tài chính; Sở Kế hoạch và Đầu tư" in line
    assert "Thời gian hoàn thành: Năm 2025" in line
    assert "II. Hạ tầng trung tâm dữ liệu" in row.path
    assert len(sentence_spans(line)) == 1
    assert "Cơ quan chủ trì | Cơ quan phối hợp" not in doc.text  # the header row is not text
    passage = next(p for p in split_passages(doc) if p.start <= row.start < p.end)
    assert section_citation(passage.section_path).endswith("Mục II, STT 2")


@pytest.mark.slow
@pytest.mark.skipif(makers.soffice() is None, reason="LibreOffice is not installed (make test-slow installs it)")
def test_libreoffice_printed_docx(tmp_path: Path) -> None:
    """A second producer: Word file with the task table printed to PDF by LibreOffice."""
    src = makers.plan_with_tasks_docx(tmp_path / "ke-hoach.docx")
    pdf = makers.libreoffice_convert(src, "pdf", tmp_path)
    doc = load_bytes(pdf.read_bytes(), "ke-hoach.pdf")
    assert makers.lone_letter_ratio(doc.text) <= makers.lone_letter_ratio(makers.plan_text()) + 0.003
    assert "được ứng dụng rộng rãi trong quản lý nhà nước" in doc.text
    row = next(r for r in doc.table_rows if r.path[-1] == "STT 2")
    assert "Cơ quan phối hợp: Sở Tài chính; Sở Kế hoạch và Đầu tư" in doc.text[row.start:row.end]
