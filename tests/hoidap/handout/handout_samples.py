"""Real Vietnamese passages for the handout tests (imported by the test modules and conftest).

Passages come from the real loader and splitter (indexer.readers / indexer.structure)
over the VOV article in corpus/ and the sample plan used by the browser test.
"""
from __future__ import annotations

from pathlib import Path

from hoidap import handout as HO
from hoidap.retrieve import Hit
from indexer.readers import load_bytes
from indexer.structure import split_passages

REPO = Path(__file__).parents[3]
PLAN_FILE = REPO / "tests" / "fixtures" / "e2e" / "ke_hoach_mau_e2e.txt"
VOV_FILE = REPO / "corpus" / "plan225-vov-article.txt"
XSS_FILE = REPO / "tests" / "fixtures" / "e2e" / "kiem_tra_hien_thi.txt"


def hits_of(path: Path) -> list[Hit]:
    doc = load_bytes(path.read_bytes(), path.name)
    passages = split_passages(doc)
    for i, p in enumerate(passages):
        p.passage_id = p.passage_id or f"{doc.doc_id}#{i}"
    return [Hit(passage=p, document=doc, score=0.0) for p in passages]


def passage_text(handout: HO.Handout, item: HO.HandoutItem) -> str:
    for g in handout.groups:
        for p in g.items:
            if p.passage_id == item.passage_id:
                return p.text
    raise AssertionError(f"no passage {item.passage_id}")


TABLE_PLAN_FILE = REPO / "tests" / "fixtures" / "ke_hoach_phu_luc_nhiem_vu.txt"
TASK_HEADER = ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
TASK_ROWS = (
    ("1", "Nâng cấp Trung tâm dữ liệu của tỉnh theo mô hình điện toán đám mây", "Sở Thông tin và Truyền thông",
     "Sở Tài chính, Sở Kế hoạch và Đầu tư", "Quý IV/2024"),
    ("2", "Phủ sóng di động 4G tại các thôn, bản còn vùng lõm sóng", "Viễn thông Thanh Hóa",
     "UBND các huyện miền núi", "Năm 2025"),
)


def write_task_table_docx(path: Path) -> Path:
    """A plan whose appendix is a Word table of tasks (what the DOCX reader turns into rows)."""
    import docx

    doc = docx.Document()
    for line in ("ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "Số: 555/KH-UBND", "KẾ HOẠCH",
                 "Phát triển hạ tầng số năm 2024 (văn bản mẫu dùng cho kiểm thử)", "I. MỤC TIÊU",
                 "Đến năm 2025, 100% xã có hạ tầng Internet băng rộng cáp quang.", "PHỤ LỤC",
                 "DANH MỤC NHIỆM VỤ PHÁT TRIỂN HẠ TẦNG SỐ"):
        doc.add_paragraph(line)
    table = doc.add_table(rows=1 + len(TASK_ROWS), cols=len(TASK_HEADER))
    for i, row in enumerate((TASK_HEADER, *TASK_ROWS)):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    doc.save(str(path))
    return path


def draft(topic: str, hits: list[Hit]) -> HO.Handout:
    """A handout on ``topic`` keeping only what the stand-in relevance accepts (as the service does)."""
    return HO.build_handout(topic, hits, relevant=HO.topic_relevance(topic))
