"""Progress on stderr (hoidap.progress): one parsable line per stage, sparse when not a terminal."""
from __future__ import annotations

import io
import re

from hoidap.progress import TerminalProgress


def test_each_stage_starts_with_a_parsable_line_and_a_log_gets_few_lines():
    out = io.StringIO()  # not a terminal, like CI or a log file
    with TerminalProgress(out) as progress:
        progress("load", 0, 3)
        progress("load", 3, 3)
        for done in range(0, 5000, 10):  # a long embedding stage, updated often
            progress("embed", done, 5000)
        progress("embed", 5000, 5000)
        progress("write", 0, 1)
        progress("write", 1, 1)
    lines = out.getvalue().splitlines()
    assert "[đọc tệp] 0/3" in lines and "[mã hóa đoạn] 0/5000" in lines and "[ghi chỉ mục] 0/1" in lines
    assert "\r" not in out.getvalue()
    assert len(lines) <= 12, lines  # 500 updates, a handful of lines
    final = [line for line in lines if line.startswith("[mã hóa đoạn]:")][-1]
    assert "5000/5000" in final and re.search(r"\[\d\d:\d\d<\d\d:\d\d", final)  # elapsed < time left


def test_empty_stage_prints_its_line_only():
    out = io.StringIO()
    with TerminalProgress(out) as progress:
        progress("embed", 0, 0)
    assert out.getvalue() == "[mã hóa đoạn] 0/0\n"
