"""Slides: opened again with python-pptx; sizes, fonts, citations, notes, and no text box overflows."""
from __future__ import annotations

from dataclasses import replace

import pytest
from pptx import Presentation
from pptx.util import Emu

from hoidap import handout as HO
from hoidap.handout.export.slides import overflowing


@pytest.fixture(scope="module")
def deck(handout, tmp_path_factory):
    path = HO.to_pptx(handout, tmp_path_factory.mktemp("slides") / "tap-huan.pptx")
    return Presentation(str(path))


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) + "\n".join(
        c.text_frame.text for s in slide.shapes if s.has_table for row in s.table.rows for c in row.cells)


def test_deck_has_title_targets_duties_quiz_and_sources(deck, handout):
    slides = list(deck.slides)
    assert (Emu(deck.slide_width).pt, Emu(deck.slide_height).pt) == (960, 540)  # 16:9
    assert "TÀI LIỆU TẬP HUẤN" in _texts(slides[0]) and "hạ tầng số" in _texts(slides[0])
    titles = [_texts(s).split("\n")[0] for s in slides]
    assert any(t.startswith("Mục tiêu — Kế hoạch số 888/KH-UBND") for t in titles)
    assert any(t.startswith("Phân công trách nhiệm") for t in titles)
    quiz = [s for s, t in zip(slides, titles) if t.startswith("Câu hỏi ôn tập")]
    assert len(quiz) == len(handout.questions)
    for slide, q in zip(quiz, handout.questions):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith("Đáp án: ") and q.reference in notes
    assert titles[-1].startswith("Văn bản trích dẫn")
    for source in handout.sources:
        assert source.citation in "\n".join(_texts(s) for s in slides[-2:])


def test_every_bullet_carries_its_source_and_fonts_are_large(deck):
    for slide in list(deck.slides)[1:]:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            paragraphs = [p for p in shape.text_frame.paragraphs if p.runs]
            for i, p in enumerate(paragraphs):
                assert all(r.font.size.pt >= 16 for r in p.runs)
                if p.runs[0].text.startswith("• ") and not _texts(slide).startswith("Văn bản trích dẫn"):
                    assert paragraphs[i + 1].runs[0].text.startswith("Nguồn: ")


def test_no_text_box_overflows_its_slide(deck):
    assert overflowing(deck) == []


def test_long_items_are_continued_on_more_slides_not_overflowed(handout, tmp_path):
    """Forty long targets: pagination adds slides ("(tiếp)") instead of running off the slide."""
    long_text = handout.targets[0].text + ", " + ", ".join(t.text for t in handout.targets[1:4])
    many = replace(handout, targets=[replace(handout.targets[0], key=f"t{i}", text=long_text) for i in range(40)])
    deck = Presentation(str(HO.to_pptx(many, tmp_path / "dai.pptx")))
    assert overflowing(deck) == []
    assert any("(tiếp)" in _texts(s) for s in deck.slides)


def test_overflow_check_sees_an_overfull_box(tmp_path):
    from pptx.util import Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(Pt(40), Pt(40), Pt(300), Pt(60))
    box.text_frame.word_wrap = True
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "Phổ cập Internet băng rộng, đặc biệt là khu vực miền núi, vùng sâu, vùng xa " * 3
    run.font.size = Pt(24)
    assert overflowing(prs) and "overflows" in overflowing(prs)[0]
