"""Do two titles name the same subject? Shared words, or close title embeddings.

Two successive plans of one issuer rarely keep their title word for word:
"Chuyển đổi số tỉnh Thanh Hóa đến năm 2025" is followed by "Chuyển đổi số, phát
triển kinh tế số và xã hội số …"; "Phát triển hạ tầng số" by "Phát triển hạ tầng
viễn thông và hạ tầng số". So a subject matches when, once the years, "giai đoạn"
and the place ("tỉnh Thanh Hóa", "trên địa bàn tỉnh": the issuer is the same, so the
place says nothing) are removed, either

* the words of one (at least :data:`MIN_SUBJECT_WORDS`) are all in the other: the
  subject kept or widened ("Phát triển du lịch" -> "Phát triển du lịch bền vững"), or
* their embeddings, by the index's own query encoder (e5, "query: " on both sides:
  the model's prompt for symmetric similarity), have cosine >= :data:`TITLE_COSINE`.

Measured with multilingual-e5-small on the fixtures' titles and on pairs of provincial
plan titles (tests/indexer/relations/test_subject.py keeps the decisive ones):

* different subjects of one province, 9 pairs: cosine 0.851-0.945, the hardest sharing
  words ("hạ tầng số" / "hạ tầng giao thông" 0.945, "an toàn thông tin mạng" / "an
  toàn giao thông" 0.941). The words rule matches none of them (Jaccard >= 0.6, the
  first rule tried, matched "an toàn giao thông" and, with the place kept, "hạ tầng
  giao thông");
* same subject, 16 pairs: the words rule catches 10; of the 6 it misses the cosine
  catches those >= 0.95 ("an toàn, an ninh mạng" 0.987, "hạ tầng viễn thông và hạ tầng
  số" 0.955) and misses 4 (0.925-0.948: "chính quyền điện tử" -> "chính quyền số",
  "ứng dụng công nghệ thông tin" -> "chuyển đổi số", ...). 0.94 would catch 2 more
  but match the two hardest different pairs: a wrong "newer" marks a current plan
  outdated and demotes it, so precision wins, and the sidecar's ``newer`` links what
  the titles do not show.

Removing the place first lowers different subjects by ~0.05.

Cheap: only the titles of documents that share type and issuer with another dated one
are embedded, once per index version, in one batch (~10 ms a title on one core).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from indexer.text import fold

#: Fewest folded words a subject needs for the words rule ("Phát triển" alone says nothing).
MIN_SUBJECT_WORDS = 3
#: Cosine of the two cleaned titles' embeddings (see the module docstring for the measurement).
TITLE_COSINE = 0.95

#: Embeds a batch of texts to L2-normalised rows (``QueryEncoder.encode_queries``).
TitleEncoder = Callable[[Sequence[str]], np.ndarray]

_NOISE_RE = re.compile(r"giai\s+đoạn|định\s+hướng|đến\s+năm|năm|\d+|[-–—,.;:()]", re.IGNORECASE)
_PLACE_RE = re.compile(
    r"(?:trên\s+)?địa\s+bàn(?:\s+tỉnh|\s+thành\s+phố)?"
    r"|\btỉnh(?:\s+[A-ZĐ][\wÀ-ỹ]*)*"  # "tỉnh Thanh Hóa", "tỉnh" alone
    r"|\b(?:thành\s+phố|huyện|thị\s+xã|quận|xã|phường)(?:\s+[A-ZĐ][\wÀ-ỹ]*)+",  # named only: "xã hội" stays
)


def subject_text(title: str) -> str:
    """"Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025" -> "Phát triển hạ tầng số"."""
    return " ".join(_PLACE_RE.sub(" ", _NOISE_RE.sub(" ", title or "")).split())


def _words(title: str) -> set[str]:
    return set(fold(subject_text(title)).lower().split())


def shares_words(a: str, b: str) -> bool:
    """One subject's words all in the other's (folded, years / period / place removed)."""
    wa, wb = _words(a), _words(b)
    return min(len(wa), len(wb)) >= MIN_SUBJECT_WORDS and (wa <= wb or wb <= wa)


class SubjectMatcher:
    """``same(a, b)``: shared words, else (with an encoder) cosine of the cleaned titles.

    Titles are embedded lazily, all those passed to :meth:`prepare` in one batch.
    """

    def __init__(self, encode: TitleEncoder | None = None) -> None:
        self.encode = encode
        self._vectors: dict[str, np.ndarray] = {}

    def prepare(self, titles: Sequence[str]) -> None:
        """Embed, in one batch, the subjects of ``titles`` not embedded yet."""
        if self.encode is None:
            return
        todo = list(dict.fromkeys(s for s in map(subject_text, titles) if s and s not in self._vectors))
        if todo:
            for text, row in zip(todo, np.asarray(self.encode(todo), dtype=np.float32)):
                self._vectors[text] = row

    def cosine(self, a: str, b: str) -> float | None:
        if self.encode is None:
            return None
        sa, sb = subject_text(a), subject_text(b)
        if not (sa and sb):
            return None
        self.prepare([a, b])
        return float(self._vectors[sa] @ self._vectors[sb])

    def same(self, a: str, b: str) -> bool:
        if shares_words(a, b):
            return True
        cos = self.cosine(a, b)
        return cos is not None and cos >= TITLE_COSINE
