"""Validation of user input shared by the CLI and the web app.

Every rejection carries a polite Vietnamese message for the user; nothing here
touches the index, so bad input can never damage what is already indexed.
"""
from __future__ import annotations

import unicodedata

from indexer.errors import HoidapError

#: No real question is longer; the model window is 512 tokens anyway.
MAX_QUERY_CHARS = 1000


class UserInputError(HoidapError, ValueError):
    """Bad input from a user; ``message_vi`` is what they are shown."""

    def __init__(self, message_vi: str, reason: str = "invalid") -> None:
        super().__init__(f"{reason}: {message_vi}")
        self.message_vi = message_vi
        self.reason = reason


def clean_query(query: str | None) -> str:
    """NFC, control characters dropped, whitespace collapsed; too long is refused, not cut.

    Raises
    ------
    UserInputError
        When nothing searchable is left (empty, only punctuation, symbols or emoji).
    """
    if query is None:
        raise UserInputError("Vui lòng nhập câu hỏi hoặc từ khóa.", "empty")
    text = unicodedata.normalize("NFC", str(query))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        raise UserInputError("Vui lòng nhập câu hỏi hoặc từ khóa.", "empty")
    if not any(ch.isalnum() for ch in text):
        raise UserInputError("Câu hỏi cần có chữ hoặc số để tìm kiếm.", "no_letters")
    if len(text) > MAX_QUERY_CHARS:
        raise UserInputError(
            f"Câu hỏi quá dài ({len(text):,} ký tự); vui lòng rút gọn dưới {MAX_QUERY_CHARS:,} ký tự.".replace(",", "."),
            "too_long",
        )
    return text
