"""Tests for indexer.text.sentences (sentence spans) on real Vietnamese text."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.indexer.text.text_samples import SEED, VIETNAMESE_ISH

from indexer.text import sentence_spans, sentences

# --------------------------------------------------------------------------- sentences


def test_sentence_spans_basic() -> None:
    text = "  Phát triển hạ tầng số. Nâng cao chất lượng mạng 4G!  Phổ cập Internet?\n"
    assert sentences(text) == [
        "Phát triển hạ tầng số.",
        "Nâng cao chất lượng mạng 4G!",
        "Phổ cập Internet?",
    ]
    for a, b in sentence_spans(text):
        assert text[a:b] == text[a:b].strip()


def test_sentence_spans_newline_always_ends() -> None:
    assert sentences("Mục tiêu chung\nPhát triển hạ tầng số") == ["Mục tiêu chung", "Phát triển hạ tầng số"]


@pytest.mark.parametrize(
    "text",
    [
        "Triển khai mạng 5G tại TP. Thanh Hóa và thị xã Nghi Sơn.",
        "Hội thảo do ThS. Nguyễn Văn An và TS. Lê Thị Bình chủ trì.",
        "Đ/c Quyết chỉ đạo các sở, ngành, v.v. Thực hiện nghiêm.",
        "Tỷ lệ tăng 2.5 lần, tổng vốn 1.000.000 đồng.",
        "Ngày 15/9/2023, UBND tỉnh ban hành Kế hoạch số 225/KH-UBND.",
        "Xem chi tiết tại https://vov.vn/kinh-te/thanh-hoa.html hoặc gửi thư tới so.tttt@thanhhoa.gov.vn.",
        "Ông nói: “Hạ tầng đi trước… Dữ liệu đi cùng” - ông Quyết nhấn mạnh.",
        "1. Mục tiêu chung",
        "1.1. Mạng di động",
        "a) Hạ tầng viễn thông băng rộng",
        "II. MỤC TIÊU",
        "TT. Bút Sơn và Tp. Sầm Sơn đạt 100%.",
    ],
)
def test_sentence_spans_no_false_boundary(text: str) -> None:
    assert sentences(text) == [text]


def test_sentence_spans_semicolon_and_ellipsis() -> None:
    text = "Đáp ứng nhu cầu thông tin; Sẵn sàng kết nối. Thúc đẩy chuyển dịch dịch vụ…. Ông Quyết cho biết."
    assert sentences(text) == [
        "Đáp ứng nhu cầu thông tin;",
        "Sẵn sàng kết nối.",
        "Thúc đẩy chuyển dịch dịch vụ….",
        "Ông Quyết cho biết.",
    ]


def test_sentence_spans_seed_article() -> None:
    spans = sentence_spans(SEED)
    got = [SEED[a:b] for a, b in spans]
    assert got[0] == "Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025"
    assert "Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G." in got
    # quoted speech with ";" inside stays one sentence up to the closing quote
    quote = [s for s in got if s.startswith("“Tập trung")]
    assert len(quote) == 1 and quote[0].endswith("ông Đỗ Hữu Quyết nói.")
    assert all(s == s.strip() and s for s in got)




@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), VIETNAMESE_ISH))
def test_sentence_spans_property(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        assert "\n" not in text[a:b]
        last = b
    # everything outside the spans is whitespace
    covered = "".join(text[a:b] for a, b in spans)
    assert len(re.sub(r"\s", "", covered)) == len(re.sub(r"\s", "", text))


