"""Query analysis on real Vietnamese questions."""
import pytest

from hoidap.query import abbreviation_pairs, analyse, content_of, restore_diacritics, strip_question_words
from hoidap.validate import UserInputError, clean_query


def test_question_scaffolding_is_dropped_for_bm25_only():
    q = analyse("Mục tiêu về điện toán đám mây đến năm 2025 là gì?")
    assert "là" not in q.word_tokens and "gì" not in q.word_tokens
    assert "điện_toán" in q.word_tokens and "2025" in q.word_tokens
    assert q.dense_text.endswith("là gì?")  # the dense model sees the whole question


def test_unaccented_query_uses_folded_field():
    q = analyse("ha tang so thanh hoa la gi")
    assert not q.accented and q.word_tokens == []
    assert {"ha_tang", "tang_so", "thanh_hoa"} <= set(q.folded_tokens)
    assert "gi" not in q.folded_tokens


def test_tone_mark_variants_analyse_identically():
    assert analyse("Thanh Hoá").word_tokens == analyse("Thanh Hóa").word_tokens


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Sở TT&TT chủ trì việc gì?", "Thông tin và Truyền thông"),
        ("UBND tỉnh giao nhiệm vụ", "Ủy ban nhân dân"),
        ("ứng dụng CNTT trong cơ quan", "công nghệ thông tin"),
        ("kế hoạch chuyển đổi số", "CĐS"),
        ("công nghệ AI", "trí tuệ nhân tạo"),
    ],
)
def test_abbreviations_match_both_ways(query, expected):
    added = [other for _, other in abbreviation_pairs(query)]
    assert expected in added


def test_who_is_not_artificial_intelligence():
    added = [other for _, other in abbreviation_pairs("ai chịu trách nhiệm")]
    assert "trí tuệ nhân tạo" not in added
    assert "ai" not in strip_question_words("ai chịu trách nhiệm").split()


def test_abbreviations_remember_which_form_the_question_used():
    q = analyse("Mục tiêu về trung tâm dữ liệu")
    assert q.abbreviations == [("trung tâm dữ liệu", "TTDL")]
    assert "ttdl" in q.word_tokens  # searched both ways...
    assert "ttdl" not in q.content_text.lower()  # ...but not part of what the user asked
    assert abbreviation_pairs("UBND tỉnh") == [("UBND", "Ủy ban nhân dân")]


def test_unaccented_query_keeps_the_case_of_abbreviations():
    """Typed without diacritics, "TTDL" must survive scaffolding removal and restoration
    (lower-cased it no longer matches the case-sensitive abbreviation list)."""
    assert strip_question_words("dich vu TTDL la gi") == "dich vu TTDL"
    accent_map = {"dich_vu": "dịch_vụ", "chuyen": "chuyển", "sang": "sang"}
    restored = restore_diacritics("dich vu TTDL chuyen sang", accent_map)
    assert restored == "dịch vụ TTDL chuyển sang"
    assert ("TTDL", "trung tâm dữ liệu") in abbreviation_pairs(restored)


def test_document_references():
    assert analyse("Kế hoạch 225 nói gì về 5G?").doc_refs == ["Kế hoạch 225"]
    assert analyse("theo 225/KH-UBND").doc_refs == ["225/KH-UBND", "Kế hoạch 225"]


@pytest.mark.parametrize("bad", ["", "   ", "?!…", "🙂🙂", "\x00\x07"])
def test_clean_query_rejects_unsearchable_input_in_vietnamese(bad):
    with pytest.raises(UserInputError) as err:
        clean_query(bad)
    assert "câu hỏi" in err.value.message_vi.lower() or "chữ" in err.value.message_vi


def test_clean_query_refuses_huge_input_and_normalises_nfd():
    with pytest.raises(UserInputError) as err:
        clean_query("hạ tầng " * 20_000)
    assert err.value.reason == "too_long"
    import unicodedata

    assert clean_query(unicodedata.normalize("NFD", "hạ tầng số")) == "hạ tầng số"


def test_content_leaves_out_the_source_law_and_asking_phrases():
    # what a passage answering the question must cover: the articles never repeat their law's name
    assert content_of("Theo Luật Cư trú, nơi thường trú được hiểu như thế nào?").split() == [",", "nơi", "thường", "trú"]
    assert content_of("Đơn vị nào cấp giấy đăng ký kết hôn?") == "cấp giấy đăng ký kết hôn"
    assert content_of("Nơi công dân thường xuyên sinh sống được gọi là gì?") == "Nơi công dân thường xuyên sinh sống"
    # BM25 still searches every word
    assert "luật" in analyse("Theo Luật Cư trú, nơi thường trú được hiểu như thế nào?").lexical_text.lower()


def test_the_source_law_is_read_by_the_dense_model_only_where_titles_name_it():
    """Passages are embedded with their document's title: a law the titles name helps find its
    articles; one they never name only pulls the question away from articles that never repeat it."""
    from types import SimpleNamespace

    from hoidap.query import dense_question

    q = "Theo Luật Cư trú, nơi thường trú được hiểu như thế nào?"
    numbered = SimpleNamespace(folded_titles="68/2020/qh14 - dieu 2\n52/2014/qh13 - dieu 3")
    named = SimpleNamespace(folded_titles="luat cu tru so 68/2020/qh14\nluat hon nhan va gia dinh")
    assert dense_question(q, numbered) == ", nơi thường trú được hiểu như thế nào?"
    assert dense_question(q, named) == q
    assert dense_question(q, None) == q
    assert analyse(q, numbered).dense_text == ", nơi thường trú được hiểu như thế nào?"
