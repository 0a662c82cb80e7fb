"""The on-disk index: atomic versions, and loud failures on damage (never silent wrong answers)."""
import json

import numpy as np
import pytest

from indexer.dense import DenseIndex
from indexer.lexical import LexicalIndex
from indexer.sentences import SentenceIndex
from indexer.store import IndexContents, IndexLoadError, Manifest, load_version, live_version, write_version
from indexer.types import Document, DocumentMeta, Passage


def _contents(n=3, dim=8, seed=0):
    rng = np.random.default_rng(seed)
    text = "Điều 1. Phạm vi\nLuật này quy định về an ninh mạng.\nĐiều 2. Giải thích từ ngữ\nKhông gian mạng là mạng lưới."
    doc = Document("luat", "luat.txt", text, DocumentMeta(doc_type="Luật", title="Luật An ninh mạng"))
    passages = [Passage("luat", text[i * 10 : i * 10 + 10], (f"Điều {i + 1}.",), i * 10, i * 10 + 10, None, f"luat#{i}") for i in range(n)]
    words = [["an_ninh", "mạng"], ["không_gian", "mạng"], ["điều"]][:n]
    vecs = rng.standard_normal((n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    manifest = Manifest(model_id="test-model", dim=dim, text_version="t", n_documents=1, n_passages=n)
    sentences = SentenceIndex.from_passages(
        [np.array([[0, len(p.text)]], np.int32) for p in passages], [v[None, :] for v in vecs], dim
    )
    return IndexContents(
        manifest, {"luat": doc}, passages, words, vecs, DenseIndex.build(vecs), LexicalIndex.build(words, words), sentences
    )


def test_roundtrip_and_versions(tmp_path):
    first = write_version(tmp_path, _contents())
    loaded = load_version(tmp_path)
    assert loaded.passages[1].section_path == ("Điều 2.",)
    assert loaded.documents["luat"].meta.doc_type == "Luật"
    assert loaded.word_tokens[0][1] is loaded.word_tokens[1][1] == "mạng"  # one object per distinct word
    np.testing.assert_allclose(loaded.embeddings, _contents().embeddings)
    second = write_version(tmp_path, _contents(seed=1))
    assert live_version(tmp_path) == second and first.exists()  # predecessor kept for readers
    third = write_version(tmp_path, _contents(seed=2))
    assert not first.exists() and second.exists() and third.exists()


def test_crashed_writer_leaves_previous_version_live(tmp_path):
    live = write_version(tmp_path, _contents())
    (tmp_path / ".tmp-v999").mkdir()  # a writer killed before its rename
    (tmp_path / ".tmp-v999" / "passages.jsonl").write_text("garbage")
    assert load_version(tmp_path).path == live
    write_version(tmp_path, _contents())
    assert not (tmp_path / ".tmp-v999").exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: (v / "embeddings.npy").write_bytes((v / "embeddings.npy").read_bytes()[:100]),
        lambda v: (v / "passages.jsonl").unlink(),
        lambda v: (v / "dense.faiss").write_bytes(b"\x00" * 10),
        lambda v: (v / "manifest.json").write_text("{not json"),
        lambda v: (v / "passages.jsonl").write_text((v / "passages.jsonl").read_text().splitlines()[0] + "\n"),
        lambda v: (v / "manifest.json").write_text(
            json.dumps({**json.loads((v / "manifest.json").read_text()), "dim": 16})
        ),
        lambda v: np.save(v / "sentence_offsets.npy", np.load(v / "sentence_offsets.npy")[:-1]),
        lambda v: np.save(v / "sentence_vectors.npy", np.zeros((1, 8), np.float16)),
    ],
    ids=[
        "truncated-vectors", "missing-passages", "corrupt-faiss", "bad-manifest", "lost-rows", "dim-mismatch",
        "sentence-rows", "sentence-vectors",
    ],
)
def test_damage_is_reported_with_rebuild_hint(tmp_path, damage):
    version = write_version(tmp_path, _contents())
    damage(version)
    with pytest.raises(IndexLoadError) as err:
        load_version(tmp_path)
    assert "hoidap index --rebuild" in err.value.message_vi


def test_sentence_vectors_round_trip_and_are_optional(tmp_path):
    version = write_version(tmp_path, _contents())
    loaded = load_version(tmp_path)
    np.testing.assert_allclose(loaded.sentences.of_passage(2)[1][0], _contents().embeddings[2], atol=1e-3)  # float16
    for name in ("sentence_spans.npy", "sentence_offsets.npy", "sentence_vectors.npy"):
        (version / name).unlink()
    assert load_version(tmp_path).sentences is None  # an older version: answers embed sentences themselves


def test_no_index_yet(tmp_path):
    with pytest.raises(IndexLoadError) as err:
        load_version(tmp_path / "nothing")
    assert "Chưa có chỉ mục" in err.value.message_vi


def test_warming_reads_every_memory_mapped_file(tmp_path, monkeypatch):
    from indexer import store

    version = tmp_path / "v1"
    (version / "bm25_words").mkdir(parents=True)
    files = {version / "embeddings.npy": 3 * store._WARM_CHUNK + 5, version / "dense.faiss": 10,
             version / "bm25_words" / "data.csc.index.npy": 7}
    for path, size in files.items():
        path.write_bytes(b"x" * size)
    (version / "passages.jsonl").write_text("{}\n")  # parsed by the load itself, not warmed
    read: dict[str, int] = {}
    real_open = open

    def counting_open(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        if "b" in mode:
            original = fh.readinto

            def readinto(buffer):
                n = original(buffer)
                read[str(path)] = read.get(str(path), 0) + n
                return n

            fh.readinto = readinto
        return fh

    monkeypatch.setattr("builtins.open", counting_open)
    store.warm_page_cache(version).join(timeout=10)
    assert read == {str(p): size for p, size in files.items()}


def test_only_a_serving_load_warms_the_page_cache(tmp_path, monkeypatch):
    """A build reusing the previous version's vectors must not read the whole index ahead."""
    from hoidap.retrieve import Searcher
    from indexer import store
    from indexer.config import Settings

    warmed = []
    monkeypatch.setattr(store, "warm_page_cache", lambda version: warmed.append(version))
    write_version(tmp_path, _contents())
    load_version(tmp_path)
    assert warmed == []
    Searcher(Settings(index_dir=tmp_path), embedder=object()).contents()
    assert warmed == [live_version(tmp_path)]
