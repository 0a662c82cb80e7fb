"""Fusion functions against hand-computed references."""
import numpy as np
import pytest

from hoidap import fusion


def test_rrf_matches_hand_computed_scores():
    dense = np.array([3, 1, 2])
    lexical = np.array([1, 4])
    fused = fusion.rrf([dense, lexical], k=60)
    assert fused[1] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[3] == pytest.approx(1 / 61)
    assert fused[2] == pytest.approx(1 / 63)
    assert fused[4] == pytest.approx(1 / 62)
    # an item found by both retrievers beats items found by one
    assert max(fused, key=fused.get) == 1


def test_rrf_weights_scale_each_ranking():
    fused = fusion.rrf([np.array([7]), np.array([8])], weights=[2.0, 1.0], k=0)
    assert fused == {7: 2.0, 8: 1.0}


def test_minmax_and_constant_input():
    assert fusion.minmax(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert fusion.minmax(np.array([5.0, 5.0])).tolist() == [0.0, 0.0]
    assert fusion.minmax(np.array([])).size == 0


def test_convex_keeps_score_gaps():
    dense = np.array([0.9, 0.5, 0.1])
    lexical = np.array([0.0, 10.0, 0.0])
    out = fusion.convex(dense, lexical, dense_weight=0.7)
    assert out.tolist() == pytest.approx([0.7, 0.3 * 1.0 + 0.7 * 0.5, 0.0])


def test_reference_bonus_prefers_the_document_itself():
    identities = {"kh225": {"225/KH-UBND", "Kế hoạch 225"}, "qd12": {"12/2023/QĐ-UBND", "Quyết định 12"}}
    mentions = {"bao": {"Kế hoạch 225"}, "kh225": {"Kế hoạch 225"}}
    assert fusion.reference_bonus(["Kế hoạch 225"], identities, mentions) == {"kh225": 1.0, "bao": 0.5}
    assert fusion.reference_bonus([], identities, mentions) == {}
