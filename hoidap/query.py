"""Query analysis: one normalised view of a question for each retriever.

The dense model gets the question itself (NFC, tone placement, abbreviations
spelled out beside them); BM25 gets word tokens without the question's own
scaffolding ("là gì", "bao nhiêu", "có được không"), abbreviations matched both
ways (UBND <-> Ủy ban nhân dân), and, for queries typed without diacritics, the
folded syllable field instead of the accented words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer import text as vtext
from indexer.metadata import document_references
from indexer.relations.renames import RenamedBody, load_renames, name_pairs

from hoidap.names import source_laws, without_source_law
from hoidap.question_form import AGENCY_HEADS

#: Abbreviations of administrative text -> their expansion (matched both ways).
#: Keys are matched case-sensitively in the query ("AI" the technology, not "ai" = who).
ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "CNTT": "công nghệ thông tin",
    "CĐS": "chuyển đổi số",
    "TT&TT": "Thông tin và Truyền thông",
    "TTTT": "Thông tin và Truyền thông",
    "TT-TT": "Thông tin và Truyền thông",
    "TTDL": "trung tâm dữ liệu",
    "CSDL": "cơ sở dữ liệu",
    "ATTT": "an toàn thông tin",
    "KT-XH": "kinh tế - xã hội",
    "IoT": "Internet vạn vật",
    "AI": "trí tuệ nhân tạo",
    "BLDS": "Bộ luật Dân sự",
    "BLHS": "Bộ luật Hình sự",
    "BLLĐ": "Bộ luật Lao động",
}

#: Words that ask something: the one list every rule that recognises a question uses.
#: BM25 drops them (see _STOP_PHRASES), and a follow-up containing one asks its own
#: question (:mod:`hoidap.followup`).
QUESTION_WORDS: tuple[str, ...] = (
    "như thế nào", "là gì", "bao nhiêu", "bao giờ", "khi nào", "ở đâu", "vì sao", "tại sao", "nào", "gì",
)
#: "how many" asks too, but BM25 keeps it: typed without accents it is "may" (also "máy", machine).
HOW_MANY = "mấy"
#: "who", lower case only: "AI" is the technology.
WHO = "ai"

#: Question scaffolding: carries no topic, and its rare words would otherwise dominate BM25.
_STOP_PHRASES = [
    *QUESTION_WORDS,
    "có được không", "được không", "hay không", "phải không", "có phải", "đúng hay sai", "đúng không",
    "thế nào", "ra sao", "là những gì", "thì sao", "hãy cho biết", "cho tôi hỏi", "cho hỏi", "xin hỏi",
    "cho biết", "những gì", "vậy", "ạ", "nhỉ",
]
_STOP_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(p) for p in sorted(_STOP_PHRASES, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_FOLDED_STOP_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(vtext.fold(p)) for p in sorted(_STOP_PHRASES, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_WHO_RE = re.compile(r"(?<!\w)" + WHO + r"(?!\w)")

#: A phrase that asks a question of its own: any question word, accented or (multi-syllable
#: ones, which are unambiguous) typed without accents; "ai" only in lower case.
QUESTION_WORD_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        [re.escape(w) for w in (*QUESTION_WORDS, HOW_MANY)]
        + [f"(?-i:{WHO})"]
        + [re.escape(vtext.fold(w)) for w in QUESTION_WORDS if " " in w]
    )
    + r")(?!\w)",
    re.IGNORECASE,
)

#: Questions asking for a figure, a share or a date: answer sentences with a number score higher.
FIGURE_QUESTION_WORDS: tuple[str, ...] = (
    "bao nhiêu", HOW_MANY, "tỷ lệ", "tỉ lệ", "phần trăm", "%", "năm nào", "khi nào", "bao giờ", "thời hạn",
    "thời gian", "đến năm", "how many", "how much", "percent", "when", "deadline", "by what year",
)
FIGURE_QUESTION_RE = re.compile("|".join(re.escape(w) for w in FIGURE_QUESTION_WORDS), re.IGNORECASE)


#: Question phrasing that names no topic, though BM25 keeps it: "được gọi là gì" asks for a
#: term, "được hiểu như thế nào" for a definition, "liệt kê" / "kể tên" for a list, and the
#: head of "đơn vị nào" / "cơ quan nào" the kind of agency the answer names ("Tòa án nhân
#: dân có quyền …" answers "Đơn vị nào có quyền …?").
_ASKING_PHRASES = ("được gọi là", "gọi là", "được hiểu", "liệt kê", "kể tên")
_NOT_CONTENT_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(p) for f in (str, vtext.fold) for p in map(f, _ASKING_PHRASES))
    + r"|(?:" + "|".join(re.escape(h) for f in (str, vtext.fold) for h in map(f, AGENCY_HEADS)) + r")(?=\s+(?:nào|nao)(?!\w))"
    + r")(?!\w)",
    re.IGNORECASE,
)


def content_of(question: str) -> str:
    """What a passage answering ``question`` must cover: its words without the scaffolding,
    the law it names as its source (articles never repeat it: "Theo Bộ luật Dân sự 2015, lợi
    tức được hiểu như thế nào?" is answered by "Lợi tức là khoản lợi thu được …") and
    phrasing that names no topic (:data:`_NOT_CONTENT_RE`)."""
    return strip_question_words(_NOT_CONTENT_RE.sub(" ", without_source_law(question)))


@dataclass
class QueryAnalysis:
    raw: str
    normalized: str
    dense_text: str
    lexical_text: str
    word_tokens: list[str] = field(default_factory=list)
    folded_tokens: list[str] = field(default_factory=list)
    accented: bool = True
    doc_refs: list[str] = field(default_factory=list)  # "225/KH-UBND", "Kế hoạch 225"
    #: The question's own topical words: scaffolding stripped, no added abbreviation forms.
    content_text: str = ""
    #: (form in the question, the other form added for it), e.g. ("trung tâm dữ liệu", "TTDL")
    abbreviations: list[tuple[str, str]] = field(default_factory=list)

    def matched_terms(self, passage_words: list[str], passage_text: str) -> list[str]:
        """Query terms present in a passage (for highlighting), in query order."""
        words = set(passage_words)
        out = [w for w in self.word_tokens if w in words]
        if not self.accented:
            folded = set(vtext.folded_tokens(passage_text))
            out += [t for t in self.folded_tokens if "_" not in t and t in folded]
        return list(dict.fromkeys(out))


def abbreviation_pairs(text: str) -> list[tuple[str, str]]:
    """(form found in ``text``, its other form) for every abbreviation, both directions."""
    pairs: list[tuple[str, str]] = []
    folded = vtext.fold(text)
    for short, long in ABBREVIATIONS.items():
        if re.search(r"(?<![\w&-])" + re.escape(short) + r"(?![\w&-])", text):
            pairs.append((short, long))
        elif re.search(r"(?<!\w)" + re.escape(vtext.fold(long)) + r"(?!\w)", folded):
            pairs.append((long, short))
    return pairs


def strip_question_words(text: str) -> str:
    """Drop question scaffolding (accented or folded) from text meant for BM25."""
    text = _STOP_RE.sub(" ", text)
    text = _WHO_RE.sub(" ", text)
    if not vtext.has_diacritics(text):
        text = _FOLDED_STOP_RE.sub(" ", text)  # case kept: "TTDL" is still an abbreviation
    return " ".join(text.replace("?", " ").split())


#: Share of a diacritic-less query's syllables that must be found in the corpus
#: vocabulary before the query is treated as Vietnamese typed without accents.
RESTORE_MIN_SHARE = 0.6
_MAX_WORD_SYLLABLES = 4


def restore_diacritics(text: str, accent_map: dict[str, str]) -> str | None:
    """Put back the diacritics of a query typed without them, from the corpus vocabulary.

    Greedy longest match over syllables ("ha tang so" -> "hạ tầng số"). Returns
    None when too little of the query is known (e.g. an English question): then
    it is better searched as it is.
    """
    typed = re.findall(r"\w+(?:[.,/&-]\w+)*", text)
    syllables = [t.lower() for t in typed]
    if not syllables:
        return None
    out: list[str] = []
    known = 0
    i = 0
    while i < len(syllables):
        for n in range(min(_MAX_WORD_SYLLABLES, len(syllables) - i), 0, -1):
            word = accent_map.get("_".join(syllables[i : i + n]))
            if word:
                out.append(word.replace("_", " "))
                known += n
                i += n
                break
        else:
            out.append(typed[i])  # as typed: "TTDL" stays an abbreviation
            i += 1
    if known / len(syllables) < RESTORE_MIN_SHARE:
        return None
    return " ".join(out)


def dense_question(question: str, contents: "object | None") -> str:
    """The question as the dense model should read it: without a law it cites as its source
    ("Theo Bộ luật Dân sự 2015, …") when no document title in the index names that law.

    Passages are embedded with their document's title, so a law the titles name helps find
    its articles; a name no title carries only pulls the question away from the articles,
    which never repeat their law's name (ALQAC 2022 dev set, whose titles are numbers:
    hit@1 0.946 -> 0.950, MRR@10 0.964 -> 0.968; the judge's dense cosines are cleaner too).
    """
    titles = getattr(contents, "folded_titles", None)
    laws = source_laws(question)
    if not laws or titles is None or any(law in titles for law in laws):
        return question
    return without_source_law(question) or question


def analyse(
    query: str, contents: "object | None" = None, renames: "tuple[RenamedBody, ...] | None" = None
) -> QueryAnalysis:
    """Split a raw query into what each retriever should see.

    Renamed agencies (``renames``, default: the shipped table) are expanded like the
    abbreviations: "Sở Khoa học và Công nghệ" also searches "Sở Thông tin và Truyền thông".
    """
    normalized = vtext.normalize(" ".join(query.split()))
    accented = vtext.has_diacritics(normalized)
    lexical_index = getattr(contents, "lexical", None)
    if not accented and lexical_index is not None and hasattr(lexical_index, "accent_map"):
        restored = restore_diacritics(strip_question_words(normalized), lexical_index.accent_map())
        if restored and vtext.has_diacritics(restored):
            normalized, accented = vtext.normalize(restored), True
    pairs = abbreviation_pairs(normalized) + name_pairs(normalized, load_renames() if renames is None else renames)
    added = [other for _, other in pairs]
    dense_text = dense_question(normalized, contents)
    expansions = [a for a in added if len(a) > len(a.split()[0])]  # long forms help the dense side
    if expansions:
        dense_text = f"{dense_text} ({'; '.join(expansions)})"
    lexical_text = strip_question_words(normalized)
    lexical_full = " ".join([lexical_text] + added)
    # each added form is tokenised on its own so it cannot fuse with its neighbours
    words = [t for part in [lexical_text, *added] for t in vtext.word_tokens(part)] if accented else []
    folded = [t for part in [lexical_text, *added] for t in vtext.folded_tokens(part)]
    return QueryAnalysis(
        raw=query,
        normalized=normalized,
        dense_text=dense_text,
        lexical_text=lexical_full,
        word_tokens=words,
        folded_tokens=folded,
        accented=accented,
        doc_refs=document_references(normalized),
        content_text=content_of(normalized),
        abbreviations=pairs,
    )
