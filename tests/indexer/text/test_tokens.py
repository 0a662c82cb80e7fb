"""Tests for indexer.text.tokens and indexer.text.segment (syllables, word tokens, folded tokens)."""
from __future__ import annotations

import re

from tests.indexer.text.text_samples import LAW, OLD_STYLE, PLAN, SEED, _underthesea

from indexer.text import (
    folded_tokens,
    normalize,
    syllable_count,
    syllables,
    word_tokens,
    word_tokens_batch,
)

# --------------------------------------------------------------------------- syllables


def test_syllables() -> None:
    assert syllables("Hạ tầng số Thanh Hoá, 1.000.000 đồng; 225/KH-UBND") == [
        "hạ", "tầng", "số", "thanh", "hóa", "1.000.000", "đồng", "225", "kh", "ubnd",
    ]
    assert syllable_count("Hạ tầng số Thanh Hoá, 1.000.000 đồng; 225/KH-UBND") == 10
    assert syllable_count("") == 0
    assert syllable_count(" - ; … ") == 0


# --------------------------------------------------------------------------- tokens


def test_word_tokens_words() -> None:
    toks = word_tokens("Phát triển hạ tầng số tỉnh Thanh Hoá.")
    assert "hạ_tầng" in toks
    assert "thanh_hóa" in toks
    assert "." not in toks
    assert word_tokens("tỉnh Thanh Hoá") == word_tokens("tỉnh Thanh Hóa") == ["tỉnh", "thanh_hóa"]
    # the CRF uses letter case and context, so "THANH HÓA" alone may segment differently:
    # a documented limitation (the folded field and syllables do not depend on it)


def test_word_tokens_codes_numbers_percent() -> None:
    toks = word_tokens("Kế hoạch số 225/KH-UBND ngày 15/9/2023 đạt 100% và 2.5 lần")
    assert toks[toks.index("225/kh-ubnd") :][:4] == ["225/kh-ubnd", "225", "kh", "ubnd"]
    assert "15/9/2023" in toks and "2023" in toks
    assert "2.5" in toks
    assert word_tokens("100%") == word_tokens("100 phần trăm") == ["100", "phần_trăm"]
    assert "nđ-cp" in word_tokens("Nghị định 13/2023/NĐ-CP") or "13/2023/nđ-cp" in word_tokens(
        "Nghị định 13/2023/NĐ-CP"
    )


def test_word_tokens_match_underthesea_segmentation() -> None:
    word_tokenize = _underthesea("underthesea.pipeline.word_tokenize").word_tokenize
    lines = [ln for ln in SEED.splitlines() if ln.strip() and "%" not in ln and "/" not in ln]
    for line in lines:
        expected = [
            w.lower().replace(" ", "_")
            for w in word_tokenize(normalize(line))
            if re.search(r"[^\W_]", w)
        ]
        assert word_tokens(line) == expected


def test_segmenter_equals_underthesea_tagger() -> None:
    """The light loading (no underthesea package import) tags exactly as underthesea does."""
    from indexer.text.segment import Segmenter

    light = Segmenter(light=True)
    assert light.light
    wt = _underthesea("underthesea.pipeline.word_tokenize")
    tokenize = wt.tokenize
    model = wt.word_tokenize_model  # underthesea's own Rust featurizer + tagger

    lines = [ln for text in (SEED, PLAN, LAW, *OLD_STYLE) for ln in text.splitlines() if ln.strip()]
    lines += ["Hà", "UBND 4G", "iPhone 1.000 ² 3", "THANH HÓA", "a"]
    for line in lines:
        toks = tokenize(line, use_token_normalize=False)
        assert light.tag(toks) == model.estimator.tag(model.featurizer.process([[[t] for t in toks]])[0]), line
        assert light.tokenize(line, use_token_normalize=False) == toks, line


def test_word_tokens_batch_equals_single() -> None:
    texts = [SEED, PLAN[:2000], "", "   ", "Hạ tầng số", "… !!"]
    assert word_tokens_batch(texts) == [word_tokens(t) for t in texts]
    assert word_tokens_batch(texts)[2:4] == [[], []]


def test_folded_tokens() -> None:
    toks = folded_tokens("Hạ tầng số")
    assert toks == ["ha", "tang", "so", "ha_tang", "tang_so"]
    assert set(folded_tokens("ha tang so")) == set(toks)
    # bigrams do not cross punctuation
    assert "so_thanh" not in folded_tokens("hạ tầng số, Thanh Hóa")
