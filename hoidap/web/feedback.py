"""Thumbs up/down on chat answers, appended to a JSON Lines file (``HOIDAP_FEEDBACK``).

Each row holds enough to reproduce and judge the answer later (the question as
typed and as asked, the answer, its citations); nothing is sent anywhere.
"""
from __future__ import annotations

import json
import os
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
    """Append one JSON line (UTF-8); creates the folder.

    The line goes out in one ``write`` on an ``O_APPEND`` descriptor, so a reader
    (or another replica appending to the same file) never sees a created-but-empty
    file or half a line, which a buffered ``open(..., "a")`` allowed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(dict(record), ensure_ascii=False) + "\n").encode("utf-8")
    with _feedback_lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    return path


def vote_of(liked: object) -> str:
    """Gradio's LikeData.liked (True/False or an option string) -> "up"/"down"/other."""
    if liked is True or (isinstance(liked, str) and liked.lower() in ("like", "up", "true")):
        return "up"
    if liked is False or (isinstance(liked, str) and liked.lower() in ("dislike", "down", "false")):
        return "down"
    return str(liked)
