"""Which encoder embeds the questions: a process that only answers never imports torch."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).parents[3]


def test_answering_needs_no_torch(seed_engine):
    """A process that only answers (the web app between re-indexes) never imports torch."""
    code = (
        "import sys; from pathlib import Path; from hoidap.engine import Engine; from indexer.config import Settings; "
        f"e = Engine(Settings(cache_dir=Path({str(seed_engine.settings.cache_dir)!r}), "
        f"index_dir=Path({str(seed_engine.settings.index_dir)!r}))); "
        "a = e.ask('Mục tiêu về điện toán đám mây đến năm 2025 là gì?'); assert a.found, a.answer; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "assert not heavy, heavy; assert 'onnxruntime' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
