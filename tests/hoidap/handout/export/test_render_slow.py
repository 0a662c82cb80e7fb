"""Slow: render a real handout page and slide with LibreOffice (what docs/*.png show).

Run: ``python -m pytest -m slow tests/hoidap/handout/export/test_render_slow.py``; skipped
without ``soffice`` and ``pdftoppm``. The default suite never needs LibreOffice.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/poppler absent"),
]
REPO = Path(__file__).parents[4]


def test_render_page_and_slide(tmp_path, embedded_model_path, base_settings, monkeypatch):
    from PIL import Image

    sys.path.insert(0, str(REPO / "scripts"))
    import render_handout

    monkeypatch.setenv("HOIDAP_CACHE_DIR", str(base_settings.cache_dir))
    page, slide = render_handout.render(REPO / "corpus", "hạ tầng số", tmp_path, 1, 2, "Sở Thông tin và Truyền thông")
    with Image.open(page) as im:  # portrait A4
        assert abs(im.height / im.width - 297 / 210) < 0.02
    with Image.open(slide) as im:  # 16:9
        assert abs(im.width / im.height - 16 / 9) < 0.02
