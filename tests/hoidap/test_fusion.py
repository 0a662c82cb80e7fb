"""Fusion functions against hand-computed references."""
import numpy as np
import pytest

from hoidap import fusion


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
