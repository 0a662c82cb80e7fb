"""Tables as data (issue 12): a DOCX appendix "DANH MỤC NHIỆM VỤ" made with python-docx.

Before: "Cơ quan nào chủ trì xây dựng trung tâm dữ liệu dùng chung?" was answered with the
raw row "2 | Xây dựng … | Sở Thông tin và Truyền thông | Sở Tài chính;" (no column
names, cut at the cell's ";"), and "Sở Tài chính phối hợp thực hiện nhiệm vụ gì?" with
the header row.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.readers import load_bytes
from indexer.readers.tables import Cell, table_lines
from indexer.citation import section_citation
from indexer.structure import split_passages
from indexer.text import sentence_spans
from tests.fixtures import makers

ROW_2 = ("STT: 2 | Nhiệm vụ: Xây dựng trung tâm dữ liệu dùng chung của tỉnh | Cơ quan chủ trì: Sở Thông tin và "
         "Truyền thông | Cơ quan phối hợp: Sở Tài chính; Sở Kế hoạch và Đầu tư | Thời gian hoàn thành: Năm 2025")


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = makers.plan_with_tasks_docx(tmp_path_factory.mktemp("docx") / "ke-hoach-999.docx")
    return load_bytes(path.read_bytes(), path.name)


def test_every_data_row_names_its_columns(plan) -> None:
    assert ROW_2 in plan.text.split("\n")
    assert [r.path[-1] for r in plan.table_rows] == ["STT 1", "STT 2", "STT 3"]
    for row in plan.table_rows:
        assert plan.text[row.start:row.end].startswith("STT: ")


def test_the_header_row_is_not_text(plan) -> None:
    assert "STT | Nhiệm vụ" not in plan.text
    assert not any(line.startswith("Nhiệm vụ | ") for line in plan.text.split("\n"))


def test_a_group_row_is_the_section_of_its_rows(plan) -> None:
    rows = {r.path[-1]: r for r in plan.table_rows}
    assert rows["STT 1"].path == ("I. Hạ tầng viễn thông băng rộng", "STT 1")
    assert rows["STT 2"].path == ("II. Hạ tầng trung tâm dữ liệu", "STT 2")
    assert rows["STT 3"].path == ("II. Hạ tầng trung tâm dữ liệu", "STT 3")


def test_each_row_is_a_passage_cited_by_its_place(plan) -> None:
    passages = split_passages(plan)
    row = next(r for r in plan.table_rows if r.path[-1] == "STT 2")
    passage = next(p for p in passages if p.start <= row.start < p.end)
    assert passage.text.endswith(ROW_2)
    assert "STT: 3" not in passage.text and "STT: 1" not in passage.text
    assert section_citation(passage.section_path) == "Phụ lục, Mục II, STT 2"


def test_a_row_is_one_sentence_even_with_semicolons_in_cells() -> None:
    assert sentence_spans(ROW_2) == [(0, len(ROW_2))]
    text = "Mở đầu. Câu hai.\n" + ROW_2 + "\nCâu cuối; Câu nữa."
    pieces = [text[a:b] for a, b in sentence_spans(text)]
    assert ROW_2 in pieces and "Mở đầu." in pieces and "Câu cuối;" in pieces


def test_layout_tables_are_not_data() -> None:
    """A letterhead (long cells) or a figures matrix (years as columns) keeps the plain rendering."""
    def grid(*rows):
        return [[Cell(t, (i, j)) for j, t in enumerate(r)] for i, r in enumerate(rows)]

    letterhead = grid(("ỦY BAN NHÂN DÂN TỈNH THANH HÓA SỐ 999/KH-UBND NGÀY 20 THÁNG 10 NĂM 2023",
                       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"), ("a", "b"))
    assert table_lines(letterhead) is None
    assert table_lines(grid(("Chỉ tiêu", "2023", "2025"), ("Phủ sóng 4G", "95%", "100%"))) is None
    assert table_lines(grid(("Chỉ tiêu", "Năm 2025"), ("Phủ sóng 4G", "100%"))) == [
        ("Chỉ tiêu: Phủ sóng 4G | Năm 2025: 100%", ("dòng 1",))
    ]
