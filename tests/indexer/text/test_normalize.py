"""Tests for indexer.text.normalize (NFC, tone marks, folding) on real Vietnamese text."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.indexer.text.text_samples import LAW, OLD_STYLE, PLAN, SEED, VIETNAMESE_ISH, _underthesea, _words

from indexer.text import fold, fold_chars, has_diacritics, normalize, strip_diacritics

# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoá", "hóa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("THANH HOÁ", "THANH HÓA"),
        ("thuỷ", "thủy"),
        ("Thuỷ", "Thủy"),
        ("khoẻ", "khỏe"),
        ("uỷ ban", "ủy ban"),
        ("Uỷ ban", "Ủy ban"),
        ("UỶ BAN", "ỦY BAN"),
        ("hoà bình", "hòa bình"),
        ("đuợc", "được"),
        ("chuơng", "chương"),
        # already traditional / correct: untouched
        ("hoàng", "hoàng"),
        ("quý", "quý"),
        ("khuỷu", "khuỷu"),
        ("thuở", "thuở"),
        ("giữa", "giữa"),
        ("hoạch", "hoạch"),
        ("nguyễn", "nguyễn"),
        ("café", "café"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_spacing_punctuation_and_length() -> None:
    s = "Kế hoạch 225/KH-UBND (Thanh Hoá),  100%… “uỷ ban”!\n- thuỷ lợi;"
    out = normalize(s)
    assert out == "Kế hoạch 225/KH-UBND (Thanh Hóa),  100%… “ủy ban”!\n- thủy lợi;"
    assert len(out) == len(s)
    for text in (SEED, PLAN, LAW, *OLD_STYLE):
        assert len(normalize(text)) == len(unicodedata.normalize("NFC", text))


def test_normalize_nfd_input() -> None:
    nfd = unicodedata.normalize("NFD", "Thanh Hoá")
    assert normalize(nfd) == "Thanh Hóa"


def test_normalize_agrees_with_underthesea_on_sentences() -> None:
    text_normalize = _underthesea("underthesea.pipeline.text_normalize").text_normalize
    texts = [*OLD_STYLE, *SEED.splitlines(), *PLAN.splitlines(), *LAW.splitlines()]
    for text in texts:
        ours = _words(normalize(text))
        theirs = _words(text_normalize(text))
        assert ours == theirs, text


def test_normalize_agrees_with_underthesea_token_table() -> None:
    """Every tone-placement entry of underthesea's table, except its own broken entries."""
    token_map = _underthesea("underthesea.pipeline.text_normalize.text_normalizer").token_map
    checked = 0
    for key, value in token_map.items():
        if key.lower().startswith("ngh") or key.lower() == "qui":
            continue  # spelling fixes that change letters: documented as not done
        if any(unicodedata.combining(c) for c in value) or normalize(value) != value:
            continue  # double tone marks ("biế́t") or inconsistent pairs ("lòa"/"loà") in the table
        assert normalize(key) == value, key
        checked += 1
    assert checked > 2500


# --------------------------------------------------------------------------- fold


def test_fold() -> None:
    assert fold("Hạ tầng số Thanh Hóa") == "ha tang so thanh hoa"
    assert fold("ĐẨY MẠNH Đường") == "day manh duong"
    assert fold("Thanh Hoá") == fold("Thanh Hóa")


def test_strip_diacritics_keeps_case() -> None:
    assert strip_diacritics("Sở TT&TT Thanh Hóa, ĐẨY MẠNH") == "So TT&TT Thanh Hoa, DAY MANH"
    nfd = unicodedata.normalize("NFD", "Hạ tầng số")
    assert strip_diacritics(nfd) == "Ha tang so"


def test_has_diacritics() -> None:
    assert has_diacritics("hạ tầng")
    assert has_diacritics("đi")
    assert not has_diacritics("ha tang so")
    assert not has_diacritics("UBND 225/KH")



@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=100), VIETNAMESE_ISH))
def test_normalize_properties(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert fold(once) == fold(text) or fold(once) == fold(unicodedata.normalize("NFC", text))
    assert len(once) == len(unicodedata.normalize("NFC", text))


@settings(max_examples=300, deadline=None)
@given(VIETNAMESE_ISH)
def test_fold_normalize_commute_vietnamese(text: str) -> None:
    assert fold(normalize(text)) == fold(text)




def test_fold_chars_keeps_length_and_agrees_with_fold() -> None:
    for text in (SEED, PLAN, LAW, *OLD_STYLE):
        nfc = unicodedata.normalize("NFC", text)
        assert fold_chars(nfc) == fold(nfc)
        nfd = unicodedata.normalize("NFD", text)
        assert len(fold_chars(nfd)) == len(nfd)
    assert fold_chars("Đ/c Thuỷ") == "d/c thuy"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=100), VIETNAMESE_ISH))
def test_fold_chars_length_property(text: str) -> None:
    assert len(fold_chars(text)) == len(text)
