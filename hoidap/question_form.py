"""What a question asks for, and whether a sentence has that kind of thing.

A careful reader checks that a sentence *addresses* the question before quoting
it: "ngày nào" wants a date, "bao nhiêu" a figure, "là ai" a person with a title
or an agency, "những X nào" a list of X, "ở đâu" a place. Sentences that share
the question's words but hold none of that (a headline repeating "Kế hoạch 225
được ban hành") do not answer it.

Regular expressions over the question's form words, accented or folded
(questions are often typed without diacritics). Hand-written because no library
parses Vietnamese question forms; pure functions, no per-question rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer import text as vtext

KINDS = ("date", "year", "when", "figure", "who", "list", "place", "yesno", "definition", "naming", "other")

# patterns over the folded, lower-cased question (so "ngay nao" and "ngày nào" both match)
_DATE_Q = re.compile(r"\b(ngay nao|ngay thang nam nao|ngay bao nhieu|what date|ngay thang nao)\b")
_YEAR_Q = re.compile(r"\b(nam nao|giai doan nao|what year|when)\b")
#: "kể từ thời điểm nào", "khi nào": a moment, which laws often describe ("kể từ thời điểm thu được …")
_WHEN_Q = re.compile(r"\b(thoi diem nao|khi nao|luc nao|bao gio)\b")
_FIGURE_Q = re.compile(
    r"\b(bao nhieu|may (nam|thang|ngay|tuoi|lan|nguoi|gio|muc|loai|phan)|ty le|ti le|phan tram|muc (phat|dong|huong)|"
    r"bao lau|thoi han|how many|how much|how long|percent)\b"
)
_WHO_Q = re.compile(
    r"(\bla ai\b|\bai (la|co|duoc|phai|chiu|quyet|cap|ky|ban hanh)\b|^ai\b|\bnguoi nao\b|\bco quan nao\b|\b(bo|so|cuc|to chuc|cap) nao\b|\bchuc vu\b|"
    r"\bchuc danh\b|\bdon vi nao\b|\bwho\b|\bwhich agency\b)"
)
_PLACE_Q = re.compile(r"\b(o dau|noi nao|khu vuc nao|dia phuong nao|vung nao|tai dau|where)\b")
_LIST_Q = re.compile(r"\b(nhung gi|gom nhung|bao gom|gom gi|nhung \w+( \w+)? nao|cac \w+( \w+)? nao|which|what are)\b")
#: "… có được … không?": "không" closing the question; inside it ("khi các bên không thỏa thuận") it negates
_YESNO_Q = re.compile(r"\b(co \w+.* khong$|duoc .* khong$|hay khong|phai khong|co phai|dung khong)\b")
#: "X là gì?", "X được hiểu là gì / như thế nào?", "Thế nào là X?": the term X is to be defined.
#: A leading clause ("Theo Luật Cư trú, …") is not part of the term.
_DEFINITION_Q = (
    re.compile(
        r"^(?:.*, )?(?:(?:dinh nghia|khai niem)(?: (?:cua|ve))? )?(?P<term>[\w ]+?) "
        r"(?:la gi|duoc hieu (?:la gi|la nhu the nao|nhu the nao)|nghia la gi|co nghia la gi)$"
    ),
    re.compile(r"^(?:.*, )?(?:the nao (?:duoc goi )?la|the nao duoc hieu la) (?P<term>[\w ]+?)$"),
    re.compile(r"^(?:.*, )?(?:dinh nghia|khai niem)(?: (?:cua|ve))? (?P<term>[\w ]+?)$"),  # "Định nghĩa của X"
)
#: "Việc chiếm hữu … được gọi là gì?": the term for what the question describes, which a
#: defining sentence gives ("Chiếm hữu ngay tình là việc chiếm hữu …")
_NAMING_Q = re.compile(r"\b(?:duoc )?goi la gi$")
_NAMING_S = re.compile(r"\b(?:là|được gọi là|được hiểu là)\b", re.I)
#: "Người giúp sức là ai?": a role to be defined ("Người giúp sức là người …"), as well as a person to name.
_WHO_TERM_Q = re.compile(r"^(?:.*, )?(?P<term>[\w ]+?) la ai$")
#: What makes "X là gì" ask for the content of X, not for its definition: a relational head
#: ("Điều kiện để chuyển nhượng … là gì?" wants the conditions, "Mục tiêu đến năm 2025 là gì?"
#: the targets), a link to something else ("của", "để", "đối với"), or a figure.
_NOT_A_TERM = re.compile(
    r"^(muc tieu|nhiem vu|dieu kien|thoi han|thoi gian|muc|nguyen tac|hinh phat|quyen|nghia vu|trach nhiem|"
    r"tham quyen|noi dung|muc dich|hau qua|can cu|pham vi|doi tuong|hinh thuc|thu tuc|ho so|chuc nang|vai tro|"
    r"giai phap|ket qua|yeu cau|tieu chuan|ly do|co so|bien phap|che do|chinh sach|quy trinh|trinh tu)\b|"
    r"\b(de|cua|khi|doi voi|trong truong hop|nhung|cac|nao)\b|\d"
)
#: checked in order of specificity: "ngày nào" before "năm nào", "là ai" before "bao nhiêu"
_KIND_PATTERNS = (
    (_DATE_Q, "date"), (_YEAR_Q, "year"), (_WHEN_Q, "when"), (_WHO_Q, "who"), (_FIGURE_Q, "figure"),
    (_PLACE_Q, "place"), (_LIST_Q, "list"), (_YESNO_Q, "yesno"),
)
#: Heads of "which agencies" questions ("Những đơn vị nào …?"): the kind of thing the answer
#: names ("Bộ Công an …"), not words it writes
AGENCY_HEADS = ("đơn vị", "cơ quan", "tổ chức", "bộ", "sở", "cấp", "bộ phận")
_AGENCY_HEADS = frozenset(vtext.fold(h) for h in AGENCY_HEADS)
#: "những công nghệ nào" -> the thing to be listed ("công nghệ")
_FOCUS_Q = re.compile(r"\b(?:nhung|cac|loai|hinh thuc)\s+((?:\w+ ){0,2}\w+)\s+(?:nao|gi)\b")

# what a sentence must contain for each kind (original text, case-insensitive unless noted)
_DATE_S = re.compile(r"ngày\s+\d{1,2}|\b\d{1,2}/\d{1,2}/\d{2,4}\b|tháng\s+\d{1,2}\s+năm", re.I)
_YEAR_S = re.compile(r"\b(19|20)\d\d\b")
_WHEN_S = re.compile(r"\b(kể từ|từ khi|khi|thời điểm|trước|sau|ngay|lúc|trong thời hạn|hết thời hạn)\b", re.I)
_FIGURE_S = re.compile(
    r"\d|\b(một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|nửa|toàn bộ|tất cả)\b", re.I
)
_ROLE_S = re.compile(
    r"\b(Giám đốc|Phó|Trưởng|Chủ tịch|Bộ trưởng|Thứ trưởng|Bí thư|Thủ tướng|Chánh án|Viện trưởng|Tổng|Cục trưởng|"
    r"Ủy ban|Uỷ ban|UBND|Hội đồng|Tòa án|Toà án|Viện kiểm sát|Chính phủ|Quốc hội|Bộ|Sở|Cục|Công an|Ban)\b|"
    r"\b(cơ quan|người có thẩm quyền|cấp có thẩm quyền|chủ tịch|giám đốc|thủ trưởng|bộ trưởng|tòa án|ủy ban)\b"
)
#: After a role word, the question word: "cơ quan nào", "Bộ nào" ask for the role, they do not name it.
_ASKED_ROLE = re.compile(r"\s+(?:nào|nao|gì|gi)\b", re.IGNORECASE)
_PLACE_S = re.compile(r"\b(tại|ở|khu vực|vùng|tỉnh|huyện|xã|thành phố|nơi|địa bàn|miền)\b", re.I)
_LIST_S = re.compile(r"[,;:]|\b(gồm|bao gồm|sau đây|và|hoặc)\b", re.I)
_QUOTE_OPEN = re.compile(r"^\s*[“\"«]")


@dataclass(frozen=True)
class QuestionForm:
    kind: str  # one of KINDS
    focus: str = ""  # folded head noun of "những X nào", e.g. "cong nghe"
    term: str = ""  # folded term a definition (or "X là ai?") question asks about, e.g. "noi thuong tru"
    roles: tuple[str, ...] = ()  # folded titles and agencies a "who" question names, e.g. ("chu tich", "ubnd")


def analyse_form(question: str) -> QuestionForm:
    """The kind of answer ``question`` asks for (first match in order of specificity)."""
    f = " ".join(vtext.fold(vtext.normalize(question)).lower().replace("?", " ").split())
    focus_m = _FOCUS_Q.search(f)
    focus = focus_m.group(1) if focus_m else ""
    kind = next((k for pattern, k in _KIND_PATTERNS if pattern.search(f)), "other")
    if kind == "other":
        if _NAMING_Q.search(f):
            return QuestionForm("naming", focus)
        term = defined_term(f)
        if term:
            return QuestionForm("definition", focus, term)
    if kind == "who":
        if focus in _AGENCY_HEADS:  # "Những đơn vị nào …?" is answered by naming agencies, not "đơn vị"
            focus = ""
        text = vtext.normalize(question)
        asked = (m for m in _ROLE_S.finditer(text) if not _ASKED_ROLE.match(text, m.end()))  # "cơ quan nào" asks
        roles = tuple(dict.fromkeys(_fold_lower(m.group()) for m in asked))
        m = _WHO_TERM_Q.match(f)
        return QuestionForm(kind, focus, term=" ".join(vtext.syllables(m.group("term"))) if m else "", roles=roles)
    return QuestionForm(kind, focus)


def _fold_lower(text: str) -> str:
    return " ".join(vtext.syllables(vtext.fold(text).lower()))


def defined_term(folded_question: str) -> str:
    """The term a definition question asks about ("" when it is not one)."""
    folded_question = " ".join(re.sub(r"[“”\"'«»]", " ", folded_question).split())  # 'Định nghĩa của "X"?'
    for pattern in _DEFINITION_Q:
        m = pattern.match(folded_question)
        if m:
            term = " ".join(vtext.syllables(m.group("term")))
            if term and not _NOT_A_TERM.search(term) and len(term.split()) <= 10:
                return term
    return ""


def defines(term: str, sentence: str) -> bool:
    """Whether ``sentence`` defines ``term``: "Nơi thường trú là nơi …", "… được hiểu là …".

    A sentence that merely uses the term ("Công dân đăng ký thường trú tại nơi thường trú
    …") shares all of its words but does not say what it is.
    """
    folded = _fold_lower(sentence)
    return bool(re.search(r"(?<!\w)" + re.escape(term) + r"(?: \([^)]*\))? (?:la|duoc hieu la|co nghia la|bao gom)(?!\w)", folded))


def addresses(form: QuestionForm, sentence: str) -> float:
    """1.0 if ``sentence`` holds what the question asks for, 0.0 if not (0.5: only the kind or the focus)."""
    checks: list[bool] = []
    if form.kind == "date":
        checks.append(bool(_DATE_S.search(sentence)))
    elif form.kind == "year":
        checks.append(bool(_YEAR_S.search(sentence) or _DATE_S.search(sentence)))
    elif form.kind == "when":
        checks.append(bool(_YEAR_S.search(sentence) or _DATE_S.search(sentence) or _WHEN_S.search(sentence)))
    elif form.kind == "figure":
        checks.append(bool(_FIGURE_S.search(sentence)))
    elif form.kind == "who":  # a title or agency; the ones the question names ("Ai là Chủ tịch …?"); no quote;
        # or, for "X là ai?", the sentence saying who X is ("Người giúp sức là người …")
        folded = f" {_fold_lower(sentence)} "
        has_roles = all(f" {r} " in folded for r in form.roles) if form.roles else bool(_ROLE_S.search(sentence))
        defined = bool(form.term) and defines(form.term, sentence)
        checks.append((has_roles or defined) and not _QUOTE_OPEN.match(sentence))
    elif form.kind == "place":
        checks.append(bool(_PLACE_S.search(sentence)))
    elif form.kind == "list":
        checks.append(bool(_LIST_S.search(sentence)))
    elif form.kind == "definition":
        checks.append(defines(form.term, sentence))
    elif form.kind == "naming":
        checks.append(bool(_NAMING_S.search(sentence)))
    score = sum(checks)
    if form.focus:  # "những công nghệ nào" is answered by naming several of them
        focus = " ".join(vtext.syllables(form.focus))
        folded = " ".join(vtext.syllables(vtext.fold(sentence)))
        count = len(re.findall(r"(?<!\w)" + re.escape(focus) + r"(?!\w)", folded))
        if not count:
            last = focus.split()[-1]
            count = len(re.findall(r"(?<!\w)" + re.escape(last) + r"(?!\w)", folded))
        # several of them, or one heading a list ("khu vực miền núi, vùng sâu, vùng xa")
        score += 1.0 if count == 1 and _LIST_S.search(sentence) else min(1.0, count / 2)
        checks.append(True)
    return score / len(checks) if checks else 1.0


#: A reporting verb after a speaker and their titles: "Ông X, Giám đốc Sở Y cho biết, …"
_REPORTING = re.compile(
    r",?\s+(?:cho biết|cho rằng|nói|khẳng định|nhấn mạnh|chia sẻ|phát biểu|nhận định|thông tin|đề nghị)\b"
)


def speaker_clause(form: QuestionForm, names: list[str], sentence: str) -> tuple[int, int] | None:
    """For a "who" question, the part of ``sentence`` that names the speaker and their titles.

    A news sentence attributes a quotation: "Ông Đỗ Hữu Quyết, Phó Trưởng Ban …, Giám đốc
    Sở … cho biết, để đạt được …". Who the person is (or who holds a title) is the subject
    clause before the reporting verb; what they said does not answer "là ai" / "chức vụ gì".
    ``names``: the question's folded names; those the sentence has must be in the clause.
    None when the sentence is not of that form (the whole sentence is quoted then).
    """
    if form.kind != "who":
        return None
    m = _REPORTING.search(sentence)
    if m is None or not _ROLE_S.search(sentence[: m.start()]) or vtext.syllable_count(sentence[: m.start()]) < 4:
        return None
    folded = vtext.fold_chars(sentence).lower()
    for name in names:
        at = folded.find(name)
        if at >= 0 and at + len(name) > m.start():
            return None  # the question is about something said, not about the speaker
    lead = len(sentence) - len(sentence.lstrip())
    return lead, m.start()


_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*%?")


def number_bonus(question: str, sentence: str) -> float:
    """Small lift for sentences repeating the question's figures ("năm 2025", "100%")."""
    numbers = set(_NUMBER.findall(question))
    if not numbers:
        return 0.0
    return 0.03 * len(numbers & set(_NUMBER.findall(sentence))) / len(numbers)
