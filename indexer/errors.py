"""One base class for every error a user may see.

Each subclass carries ``message_vi``: the polite Vietnamese sentence the CLI prints
on stderr and the web app shows, while ``str(exc)`` stays the English detail for
logs. Front ends catch :class:`HoidapError` once instead of listing every type.
"""
from __future__ import annotations


class HoidapError(Exception):
    """An expected failure with a message for the user (``message_vi``)."""

    #: Shown to users; subclasses set it in ``__init__``.
    message_vi: str = "Đã xảy ra lỗi khi xử lý yêu cầu."

    def __init__(self, message: str = "", message_vi: str | None = None) -> None:
        super().__init__(message or (message_vi or self.message_vi))
        if message_vi is not None:
            self.message_vi = message_vi
