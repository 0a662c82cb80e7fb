"""Old Word files (issue 12): .doc/.rtf converted by LibreOffice where installed, else refused with steps."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.readers import LoadError, load_bytes, office
from tests.fixtures import makers

RTF = (r"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0 Times New Roman;}}\f0 "
       r"K\u7871?ho\u7841?ch s\u7889? 12/KH-UBND\par "
       r"Ph\u225?t tri\u7875?n h\u7841? t\u7847?ng s\u7889?.\par}").encode("ascii")


def test_without_libreoffice_old_word_is_refused_with_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(LoadError) as info:
        load_bytes(RTF, "cu.rtf")
    assert info.value.reason == "needs_conversion"
    assert "Lưu thành" in info.value.message_vi and ".docx" in info.value.message_vi


@pytest.mark.slow
@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed (make test-slow installs it)")
def test_doc_and_rtf_are_converted(tmp_path: Path) -> None:
    doc = load_bytes(RTF, "cu.rtf")
    assert "Phát triển hạ tầng số." in doc.text
    src = makers.plan_with_tasks_docx(tmp_path / "ke-hoach.docx")
    old = makers.libreoffice_convert(src, "doc:MS Word 97", tmp_path)
    converted = load_bytes(old.read_bytes(), "ke-hoach.doc")
    assert converted.meta.number == "999/KH-UBND"
    # (LibreOffice's own .doc export flattens python-docx's table into one paragraph, so only the text is checked)
    assert "Xây dựng trung tâm dữ liệu dùng chung của tỉnh" in converted.text
