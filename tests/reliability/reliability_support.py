"""Helpers of the reliability/security suite (fixtures are in conftest.py): the
sample corpus, byte generators borrowed from tests/indexer/readers/test_readers.py, and a
runner for the real ``hoidap`` CLI as a subprocess (what a user runs).
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEST_CACHE_DIR = REPO / ".hoidap" / "test-cache"
HOIDAP = [sys.executable, "-m", "hoidap.cli"]
SAMPLES = [
    REPO / "tests" / "fixtures" / "plan_ke_hoach_mau.txt",
    REPO / "tests" / "fixtures" / "luat_mau.txt",
    REPO / "corpus" / "plan225-vov-article.txt",
]
#: Questions of the load tests (test_serving_load.py, test_replicas.py): the sample corpus's
#: topics, a question without diacritics, one off-topic, one with markup.
LOAD_QUERIES = [
    "Mục tiêu phát triển hạ tầng số đến năm 2025 là gì?",
    "điện toán đám mây",
    "ha tang so thanh hoa",
    "Kế hoạch 225 giao nhiệm vụ cho cơ quan nào?",
    "quyền của người lao động",
    "tốc độ truy cập Internet băng rộng cố định",
    "<script>alert(1)</script> hạ tầng",
]
VIETNAMESE_MARKS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def is_vietnamese(message: str) -> bool:
    return any(ch in VIETNAMESE_MARKS for ch in message.lower())


def load_generators():
    """tests/indexer/readers/test_readers.py as a module: its PDF/DOCX/zip/legacy byte generators."""
    spec = importlib.util.spec_from_file_location("_rel_test_load", REPO / "tests" / "indexer" / "readers" / "test_readers.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def sample_text(i: int = 0) -> str:
    return unicodedata.normalize("NFC", SAMPLES[i].read_text(encoding="utf-8"))


def make_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for src in SAMPLES:
        (folder / src.name).write_bytes(src.read_bytes())
    return folder


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOIDAP_")}
    env.update({"HOIDAP_CACHE_DIR": str(TEST_CACHE_DIR), "HOIDAP_THREADS": "1", "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


def run_cli(*args: object, timeout: float = 300, prefix: list[str] | None = None, **env: str) -> subprocess.CompletedProcess:
    """``hoidap <args>`` in a subprocess; returns the completed process (text mode)."""
    return subprocess.run(
        [*(prefix or []), *HOIDAP, *map(str, args)],
        cwd=REPO,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
