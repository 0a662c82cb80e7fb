"""Real Vietnamese samples and helpers shared by the tests of :mod:`indexer.text`."""
from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[3]
SEED = (ROOT / "corpus" / "plan225-vov-article.txt").read_text(encoding="utf-8")
PLAN = (ROOT / "tests" / "fixtures" / "plan_ke_hoach_mau.txt").read_text(encoding="utf-8")
LAW = (ROOT / "tests" / "fixtures" / "luat_mau.txt").read_text(encoding="utf-8")

# Real-style sentences written with the "new" tone placement (hoá, thuỷ, uỷ, khoẻ).
OLD_STYLE = [
    "UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225/KH-UBND về phát triển hạ tầng số.",
    "Các cấp uỷ Đảng, chính quyền tập trung lãnh đạo công tác chuyển đổi số.",
    "Sở Nông nghiệp chủ trì phát triển thuỷ lợi, phòng chống thiên tai tại huyện Quan Hoá.",
    "Bảo đảm sức khoẻ Nhân dân; xoá bỏ vùng lõm sóng; hoà mạng Internet băng rộng.",
    "THANH HOÁ ĐẨY MẠNH CHUYỂN ĐỔI SỐ, UỶ BAN NHÂN DÂN TỈNH CHỈ ĐẠO QUYẾT LIỆT.",
    "Ông Lê Văn Thuỷ, Phó Chủ tịch Uỷ ban nhân dân tỉnh, nhấn mạnh vai trò của hoạ sĩ.",
]


def _underthesea(modname: str) -> types.ModuleType:
    """Import an underthesea submodule without running ``underthesea/__init__``.

    The package's ``__init__`` imports transformers and torch (5-8 s); the
    modules we compare against only need their own files.  The stub package and
    the submodules are removed from ``sys.modules`` afterwards, so a later real
    ``import underthesea`` is unaffected.
    """
    if "underthesea" in sys.modules:
        return importlib.import_module(modname)
    spec = importlib.util.find_spec("underthesea")
    assert spec is not None and spec.submodule_search_locations
    root = Path(list(spec.submodule_search_locations)[0])
    stub = types.ModuleType("underthesea")
    stub.__path__ = [str(root)]
    sys.modules["underthesea"] = stub
    try:
        importlib.import_module("underthesea.pipeline.text_normalize")  # its import order avoids a cycle
        module = importlib.import_module(modname)
        if hasattr(module, "word_tokenize_model"):
            module.word_tokenize("khởi động")  # its lazy model import must happen under the stub too
        return module
    finally:
        for name in [n for n in sys.modules if n == "underthesea" or n.startswith("underthesea.")]:
            del sys.modules[name]


def _words(s: str) -> list[str]:
    return re.findall(r"[^\W_]+", s)



ALPHABET = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ áàảãạếềểễệốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵíìỉĩị")
    + list(" \n\t.,;:!?…“”\"'()-/%0123456789")
    + ["TP.", "v.v.", "1.", "a)", "II.", "\u0301", "\u0323", "Hoá", "thuỷ", "2.5", "15/9/2023"]
)
VIETNAMESE_ISH = st.lists(ALPHABET, max_size=80).map("".join)
