"""Targets and responsibilities read from real plan sentences."""
from __future__ import annotations

import pytest
from handout_samples import draft, passage_text

from hoidap import handout as HO


def test_targets_are_sentences_with_percentages_and_deadlines(handout):
    texts = [t.text for t in handout.targets]
    assert any("100% dịch vụ Trung tâm dữ liệu" in t and "đến năm 2025" in t for t in texts)
    assert any("100% thôn, bản, khu phố" in t for t in texts)
    assert any("trước ngày 15/12 hằng năm" in t for t in texts)
    cloud = next(t for t in handout.targets if "Trung tâm dữ liệu" in t.text and "đến năm 2025" in t.text)
    assert "100%" in cloud.figures and "đến năm 2025" in cloud.figures
    # every target is verbatim text of the passage it cites, with that passage's citation
    for t in handout.targets:
        assert t.text in passage_text(handout, t)
        assert t.reference
    plan_target = next(t for t in handout.targets if "100% thôn" in t.text)
    assert plan_target.reference == "Kế hoạch số 888/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1"


def test_codes_dates_and_preambles_are_not_targets():
    for sentence in [
        "Căn cứ Quyết định số 999/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ;",
        "Kế hoạch số 225/KH-UBND ngày 15/9/2023 về phát triển hạ tầng số giai đoạn 2023 - 2025",
        "Đoạn mã <script>alert(1)</script> và <img src=x onerror=alert(2)>",
    ]:
        assert not HO.target_figures(sentence), sentence
    assert HO.target_figures("bảo đảm an toàn thông tin cấp độ 3 trở lên") == ["3"]
    assert HO.target_figures("tăng bình quân 30%/năm đến năm 2025") == ["30%", "đến năm 2025"]


def test_responsibilities_name_the_lead_agency_and_partners(handout):
    lead = [r for r in handout.responsibilities if r.role == "chủ trì"]
    assert lead and lead[0].agency == "Sở Thông tin và Truyền thông"
    assert lead[0].partners == "các sở, ngành, địa phương"
    assert "Chủ trì, phối hợp" in lead[0].text
    agencies = {r.agency for r in handout.responsibilities}
    assert {"Sở Tài chính"} <= agencies


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính tham mưu bố trí kinh phí.",
         ("Sở Thông tin và Truyền thông", "chủ trì", "Sở Tài chính")),
        ("Sở Kế hoạch và Đầu tư phối hợp với Sở Tài chính cân đối nguồn vốn.",
         ("Sở Kế hoạch và Đầu tư", "phối hợp", "Sở Tài chính")),
        ("3. Ủy ban nhân dân các huyện, thị xã, thành phố: Tạo điều kiện cho doanh nghiệp viễn thông.",
         ("Ủy ban nhân dân các huyện, thị xã, thành phố", "thực hiện", "")),
        ("Ủy ban nhân dân tỉnh ban hành Kế hoạch với các nội dung sau:", None),
        ("Phát triển hạ tầng số đồng bộ, hiện đại.", None),
    ],
)
def test_responsibility_of(sentence, expected):
    assert HO.responsibility_of(sentence) == expected


# ------------------------------------------------------------------ issue 14
def test_article_targets_are_the_plan_aims_once_each(vov_hits):
    ho = draft("hạ tầng số", vov_hits)
    texts = [t.text for t in ho.targets]
    assert sum("trí tuệ nhân tạo" in t for t in texts) == 1  # the article repeats it; listed once
    assert not any("cho biết" in t or "Quyết" in t for t in texts)  # a director's statement is no target
    goal = next(t for t in ho.targets if "top 10" in t.text)
    assert goal.text.startswith("đến năm 2025") and goal.deadline == "đến năm 2025"
    g4 = next(t for t in ho.targets if t.text == "Nâng cao chất lượng mạng 4G")
    assert g4.deadline == "đến năm 2025" and g4.deadline_note  # inherited from "Mục tiêu phấn đấu đến năm 2025"
    for t in ho.targets:
        assert t.text in passage_text(ho, t)


def test_task_tables_give_lead_and_supporting_agencies(tmp_path):
    from handout_samples import TABLE_PLAN_FILE, TASK_ROWS, hits_of, write_task_table_docx

    fields = HO.build_handout("", hits_of(TABLE_PLAN_FILE))  # rows "Nhiệm vụ: …; Cơ quan chủ trì: …; …"
    cells = HO.build_handout("", hits_of(write_task_table_docx(tmp_path / "bang.docx")))  # rows "1 | … | …"
    store = next(r for r in fields.responsibilities if r.task == "Xây dựng kho dữ liệu dùng chung của tỉnh")
    assert (store.agency, store.role, store.partners) == (
        "Sở Thông tin và Truyền thông", "chủ trì", "Văn phòng UBND tỉnh, các sở, ngành")
    assert store.reference.endswith("Phụ lục")
    assert [(r.task, r.agency, r.partners, r.deadline) for r in cells.responsibilities] == [
        (row[1], row[2], row[3], row[4]) for row in TASK_ROWS]
    deadlines = {t.text: t.deadline for t in fields.targets}
    assert deadlines["Bố trí kinh phí vận hành nền tảng số dùng chung"] == "Quý II/2024"
    # "Đến hết năm 2024, 100% …; 80% …": the second clause shares the first one's deadline
    share = next(t for t in fields.targets if t.text.startswith("80%"))
    assert share.deadline == "Đến hết năm 2024"
