"""Render a generated handout page and slide to PNG, to look at them (and for the README).

Indexes a corpus folder into a temporary index, drafts the handout on a topic
through the same service the CLI and the trainer tab use, converts the DOCX and
the PPTX to PDF with LibreOffice (headless) and rasterises one page and one
slide with ``pdftoppm`` (poppler-utils). Needs ``soffice`` and ``pdftoppm`` on
PATH (Debian: libreoffice-writer-nogui libreoffice-impress-nogui poppler-utils);
the default test suite never does.

    python scripts/render_handout.py                     # corpus/, "hạ tầng số" -> docs/*.png
    python scripts/render_handout.py --corpus DIR --topic "…" --slide 3 --page 2
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def to_pdf(path: Path, out_dir: Path) -> Path:
    """LibreOffice's PDF of a DOCX or PPTX (its own profile folder, so it runs beside another soffice)."""
    profile = out_dir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(path)],
        check=True, capture_output=True, timeout=300,
    )
    pdf = out_dir / (path.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not convert {path.name}")
    return pdf


def page_png(pdf: Path, page: int, dest: Path, dpi: int = 80) -> Path:
    """Page ``page`` (1-based) of ``pdf`` as a PNG at ``dest``."""
    stem = dest.parent / f"{dest.stem}-tmp"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True, timeout=120)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(stem) + ".png", dest)
    return dest


def render(corpus: Path, topic: str, out: Path, page: int, slide: int, agency: str) -> tuple[Path, Path]:
    from hoidap.engine import Engine
    from hoidap.handout.service import make_handout, write_handout
    from indexer.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings.from_env(corpus_dir=corpus, index_dir=work / "index", agency=agency or None)
        engine = Engine(settings)
        engine.index()
        handout = make_handout(engine, topic)
        docx = write_handout(handout, "docx", work / "handout.docx")
        pptx = write_handout(handout, "pptx", work / "slides.pptx")
        page_file = page_png(to_pdf(docx, work), page, out / "handout-page.png")
        slide_file = page_png(to_pdf(pptx, work), slide, out / "slide.png")
    return page_file, slide_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--topic", default="hạ tầng số")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--page", type=int, default=1, help="DOCX page to render (1-based)")
    parser.add_argument("--slide", type=int, default=2, help="slide to render (1-based)")
    parser.add_argument("--agency", default="Sở Thông tin và Truyền thông tỉnh Thanh Hóa")
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (see the module docstring)", file=sys.stderr)
            return 2
    for path in render(args.corpus, args.topic, args.out, args.page, args.slide, args.agency):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
