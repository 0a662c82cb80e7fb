"""Vietnamese word segmentation with underthesea's own tokenizer, featurizer and CRF tagger.

:func:`get_segmenter` returns the process-wide :class:`Segmenter`, loaded on
first use.  It runs exactly what ``underthesea.word_tokenize`` runs (its regex
syllable tokenizer, then ``underthesea_core``'s ``CRFFeaturizer`` and
``CRFTagger`` on the ``ws_crf_vlsp2013`` model), but without importing the
``underthesea`` package: its ``__init__`` pulls in transformers and torch
(5-8 s, ~500 MB), which a serving process must never load.  ``underthesea_core``
(the Rust extension) and ``joblib`` are light; the regex tokenizer module is
executed from its installed source with its two normaliser imports replaced
(see :func:`_light_regex_tokenizer`).  If the installed files ever look
different, the segmenter falls back to importing underthesea normally.

Why not a faster hand-written decoder: one existed (a Python/NumPy re-reading
of the CRFsuite model, 2-3x faster on segmentation), but segmentation is a small
part of an index build (0.44 s of 15.9 s on 498 passages, so ~1.1 s of 16.6 s
with this decoder; +5 s on a 443 s full ALQAC build), so underthesea's maintained
decoder wins.  Measured with ``benchmarks/bench_segment.py`` on the ALQAC
corpus (1377 passages, 1.16 M characters; the full index build of it took 443 s,
96 % of it embedding), 2 cores shared with other jobs:

=====================================  ==================  ==================
                                       hand-written CRF    underthesea_core
=====================================  ==================  ==================
quiet machine (load 1): all passages   2.8 s               7.7 s
  question p50 / p95 (50 questions)    0.11 / 0.20 ms      0.33 / 0.46 ms
busy machine (load 7-8): all passages  10.3-10.9 s         22.8-23.9 s
  question p50 / p95                   0.14 / 0.60-0.80    0.35-0.40 / 7.3-8.5
model load                             0.4 s               0.3 s
=====================================  ==================  ==================

The question p95 on a busy machine is preemption (p50 stays under 0.5 ms).
"""
from __future__ import annotations

import importlib.util
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["Segmenter", "get_segmenter"]

_WS_MODEL = "ws_crf_vlsp2013_20230727"
_REGEX_TOKENIZE_IMPORTS = (
    "from underthesea.pipeline.text_normalize import token_normalize\n",
    "from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text\n",
)

_lock = threading.Lock()
_segmenter: Segmenter | None = None


def _underthesea_root() -> Path:
    """Install folder of underthesea, found without importing it."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("underthesea is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _light_regex_tokenizer() -> Callable[..., list[str]]:
    """underthesea's regex syllable tokenizer without importing the underthesea package.

    Why: ``import underthesea`` pulls in transformers and torch (4-8 s) for its
    translation pipeline; the tokenizer itself is one regex module whose only
    imports are the token/character normalisers, which we replace (our
    :func:`indexer.text.normalize` already did their work: NFC, "ð" -> "đ").  The
    module source is executed as installed, so its behaviour is underthesea's; any
    surprise in the file raises and the caller falls back to the normal import.
    """
    path = _underthesea_root() / "pipeline" / "word_tokenize" / "regex_tokenize.py"
    src = path.read_text(encoding="utf-8")
    for line in _REGEX_TOKENIZE_IMPORTS:
        if line not in src:
            raise ImportError("unexpected regex_tokenize.py")
        src = src.replace(line, "")
    if "underthesea" in src.replace("underthesea_core", ""):
        raise ImportError("regex_tokenize.py imports more of underthesea")

    def token_normalize(token: str, use_character_normalize: bool = True) -> str:
        return token

    def normalize_characters_in_text(text: str) -> str:
        return unicodedata.normalize("NFC", text).replace("ð", "đ").replace("Ð", "Đ")

    ns: dict[str, object] = {
        "__name__": "indexer.text._underthesea_regex_tokenize",
        "token_normalize": token_normalize,
        "normalize_characters_in_text": normalize_characters_in_text,
    }
    exec(compile(src, str(path), "exec"), ns)  # noqa: S102 - the installed package's own source
    return ns["tokenize"]  # type: ignore[return-value]


def _light_crf(model_dir: Path) -> tuple[Any, Any]:
    """underthesea_core's featurizer and tagger, loaded as ``FastCRFSequenceTagger.load`` does."""
    import joblib
    from underthesea_core import CRFFeaturizer, CRFTagger

    tagger = CRFTagger()
    tagger.load(str(model_dir / "models.bin"))
    features = joblib.load(model_dir / "features.bin")
    dictionary = joblib.load(model_dir / "dictionary.bin")
    return CRFFeaturizer(features, dictionary), tagger


class Segmenter:
    """underthesea's regex syllable tokenizer + CRF word segmenter, loaded once.

    ``light=True`` loads the pieces without the underthesea package (see the
    module docstring); otherwise, or if that fails, underthesea's own modules.
    """

    def __init__(self, light: bool = True) -> None:
        self.light = False
        if light:
            try:
                self.tokenize = _light_regex_tokenizer()
                self._featurizer, self._tagger = _light_crf(
                    _underthesea_root() / "pipeline" / "word_tokenize" / "models" / _WS_MODEL
                )
                self.light = True
            except Exception:  # a future underthesea changed its files: use it as a library
                self.light = False
        if not self.light:
            from underthesea.pipeline import word_tokenize as wt  # slow import (torch)
            from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

            self.tokenize = tokenize
            wt.word_tokenize("khởi động")  # loads wt.word_tokenize_model
            self._featurizer = wt.word_tokenize_model.featurizer
            self._tagger = wt.word_tokenize_model.estimator

    def tag(self, toks: list[str]) -> list[str]:
        """Label ("B-W" begins a word, "I-W" continues it) of every syllable token."""
        if not toks:
            return []
        return self._tagger.tag(self._featurizer.process([[[t] for t in toks]])[0])

    def words(self, line: str) -> list[str]:
        """Words of one line, syllables joined by spaces (as underthesea.word_tokenize)."""
        toks = self.tokenize(line, use_token_normalize=False)
        if not toks:
            return []
        out: list[str] = []
        for tag, tok in zip(self.tag(toks), toks):
            if tag == "I-W" and out:
                out[-1] = out[-1] + " " + tok
            else:
                out.append(tok)
        return out


def get_segmenter() -> Segmenter:
    """The process-wide segmenter, loaded once (thread-safe)."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = Segmenter()
    return _segmenter
