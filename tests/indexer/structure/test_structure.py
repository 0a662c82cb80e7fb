"""Tests for indexer.structure (and the heading grammar, indexer.headings) on plan/law fixtures in real administrative style and the seed article."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.citation import section_citation, section_label
from indexer.structure import (
    Heading,
    classify_heading,
    parse_outline,
    split_passages,
)
from indexer.text import sentence_spans, syllable_count
from indexer.types import Document

ROOT = Path(__file__).resolve().parents[3]
PLAN = (ROOT / "tests" / "fixtures" / "plan_ke_hoach_mau.txt").read_text(encoding="utf-8")
LAW = (ROOT / "tests" / "fixtures" / "luat_mau.txt").read_text(encoding="utf-8")
SEED = (ROOT / "corpus" / "plan225-vov-article.txt").read_text(encoding="utf-8")


def _doc(text: str, doc_id: str = "d") -> Document:
    return Document(doc_id=doc_id, source=doc_id, text=text)


def _check_invariants(doc: Document, passages: list) -> None:
    """Exact offsets, order, no overlap, only whitespace left out, ids 0..n-1."""
    last = 0
    for n, p in enumerate(passages):
        assert p.passage_id == f"{doc.doc_id}#{n}"
        assert p.text == doc.text[p.start : p.end]
        assert p.text and p.text == p.text.strip()
        assert p.start >= last
        assert doc.text[last : p.start].strip() == ""
        last = p.end
    assert doc.text[last:].strip() == ""


def _by_label(passages: list) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in passages:
        out.setdefault(p.section, []).append(p)
    return out


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        ("Phần thứ nhất", "phan", "thứ nhất"),
        ("PHẦN I. TÌNH HÌNH CHUNG", "phan", "I"),
        ("Chương I", "chuong", "I"),
        ("CHƯƠNG II. ĐẦU TƯ HẠ TẦNG SỐ", "chuong", "II"),
        ("Mục 1. ĐẦU TƯ CÔNG", "muc", "1"),
        ("Điều 5. Hiệu lực thi hành", "dieu", "5"),
        ("Điều 5: Hiệu lực thi hành", "dieu", "5"),
        ("**Điều 12. Trách nhiệm của Bộ**", "dieu", "12"),
        ("I. MỤC ĐÍCH, YÊU CẦU", "roman", "I"),
        ("IV - TỔ CHỨC THỰC HIỆN", "roman", "IV"),
        ("  1. Mục tiêu chung", "item", "1"),
        ("2) Sở Tài chính", "item", "2"),
        ("3/ Ủy ban nhân dân các huyện", "item", "3"),
        ("1.1. Mạng di động", "subitem", "1.1"),
        ("1.2.3. Trạm BTS", "subitem", "1.2.3"),
        ("a) Hạ tầng viễn thông băng rộng", "point", "a"),
        ("đ) Hạ tầng dữ liệu", "point", "đ"),
        ("## II. MỤC TIÊU", "roman", "II"),
    ],
)
def test_classify_heading(line: str, kind: str, label: str) -> None:
    m = classify_heading(line)
    assert m is not None and (m.kind, m.label) == (kind, label)


@pytest.mark.parametrize(
    "line",
    [
        "2025.",
        "100%.",
        "15/9/2023 UBND tỉnh ban hành Kế hoạch",
        "1.000.000 đồng cho mỗi trạm",
        "- Tổng hợp, báo cáo kết quả",
        "+ Rà soát hạ tầng",
        "• Phủ sóng 4G",
        "Mục tiêu chung",
        "Điều kiện kinh tế - xã hội",
        "IIX. Không phải số La Mã",
        "f) không phải chữ cái tiếng Việt dùng cho điểm",
        "1.",
        "VOV.VN - UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225",
        "Mục 2 của Kế hoạch nêu rõ trách nhiệm của các sở",
        "Phần 1 của báo cáo đánh giá kết quả",
        "",
    ],
)
def test_not_headings(line: str) -> None:
    assert classify_heading(line) is None


def test_outline_plan() -> None:
    outline = parse_outline(PLAN)
    assert all(isinstance(h, Heading) for h in outline)
    romans = [h.label for h in outline if h.kind == "roman"]
    assert romans == ["I", "II", "III", "IV"]
    # numbering restarts under each Roman section, points under items
    b = next(h for h in outline if h.kind == "point" and h.label == "b")
    parent = outline[b.parent]
    assert (parent.kind, parent.label) == ("item", "2")
    assert (outline[parent.parent].kind, outline[parent.parent].label) == ("roman", "II")
    assert b.level == 2
    assert PLAN[b.start : b.end].startswith("b) Hạ tầng trung tâm dữ liệu")
    assert b.title == "Hạ tầng trung tâm dữ liệu và điện toán đám mây"
    sub = next(h for h in outline if h.kind == "subitem" and h.label == "1.1")
    assert outline[sub.parent].label == "1" and sub.title == "Mạng di động"
    # a long numbered item: the label is the text up to ":"
    item = next(h for h in outline if h.text.startswith("1. Sở Thông tin"))
    assert item.text == "1. Sở Thông tin và Truyền thông"
    # "2025." on its own line is not a heading
    assert not any(PLAN[h.start : h.end].strip() == "2025." for h in outline)


def test_outline_law() -> None:
    outline = parse_outline(LAW)
    kinds = [(h.kind, h.label, h.level) for h in outline]
    assert kinds[:8] == [
        ("chuong", "I", 0),
        ("dieu", "1", 1),
        ("dieu", "2", 1),
        ("khoan", "1", 2),
        ("diem", "a", 3),
        ("diem", "b", 3),
        ("diem", "c", 3),
        ("khoan", "2", 2),
    ]
    chuong = outline[0]
    # title on the next line is part of the heading
    assert chuong.text == "Chương I. NHỮNG QUY ĐỊNH CHUNG"
    assert LAW[chuong.start : chuong.end] == "Chương I\nNHỮNG QUY ĐỊNH CHUNG"
    muc = next(h for h in outline if h.kind == "muc")
    assert outline[muc.parent].label == "II" and muc.title == "ĐẦU TƯ CÔNG"
    dieu4 = next(h for h in outline if h.kind == "dieu" and h.label == "4")
    assert outline[dieu4.parent] == muc


def test_outline_title_after_blank_line() -> None:
    text = "Phần thứ ba\n\nNGHĨA VỤ VÀ HỢP ĐỒNG\n\nChương XV\n\nQUY ĐỊNH CHUNG\n\nĐiều 274. Nghĩa vụ\nNội dung."
    outline = parse_outline(text)
    assert [h.text for h in outline] == [
        "Phần thứ ba. NGHĨA VỤ VÀ HỢP ĐỒNG",
        "Chương XV. QUY ĐỊNH CHUNG",
        "Điều 274. Nghĩa vụ",
    ]
    assert text[outline[0].start : outline[0].end] == "Phần thứ ba\n\nNGHĨA VỤ VÀ HỢP ĐỒNG"
    assert section_label(tuple(h.text for h in outline)) == "Phần thứ ba > Chương XV > Điều 274"


def test_outline_markdown_and_indent() -> None:
    text = "## **Chương II**\n**ĐẦU TƯ**\n   **Điều 7.** Phạm vi\n    1. Nội dung thứ nhất\n\ta) Điểm thứ nhất\n"
    kinds = [(h.kind, h.label) for h in parse_outline(text)]
    assert kinds == [("chuong", "II"), ("dieu", "7"), ("khoan", "1"), ("diem", "a")]


def test_roman_in_prose_not_heading() -> None:
    text = "Tư tưởng của V. I. Lênin được nhắc đến.\nX. Tiếp theo là nội dung khác.\nC. GIẢI PHÁP"
    assert parse_outline(text) == []
    assert parse_outline("15/9/2023 họp\n1/2 số hộ gia đình") == []


# --------------------------------------------------------------------------- labels


def test_section_label_and_citation() -> None:
    plan = ("II. NHIỆM VỤ, GIẢI PHÁP", "1. Phát triển hạ tầng viễn thông", "a) Hạ tầng băng rộng")
    assert section_label(plan) == "Mục II > 1 > a"
    assert section_citation(plan) == "Mục II, khoản 1, điểm a"
    law = ("Chương II. ĐẦU TƯ", "Điều 5. Đầu tư công", "1. Nhà nước đầu tư", "a) Vùng khó khăn")
    assert section_label(law) == "Chương II > Điều 5 > khoản 1 > điểm a"
    assert section_citation(law) == "Chương II, Điều 5, khoản 1, điểm a"
    assert section_label(()) == "" and section_citation(()) == ""
    assert section_label(("III. NHIỆM VỤ", "1. Hạ tầng", "1.1. Mạng di động")) == "Mục III > 1 > 1.1"
    assert section_label(("Phần thứ nhất", "I. ĐÁNH GIÁ")) == "Phần thứ nhất > Mục I"


# --------------------------------------------------------------------------- passages


def test_plan_passages() -> None:
    doc = _doc(PLAN, "plan")
    passages = split_passages(doc)
    _check_invariants(doc, passages)
    labels = _by_label(passages)
    b = labels["Mục II > 2 > b"]
    assert len(b) == 1
    assert b[0].text.startswith("b) Hạ tầng trung tâm dữ liệu và điện toán đám mây: 100% dịch vụ")
    assert b[0].section_path == (
        "II. MỤC TIÊU",
        "2. Mục tiêu cụ thể",
        "b) Hạ tầng trung tâm dữ liệu và điện toán đám mây",
    )
    assert b[0].section == "Mục II > 2 > b"
    # heading lines without body are kept with the first child: "II." + "1." + body
    first = labels["Mục II > 1"][0]
    assert first.text.startswith("II. MỤC TIÊU\n1. Mục tiêu chung\nPhát triển")
    a = labels["Mục II > 2 > a"][0]
    assert a.text.startswith("2. Mục tiêu cụ thể\na) Hạ tầng viễn thông băng rộng: 100% thôn")
    # tiny point "d) Hoàn thành." is merged into its previous sibling; the passage
    # then holds "c)" and "d)" and is labelled with their parent, so a citation stays true
    assert "Mục II > 2 > d" not in labels and "Mục II > 2 > c" not in labels
    cd = labels["Mục II > 2"]
    assert len(cd) == 1 and cd[0].text.startswith("c) Hạ tầng công nghệ số") and cd[0].text.endswith("d) Hoàn thành.")
    assert cd[0].section_path == ("II. MỤC TIÊU", "2. Mục tiêu cụ thể")
    # bullets belong to their item
    org = labels["Mục IV > 1"][0]
    assert org.text.startswith("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Thông tin và Truyền thông: Chủ trì")
    assert org.text.endswith("- Tham mưu điều chỉnh, bổ sung Kế hoạch khi cần thiết.")
    # the preamble has no section; the signature block is not part of item IV.3
    assert passages[0].section_path == () and passages[0].text.startswith("ỦY BAN NHÂN DÂN")
    assert passages[-1].section_path == () and passages[-1].text.startswith("Nơi nhận:")


def test_long_item_split_at_sentence_boundaries() -> None:
    doc = _doc(PLAN, "plan")
    passages = split_passages(doc, max_syllables=200)
    parts = [p for p in passages if p.section == "Mục III > 1 > 1.1"]
    assert len(parts) >= 2
    # the heading lines stay with the first part
    assert parts[0].text.startswith("III. NHIỆM VỤ, GIẢI PHÁP\n1. Phát triển hạ tầng viễn thông\n1.1. Mạng di động")
    body_start = PLAN.index("Thực hiện phủ sóng")
    body_end = PLAN.index("\n", body_start)
    boundaries = {body_start + b for _, b in sentence_spans(PLAN[body_start:body_end])}
    boundaries |= {body_start + a for a, _ in sentence_spans(PLAN[body_start:body_end])}
    for p in parts:
        assert syllable_count(p.text) <= 200
        if body_start < p.start < body_end:
            assert p.start in boundaries
        if body_start < p.end < body_end:
            assert p.end in boundaries
    assert parts[-1].end == body_end


def test_single_long_sentence_split_only_when_over_twice_limit() -> None:
    words = " ".join(["phát triển hạ tầng số"] * 12)  # 60 syllables, no punctuation
    sentence = "1. Mục tiêu: " + ", ".join([words] * 3) + "."  # one sentence, ~185 syllables
    doc = _doc(sentence)
    assert len(split_passages(doc, max_syllables=100)) == 1  # < 2x limit: kept whole
    parts = split_passages(doc, max_syllables=50)  # > 2x limit: split at ","
    assert len(parts) >= 2
    _check_invariants(doc, parts)
    assert all(p.text.endswith((",", ".")) for p in parts)


def test_law_passages() -> None:
    doc = _doc(LAW, "luat")
    passages = split_passages(doc)
    _check_invariants(doc, passages)
    labels = _by_label(passages)
    a = labels["Chương I > Điều 2 > khoản 1 > điểm a"]
    assert len(a) == 1 and a[0].text.startswith("a) Hạ tầng viễn thông băng rộng")
    assert a[0].section_path[:2] == ("Chương I. NHỮNG QUY ĐỊNH CHUNG", "Điều 2. Giải thích từ ngữ")
    assert section_citation(a[0].section_path) == "Chương I, Điều 2, khoản 1, điểm a"
    # an article's heading is kept with its body
    d1 = labels["Chương I > Điều 1"][0]
    assert d1.text.startswith("Chương I\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\nLuật này quy định")
    d2 = labels["Chương I > Điều 2"][0]
    assert d2.text == "Điều 2. Giải thích từ ngữ\nTrong Luật này, các từ ngữ dưới đây được hiểu như sau:"
    # a one-paragraph article is one passage
    d3 = labels["Chương I > Điều 3"]
    assert len(d3) == 1 and d3[0].text.startswith("Điều 3. Nguyên tắc")
    # Chương II + Mục 1 + Điều 4 headings join the first khoản
    k1 = labels["Chương II > Mục 1 > Điều 4 > khoản 1"][0]
    assert k1.text.startswith("Chương II\nĐẦU TƯ HẠ TẦNG SỐ\n\nMục 1. ĐẦU TƯ CÔNG\n\nĐiều 4.")
    # a short last article is not merged into another article
    d5 = labels["Chương II > Mục 1 > Điều 5"]
    assert d5[0].text == "Điều 5. Hiệu lực thi hành\nLuật này có hiệu lực từ ngày 01/7/2025."


def test_seed_article_prose_split() -> None:
    doc = _doc(SEED, "plan225-vov-article")
    passages = split_passages(doc)
    _check_invariants(doc, passages)
    assert len(passages) >= 3
    assert all(p.section_path == () for p in passages)
    # the headline is kept with the first paragraph
    assert passages[0].text.startswith("Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025\nVOV.VN")
    for p in passages:
        assert syllable_count(p.text) <= 200
        # prose passages end at a paragraph end (each paragraph is shorter than the limit)
        assert p.end == len(SEED) or SEED[p.end] == "\n"


def test_paragraph_packing_and_page() -> None:
    paras = [f"Đoạn văn thứ {i} nói về hạ tầng số của tỉnh Thanh Hóa trong giai đoạn mới." for i in range(30)]
    text = "\n\n".join(paras)
    doc = Document(doc_id="p", source="p", text=text, page_starts=[0, len(text) // 2])
    passages = split_passages(doc, max_syllables=60)
    _check_invariants(doc, passages)
    assert 1 < len(passages) < 30  # short paragraphs packed together
    assert passages[0].page == 1 and passages[-1].page == 2


def test_empty_and_whitespace() -> None:
    assert split_passages(_doc("")) == []
    assert split_passages(_doc(" \n\n\t ")) == []


def test_speed() -> None:
    """Linear and fast: a ~1 MB plan-like document in well under a few seconds."""
    import time

    text = (PLAN + "\n" + LAW + "\n") * 150
    t = time.perf_counter()
    passages = split_passages(_doc(text))
    elapsed = time.perf_counter() - t
    assert len(passages) > 1000
    assert elapsed < 10, elapsed


# --------------------------------------------------------------------------- properties

PIECES = st.sampled_from(
    [
        "I. MỤC TIÊU\n", "II - NHIỆM VỤ\n", "1. Mục tiêu chung\n", "1.1. Mạng di động\n", "a) Hạ tầng: ",
        "Điều 5. Hiệu lực\n", "Chương I\n", "Mục 1\n", "Phần thứ nhất\n", "- bullet ", "2025.\n",
        "Phát triển hạ tầng số. ", "Ông nói: “Tốt… Rất tốt”. ", "TP. Thanh Hóa ", "100% ", "\n\n",
        "15/9/2023 ", "225/KH-UBND; ", "x" * 30 + " ", "**", "  ", "\t", "\r\n", "Nơi nhận:\n",
    ]
)
STRUCTURED = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=60).map("".join)


@settings(max_examples=250, deadline=None)
@given(st.one_of(st.text(max_size=300), STRUCTURED), st.integers(1, 60), st.integers(0, 20))
def test_split_passages_property(text: str, max_syl: int, min_syl: int) -> None:
    doc = _doc(text)
    passages = split_passages(doc, max_syllables=max_syl, min_syllables=min_syl)
    _check_invariants(doc, passages)
    for p in passages:
        assert isinstance(p.section, str)
        assert re.sub(r"\s", "", p.text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), STRUCTURED))
def test_parse_outline_property(text: str) -> None:
    outline = parse_outline(text)
    last = -1
    for i, h in enumerate(outline):
        assert 0 <= h.start < h.end <= len(text) or (h.start == h.end == len(text))
        assert h.start > last
        last = h.start
        assert -1 <= h.parent < i
        assert h.level == (outline[h.parent].level + 1 if h.parent >= 0 else 0)
