"""Vietnamese text utilities, one module per concern; import this package, not the modules.

* :mod:`~indexer.text.normalize`: NFC + tone-mark placement, ``fold`` (the one
  no-accent folding of the code base), ``strip_diacritics``, ``has_diacritics``;
* :mod:`~indexer.text.sentences`: sentence spans (newline-aware);
* :mod:`~indexer.text.tokens`: syllables, folded tokens, word tokens for BM25;
* :mod:`~indexer.text.segment`: underthesea word segmentation, loaded lazily
  (~0.4 s) without importing the ``underthesea`` package (torch).

Everything here is a pure function of its input and runs at index time on every
passage, so the hot paths are plain ``str``/``re`` work.
"""
from __future__ import annotations

from indexer.text.normalize import fold, fold_chars, has_diacritics, normalize, strip_diacritics
from indexer.text.sentences import sentence_spans, sentences
from indexer.text.tokens import folded_tokens, spell_percent, syllable_count, syllables, word_tokens, word_tokens_batch

__all__ = [
    "normalize",
    "fold",
    "fold_chars",
    "strip_diacritics",
    "has_diacritics",
    "sentence_spans",
    "sentences",
    "syllables",
    "syllable_count",
    "word_tokens",
    "word_tokens_batch",
    "spell_percent",
    "folded_tokens",
]
