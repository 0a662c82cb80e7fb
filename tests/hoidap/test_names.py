"""Names, abbreviations and figures of a question, and whether a text writes them (pure functions)."""
from hoidap.names import names_share, question_abbreviations, question_names, source_laws, without_source_law


def test_question_names_leave_out_law_names_and_the_first_word():
    assert question_names("Ông Đỗ Hữu Quyết là ai?") == ["do huu quyet"]
    assert question_names("Theo Luật Cư trú, thời hạn tạm trú tối đa là bao lâu?") == []
    assert question_names("Mục tiêu năm 2025 của UBND tỉnh Thanh Hóa") == ["ubnd", "thanh hoa", "2025"]
    assert names_share(["thanh hoa", "2025"], "Thanh Hoá phấn đấu đến năm 2025") == 1.0
    assert names_share(["nghe an"], "Thanh Hoá phấn đấu đến năm 2025") == 0.0


def test_names_are_found_spelled_out_or_with_leading_zeros():
    q = "Công ty TNHH hai thành viên có tối đa bao nhiêu thành viên?"
    names, abbreviations = question_names(q), question_abbreviations(q)
    assert "tnhh" in names and abbreviations == {"tnhh"}
    text = "Công ty trách nhiệm hữu hạn hai thành viên trở lên là doanh nghiệp có từ 02 đến 50 thành viên."
    assert names_share(names, text, abbreviations=abbreviations) == 1.0
    assert names_share(names, "Công ty cổ phần là doanh nghiệp.", abbreviations=abbreviations) == 0.0
    assert names_share(["5"], "a) 10 ngày nếu thai dưới 05 tuần tuổi;") == 1.0
    assert names_share(["5"], "a) 10 ngày nếu thai dưới 15 tuần tuổi;") == 0.0
    assert names_share(["2025"], "đến năm 2025") == 1.0


def test_a_lone_capital_before_lower_case_words_is_no_name():
    # agencies and courtesy capitals: the first syllable alone is no name
    assert question_names("Lương tối thiểu vùng mà Chính phủ công bố có điều chỉnh 06 tháng một lần không?") == ["06"]
    assert question_names("Công dân nước Cộng hoà xã hội chủ nghĩa Việt Nam có quyền tự do cư trú không?") == ["viet nam"]
    # a one-syllable name before punctuation, an abbreviation before a lower-case word: names
    assert question_names("Hợp tác với Pháp, nhất là về hạ tầng số?") == ["phap"]
    assert question_names("Kế hoạch của UBND tỉnh về hạ tầng số") == ["ubnd"]
    # punctuation ends a run: two names, not one
    assert question_names("Hợp tác của Thanh Hóa, Nghệ An về hạ tầng số") == ["thanh hoa", "nghe an"]


def test_small_counts_are_also_found_written_out():
    assert names_share(["2"], "Người nào bỏ hai người bị thương trở lên tại hiện trường") == 1.0
    assert names_share(["02"], "có từ hai thành viên trở lên") == 1.0
    assert names_share(["2"], "Người nào bỏ người bị thương tại hiện trường") == 0.0
    assert names_share(["3"], "Bà chủ hộ khai báo") == 0.0  # accented: "bà" is not "ba"


def test_the_law_a_question_names_as_its_source_is_not_content():
    assert without_source_law("Theo Luật Cư trú, nơi tạm trú được hiểu như thế nào?") == ", nơi tạm trú được hiểu như thế nào?"
    assert without_source_law("Luật Hôn nhân và gia đình năm 2014 quy định tuổi kết hôn là bao nhiêu?") == (
        "quy định tuổi kết hôn là bao nhiêu?"
    )
    assert without_source_law("Người nộp thuế được giảm trừ gia cảnh bao nhiêu theo Luật Thuế thu nhập cá nhân?") == (
        "Người nộp thuế được giảm trừ gia cảnh bao nhiêu ?"
    )
    # no named law, no year: the words are the question's own
    assert without_source_law("Vi phạm luật giao thông bị phạt bao nhiêu?") == "Vi phạm luật giao thông bị phạt bao nhiêu?"
    assert source_laws("Theo Luật Hôn nhân và gia đình năm 2014, tuổi kết hôn là bao nhiêu?") == ["luat hon nhan va gia dinh"]
    assert source_laws("Vi phạm luật giao thông bị phạt bao nhiêu?") == []
