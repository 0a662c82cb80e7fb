"""Review questions: each answer is verbatim in the passage it cites."""
from __future__ import annotations

from handout_samples import passage_text

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
