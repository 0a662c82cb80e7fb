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
