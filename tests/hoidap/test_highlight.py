"""Where query terms occur in a passage (hoidap.highlight): surface forms, accents, codes."""
from __future__ import annotations

from hoidap import highlight as H


def test_accented_terms_highlight_their_surface_forms():
    text = "Phát triển hạ tầng số; Hạ  tầng viễn thông của Thanh Hoá."
    spans = H.term_spans(text, ["hạ_tầng", "hóa"])
    assert [text[a:b] for a, b in spans] == ["hạ tầng", "Hạ  tầng", "Hoá"]
    # an accented term does not match other tones
    assert H.term_spans("hà tầng, hạ tầng", ["hạ_tầng"]) == [(9, 16)]


def test_unaccented_query_highlights_diacritic_insensitively_and_joins_neighbours():
    text = "Kế hoạch phát triển hạ tầng số tỉnh Thanh Hóa"
    spans = H.term_spans(text, ["ha", "tang", "so", "thanh", "hoa"], accent_insensitive=True)
    assert [text[a:b] for a, b in spans] == ["hạ tầng số", "Thanh Hóa"]


def test_codes_and_numbers_highlight():
    text = "Kế hoạch số 225/KH-UBND: 100% dịch vụ"
    spans = H.term_spans(text, ["225/kh-ubnd", "100"])
    assert [text[a:b] for a, b in spans] == ["225/KH-UBND", "100"]
