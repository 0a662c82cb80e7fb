"""Markdown export: citations kept, removals respected, document markup neutralised."""
from __future__ import annotations

from handout_samples import XSS_FILE, hits_of

from hoidap import handout as HO


def test_markdown_has_citations_and_respects_removals(handout):
    removed = next(t for t in handout.targets if "100% thôn" in t.text)
    keep = [it.key for it in handout.all_items() if it.key != removed.key]
    md = HO.to_markdown(handout.select(keep))
    assert md.startswith("# Tài liệu tập huấn: hạ tầng số")
    assert "100% dịch vụ Trung tâm dữ liệu" in md
    assert "*Nguồn: Kế hoạch số 888/KH\\-UBND".replace("\\-", "-") in md
    assert "**Sở Thông tin và Truyền thông** (chủ trì" in md
    assert "Đáp án:" in md
    assert "- 100% thôn, bản, khu phố" not in md  # removed from the targets list


def test_markdown_neutralises_html_from_documents():
    md = HO.to_markdown(HO.build_handout("kiểm tra", hits_of(XSS_FILE)))
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
