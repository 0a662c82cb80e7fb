"""Review questions: each answer is verbatim in the passage it cites."""
from __future__ import annotations

from handout_samples import draft, passage_text

from hoidap import handout as HO


def test_review_questions_have_answers_in_the_cited_passage(handout):
    qs = handout.questions
    assert 3 <= len(qs) <= HO.MAX_QUESTIONS
    kinds = " ".join(q.text for q in qs)
    assert "Điền vào chỗ trống" in kinds and "Cơ quan nào chủ trì" in kinds
    for q in qs:
        assert q.reference
        if q.qtype == "truefalse":  # a kind added by issue 14: the verdict, settled by a verbatim phrase
            assert q.answer in ("Đúng", "Sai") and q.evidence in passage_text(handout, q), q
            continue
        assert q.answer and q.answer in passage_text(handout, q), q
        assert "……" in q.text or q.text.startswith("Cơ quan nào")
    who = next(q for q in qs if q.text.startswith("Cơ quan nào"))
    assert who.answer == "Sở Thông tin và Truyền thông"


def _quoted(text: str) -> str:
    return text[text.index("“") + 1 : text.rindex("”")] if "“" in text else ""


def test_questions_are_of_several_kinds_and_never_repeat_a_fact(plan_hits):
    from handout_samples import REPO, VOV_FILE, hits_of

    hits = plan_hits + hits_of(VOV_FILE) + hits_of(REPO / "tests" / "fixtures" / "plan_ke_hoach_mau.txt")
    ho = draft("hạ tầng số", hits)
    kinds = {q.qtype for q in ho.questions}
    assert {"fill", "choice", "truefalse"} <= kinds
    facts = [q.fact for q in ho.questions]
    assert len(facts) == len(set(facts))
    answers = [q.answer for q in ho.questions if q.qtype != "truefalse"]
    assert len(answers) == len(set(answers))  # no three "đến năm ……" = 2025
    agencies = {r.agency for r in ho.responsibilities}
    for q in ho.questions:
        if q.qtype == "choice":
            assert q.answer in q.options and len(q.options) >= 3
            assert all(o in agencies or o in " ".join(t.text for t in ho.targets) for o in q.options)
        assert q.evidence in passage_text(ho, q)


def test_no_question_fragment_starts_mid_word_or_mid_name(vov_hits, plan_hits):
    import re

    ho = draft("hạ tầng số", vov_hits + plan_hits)
    for q in ho.questions:
        fragment = _quoted(q.text).removeprefix("… ")
        if not fragment:
            continue
        passage = passage_text(ho, q)
        first = fragment.split()[0].replace("……", q.evidence)
        at = [m.start() for m in re.finditer(re.escape(first), passage, re.IGNORECASE)]
        assert at, (first, passage)
        i = at[0]
        assert i == 0 or not passage[i - 1].isalnum(), q.text  # not mid-word
        before = passage[:i].split()
        assert not (before and before[-1][:1].isupper() and before[-1][-1].isalpha() and first[:1].isupper()), q.text
