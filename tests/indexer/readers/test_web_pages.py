"""Publishers are not issuers (issue 12): a news page is cited by outlet, date and address."""
from __future__ import annotations

from indexer.readers import load_bytes
from indexer.types import NEWS_LABEL

NEWS_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số | Báo điện tử VOV</title>
<meta property="og:site_name" content="VOV.VN">
<meta property="og:url" content="https://vov.vn/xa-hoi/thanh-hoa-ban-hanh-ke-hoach-phat-trien-ha-tang-so-post1046093.vov">
<meta property="article:published_time" content="2023-09-16T08:30:00+07:00">
</head><body><article>
<h1>Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025</h1>
<p>UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225/KH-UBND về phát triển hạ tầng số trên địa bàn tỉnh.</p>
<p>Mục tiêu đến năm 2025, 100% thôn, bản được phủ sóng 4G.</p>
</article></body></html>"""


def test_a_news_page_states_publisher_date_and_address() -> None:
    doc = load_bytes(NEWS_PAGE.encode(), "vov-225.html")
    m = doc.meta
    assert m.is_news and m.type_label == NEWS_LABEL == "Bài báo / trang tin"
    assert (m.outlet, m.date, m.issuer, m.number) == ("VOV.VN", "2023-09-16", "", "")
    assert m.url.startswith("https://vov.vn/xa-hoi/thanh-hoa-")
    assert m.title == "Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025"


def test_the_publisher_comes_from_the_address_when_the_page_names_none() -> None:
    page = NEWS_PAGE.replace('<meta property="og:site_name" content="VOV.VN">', "")
    page = page.replace("https://vov.vn/", "https://www.baothanhhoa.vn/")
    assert load_bytes(page.encode(), "bao.html").meta.outlet == "BAOTHANHHOA.VN"


def test_an_official_document_saved_as_a_page_keeps_its_issuer() -> None:
    body = "".join(f"<p>{line}</p>" for line in (
        "ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "Số: 225/KH-UBND", "Thanh Hóa, ngày 15 tháng 9 năm 2023",
        "KẾ HOẠCH", "Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa", "I. MỤC ĐÍCH, YÊU CẦU"))
    page = ('<html><head><meta property="og:site_name" content="Cổng thông tin điện tử tỉnh">'
            '<link rel="canonical" href="https://thanhhoa.gov.vn/van-ban/225"></head><body>' + body + "</body></html>")
    m = load_bytes(page.encode(), "vb.html").meta
    assert (m.doc_type, m.number, m.issuer) == ("Kế hoạch", "225/KH-UBND", "UBND tỉnh Thanh Hóa")
    assert not m.is_news and m.url == "https://thanhhoa.gov.vn/van-ban/225"
