"""Page furniture and wrapped lines (indexer/readers/layout.py), on measured lines."""
from __future__ import annotations

from indexer.readers.layout import Line, drop_chrome, is_chrome_text, reflow

H = 842.0


def page(body: list[str], header: str, footer: str) -> list[Line]:
    lines = [Line(header, 20, 30, 300)]
    lines += [Line(t, 100 + 20 * i, 112 + 20 * i, 500) for i, t in enumerate(body)]
    return lines + [Line(footer, 810, 820, 560)]


def test_repeated_headers_footers_and_page_numbers_are_dropped() -> None:
    pages = [page([f"Nội dung trang {i}."], "UBND TỈNH THANH HÓA - Kế hoạch 225", f"Trang {i}/3") for i in (1, 2, 3)]
    kept = drop_chrome(pages, [H] * 3)
    assert [[ln.text for ln in p] for p in kept] == [[f"Nội dung trang {i}."] for i in (1, 2, 3)]


def test_a_heading_at_the_top_of_one_page_stays() -> None:
    first = [Line("ỦY BAN NHÂN DÂN", 30, 42, 150), Line("Nội dung.", 100, 112, 500)]
    assert [ln.text for ln in drop_chrome([first], [H])[0]] == ["ỦY BAN NHÂN DÂN", "Nội dung."]


def test_browser_lines_look_like_chrome() -> None:
    for text in ("11/30/26, 9:01 AM Kế hoạch 225", "file:///tmp/ke-hoach.html 1/3", "Trang 3/12", "- 3 -", "3"):
        assert is_chrome_text(text), text
    assert not is_chrome_text("Căn cứ Luật Viễn thông ngày 23 tháng 11 năm 2009;")


def test_lines_wrapped_at_a_shared_margin_are_joined() -> None:
    lines = [Line("Phát triển hạ tầng số đồng bộ, hiện đại, làm nền tảng cho", right=500),
             Line("chuyển đổi số của tỉnh, phục vụ chính quyền số, kinh tế số", right=500),
             Line("và xã hội số.", right=200),
             Line("Các sở, ban, ngành xác định nhiệm vụ cụ thể, có lộ trình và", right=500),
             Line("2. Yêu cầu", right=120)]
    assert reflow(lines).split("\n") == [
        "Phát triển hạ tầng số đồng bộ, hiện đại, làm nền tảng cho chuyển đổi số của tỉnh, phục vụ chính quyền "
        "số, kinh tế số và xã hội số.",
        "Các sở, ban, ngành xác định nhiệm vụ cụ thể, có lộ trình và",
        "2. Yêu cầu",
    ]


def test_ocr_lines_join_only_when_the_next_starts_in_lower_case() -> None:
    lines = [Line("Căn cứ Quyết định số 999/QĐ-TTg của Thủ tướng"), Line("Chính phủ phê duyệt"), Line("chương trình.")]
    assert reflow(lines) == "Căn cứ Quyết định số 999/QĐ-TTg của Thủ tướng\nChính phủ phê duyệt chương trình."
