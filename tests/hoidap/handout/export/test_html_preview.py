"""The trainer tab's HTML preview and download file names."""
from __future__ import annotations

from handout_samples import XSS_FILE, hits_of

from hoidap import handout as HO
from hoidap.web.handout_preview import handout_html


def test_file_stem_is_ascii():
    assert HO.file_stem("Điện toán đám mây / 2025") == "tai-lieu-tap-huan-dien-toan-dam-may-2025"
    assert HO.file_stem("") == "tai-lieu-tap-huan"


def test_preview_html_escapes_everything():
    html = handout_html(HO.build_handout("<b>kiểm tra</b>", hits_of(XSS_FILE)))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
