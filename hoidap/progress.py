"""Progress of long commands on stderr: a tqdm bar per stage, with rate and time left.

A first index of a large corpus takes minutes (embedding dominates), so the user
sees how long is left. Each stage also starts with one plain line,
``[mã hóa đoạn] 0/1234``, that scripts and tests can wait for
(tests/reliability/test_faults.py kills ``hoidap index`` on it). When stderr is
not a terminal (CI, logs) the bar is redrawn at most every ``QUIET_INTERVAL``
seconds, so a long build writes a few lines, not thousands.
"""
from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

LABELS = {"load": "đọc tệp", "ocr": "nhận dạng chữ (OCR)", "embed": "mã hóa đoạn", "write": "ghi chỉ mục",
          "query": "câu hỏi", "cluster": "xử lý trên cụm"}
UNITS = {"load": "tệp", "ocr": "trang", "embed": "đoạn", "write": "bước", "query": "câu", "cluster": "tài liệu"}
#: Seconds between redraws on a terminal, and when stderr is a file or a pipe.
TTY_INTERVAL = 0.2
QUIET_INTERVAL = 10.0


class _Lines:
    """For a file or a pipe: each redraw of a bar on its own line (tqdm writes "\\r" + bar)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.replace("\r", "").rstrip("\n")
        if text.strip():
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


class TerminalProgress:
    """A :data:`indexer.build.ProgressFn` that draws on stderr; use as a context manager."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.stage = ""
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = LABELS.get(stage, stage)
        if stage != self.stage or self.bar is None and done < total:
            self.close()
            self.stage = stage
            # one parsable line per stage start, whatever the bar does
            print(f"[{label}] {done}/{total}", file=self.stream, flush=True)
            if done >= total:
                return
            self.bar = tqdm(
                total=total,
                initial=done,
                desc=f"[{label}]",
                unit=UNITS.get(stage, ""),
                file=self.stream if self.tty else _Lines(self.stream),
                mininterval=TTY_INTERVAL if self.tty else QUIET_INTERVAL,
                dynamic_ncols=self.tty,
                ncols=None if self.tty else 100,
                leave=True,
            )
            return
        if self.bar is None:
            return
        if total != self.bar.total:
            self.bar.total = total
        self.bar.update(max(0, done - self.bar.n))
        if done >= total:
            self.close()

    def detail(self, text: str) -> None:
        """A note after the current bar (a cluster build: passages so far and their rate)."""
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> "TerminalProgress":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
