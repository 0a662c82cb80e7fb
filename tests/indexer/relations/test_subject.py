""""Same subject" by shared title words or by title embeddings (the real e5 model), and the
threshold's measurement: pairs of successive plans of one province, and different subjects
of one province (the hard negatives share words: "hạ tầng số" / "hạ tầng giao thông")."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from indexer.relations import build_relations
from indexer.relations.subject import TITLE_COSINE, SubjectMatcher, shares_words, subject_text

#: (older title, newer title): the same subject, reworded.
SAME = [
    ("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025",
     "Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2025 - 2030"),
    ("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025",
     "Phát triển hạ tầng viễn thông và hạ tầng số trên địa bàn tỉnh giai đoạn 2026 - 2030"),
    ("Cải cách hành chính tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Cải cách hành chính nhà nước tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Phát triển du lịch tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Phát triển du lịch bền vững tỉnh Thanh Hóa đến năm 2030"),
    ("Bảo vệ môi trường tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Bảo vệ môi trường, ứng phó với biến đổi khí hậu tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Phòng, chống thiên tai tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Chuyển đổi số tỉnh Thanh Hóa đến năm 2025, định hướng đến năm 2030",
     "Chuyển đổi số, phát triển kinh tế số và xã hội số tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    # reworded: only the embeddings see it (0.987)
    ("Bảo đảm an toàn thông tin mạng tỉnh giai đoạn 2021 - 2025",
     "Bảo đảm an toàn, an ninh mạng trên địa bàn tỉnh giai đoạn 2026 - 2030"),
]
#: Different subjects of one province.
DIFFERENT = [
    ("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025",
     "Phát triển hạ tầng giao thông tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Bảo đảm an toàn thông tin mạng tỉnh giai đoạn 2021 - 2025",
     "Bảo đảm an toàn giao thông trên địa bàn tỉnh giai đoạn 2026 - 2030"),
    ("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025",
     "Phát triển du lịch tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Chuyển đổi số tỉnh Thanh Hóa đến năm 2025, định hướng đến năm 2030",
     "Phát triển nông nghiệp công nghệ cao tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Phòng, chống thiên tai tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Phòng, chống tác hại của thuốc lá tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025",
     "Phát triển hạ tầng thương mại tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Bảo vệ môi trường tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Bảo vệ và phát triển rừng tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
    ("Phát triển chính quyền điện tử tỉnh Thanh Hóa giai đoạn 2021 - 2025",
     "Phát triển thương mại điện tử tỉnh Thanh Hóa giai đoạn 2026 - 2030"),
]


def test_subject_text_drops_years_period_and_place():
    assert subject_text("Phát triển hạ tầng số tỉnh Thanh Hóa giai đoạn 2023 - 2025") == "Phát triển hạ tầng số"
    assert subject_text("Chuyển đổi số, phát triển kinh tế số và xã hội số trên địa bàn tỉnh") == (
        "Chuyển đổi số phát triển kinh tế số và xã hội số"  # "xã hội" is not a commune
    )
    assert not shares_words(*DIFFERENT[0])  # "số" is not in "hạ tầng giao thông"


@pytest.fixture(scope="module")
def matcher(embedder):
    m = SubjectMatcher(embedder.encode_queries)
    m.prepare([t for pair in SAME + DIFFERENT for t in pair])
    return m


def test_threshold_separates_same_from_different_subjects(matcher):
    cosine = {pair: matcher.cosine(*pair) for pair in SAME + DIFFERENT}
    by_words = [pair for pair in SAME if shares_words(*pair)]
    assert len(by_words) == len(SAME) - 1  # the cosine adds the last one
    assert min(cosine[pair] for pair in SAME if pair not in by_words) >= TITLE_COSINE
    assert max(cosine[pair] for pair in DIFFERENT) < TITLE_COSINE, cosine
    assert all(matcher.same(*pair) for pair in SAME)
    assert not any(matcher.same(*pair) for pair in DIFFERENT)


def test_newer_plan_with_reworded_title_is_linked(embedder, relation_docs):
    """Plan 178 under a reworded title (an invented variant): only the embeddings see the same subject."""
    old, new = "ke_hoach_225_ha_tang_so_2023_2025", "ke_hoach_178_ha_tang_so_2025_2030"
    docs = dict(relation_docs)
    meta = dataclasses.replace(docs[new].meta, title="Hạ tầng viễn thông và hạ tầng số tỉnh Thanh Hóa giai đoạn 2025 - 2030")
    docs[new] = dataclasses.replace(docs[new], meta=meta)
    today = dt.date(2026, 1, 10)
    assert build_relations(docs.values(), today)[old].newer == []  # words alone: "phát triển" is gone
    rel = build_relations(docs.values(), today, embedder.encode_queries)
    assert [link.doc_id for link in rel[old].newer] == [new]
