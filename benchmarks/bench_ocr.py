"""OCR of scans: character error and seconds per page by resolution, and retrieval on scans vs text.

Pages are rendered here from the Vietnamese text of ``corpus/`` and
``tests/fixtures`` (DejaVu Serif 13 pt on A4), then damaged as a scanner does:
tilted up to ±2°, blurred, noisy; one page carries a red round stamp over the
signature block. Each page goes through the real reader (``load_bytes`` on a
PNG: Tesseract ``vie+eng``, red channel, reflow), uncached, so the seconds are
what indexing a scan costs.

Retrieval: the same documents are indexed once as text and once as their scans
(200 dpi); hand-written questions, each answered by one document, are searched
in both (hybrid, top 10). Floors (issue 12): CER ≤ 2% at 200 dpi; MRR@10 of the
scans within 0.02 of the text.

    python benchmarks/bench_ocr.py            # ~12 pages at 200 dpi + 5 more; minutes on 2 cores
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, table, write_result  # noqa: E402

from tests.fixtures import makers  # noqa: E402

SOURCES = [ROOT / "corpus" / "plan225-vov-article.txt", ROOT / "tests" / "fixtures" / "luat_mau.txt",
           ROOT / "tests" / "fixtures" / "plan_ke_hoach_mau.txt"]
CHUNK_CHARS = 700

#: (question, a phrase of the one document that answers it)
QUESTIONS = [
    ("Luật mẫu về hạ tầng số có hiệu lực từ ngày nào?", "có hiệu lực từ ngày 01/7/2025"),
    ("Trung tâm dữ liệu là gì?", "Trung tâm dữ liệu là công trình xây dựng"),
    ("Nhà nước đầu tư hạ tầng số ở những vùng nào?", "Nhà nước đầu tư hạ tầng số tại vùng"),
    ("Phát triển hạ tầng số phải theo nguyên tắc nào?", "Phát triển hạ tầng số phải phù hợp với quy hoạch"),
    ("Dung lượng mạng di động phải tăng bao nhiêu mỗi năm?", "tăng bình quân 30%/năm"),
    ("Mạng 5G được triển khai trước ở đâu?", "Từng bước triển khai mạng 5G"),
    ("Sở Tài chính có nhiệm vụ gì trong kế hoạch?", "Sở Tài chính: Cân đối"),
    ("Trung tâm dữ liệu của tỉnh được nâng cấp theo mô hình nào?", "Nâng cấp Trung tâm dữ liệu của tỉnh"),
    ("Tốc độ Internet băng rộng cố định tối thiểu là bao nhiêu?", "tối thiểu 100 Mb/s"),
    ("Ai là Phó Trưởng Ban Chỉ đạo chuyển đổi số của tỉnh?", "Đỗ Hữu Quyết, Phó Trưởng Ban"),
    ("Thanh Hóa phấn đấu đứng trong nhóm bao nhiêu tỉnh dẫn đầu về chuyển đổi số?", "top 10 tỉnh dẫn đầu"),
    ("Kết quả thực hiện kế hoạch phải báo cáo trước ngày nào?", "trước ngày 15/12 hằng năm"),
    ("Mạng cáp quang được ưu tiên phát triển ở đâu?", "ưu tiên các khu dân cư mới"),
    ("Dữ liệu số được hiểu là gì?", "Dữ liệu số là dữ liệu được tạo lập"),
]


def chunks() -> list[list[str]]:
    """The sources' paragraphs grouped into documents of about CHUNK_CHARS characters, one page each."""
    out: list[list[str]] = []
    for path in SOURCES:
        cur: list[str] = []
        for para in makers.paragraphs_of(path.read_text(encoding="utf-8")):
            cur.append(para)
            if sum(len(p) for p in cur) >= CHUNK_CHARS:
                out.append(cur)
                cur = []
        if cur:
            out.append(cur)
    return out


def read_scan(image, name: str):
    """(document, seconds) of one page image through the real reader, no cache."""
    from indexer.readers import ReadContext, load_bytes

    buf = io.BytesIO()
    image.save(buf, "PNG")
    t = time.perf_counter()
    doc = load_bytes(buf.getvalue(), name, context=ReadContext(cache_dir=None))
    return doc, time.perf_counter() - t


def damaged(paragraphs: list[str], dpi: int, rng: random.Random, stamp: bool = False):
    return makers.scan(paragraphs, dpi, angle=rng.uniform(-2, 2), blur=rng.uniform(0.6, 1.0),
                       noise=rng.uniform(8, 15), stamp=stamp, seed=rng.randrange(10**6))


def mrr(engine, gold: dict[str, str]) -> tuple[float, list[int]]:
    ranks = []
    for question, doc_id in gold.items():
        hits = engine.search(question, k=10)
        ids = [h.passage.doc_id for h in hits]
        ranks.append(ids.index(doc_id) + 1 if doc_id in ids else 0)
    return sum(1 / r for r in ranks if r) / len(ranks), ranks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep-pages", type=int, default=2, help="pages read again at 150 and 300 dpi")
    args = ap.parse_args()

    from hoidap.engine import Engine
    from indexer.build import index_documents
    from indexer.config import Settings
    from indexer.embed import Embedder
    from indexer.readers import ocr
    from indexer.types import Document

    if not ocr.available():
        sys.exit("Tesseract with Vietnamese is not installed: make ocr")
    rng = random.Random(12)
    docs = chunks()
    rows: list[dict] = []
    text_docs, scan_docs, truth = [], [], {}
    for k, paragraphs in enumerate(docs):
        image, shown = damaged(paragraphs, 200, rng)
        doc, seconds = read_scan(image, f"trang-{k:02d}.png")
        reference = "\n".join(shown)
        truth[f"trang-{k:02d}"] = " ".join(reference.split())
        rows.append({"page": f"trang-{k:02d}", "dpi": 200, "stamp": "", "chars": len(reference),
                     "CER %": 100 * makers.cer(reference, doc.text), "s/page": seconds})
        text_docs.append(Document(doc_id=f"trang-{k:02d}", source=f"trang-{k:02d}.txt", text=reference))
        scan_docs.append(Document(doc_id=doc.doc_id, source=f"trang-{k:02d}.png", text=doc.text, ocr_pages=[1]))
        print(f"page {k + 1}/{len(docs)}: CER {rows[-1]['CER %']:.2f}% in {seconds:.1f} s", flush=True)
    for dpi in (150, 300):
        for k in range(args.sweep_pages):
            image, shown = damaged(docs[k], dpi, rng)
            doc, seconds = read_scan(image, f"trang-{k:02d}-{dpi}.png")
            rows.append({"page": f"trang-{k:02d}", "dpi": dpi, "stamp": "", "chars": len("\n".join(shown)),
                         "CER %": 100 * makers.cer("\n".join(shown), doc.text), "s/page": seconds})
    image, shown = damaged(docs[0], 200, rng, stamp=True)
    doc, seconds = read_scan(image, "to-trinh-dong-dau.png")
    rows.append({"page": "trang-00 + chữ ký, dấu đỏ", "dpi": 200, "stamp": "yes", "chars": len("\n".join(shown)),
                 "CER %": 100 * makers.cer("\n".join(shown), doc.text), "s/page": seconds})

    by_dpi = []
    for dpi in (150, 200, 300):
        sel = [r for r in rows if r["dpi"] == dpi]
        chars = sum(r["chars"] for r in sel)
        by_dpi.append({"dpi": dpi, "pages": len(sel), "CER %": sum(r["CER %"] * r["chars"] for r in sel) / chars,
                       "s/page": sum(r["s/page"] for r in sel) / len(sel)})

    gold = {}
    for question, phrase in QUESTIONS:
        owners = [d for d, t in truth.items() if phrase in t]
        if len(owners) != 1:
            sys.exit(f"phrase {phrase!r} is on {len(owners)} pages; fix QUESTIONS or CHUNK_CHARS")
        gold[question] = owners[0]
    settings = Settings.from_env()
    embedder = Embedder(settings)
    retrieval = []
    with tempfile.TemporaryDirectory(prefix="hoidap-bench-ocr-") as tmp:
        for label, documents in (("text", text_docs), ("scans (OCR, 200 dpi)", scan_docs)):
            s = settings.with_(index_dir=Path(tmp) / label.split()[0])
            index_documents(documents, s, embedder=embedder)
            value, ranks = mrr(Engine(s, embedder=embedder), gold)
            retrieval.append({"indexed as": label, "documents": len(documents), "questions": len(gold),
                              "MRR@10": value, "ranks": " ".join(map(str, ranks))})
    delta = retrieval[1]["MRR@10"] - retrieval[0]["MRR@10"]

    print(table(rows))
    print()
    print(table(by_dpi))
    print()
    print(table(retrieval))
    cer200 = next(r["CER %"] for r in by_dpi if r["dpi"] == 200)
    print(f"\nfloors: CER at 200 dpi {cer200:.2f}% (≤ 2%): {'ok' if cer200 <= 2 else 'MISSED'}; "
          f"MRR@10 scans - text {delta:+.3f} (≥ -0.02): {'ok' if delta >= -0.02 else 'MISSED'}")
    path = write_result("bench_ocr", {"pages": rows, "by_dpi": by_dpi, "retrieval": retrieval,
                                      "mrr_delta": delta, "languages": ocr.LANGUAGES})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
