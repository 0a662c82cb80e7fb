"""Citation metadata from real Vietnamese header layouts, news articles, and fallbacks."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.metadata import document_references, extract_metadata, readable_issuer, sentence_case
from indexer.types import DocumentMeta

SEED = Path(__file__).resolve().parents[3] / "corpus" / "plan225-vov-article.txt"

PLAN_225 = """ỦY BAN NHÂN DÂN
TỈNH THANH HÓA
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 225/KH-UBND
Thanh Hóa, ngày 15 tháng 9 năm 2023

KẾ HOẠCH
Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa
giai đoạn 2023 - 2025
______________________

Thực hiện Quyết định số 411/QĐ-TTg ngày 31/3/2022 của Thủ tướng Chính phủ; Kế hoạch số 12/KH-UBND
ngày 10/01/2023 của UBND tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển hạ tầng số như sau:
I. MỤC ĐÍCH, YÊU CẦU
"""

PLAN_225_META = DocumentMeta(
    doc_type="Kế hoạch", number="225/KH-UBND", issuer="UBND tỉnh Thanh Hóa", place="Thanh Hóa",
    date="2023-09-15", title="Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa giai đoạn 2023 - 2025",
)

# The same header as a PDF text layer gives it: left and right columns merged line by line.
PLAN_225_PDF_LAYOUT = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH THANH HÓA Độc lập - Tự do - Hạnh phúc
Số: 225/KH-UBND Thanh Hóa, ngày 15 tháng 9 năm 2023
KẾ HOẠCH
PHÁT TRIỂN HẠ TẦNG SỐ TRÊN ĐỊA BÀN TỈNH THANH HÓA GIAI ĐOẠN 2023 - 2025
Thực hiện Chương trình chuyển đổi số quốc gia...
"""

LAW_TWO_LINES = """QUỐC HỘI
--------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Luật số: 24/2018/QH14
Hà Nội, ngày 12 tháng 6 năm 2018

LUẬT
AN NINH MẠNG

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật An ninh mạng.
"""

LAW_ONE_LINE = """QUỐC HỘI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Luật số: 24/2018/QH14
LUẬT AN NINH MẠNG
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
"""


def seed_text() -> str:
    return unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------
# Administrative documents
# --------------------------------------------------------------------------------------


def test_plan_225_header() -> None:
    assert extract_metadata(PLAN_225, "ke-hoach-225.docx") == PLAN_225_META


def test_plan_225_header_as_merged_pdf_columns() -> None:
    # the trích yếu typed in capitals comes back in sentence case, the province capitalised
    assert extract_metadata(PLAN_225_PDF_LAYOUT) == PLAN_225_META


def test_plan_225_header_as_table_rows() -> None:
    rows = (
        "UBND TỈNH THANH HÓA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 225/KH-UBND | Thanh Hóa, ngày 15 tháng 9 năm 2023\n"
        "KẾ HOẠCH\nPhát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa giai đoạn 2023 - 2025\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
    )
    assert extract_metadata(rows) == PLAN_225_META


@pytest.mark.parametrize("text", [LAW_TWO_LINES, LAW_ONE_LINE])
def test_law_header(text: str) -> None:
    meta = extract_metadata(text, "luat-an-ninh-mang.txt")
    assert meta.doc_type == "Luật"
    assert meta.number == "24/2018/QH14"
    assert meta.issuer == "Quốc hội"
    assert meta.title == "Luật An ninh mạng"
    assert meta.outlet == ""


def test_law_header_place_and_date() -> None:
    meta = extract_metadata(LAW_TWO_LINES)
    assert (meta.place, meta.date) == ("Hà Nội", "2018-06-12")
    assert extract_metadata(LAW_ONE_LINE).date == ""  # laws often carry no date in the header


def test_bare_number_line_and_code_of_law() -> None:
    meta = extract_metadata("QUỐC HỘI\n91/2015/QH13\nBỘ LUẬT\nDÂN SỰ\nCăn cứ Hiến pháp")
    assert (meta.doc_type, meta.number, meta.title) == ("Bộ luật", "91/2015/QH13", "Bộ luật Dân sự")


def test_decision_with_number_without_colon() -> None:
    text = """ỦY BAN NHÂN DÂN TỈNH THANH HÓA
Số 12/2023/QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Thanh Hóa, ngày 03 tháng 4 năm 2023
QUYẾT ĐỊNH
Ban hành Quy chế quản lý, vận hành Trung tâm dữ liệu tỉnh Thanh Hóa
ỦY BAN NHÂN DÂN TỈNH THANH HÓA
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
"""
    assert extract_metadata(text) == DocumentMeta(
        doc_type="Quyết định", number="12/2023/QĐ-UBND", issuer="UBND tỉnh Thanh Hóa", place="Thanh Hóa",
        date="2023-04-03", title="Ban hành Quy chế quản lý, vận hành Trung tâm dữ liệu tỉnh Thanh Hóa",
    )


def test_government_decree() -> None:
    text = """CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 13/2023/NĐ-CP
Hà Nội, ngày 17 tháng 4 năm 2023
NGHỊ ĐỊNH
Bảo vệ dữ liệu cá nhân
Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;
"""
    assert extract_metadata(text) == DocumentMeta(
        doc_type="Nghị định", number="13/2023/NĐ-CP", issuer="Chính phủ", place="Hà Nội",
        date="2023-04-17", title="Bảo vệ dữ liệu cá nhân",
    )


def test_council_resolution_stops_title_at_repeated_issuer() -> None:
    text = """HỘI ĐỒNG NHÂN DÂN
TỈNH THANH HÓA
Số: 123/2023/NQ-HĐND
Thanh Hóa, ngày 08 tháng 12 năm 2023
NGHỊ QUYẾT
Về việc thông qua Đề án chuyển đổi số tỉnh Thanh Hóa
HỘI ĐỒNG NHÂN DÂN TỈNH THANH HÓA
KHÓA XVIII, KỲ HỌP THỨ 17
"""
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.number, meta.issuer) == ("Nghị quyết", "123/2023/NQ-HĐND", "HĐND tỉnh Thanh Hóa")
    assert meta.title == "Về việc thông qua Đề án chuyển đổi số tỉnh Thanh Hóa"


def test_department_letter_with_parent_body_and_subject_line() -> None:
    text = """UBND TỈNH THANH HÓA
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 1234/STTTT-BCVT
V/v triển khai Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Thanh Hoá, ngày 02 tháng 10 năm 2023
Kính gửi: UBND các huyện, thị xã, thành phố
"""
    meta = extract_metadata(text)
    assert meta == DocumentMeta(
        doc_type="Công văn", number="1234/STTTT-BCVT", issuer="Sở Thông tin và Truyền thông tỉnh Thanh Hóa",
        place="Thanh Hoá", date="2023-10-02",
        title="Triển khai Kế hoạch số 225/KH-UBND ngày 15/9/2023 của UBND tỉnh",
    )


@pytest.mark.parametrize(
    "number,doc_type",
    [("45/TB-UBND", "Thông báo"), ("120/BC-UBND", "Báo cáo"), ("06/CT-TTg", "Chỉ thị"),
     ("03/2023/TT-BTTTT", "Thông tư"), ("88/KH-UBND", "Kế hoạch"), ("15/2023/NQ-HĐND", "Nghị quyết")],
)
def test_type_from_number_code_when_there_is_no_type_line(number: str, doc_type: str) -> None:
    meta = extract_metadata(f"ỦY BAN NHÂN DÂN TỈNH THANH HÓA\nSố: {number}\nThanh Hóa, ngày 5 tháng 1 năm 2024\n")
    assert (meta.doc_type, meta.number) == (doc_type, number)


def test_party_document() -> None:
    text = "TỈNH ỦY THANH HÓA\nSố 05-CT/TU\nThanh Hóa, ngày 1 tháng 2 năm 2021\nCHỈ THỊ\nVề tăng cường chuyển đổi số\nI."
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.number, meta.issuer, meta.title) == (
        "Chỉ thị", "05-CT/TU", "Tỉnh ủy Thanh Hóa", "Về tăng cường chuyển đổi số",
    )


def test_impossible_date_is_left_empty() -> None:
    meta = extract_metadata("UBND TỈNH THANH HÓA\nSố: 1/KH-UBND\nThanh Hóa, ngày 31 tháng 2 năm 2023\nKẾ HOẠCH\nThử")
    assert (meta.number, meta.place, meta.date) == ("1/KH-UBND", "Thanh Hóa", "")


def test_old_style_tone_placement_in_issuer() -> None:
    meta = extract_metadata("UỶ BAN NHÂN DÂN\nTỈNH THANH HOÁ\nSố: 7/KH-UBND\nKẾ HOẠCH\nThử nghiệm")
    assert meta.issuer == "UBND tỉnh Thanh Hoá"


@pytest.mark.parametrize(
    "raw,readable",
    [("ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "UBND tỉnh Thanh Hóa"),
     ("UBND HUYỆN NHƯ XUÂN", "UBND huyện Như Xuân"),
     ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "UBND thành phố Hồ Chí Minh"),
     ("HỘI ĐỒNG NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU", "HĐND tỉnh Bà Rịa - Vũng Tàu"),
     ("QUỐC HỘI", "Quốc hội"), ("CHÍNH PHỦ", "Chính phủ"), ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
     ("BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "Bộ Thông tin và Truyền thông"),
     ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
     ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở Kế hoạch và Đầu tư"),
     ("BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH THANH HÓA", "Ban Chỉ đạo chuyển đổi số tỉnh Thanh Hóa"),
     ("BỘ CHỈ HUY QUÂN SỰ TỈNH THANH HÓA", "Bộ Chỉ huy Quân sự tỉnh Thanh Hóa"),
     ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
     ("Một cơ quan viết thường", "Một cơ quan viết thường")],
)
def test_readable_issuer(raw: str, readable: str) -> None:
    assert readable_issuer(raw) == readable


def test_sentence_case_keeps_acronyms_and_places() -> None:
    assert sentence_case("KẾ HOẠCH ỨNG DỤNG CNTT CỦA UBND TỈNH THANH HÓA VÀ HÀ NỘI") == (
        "Kế hoạch ứng dụng CNTT của UBND tỉnh Thanh Hóa và Hà Nội"
    )


# --------------------------------------------------------------------------------------
# News
# --------------------------------------------------------------------------------------


def test_seed_article_is_news_not_the_plan() -> None:
    meta = extract_metadata(seed_text(), "plan225-vov-article.txt")
    assert meta == DocumentMeta(
        doc_type="Bài báo", outlet="VOV.VN",
        title="Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025",
    )


def test_news_reporting_on_a_numbered_plan_does_not_take_its_number() -> None:
    text = (
        "Thanh Hóa đẩy mạnh phát triển hạ tầng số\n"
        "(Chinhphu.vn) - Ngày 15/9/2023, UBND tỉnh Thanh Hóa ban hành Kế hoạch số 225/KH-UBND "
        "về phát triển hạ tầng số.\nSố: 225/KH-UBND là văn bản quan trọng..."
    )
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.outlet, meta.number, meta.issuer) == ("Bài báo", "Chinhphu.vn", "", "")
    assert meta.title == "Thanh Hóa đẩy mạnh phát triển hạ tầng số"
    assert "225/KH-UBND" in document_references(text)


@pytest.mark.parametrize(
    "marker,outlet",
    [("(TTXVN) - ", "TTXVN"), ("Baothanhhoa.vn - ", "Baothanhhoa.vn"), ("VTV.vn - ", "VTV.vn"),
     ("Báo Thanh Hóa - ", "Báo Thanh Hóa")],
)
def test_outlet_markers(marker: str, outlet: str) -> None:
    meta = extract_metadata(f"Tiêu đề bài viết về chuyển đổi số\n{marker}Nội dung bài viết.")
    assert (meta.doc_type, meta.outlet, meta.title) == ("Bài báo", outlet, "Tiêu đề bài viết về chuyển đổi số")


def test_news_date_line() -> None:
    meta = extract_metadata("Tiêu đề\nThứ Sáu, 15/09/2023 14:30\nVOV.VN - Nội dung.")
    assert meta.date == "2023-09-15"


def test_body_sentence_starting_with_a_type_word_is_not_a_type_line() -> None:
    meta = extract_metadata("Kế hoạch này nhằm phát triển hạ tầng số.\nKế hoạch số 225 được ban hành.")
    assert meta.doc_type == "" and meta.number == ""
    assert meta.title == "Kế hoạch này nhằm phát triển hạ tầng số."


# --------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------


def test_references_of_the_seed_article() -> None:
    assert document_references(seed_text()) == ["Kế hoạch 225"]


def test_references_in_a_plan_body() -> None:
    refs = document_references(PLAN_225)
    assert refs[:2] == ["225/KH-UBND", "Kế hoạch 225"]
    for expected in ("411/QĐ-TTg", "Quyết định 411", "12/KH-UBND", "Kế hoạch 12"):
        assert expected in refs
    assert len(refs) == len(set(refs))


def test_references_normalise_forms_and_skip_dates() -> None:
    text = (
        "Căn cứ Luật số 24/2018/QH14, Nghị định số 13 / 2023 / NĐ-CP, Nghị quyết số 52-NQ/TW, "
        "kế hoạch số 88 và Thông tư 03/2023/TT-BTTTT; ngày 15/9/2023; giai đoạn 2023-2025; mạng 4G/5G; 100 Mb/s."
    )
    assert document_references(text) == [
        "24/2018/QH14", "13/2023/NĐ-CP", "Nghị định 13", "52-NQ/TW", "Nghị quyết 52", "Kế hoạch 88",
        "03/2023/TT-BTTTT", "Thông tư 03",
    ]


# --------------------------------------------------------------------------------------
# Fallbacks and robustness
# --------------------------------------------------------------------------------------


def test_fallback_title_is_first_line_trimmed() -> None:
    long_line = "Ghi chú cuộc họp về chuyển đổi số " * 20
    meta = extract_metadata("\n\n  " + long_line + "\nDòng thứ hai")
    assert meta.title == long_line.strip()[:200].rstrip()
    assert len(meta.title) <= 200 and meta.doc_type == ""


def test_fallback_title_is_file_stem_for_empty_text() -> None:
    assert extract_metadata("", "thu-muc/bien-ban-hop.docx").title == "bien-ban-hop"
    assert extract_metadata("  \n ", "C:\\tai-lieu\\ghi-chu.txt").title == "ghi-chu"
    assert extract_metadata("") == DocumentMeta()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(PLAN_225 + "|\t/-:()0123456789 \n")), max_size=400))
def test_never_fails_and_always_titles(text: str) -> None:
    meta = extract_metadata(text, "du-phong.txt")
    assert meta.title
    assert len(meta.title) <= 300
    if meta.date:
        assert len(meta.date) == 10
