"""The shared code path (service) and the ``hoidap handout`` command on a real index."""
from __future__ import annotations

import json

import pytest

from hoidap.cli import main
from hoidap.handout.service import NoRelevantPassages, handout_json, make_handout, write_handout


def _cli(engine, *args: str) -> list[str]:
    return ["handout", *args, "--index", str(engine.settings.index_dir), "--cache-dir", str(engine.settings.cache_dir)]


def test_unrelated_topic_gives_a_clear_message_and_no_file(engine, tmp_path, capsys):
    with pytest.raises(NoRelevantPassages) as exc:
        make_handout(engine, "bảo hiểm y tế")
    assert "Không tìm thấy đoạn văn bản nào liên quan" in exc.value.message_vi
    out = tmp_path / "x.docx"
    assert main(_cli(engine, "bảo hiểm y tế", "--out", str(out))) == 3
    assert not out.exists()
    assert "bảo hiểm y tế" in capsys.readouterr().err


def test_every_item_cites_an_indexed_passage(engine):
    """Floor of issue 14: each item's citation resolves to an indexed passage that holds its text."""
    contents = engine.searcher.contents()
    passages = {p.passage_id: p for p in contents.passages}
    ho = make_handout(engine, "hạ tầng số")
    data = handout_json(ho)
    assert data["targets"] and data["responsibilities"] and data["questions"]
    for kind in ("targets", "responsibilities", "questions", "passages"):
        for item in data[kind]:
            p = passages[item["passage_id"]]
            doc = contents.documents[p.doc_id]
            assert item["reference"].startswith(next(s["citation"] for s in data["documents"] if s["doc_id"] == doc.doc_id))
            shown = item.get("evidence") or item["text"]
            assert shown in p.text, (kind, item)


def test_topics_differ_and_agency_comes_from_settings(engine, tmp_path):
    infra = make_handout(engine, "hạ tầng số")
    platform = make_handout(engine, "nền tảng số dùng chung")
    assert {t.text for t in infra.targets} != {t.text for t in platform.targets}
    assert any(r.task == "Xây dựng kho dữ liệu dùng chung của tỉnh" for r in platform.responsibilities)
    assert infra.agency == "Sở Thông tin và Truyền thông tỉnh Thanh Hóa"
    path = write_handout(infra, "md", folder=tmp_path)
    assert path.name == "tai-lieu-tap-huan-ha-tang-so.md" and "Văn bản trích dẫn" in path.read_text(encoding="utf-8")


def test_cli_writes_slides_and_prints_json(engine, tmp_path, capsys):
    out = tmp_path / "slides.pptx"
    assert main(_cli(engine, "hạ tầng số", "--format", "pptx", "--out", str(out), "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == str(out) and out.stat().st_size > 10_000
    assert all(t["reference"] for t in data["targets"])


def test_cli_section_of_a_document(engine, tmp_path, capsys):
    plan = next(d for d, _ in engine.documents() if d.meta.number == "888/KH-UBND")
    out = tmp_path / "muc-iii.md"
    assert main(_cli(engine, "", "--doc", plan.doc_id, "--section", "Mục III", "--format", "md", "--out", str(out))) == 0
    text = out.read_text(encoding="utf-8")
    assert "Mục III" in text.split("\n")[0] and "**Sở Thông tin và Truyền thông** (chủ trì" in text
    assert main(_cli(engine, "", "--doc", plan.doc_id, "--section", "Mục IX")) == 3
    assert "Không tìm thấy mục" in capsys.readouterr().err
