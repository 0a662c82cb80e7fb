"""Index builds on real Vietnamese files: incremental updates, bad files, offsets."""
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.build import index_paths
from indexer.store import load_version

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = Path(__file__).parents[2] / "corpus" / "plan225-vov-article.txt"


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(SEED, root)
    shutil.copy(FIXTURES / "plan_ke_hoach_mau.txt", root)
    return root


def _build(corpus, tmp_path, base_settings, embedder, **kw):
    settings = base_settings.with_(index_dir=tmp_path / "index")
    return index_paths([corpus], settings, embedder=embedder, **kw), settings


def test_incremental_build_reuses_unchanged_files(corpus, tmp_path, base_settings, embedder):
    first, settings = _build(corpus, tmp_path, base_settings, embedder)
    assert sorted(first.added) == ["plan225-vov-article.txt", "plan_ke_hoach_mau.txt"]
    assert first.embedded_passages == first.passages > 10

    again, _ = _build(corpus, tmp_path, base_settings, embedder)
    assert again.embedded_passages == 0 and len(again.unchanged) == 2

    plan = corpus / "plan_ke_hoach_mau.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n5. Sở Nội vụ: Phối hợp kiểm tra việc thực hiện.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "luat_mau.txt", corpus)
    (corpus / "plan225-vov-article.txt").unlink()
    third, _ = _build(corpus, tmp_path, base_settings, embedder)
    assert third.changed == ["plan_ke_hoach_mau.txt"]
    assert third.added == ["luat_mau.txt"]
    assert third.removed == ["plan225-vov-article.txt"]
    contents = load_version(settings.index_dir)
    changed_and_added = sum(1 for p in contents.passages if p.doc_id in ("plan_ke_hoach_mau", "luat_mau"))
    assert third.embedded_passages == changed_and_added
    assert "plan225-vov-article" not in contents.documents
    assert any("Sở Nội vụ" in p.text for p in contents.passages)


def test_passages_map_back_to_source_and_carry_sections(corpus, tmp_path, base_settings, embedder):
    _, settings = _build(corpus, tmp_path, base_settings, embedder)
    contents = load_version(settings.index_dir)
    for p in contents.passages:
        assert contents.documents[p.doc_id].text[p.start : p.end] == p.text
    cloud = next(p for p in contents.passages if p.doc_id == "plan_ke_hoach_mau" and "điện toán đám mây: 100%" in p.text)
    assert cloud.section == "Mục II > 2 > b"
    meta = contents.documents["plan_ke_hoach_mau"].meta
    assert (meta.doc_type, meta.number) == ("Kế hoạch", "999/KH-UBND")


def test_bad_files_are_reported_and_lose_nothing(corpus, tmp_path, base_settings, embedder):
    first, settings = _build(corpus, tmp_path, base_settings, embedder)
    (corpus / "hong.pdf").write_bytes(b"this is not a pdf at all")
    (corpus / "trong.txt").write_bytes(b"")
    shutil.copy(corpus / "plan_ke_hoach_mau.txt", corpus / "ban sao kế hoạch.txt")
    # a file that was indexed before turns into garbage: its previous version is kept
    (corpus / "plan225-vov-article.txt").write_bytes(b"\x00\x01\x02" * 100)
    report, _ = _build(corpus, tmp_path, base_settings, embedder)
    reasons = {source: err.reason for source, err in report.errors}
    assert reasons["trong.txt"] == "empty"
    assert reasons["plan225-vov-article.txt"] == "binary"
    assert "hong.pdf" in reasons
    assert all(err.message_vi for _, err in report.errors)
    assert report.duplicates == [("plan_ke_hoach_mau.txt", "ban sao kế hoạch.txt")] or report.duplicates == [
        ("ban sao kế hoạch.txt", "plan_ke_hoach_mau.txt")
    ]
    contents = load_version(settings.index_dir)
    assert "plan225-vov-article" in contents.documents
    assert len(contents.passages) == first.passages


def test_sentence_vectors_are_stored_and_reused_with_their_passages(corpus, tmp_path, base_settings, embedder):
    from indexer import text as vtext

    _build(corpus, tmp_path, base_settings, embedder)
    first = load_version(base_settings.with_(index_dir=tmp_path / "index").index_dir)
    assert first.sentences is not None and first.sentences.n_passages == len(first.passages)
    for row, p in enumerate(first.passages):
        spans, vectors = first.sentences.of_passage(row)
        assert [tuple(s) for s in spans.tolist()] == vtext.sentence_spans(p.text)
        assert vectors.shape == (len(spans), 384)
    plan_rows = [i for i, p in enumerate(first.passages) if p.doc_id == "plan_ke_hoach_mau"]
    before = {first.passages[i].passage_id: first.sentences.of_passage(i)[1] for i in plan_rows}

    shutil.copy(FIXTURES / "luat_mau.txt", corpus)  # a new file: the plan's vectors are reused
    report, settings = _build(corpus, tmp_path, base_settings, embedder)
    assert "plan_ke_hoach_mau.txt" in report.unchanged
    second = load_version(settings.index_dir)
    assert second.sentences.n_passages == len(second.passages)
    for i, p in enumerate(second.passages):
        if p.passage_id in before:
            np.testing.assert_array_equal(second.sentences.of_passage(i)[1], before[p.passage_id])
