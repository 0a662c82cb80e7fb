"""Thumbs up/down appended as JSON lines (hoidap.web.feedback)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from hoidap.answer import Answer
from hoidap.web import feedback as H
from tests.support.records import CLOUD, citation

def test_feedback_is_appended_as_jsonl(tmp_path: Path):
    ans = Answer("Mục tiêu điện toán đám mây?", True, f"{CLOUD} [1]", [citation(1)])
    path = tmp_path / "sub" / "feedback.jsonl"
    H.save_feedback(path, H.feedback_record("Mục tiêu điện toán đám mây?", ans, H.vote_of(True)))
    H.save_feedback(path, H.feedback_record("còn 5G?", ans.to_json(), H.vote_of(False), asked_as="Mục tiêu 5G?"))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["vote"] for r in rows] == ["up", "down"]
    assert rows[0]["question"] == "Mục tiêu điện toán đám mây?" and rows[0]["answer"].startswith("Đồng thời, 100%")
    assert rows[0]["citations"][0]["reference"].startswith("Kế hoạch số 225/KH-UBND")
    assert rows[1]["asked_as"] == "Mục tiêu 5G?" and rows[1]["found"] is True
    assert all(re.match(r"\d{4}-\d\d-\d\dT", r["timestamp"]) for r in rows)


def test_vote_of_accepts_gradio_values():
    assert H.vote_of(True) == "up" and H.vote_of("Like") == "up"
    assert H.vote_of(False) == "down" and H.vote_of("Dislike") == "down"
