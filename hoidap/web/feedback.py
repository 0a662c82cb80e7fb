"""Thumbs up/down on chat answers, appended to a JSON Lines file (``HOIDAP_FEEDBACK``).

Each row holds enough to reproduce and judge the answer later (the question as
typed and as asked, the answer, its citations); nothing is sent anywhere.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from hoidap.answer import Answer

_feedback_lock = threading.Lock()


def feedback_record(question: str, answer: Answer | Mapping, vote: str, asked_as: str = "") -> dict:
    """The JSONL row for a thumbs up/down: enough to reproduce and judge the answer later."""
    if isinstance(answer, Mapping):
        text = str(answer.get("answer", ""))
        citations = list(answer.get("citations", []))
        found = bool(answer.get("found", False))
    else:
        text = getattr(answer, "answer", "")
        citations = [c.to_json() for c in getattr(answer, "citations", [])]
        found = bool(getattr(answer, "found", False))
    return {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "vote": vote,
        "question": question,
        "asked_as": asked_as or question,
        "found": found,
        "answer": text,
        "citations": [
            {k: c.get(k) for k in ("n", "doc_id", "section", "reference", "excerpt") if k in c} for c in citations
        ],
    }


def save_feedback(path: Path, record: Mapping) -> Path:
    """Append one JSON line (UTF-8, one writer at a time); creates the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(dict(record), ensure_ascii=False)
    with _feedback_lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return path


def vote_of(liked: object) -> str:
    """Gradio's LikeData.liked (True/False or an option string) -> "up"/"down"/other."""
    if liked is True or (isinstance(liked, str) and liked.lower() in ("like", "up", "true")):
        return "up"
    if liked is False or (isinstance(liked, str) and liked.lower() in ("dislike", "down", "false")):
        return "down"
    return str(liked)
