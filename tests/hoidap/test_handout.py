"""Trainer handouts from real Vietnamese passages: targets, responsibilities, questions, exports.

Passages come from the real loader and splitter (indexer.readers / indexer.structure)
over the VOV article in corpus/ and the sample plan used by the browser test;
``gather`` runs on a real index built with the shared embedded model.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hoidap import handout as HO
from hoidap.retrieve import Hit
from indexer.readers import load_bytes
from indexer.structure import split_passages

REPO = Path(__file__).parents[2]
PLAN_FILE = REPO / "tests" / "fixtures" / "e2e" / "ke_hoach_mau_e2e.txt"
VOV_FILE = REPO / "corpus" / "plan225-vov-article.txt"
XSS_FILE = REPO / "tests" / "fixtures" / "e2e" / "kiem_tra_hien_thi.txt"


def hits_of(path: Path) -> list[Hit]:
    doc = load_bytes(path.read_bytes(), path.name)
    passages = split_passages(doc)
    for i, p in enumerate(passages):
        p.passage_id = p.passage_id or f"{doc.doc_id}#{i}"
    return [Hit(passage=p, document=doc, score=0.0) for p in passages]


@pytest.fixture(scope="module")
def plan_hits() -> list[Hit]:
    return hits_of(PLAN_FILE)


@pytest.fixture(scope="module")
def handout(plan_hits) -> HO.Handout:
    return HO.build_handout("hạ tầng số", plan_hits + hits_of(VOV_FILE))


def passage_text(handout: HO.Handout, item: HO.HandoutItem) -> str:
    for g in handout.groups:
        for p in g.items:
            if p.passage_id == item.passage_id:
                return p.text
    raise AssertionError(f"no passage {item.passage_id}")


# --------------------------------------------------------------------------- drafting
def test_targets_are_sentences_with_percentages_and_deadlines(handout):
    texts = [t.text for t in handout.targets]
    assert any("100% dịch vụ Trung tâm dữ liệu" in t and "đến năm 2025" in t for t in texts)
    assert any("100% thôn, bản, khu phố" in t for t in texts)
    assert any("trước ngày 15/12 hằng năm" in t for t in texts)
    cloud = next(t for t in handout.targets if "Trung tâm dữ liệu" in t.text and "đến năm 2025" in t.text)
    assert "100%" in cloud.figures and "đến năm 2025" in cloud.figures
    # every target is verbatim text of the passage it cites, with that passage's citation
    for t in handout.targets:
        assert t.text in passage_text(handout, t)
        assert t.reference
    plan_target = next(t for t in handout.targets if "100% thôn" in t.text)
    assert plan_target.reference == "Kế hoạch số 888/KH-UBND ngày 15/9/2023 của UBND tỉnh Thanh Hóa, Mục II, khoản 1"


def test_codes_dates_and_preambles_are_not_targets():
    for sentence in [
        "Căn cứ Quyết định số 999/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ;",
        "Kế hoạch số 225/KH-UBND ngày 15/9/2023 về phát triển hạ tầng số giai đoạn 2023 - 2025",
        "Đoạn mã <script>alert(1)</script> và <img src=x onerror=alert(2)>",
    ]:
        assert not HO.target_figures(sentence), sentence
    assert HO.target_figures("bảo đảm an toàn thông tin cấp độ 3 trở lên") == ["3"]
    assert HO.target_figures("tăng bình quân 30%/năm đến năm 2025") == ["30%", "đến năm 2025"]


def test_responsibilities_name_the_lead_agency_and_partners(handout):
    lead = [r for r in handout.responsibilities if r.role == "chủ trì"]
    assert lead and lead[0].agency == "Sở Thông tin và Truyền thông"
    assert lead[0].partners == "các sở, ngành, địa phương"
    assert "Chủ trì, phối hợp" in lead[0].text
    agencies = {r.agency for r in handout.responsibilities}
    assert {"Sở Tài chính"} <= agencies


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính tham mưu bố trí kinh phí.",
         ("Sở Thông tin và Truyền thông", "chủ trì", "Sở Tài chính")),
        ("Sở Kế hoạch và Đầu tư phối hợp với Sở Tài chính cân đối nguồn vốn.",
         ("Sở Kế hoạch và Đầu tư", "phối hợp", "Sở Tài chính")),
        ("3. Ủy ban nhân dân các huyện, thị xã, thành phố: Tạo điều kiện cho doanh nghiệp viễn thông.",
         ("Ủy ban nhân dân các huyện, thị xã, thành phố", "thực hiện", "")),
        ("Ủy ban nhân dân tỉnh ban hành Kế hoạch với các nội dung sau:", None),
        ("Phát triển hạ tầng số đồng bộ, hiện đại.", None),
    ],
)
def test_responsibility_of(sentence, expected):
    assert HO.responsibility_of(sentence) == expected


def test_review_questions_have_answers_in_the_cited_passage(handout):
    qs = handout.questions
    assert 3 <= len(qs) <= HO.MAX_QUESTIONS
    kinds = " ".join(q.text for q in qs)
    assert "Điền vào chỗ trống" in kinds and "Cơ quan nào chủ trì" in kinds
    for q in qs:
        assert q.answer and q.answer in passage_text(handout, q), q
        assert q.reference
        assert "……" in q.text or q.text.startswith("Cơ quan nào")
    who = next(q for q in qs if q.text.startswith("Cơ quan nào"))
    assert who.answer == "Sở Thông tin và Truyền thông"


def test_passages_are_grouped_by_document_and_section(handout):
    docs = [g.doc_id for g in handout.groups]
    # one run per document (documents are not interleaved), sections in document order
    assert docs == sorted(docs, key=docs.index) and len(set(docs)) == handout.documents == 2
    plan = [g for g in handout.groups if g.doc_label == "Kế hoạch số 888/KH-UBND"]
    sections = [g.section for g in plan]
    assert sections.index("Mục II > 1") < sections.index("Mục II > 2") < sections.index("Mục III > 1")


# ----------------------------------------------------------------------------- export
def test_markdown_has_citations_and_respects_removals(handout):
    removed = next(t for t in handout.targets if "100% thôn" in t.text)
    keep = [it.key for it in handout.all_items() if it.key != removed.key]
    md = HO.to_markdown(handout.select(keep))
    assert md.startswith("# Tài liệu tập huấn: hạ tầng số")
    assert "100% dịch vụ Trung tâm dữ liệu" in md
    assert "*Nguồn: Kế hoạch số 888/KH\\-UBND".replace("\\-", "-") in md
    assert "**Sở Thông tin và Truyền thông** (chủ trì" in md
    assert "Đáp án:" in md
    assert "- 100% thôn, bản, khu phố" not in md  # removed from the targets list


def test_markdown_neutralises_html_from_documents():
    md = HO.to_markdown(HO.build_handout("kiểm tra", hits_of(XSS_FILE)))
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_docx_is_readable_and_contains_the_cited_items(handout, tmp_path):
    import docx

    removed = next(q for q in handout.questions)
    keep = [it.key for it in handout.all_items() if it.key != removed.key]
    path = HO.to_docx(handout.select(keep), tmp_path / "tap-huan.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Tài liệu tập huấn: hạ tầng số" in text
    assert "1. Mục tiêu, chỉ tiêu chính" in text and "3. Câu hỏi ôn tập" in text
    cloud = next(t for t in handout.targets if "Trung tâm dữ liệu" in t.text and "888" in t.reference)
    assert f"{cloud.text} (Nguồn: {cloud.reference})" in text
    assert "Sở Thông tin và Truyền thông (chủ trì; phối hợp với: các sở, ngành, địa phương)" in text
    assert removed.text not in text
    assert text.count("(Nguồn: ") >= len(handout.targets) + len(handout.responsibilities)


def test_docx_survives_control_characters_and_markup(tmp_path):
    import docx

    hit = hits_of(XSS_FILE)[0]
    hit.passage.text = hit.passage.text + "\x00\x0b ký tự điều khiển"
    path = HO.to_docx(HO.build_handout("kiểm tra", [hit]), tmp_path / "x.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "<script>alert(1)</script>" in text  # literal text in Word, never markup
    assert "ký tự điều khiển" in text


def test_file_stem_is_ascii():
    assert HO.file_stem("Điện toán đám mây / 2025") == "tai-lieu-tap-huan-dien-toan-dam-may-2025"
    assert HO.file_stem("") == "tai-lieu-tap-huan"


def test_preview_html_escapes_everything():
    html = HO.handout_html(HO.build_handout("<b>kiểm tra</b>", hits_of(XSS_FILE)))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---------------------------------------------------------------------------- gather
@pytest.fixture(scope="module")
def engine(tmp_path_factory, embedder):
    """A real engine over the sample plan and the VOV article (shared embedded model)."""
    from hoidap.engine import Engine
    from indexer.config import Settings

    root = tmp_path_factory.mktemp("handout-engine")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in (PLAN_FILE, VOV_FILE):
        (corpus / f.name).write_bytes(f.read_bytes())
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", cache_dir=embedder.settings.cache_dir)
    eng = Engine(settings, embedder=embedder)
    eng.index()
    return eng


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
