"""Follow-up questions made standalone (hoidap.followup): "còn mạng 5G thì sao?"."""
from __future__ import annotations

import pytest

from hoidap import followup as H

PREV_4G = "Mục tiêu về mạng 4G đến năm 2025 là gì?"


@pytest.mark.parametrize(
    "typed, previous, expected",
    [
        ("còn mạng 5G thì sao?", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),
        ("Thế còn mạng 5G?", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),
        ("vậy còn mạng 5G thì thế nào?", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),
        ("con mang 5G thi sao", PREV_4G, "Mục tiêu về mạng 5G đến năm 2025 là gì?"),  # typed without accents
        (
            "còn hạ tầng IoT thì sao?",
            "Mục tiêu về điện toán đám mây đến năm 2025 là gì?",
            "Mục tiêu về hạ tầng IoT đến năm 2025 là gì?",
        ),
        ("còn Sở Tài chính thì sao?", "Sở Thông tin và Truyền thông có trách nhiệm gì?", "Sở Tài chính có trách nhiệm gì?"),
        (
            "còn 5G thì sao?",
            "Kế hoạch 225 nhằm phát triển những hạ tầng nào?",
            "Kế hoạch 225 nhằm phát triển những hạ tầng nào, đối với 5G?",
        ),
    ],
)
def test_followups_become_standalone(typed, previous, expected):
    rw = H.rewrite_followup(typed, ["Câu hỏi cũ hơn?", previous])
    assert rw.rewritten and rw.question == expected and rw.typed == typed


@pytest.mark.parametrize(
    "typed",
    [
        "Mục tiêu về điện toán đám mây đến năm 2025 là gì?",  # not a follow-up
        "Còn bao nhiêu xã chưa có sóng di động 4G tại các huyện miền núi phía tây của tỉnh Thanh Hóa?",  # long
        "còn thì sao?",  # no subject
        "Còn bao nhiêu xã chưa có sóng 4G?",  # a question of its own
    ],
)
def test_non_followups_are_unchanged(typed):
    rw = H.rewrite_followup(typed, [PREV_4G])
    assert not rw.rewritten and rw.question == " ".join(typed.split())


def test_followup_without_history_is_unchanged():
    assert H.rewrite_followup("còn mạng 5G thì sao?", []).question == "còn mạng 5G thì sao?"
