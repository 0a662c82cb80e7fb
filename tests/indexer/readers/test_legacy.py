"""Legacy Vietnamese font encodings: tables checked against independent references,
round trips on real text, and the detection heuristic's decisions."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.readers import legacy
from indexer.readers.legacy import (
    TCVN3_EXTRA_UPPER,
    TCVN3_TABLE,
    AmbiguousEncoding,
    choose_reading,
    convert_with_font,
    detect_legacy_encoding,
    fix_legacy_text,
    font_encoding,
    tcvn3_to_unicode,
    vni_to_unicode,
)
from indexer.syllables import is_vietnamese_syllable
from legacy_fonts import unicode_to_tcvn3, unicode_to_vni

SEED = Path(__file__).resolve().parents[3] / "corpus" / "plan225-vov-article.txt"

# --------------------------------------------------------------------------------------
# Reference data (independent of the module under test)
# --------------------------------------------------------------------------------------

#: glibc's TCVN5712-1 converter (`iconv -f TCVN5712-1`), byte -> code point, for every
#: byte 0xA1-0xFF except 0xB0-0xB4, which TCVN 5712 VN1 gives to *combining* tone
#: marks; .VnTime (VN3) documents use those bytes as the cp1252 symbols ° ± ² ³ ´,
#: so the module deliberately leaves them alone.
GLIBC_TCVN5712 = """
A1:0102 A2:00C2 A3:00CA A4:00D4 A5:01A0 A6:01AF A7:0110 A8:0103 A9:00E2 AA:00EA AB:00F4
AC:01A1 AD:01B0 AE:0111 AF:1EB0 B5:00E0 B6:1EA3 B7:00E3 B8:00E1 B9:1EA1 BA:1EB2 BB:1EB1
BC:1EB3 BD:1EB5 BE:1EAF BF:1EB4 C0:1EAE C1:1EA6 C2:1EA8 C3:1EAA C4:1EA4 C5:1EC0 C6:1EB7
C7:1EA7 C8:1EA9 C9:1EAB CA:1EA5 CB:1EAD CC:00E8 CD:1EC2 CE:1EBB CF:1EBD D0:00E9 D1:1EB9
D2:1EC1 D3:1EC3 D4:1EC5 D5:1EBF D6:1EC7 D7:00EC D8:1EC9 D9:1EC4 DA:1EBE DB:1ED2 DC:0129
DD:00ED DE:1ECB DF:00F2 E0:1ED4 E1:1ECF E2:00F5 E3:00F3 E4:1ECD E5:1ED3 E6:1ED5 E7:1ED7
E8:1ED1 E9:1ED9 EA:1EDD EB:1EDF EC:1EE1 ED:1EDB EE:1EE3 EF:00F9 F0:1ED6 F1:1EE7 F2:0169
F3:00FA F4:1EE5 F5:1EEB F6:1EED F7:1EEF F8:1EE9 F9:1EF1 FA:1EF3 FB:1EF7 FC:1EF9 FD:00FD
FE:1EF5 FF:1ED0
"""

#: The VNI-Windows layout as published by VNI-compatible input methods (xvnkb's vni.h,
#: the vietnamese-conversion package): per vowel, the unmarked letter then the acute,
#: grave, hook, tilde and dot-below forms, as cp1252 characters; and the Unicode letters
#: they stand for, written out by hand.
VNI_REFERENCE = [
    ("a aù aø aû aõ aï", "a á à ả ã ạ"),
    ("aâ aá aà aå aã aä", "â ấ ầ ẩ ẫ ậ"),
    ("aê aé aè aú aü aë", "ă ắ ằ ẳ ẵ ặ"),
    ("e eù eø eû eõ eï", "e é è ẻ ẽ ẹ"),
    ("eâ eá eà eå eã eä", "ê ế ề ể ễ ệ"),
    ("o où oø oû oõ oï", "o ó ò ỏ õ ọ"),
    ("oâ oá oà oå oã oä", "ô ố ồ ổ ỗ ộ"),
    ("ô ôù ôø ôû ôõ ôï", "ơ ớ ờ ở ỡ ợ"),
    ("u uù uø uû uõ uï", "u ú ù ủ ũ ụ"),
    ("ö öù öø öû öõ öï", "ư ứ ừ ử ữ ự"),
    ("i í ì æ ó ò", "i í ì ỉ ĩ ị"),
    ("y yù yø yû yõ î", "y ý ỳ ỷ ỹ ỵ"),
    ("ñ", "đ"),
    ("A AÙ AØ AÛ AÕ AÏ", "A Á À Ả Ã Ạ"),
    ("AÂ AÁ AÀ AÅ AÃ AÄ", "Â Ấ Ầ Ẩ Ẫ Ậ"),
    ("AÊ AÉ AÈ AÚ AÜ AË", "Ă Ắ Ằ Ẳ Ẵ Ặ"),
    ("E EÙ EØ EÛ EÕ EÏ", "E É È Ẻ Ẽ Ẹ"),
    ("EÂ EÁ EÀ EÅ EÃ EÄ", "Ê Ế Ề Ể Ễ Ệ"),
    ("O OÙ OØ OÛ OÕ OÏ", "O Ó Ò Ỏ Õ Ọ"),
    ("OÂ OÁ OÀ OÅ OÃ OÄ", "Ô Ố Ồ Ổ Ỗ Ộ"),
    ("Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ", "Ơ Ớ Ờ Ở Ỡ Ợ"),
    ("U UÙ UØ UÛ UÕ UÏ", "U Ú Ù Ủ Ũ Ụ"),
    ("Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ", "Ư Ứ Ừ Ử Ữ Ự"),
    ("I Í Ì Æ Ó Ò", "I Í Ì Ỉ Ĩ Ị"),
    ("Y YÙ YØ YÛ YÕ Î", "Y Ý Ỳ Ỷ Ỹ Ỵ"),
    ("Ñ", "Đ"),
]

#: Every lowercase Vietnamese letter (precomposed), to check coverage of both tables.
VIETNAMESE_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
)

HEADER = (
    "ỦY BAN NHÂN DÂN TỈNH THANH HÓA\n"
    "Số: 225/KH-UBND\n"
    "Thanh Hóa, ngày 15 tháng 9 năm 2023\n"
    "Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa giai đoạn 2023 - 2025\n"
    "Đẩy mạnh chuyển đổi số, xây dựng chính quyền số, kinh tế số và xã hội số."
)


def seed_text() -> str:
    return unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


def as_cp1252_reading(data: bytes) -> str:
    return data.decode("cp1252", errors="strict")


# --------------------------------------------------------------------------------------
# Tables against references
# --------------------------------------------------------------------------------------


def test_tcvn3_table_matches_glibc_reference() -> None:
    reference = {int(b, 16): chr(int(c, 16)) for b, c in (x.split(":") for x in GLIBC_TCVN5712.split())}
    ours = {**TCVN3_TABLE, **TCVN3_EXTRA_UPPER}
    assert ours == reference
    # and through the public converter, byte by byte, in the cp1252 reading
    for byte, expected in reference.items():
        assert tcvn3_to_unicode(as_cp1252_reading(bytes([byte]))) == expected, hex(byte)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="glibc iconv not available")
def test_tcvn3_table_matches_live_iconv() -> None:
    """The same check against the iconv on this machine, not just our transcription of it."""
    for byte, expected in {**TCVN3_TABLE, **TCVN3_EXTRA_UPPER}.items():
        out = subprocess.run(
            ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([byte]), capture_output=True, check=True
        ).stdout.decode("utf-8")
        assert out == expected, hex(byte)


def test_tcvn3_leaves_ascii_and_cp1252_punctuation_alone() -> None:
    text = "Thanh Hoa 2023 - 2025: “quotes” – dashes… ° ± ² ³ ´"
    assert tcvn3_to_unicode(text) == text


def test_tcvn3_known_words() -> None:
    assert tcvn3_to_unicode("Thµnh phè") == "Thành phố"
    assert tcvn3_to_unicode("§iÒu 1. Ph¹m vi ®iÒu chØnh") == "Điều 1. Phạm vi điều chỉnh"
    assert tcvn3_to_unicode("Uû ban nh©n d©n tØnh Thanh Ho¸") == "Uỷ ban nhân dân tỉnh Thanh Hoá"


def test_tcvn3_capitals_font_lines_are_upper_cased() -> None:
    # typed in .VnTimeH: capitals drawn from lowercase codes
    assert tcvn3_to_unicode("KÕ HO¹CH") == "KẾ HOẠCH"
    assert tcvn3_to_unicode("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # ... but not a normal line that merely has an abbreviation in it
    assert tcvn3_to_unicode("Sè: 225/KH-UBND") == "Số: 225/KH-UBND"


def test_tcvn3_capital_as_base_plus_toned_letter() -> None:
    # converters write "Á" as "A" + "á" (there is no VN3 code for it)
    assert tcvn3_to_unicode("A¸nh s¸ng") == "Ánh sáng"
    assert tcvn3_to_unicode("¥ë ®©u") == "Ở đâu"
    assert unicode_to_tcvn3("Ánh") == "A¸nh"


def test_vni_table_matches_reference() -> None:
    for vni_row, uni_row in VNI_REFERENCE:
        for seq, expected in zip(vni_row.split(), uni_row.split()):
            assert vni_to_unicode(seq) == expected, (seq, expected)
            if seq != expected:  # ASCII base letters encode as themselves
                assert unicode_to_vni(expected) == seq


def test_vni_known_words() -> None:
    assert vni_to_unicode("Thaønh phoá") == "Thành phố"
    assert vni_to_unicode("Ñieàu 1. Phaïm vi ñieàu chænh") == "Điều 1. Phạm vi điều chỉnh"
    assert vni_to_unicode("ngöôøi daân") == "người dân"
    assert vni_to_unicode("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.mark.parametrize("encode", [unicode_to_tcvn3, unicode_to_vni])
def test_every_vietnamese_letter_is_encodable(encode) -> None:
    decode = tcvn3_to_unicode if encode is unicode_to_tcvn3 else vni_to_unicode
    for letter in VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper():
        encoded = encode(letter)
        encoded.encode("cp1252")  # representable as bytes in a legacy-font file
        assert decode(encoded) == letter


# --------------------------------------------------------------------------------------
# Round trips on real text
# --------------------------------------------------------------------------------------


def test_seed_article_round_trips_through_both_encodings() -> None:
    text = seed_text()
    tcvn3 = unicode_to_tcvn3(text)
    vni = unicode_to_vni(text)
    assert "Thanh Hãa" in tcvn3 and "Thanh Hoùa" in vni  # real mojibake, as seen in the wild
    assert tcvn3_to_unicode(tcvn3) == text
    assert vni_to_unicode(vni) == text
    # the byte forms are what a .txt saved with a legacy font holds
    assert tcvn3_to_unicode(tcvn3.encode("cp1252").decode("cp1252")) == text


def _syllables() -> list[str]:
    words = {w.strip(".,;:()“”\"-–…").lower() for w in (seed_text() + "\n" + HEADER).split()}
    return sorted(w for w in words if w and w.isalpha())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_syllables()), st.booleans()), min_size=3, max_size=30))
def test_round_trip_random_sentences(words: list[tuple[str, bool]]) -> None:
    text = " ".join(w.capitalize() if cap else w for w, cap in words)
    assert tcvn3_to_unicode(unicode_to_tcvn3(text)) == text
    assert vni_to_unicode(unicode_to_vni(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "bcdghklmnpqrstvx BCDGHKLMNPQRSTVX0123456789.,", max_size=40))
def test_vni_round_trips_any_vietnamese_string(text: str) -> None:
    assert vni_to_unicode(unicode_to_vni(text)) == text


# --------------------------------------------------------------------------------------
# Syllable validity
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["thành", "phố", "người", "quyết", "định", "giữa", "gì", "khuya", "khuỷu", "nguyễn", "hoà", "hòa",
     "thuở", "xoong", "Điều", "ĐẨY", "tỉnh", "quốc", "yêu", "oải", "uống", "ạ", "ươn"],
)
def test_valid_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["Thµnh", "phè" + "x", "Thaønh", "caùc", "vieäc", "hoaøn", "tæ", "blockchain", "cáu" + "c", "àa",
     "ngứơi", "thanhh", "Größe", "ăn" + "g" + "ư", "ta" + "\u0301" + "\u0300"],
)
def test_invalid_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


# --------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------


def test_detects_tcvn3_and_vni_and_leaves_unicode_alone() -> None:
    text = seed_text()
    tcvn3 = fix_legacy_text(unicode_to_tcvn3(text))
    assert tcvn3.encoding == "tcvn3" and tcvn3.text == text
    vni = fix_legacy_text(unicode_to_vni(text))
    assert vni.encoding == "vni" and vni.text == text
    plain = fix_legacy_text(text)
    assert plain.encoding is None and plain.text == text


def test_mixed_document_converts_only_legacy_lines() -> None:
    """A .docx with a Unicode body and a header pasted from an old .VnTime file."""
    lines = HEADER.split("\n")
    mixed = "\n".join([unicode_to_tcvn3(line) for line in lines[:3]] + lines[3:])
    fixed = fix_legacy_text(mixed)
    assert fixed.encoding == "tcvn3"
    assert fixed.lines_converted == 3
    assert fixed.text == HEADER


def test_unicode_vietnamese_made_only_of_latin1_letters_is_not_converted() -> None:
    # every character here is also a cp1252 character (and a TCVN3 code)
    text = "Cá nhân và các bên là chủ thể; chính sách này áp dụng cho mọi người dân."
    assert fix_legacy_text(text).text == text
    assert detect_legacy_encoding("Cá nhân là các bên liên quan, là ông bà và cô chú") is None


def test_non_vietnamese_latin_text_is_kept_not_refused() -> None:
    text = "Die Größe der Übung in der Straße ist schön, für Bürger und Häuser gleich."
    assert fix_legacy_text(text).text == text


def test_partially_damaged_legacy_text_is_ambiguous() -> None:
    """Conversion helps, but too many words stay invalid: refuse rather than index a guess."""
    good = unicode_to_tcvn3("Phát triển hạ tầng số trên địa bàn tỉnh")
    damaged = good + " ½½½ ¼¼ ¾¾¾ ½¼ ¾½ ¼¾ ½¾½"
    with pytest.raises(AmbiguousEncoding) as info:
        fix_legacy_text(damaged)
    assert "tcvn3" in info.value.best_names


def test_choose_reading_defaults_when_too_little_to_judge() -> None:
    assert choose_reading({"a": "hello ©", "b": "xyz"}).name == "a"


# --------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "font,expected",
    [(".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), (".VnArial NarrowH", "tcvn3"), ("VNI-Times", "vni"),
     ("VNI-Helve", "vni"), ("Times New Roman", None), (None, None), ("", None)],
)
def test_font_encoding(font, expected) -> None:
    assert font_encoding(font) == expected


def test_convert_with_font() -> None:
    assert convert_with_font("Thµnh phè", ".VnTime") == "Thành phố"
    assert convert_with_font("kÕ ho¹ch", ".VnTimeH") == "KẾ HOẠCH"
    assert convert_with_font("Thaønh phoá", "VNI-Times") == "Thành phố"
    assert convert_with_font("Thµnh phè", "Arial") == "Thµnh phè"


def test_module_exposes_cp1252_character_sets() -> None:
    assert "µ" in legacy.TCVN3_CHARS and "§" in legacy.TCVN3_CHARS
    assert "ø" in legacy.VNI_CHARS and "ö" in legacy.VNI_CHARS
