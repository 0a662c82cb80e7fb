"""gather() on a real index (shared embedded model) over the sample plan and the VOV article."""
from __future__ import annotations

from hoidap import handout as HO


def test_gather_topic_and_section(engine):
    hits = HO.gather(engine, "điện toán đám mây")
    texts = " ".join(h.passage.text for h in hits)
    assert "100% dịch vụ Trung tâm dữ liệu" in texts
    keys = [(h.document.source, h.passage.start) for h in hits]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # document order, no duplicates

    plan = next(d for d, _ in engine.documents() if d.meta.number == "888/KH-UBND")
    choices = HO.outline_choices(engine.searcher.contents().passages, plan.doc_id)
    values = [v for _, v in choices]
    section = next(v for v in values if v.startswith("III."))
    only = HO.gather(engine, "", plan.doc_id, section.split("\n"))
    assert only and all(h.passage.section_path[0].startswith("III.") for h in only)
    assert any("Sở Thông tin và Truyền thông" in h.passage.text for h in only)
    ho = HO.build_handout("", only)
    assert ho.responsibilities and ho.responsibilities[0].agency == "Sở Thông tin và Truyền thông"
