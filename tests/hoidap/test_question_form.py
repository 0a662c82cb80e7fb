"""What a question asks for, and whether a sentence has it (pure functions, real sentences)."""
import pytest

from hoidap.question_form import addresses, analyse_form, number_bonus, speaker_clause

AI = ("Đối với hạ tầng công nghệ số, Thanh Hoá phấn đấu đến năm 2025 công nghệ trí tuệ nhân tạo (công nghệ AI), "
      "công nghệ chuỗi khối (công nghệ blockchain) sẽ hỗ trợ hiệu quả cho chương trình chuyển đổi số tỉnh.")
CLOUD = "Hạ tầng điện toán đám mây, hạ tầng IoT được tích hợp, ứng dụng rộng khắp trong các lĩnh vực của nền kinh tế số."
LEAD = "VOV.VN - UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225, về việc phát triển hạ tầng số trên địa bàn tỉnh, giai đoạn 2023 – 2025."
TITLE = ("Ông Đỗ Hữu Quyết, Phó Trưởng Ban Chỉ đạo chuyển đổi số, Giám đốc Sở Thông tin Truyền thông tỉnh Thanh Hoá "
         "cho biết, Thanh Hoá đã và đang triển khai nhiều giải pháp.")
QUOTE = ("“Tập trung xây dựng nền tảng số, dữ liệu số, phát huy sự vào cuộc của các tổ chức chính trị xã hội, "
         "sẽ giúp chúng ta thực hiện thành công chuyển đổi số” - ông Đỗ Hữu Quyết nói.")


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Kế hoạch 225 được ban hành ngày nào?", "date"),
        ("Luật Căn cước có hiệu lực từ năm nào?", "year"),
        ("Xe máy được chở tối đa mấy người?", "figure"),
        ("Thời hạn tạm trú tối đa là bao lâu?", "figure"),
        ("Ông Đỗ Hữu Quyết là ai?", "who"),
        ("Ông Đỗ Hữu Quyết giữ chức vụ gì?", "who"),
        ("Ai là Giám đốc Sở Thông tin Truyền thông?", "who"),
        ("Internet băng rộng được ưu tiên phổ cập ở những khu vực nào?", "place"),
        ("ha tang so gom nhung gi", "list"),
        ("Tỉnh sẽ ứng dụng những công nghệ nào?", "list"),
        ("Chồng có được ly hôn khi vợ đang mang thai không?", "yesno"),
        ("Chỗ ở hợp pháp là gì?", "definition"),
        ("Theo Luật Cư trú, nơi tạm trú được hiểu như thế nào?", "definition"),
        ("Thế nào là tạm vắng?", "definition"),
        ('Định nghĩa của "nơi tạm trú"?', "definition"),
        ("Khái niệm lưu trú là gì?", "definition"),
        ("Thời hạn tạm trú được xác định như thế nào khi công dân không đăng ký gia hạn?", "figure"),
        ("Công dân có được đăng ký thường trú tại hai nơi không?", "yesno"),
        ("Nơi công dân thường xuyên sinh sống, có quyền sở hữu hoặc quyền sử dụng được gọi là gì?", "naming"),
        ("Người được tặng cho có quyền sở hữu tài sản kể từ thời điểm nào?", "when"),
        ("Khi nào phải đăng ký tạm trú?", "when"),
        ("Mục tiêu đến năm 2025 là gì?", "other"),
        ("Điều kiện để chuyển nhượng quyền sử dụng đất là gì?", "other"),
        ("What is the cloud computing target for 2025?", "other"),
    ],
)
def test_question_kinds(question, kind):
    assert analyse_form(question).kind == kind


def test_a_definition_question_wants_the_sentence_that_defines_the_term():
    form = analyse_form("Theo Luật Cư trú năm 2020, nơi thường trú là gì?")
    assert form.term == "noi thuong tru"
    defining = "10. Nơi thường trú là nơi công dân sinh sống ổn định, lâu dài và đã được đăng ký thường trú."
    using = "Công dân thay đổi nơi thường trú thì phải đăng ký thường trú tại nơi ở mới trong thời hạn 30 ngày."
    assert addresses(form, defining) == 1.0
    assert addresses(form, using) == 0.0
    # typed without diacritics, the term is matched folded
    assert addresses(analyse_form("cho o hop phap la gi"), "Chỗ ở hợp pháp là nơi được sử dụng để sinh sống.") == 1.0


def test_a_year_is_not_the_day_a_date_question_asks_for():
    form = analyse_form("Kế hoạch 225 được ban hành ngày nào?")
    assert addresses(form, LEAD) == 0.0  # "giai đoạn 2023 – 2025" is no issuing date
    assert addresses(form, "Kế hoạch được ban hành ngày 15/9/2023.") == 1.0


def test_a_list_question_wants_the_things_it_names():
    form = analyse_form("Tỉnh sẽ ứng dụng những công nghệ nào?")
    assert form.focus == "cong nghe"
    assert addresses(form, AI) == 1.0
    assert addresses(form, CLOUD) < 1.0


def test_who_wants_a_title_not_a_quotation():
    form = analyse_form("Ông Đỗ Hữu Quyết là ai?")
    assert addresses(form, TITLE) == 1.0
    assert addresses(form, QUOTE) == 0.0


def test_who_holds_a_named_title_wants_that_title():
    form = analyse_form("Ai là Chủ tịch UBND tỉnh Thanh Hóa?")
    assert form.roles == ("chu tich", "ubnd")
    assert addresses(form, LEAD) == 0.0  # names UBND, not who chairs it
    assert addresses(analyse_form("Ai là Giám đốc Sở Thông tin Truyền thông?"), TITLE) == 1.0
    # "Bộ nào", "cơ quan nào" ask for the agency: any agency answers
    form = analyse_form("Sở nào chủ trì triển khai kế hoạch phát triển hạ tầng số?")
    assert form.kind == "who" and form.roles == ()
    assert addresses(form, "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ngành triển khai kế hoạch.") == 1.0


def test_figures_repeated_from_the_question_lift_a_sentence():
    assert number_bonus("mục tiêu năm 2025", AI) > number_bonus("mục tiêu năm 2025", CLOUD) == 0.0


def test_a_who_question_quotes_the_speaker_and_titles_not_what_was_said():
    sentence = TITLE
    span = speaker_clause(analyse_form("Ông Đỗ Hữu Quyết là ai?"), ["do huu quyet"], sentence)
    assert span is not None
    clause = sentence[span[0] : span[1]]
    assert clause.startswith("Ông Đỗ Hữu Quyết") and "Giám đốc Sở" in clause
    assert "cho biết" not in clause and "để đạt được" not in clause
    # a title asked for by name: the clause still holds the person
    span = speaker_clause(analyse_form("Ai là Giám đốc Sở Thông tin Truyền thông?"), ["giam"], sentence)
    assert span and "Đỗ Hữu Quyết" in sentence[span[0] : span[1]]


def test_the_speaker_clause_is_only_for_who_questions_and_attributed_sentences():
    assert speaker_clause(analyse_form("Mục tiêu đến năm 2025 là gì?"), [], TITLE) is None
    assert speaker_clause(analyse_form("Ai chủ trì?"), [], "Sở Khoa học và Công nghệ chủ trì thực hiện.") is None
    # the question names something said after the reporting verb: the whole sentence answers
    said = "Ông Lê Văn An, Giám đốc Sở Tài chính cho biết, năm 2025 tỉnh dành 300 tỷ đồng cho hạ tầng số."
    assert speaker_clause(analyse_form("Ai cho biết năm 2025 tỉnh dành 300 tỷ đồng?"), ["2025", "300"], said) is None


@pytest.mark.parametrize(
    "question, answering, missing",
    [
        # a moment a law describes, not only a year
        ("Người được tặng cho có quyền sở hữu tài sản kể từ thời điểm nào?",
         "Hợp đồng tặng cho động sản có hiệu lực kể từ thời điểm bên được tặng cho nhận tài sản.",
         "Hợp đồng tặng cho phải được lập thành văn bản."),
        # "X là ai?" for a role: the sentence defining X
        ("Người giám hộ là ai?",
         "Người giám hộ là người được cử để thực hiện việc chăm sóc và bảo vệ người được giám hộ.",
         "Việc giám hộ phải được đăng ký theo quy định của pháp luật về hộ tịch."),
        # "… được gọi là gì?": a sentence giving the term
        ("Nơi công dân sinh sống ổn định, lâu dài và đã đăng ký thường trú được gọi là gì?",
         "10. Nơi thường trú là nơi công dân sinh sống ổn định, lâu dài và đã được đăng ký thường trú.",
         "Công dân có quyền đăng ký thường trú tại nơi thường trú của mình."),
        # one mention heading a list names several
        ("Internet băng rộng được ưu tiên phổ cập ở những khu vực nào?",
         "Phổ cập Internet băng rộng, đặc biệt là khu vực miền núi, vùng sâu, vùng xa.",
         "Khu vực miền núi được phổ cập Internet băng rộng"),
    ],
)
def test_a_sentence_holds_what_the_question_asks(question, answering, missing):
    form = analyse_form(question)
    assert addresses(form, answering) == 1.0
    assert addresses(form, missing) < 1.0


def test_who_a_role_is_carries_the_role_as_its_term():
    assert analyse_form("Người giám hộ là ai?").term == "nguoi giam ho"


def test_the_term_of_a_definition_question_leaves_out_the_word_for_definition():
    assert analyse_form("Khái niệm lưu trú là gì?").term == "luu tru"
    assert analyse_form('Định nghĩa của "nơi tạm trú"?').term == "noi tam tru"


def test_which_agencies_are_answered_by_naming_them():
    form = analyse_form("Những cơ quan nào phối hợp quản lý cư trú?")
    assert form.kind == "who" and form.focus == ""
    assert addresses(form, "Bộ Công an chủ trì, phối hợp với Bộ Quốc phòng thực hiện quản lý nhà nước về cư trú.") == 1.0
