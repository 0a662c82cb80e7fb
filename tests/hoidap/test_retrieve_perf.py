"""Performance changes in the query path keep behaviour: vectorised filters, HNSW candidate scoring."""
from pathlib import Path

import numpy as np
import pytest

from hoidap.retrieve import Searcher, SearchFilter
from indexer.config import Settings
from indexer.dense import DenseIndex
from indexer.lexical import LexicalIndex
from indexer.store import IndexContents, Manifest, write_version
from indexer.types import Document, DocumentMeta, Passage

WORDS = ["đất_đai", "lao_động", "thuế", "hợp_đồng", "kết_hôn", "bảo_hiểm", "xây_dựng", "giáo_dục"]


class FixedEmbedder:
    model_id = None
    dim = 16

    def __init__(self, vector: np.ndarray) -> None:
        self.vector = vector

    def encode_queries(self, texts):
        return np.stack([self.vector for _ in texts])


def _contents(n_docs: int = 30, per_doc: int = 10, approximate: bool = False, seed: int = 1) -> IndexContents:
    rng = np.random.default_rng(seed)
    documents, passages, words = {}, [], []
    for d in range(n_docs):
        doc_id = f"d{d}"
        documents[doc_id] = Document(doc_id, doc_id, "x", DocumentMeta(doc_type=["Luật", "Kế hoạch", ""][d % 3]))
        for j in range(per_doc):
            w = [WORDS[i] for i in rng.choice(len(WORDS), 3, replace=False)]
            section = (f"Chương {j % 3}", f"Điều {j}")[: 1 + j % 2]
            passages.append(Passage(doc_id, " ".join(w).replace("_", " "), section, passage_id=f"{doc_id}#{j}"))
            words.append(w)
    emb = rng.standard_normal((len(passages), 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    dense = DenseIndex.build(emb, approximate_from=10 if approximate else 10**9)
    lexical = LexicalIndex.build(words, words)
    manifest = Manifest("fake", 16, "t", n_documents=len(documents), n_passages=len(passages), dense_kind=dense.kind)
    return IndexContents(manifest, documents, passages, words, emb, dense, lexical)


def _searcher(tmp_path: Path, contents: IndexContents, vector: np.ndarray) -> Searcher:
    write_version(tmp_path, contents)
    return Searcher(Settings(index_dir=tmp_path), embedder=FixedEmbedder(vector))


def _reference_mask(c: IndexContents, f: SearchFilter) -> np.ndarray:
    keep = np.ones(len(c.passages), dtype=bool)
    for i, p in enumerate(c.passages):
        if f.doc_ids and p.doc_id not in f.doc_ids:
            keep[i] = False
        elif f.doc_types and c.documents[p.doc_id].meta.doc_type not in f.doc_types:
            keep[i] = False
        elif f.section_prefix and tuple(p.section_path[: len(f.section_prefix)]) != f.section_prefix:
            keep[i] = False
    return keep


@pytest.mark.parametrize(
    "f",
    [
        SearchFilter(doc_ids=("d1", "d4", "nope")),
        SearchFilter(doc_types=("Luật",)),
        SearchFilter(doc_types=("",), section_prefix=("Chương 1",)),
        SearchFilter(doc_ids=("d2", "d3", "d5"), doc_types=("Kế hoạch",), section_prefix=("Chương 2", "Điều 5")),
        SearchFilter(section_prefix=("Chương 0",)),
    ],
)
def test_vectorised_mask_equals_reference(tmp_path, f):
    c = _contents()
    s = _searcher(tmp_path, c, c.embeddings[0])
    live = s.contents()
    np.testing.assert_array_equal(s._mask(live, f), _reference_mask(live, f))
    assert s._mask(live, SearchFilter()) is None


@pytest.mark.parametrize("mode", ["hybrid", "dense"])
def test_approximate_candidate_scoring_ranks_like_exact(tmp_path, mode, monkeypatch):
    """With every list probed, the IVF path (candidates + exact rescoring) ranks exactly like the flat one."""
    from indexer import dense as dense_module

    monkeypatch.setattr(dense_module, "IVF_MIN_PROBES", 10**6)  # probe everything: any difference is the search path's
    flat, ivf = _contents(approximate=False), _contents(approximate=True)
    assert ivf.dense.kind == "ivf"
    q = flat.embeddings[17] + 0.3 * flat.embeddings[123]
    a = _searcher(tmp_path / "flat", flat, q).search("thuế lao động", k=5, mode=mode)
    b = _searcher(tmp_path / "ivf", ivf, q).search("thuế lao động", k=5, mode=mode)
    assert [h.row for h in a] == [h.row for h in b]
    assert [round(h.score, 5) for h in a] == [round(h.score, 5) for h in b]
    filtered = _searcher(tmp_path / "ivf", ivf, q).search(
        "thuế", k=5, mode=mode, filters=SearchFilter(doc_ids=("d7",))
    )
    assert filtered and all(h.passage.doc_id == "d7" for h in filtered)


class CountingEmbedder(FixedEmbedder):
    def __init__(self, vector):
        super().__init__(vector)
        self.calls = 0

    def encode_queries(self, texts):
        self.calls += 1
        return np.stack([self.vector + len(t) for t in texts])


def test_query_vectors_are_cached_per_text(tmp_path):
    c = _contents()
    inner = CountingEmbedder(c.embeddings[0])
    write_version(tmp_path, c)
    s = Searcher(Settings(index_dir=tmp_path), embedder=inner)
    first = s.search("thuế lao động", k=3)
    assert inner.calls == 1
    again = s.embedder.encode_queries(["thuế lao động"])  # as the answerer asks for it
    assert inner.calls == 1 and again.shape == (1, 16)
    assert [h.row for h in s.search("thuế lao động", k=3)] == [h.row for h in first] and inner.calls == 1
    s.search("kết hôn", k=3)
    assert inner.calls == 2
    np.testing.assert_array_equal(s.embedder.encode_queries(["a", "bb"]), inner.encode_queries(["a", "bb"]))
    assert s.embedder.dim == 16 and s.embedder.model_id is None
