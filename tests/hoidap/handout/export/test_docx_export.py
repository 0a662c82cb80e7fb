"""DOCX export, opened again with python-docx."""
from __future__ import annotations

from handout_samples import XSS_FILE, hits_of

from hoidap import handout as HO


def test_docx_is_readable_and_contains_the_cited_items(handout, tmp_path):
    import docx

    removed = next(q for q in handout.questions)
    keep = [it.key for it in handout.all_items() if it.key != removed.key]
    path = HO.to_docx(handout.select(keep), tmp_path / "tap-huan.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Tài liệu tập huấn: hạ tầng số" in text
    assert "1. Mục tiêu, chỉ tiêu chính" in text and "3. Câu hỏi ôn tập" in text
    cloud = next(t for t in handout.targets if "Trung tâm dữ liệu" in t.text and "888" in t.reference)
    assert f"{cloud.text} (Nguồn: {cloud.reference})" in text
    assert "Sở Thông tin và Truyền thông (chủ trì; phối hợp với: các sở, ngành, địa phương)" in text
    assert removed.text not in text
    assert text.count("(Nguồn: ") >= len(handout.targets) + len(handout.responsibilities)


def test_docx_survives_control_characters_and_markup(tmp_path):
    import docx

    hit = hits_of(XSS_FILE)[0]
    hit.passage.text = hit.passage.text + "\x00\x0b ký tự điều khiển"
    path = HO.to_docx(HO.build_handout("kiểm tra", [hit]), tmp_path / "x.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "<script>alert(1)</script>" in text  # literal text in Word, never markup
    assert "ký tự điều khiển" in text


def test_docx_follows_decree_30_layout_and_has_real_properties(handout, tmp_path):
    """A4, margins, Times New Roman 13, PAGE field centred from page 2, agency block, properties, sources."""
    from datetime import datetime, timedelta, timezone

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    handout.agency = "Sở Thông tin và Truyền thông tỉnh Thanh Hóa"
    try:
        path = HO.to_docx(handout, tmp_path / "nd30.docx")
    finally:
        handout.agency = ""
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:ascii")) == "Times New Roman" and fonts.get(qn("w:asciiTheme")) is None
    # page numbers: a PAGE field in the (centred) header, a different, empty first-page header
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert any((t.text or "").strip() == "PAGE" for t in header._p.iter(qn("w:instrText")))
    assert not section.first_page_header.paragraphs[0].text
    # agency and national motto block, date line
    block = "\n".join(c.text for c in doc.tables[0].rows[0].cells)
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH THANH HÓA" in block
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in block and "Độc lập - Tự do - Hạnh phúc" in block
    assert f"năm {datetime.now().year}" in block
    props = doc.core_properties
    assert props.author == props.last_modified_by == "Sở Thông tin và Truyền thông tỉnh Thanh Hóa"
    assert props.title == "Tài liệu tập huấn: hạ tầng số" and "python-docx" not in (props.comments or "")
    created = props.created.replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - created) < timedelta(minutes=5)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Phần mở đầu" not in text
    for source in handout.sources:  # numbered source list with full citations
        assert f"] {source.citation}" in text
    assert "Văn bản trích dẫn" in text
