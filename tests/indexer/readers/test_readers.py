"""Loaders: every format, every encoding, every refusal, on real Vietnamese content.

All fixtures are built here, in memory or under tmp_path: PDFs by a small writer
below (Type0 font, Identity-H, ToUnicode CMap: the structure Word's own PDF export
uses for Vietnamese, so pypdf's real CID-font extraction path is exercised without
a font file or a PDF library), .docx files by python-docx, zip bombs by zipfile.
"""
from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile
from pathlib import Path

import pytest

from legacy_fonts import unicode_to_tcvn3, unicode_to_vni
from indexer.readers import (
    MAX_BYTES,
    REASONS,
    SUPPORTED_SUFFIXES,
    LoadError,
    decode_text,
    iter_corpus_files,
    load_bytes,
    tidy,
)
from indexer.readers import sniff
from indexer.readers.sniff import check_zip

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "corpus" / "plan225-vov-article.txt"

HEADER_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH THANH HÓA",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 225/KH-UBND",
    "Thanh Hóa, ngày 15 tháng 9 năm 2023",
    "KẾ HOẠCH",
    "Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa",
    "giai đoạn 2023 - 2025",
    "Thực hiện Chương trình chuyển đổi số quốc gia, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
    "phát triển hạ tầng số với các nội dung sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Phát triển hạ tầng viễn thông băng rộng, phổ cập Internet đến từng hộ gia đình.",
]
PLAN = "\n".join(HEADER_LINES)
PLAN_TITLE = "Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa giai đoạn 2023 - 2025"

VIETNAMESE_MARKS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def is_vietnamese(message: str) -> bool:
    return len(VIETNAMESE_MARKS & set(message.lower())) >= 3


def seed_text() -> str:
    return unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


def assert_refused(data: bytes, filename: str, reason: str, **kwargs) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_bytes(data, filename, **kwargs)
    err = info.value
    assert err.reason == reason, str(err)
    assert is_vietnamese(err.message_vi), err.message_vi
    assert not is_vietnamese(str(err)), str(err)  # logs stay English
    assert filename.split("/")[-1] in err.message_vi
    return err


def assert_plan_meta(doc) -> None:
    m = doc.meta
    assert (m.doc_type, m.number, m.issuer, m.place, m.date) == (
        "Kế hoạch", "225/KH-UBND", "UBND tỉnh Thanh Hóa", "Thanh Hóa", "2023-09-15",
    )
    assert m.title == PLAN_TITLE


# --------------------------------------------------------------------------------------
# Fixture builders
# --------------------------------------------------------------------------------------


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages show the given lines, text layer via a ToUnicode CMap (font not embedded)."""
    chars = {ord(c) for page in pages for line in page for c in line} | {0x20}
    highs = sorted({c >> 8 for c in chars})
    ranges = "\n".join(f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in highs)
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(highs)} beginbfrange\n{ranges}\nendbfrange\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    objects: dict[int, bytes] = {
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /TimesNewRomanPSMT /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TimesNewRomanPSMT "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 6 0 R /DW 500 /CIDToGIDMap /Identity >>",
        5: stream(cmap),
        6: b"<< /Type /FontDescriptor /FontName /TimesNewRomanPSMT /Flags 32 "
        b"/FontBBox [-568 -307 2000 1007] /ItalicAngle 0 /Ascent 891 /Descent -216 "
        b"/CapHeight 662 /StemV 80 >>",
    }
    kids = []
    next_id = 7
    for page in pages:
        ops = []
        if page:
            ops.append(b"BT /F1 12 Tf 16 TL 56 780 Td")
            for i, line in enumerate(page):
                hexed = line.encode("utf-16-be").hex().upper().encode()
                ops.append((b"T* " if i else b"") + b"<" + hexed + b"> Tj")
            ops.append(b"ET")
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        objects[content_id] = stream(b"\n".join(ops))
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        kids.append(page_id)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for oid in sorted(objects):
        offsets[oid] = len(out)
        out += b"%d 0 obj\n" % oid + objects[oid] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for oid in range(1, size):
        out += b"%010d 00000 n \n" % offsets[oid]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def encrypt_pdf(data: bytes, user: str, owner: str = "owner-secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def plan_docx() -> bytes:
    """A Kế hoạch laid out as Word templates do: the header is a borderless 2x2 table."""
    import docx

    d = docx.Document()
    header = d.add_table(rows=2, cols=2)
    left, right = header.cell(0, 0), header.cell(0, 1)
    left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("TỈNH THANH HÓA")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = "Số: 225/KH-UBND"
    header.cell(1, 1).text = "Thanh Hóa, ngày 15 tháng 9 năm 2023"
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa")
    d.add_paragraph("giai đoạn 2023 - 2025")
    d.add_paragraph("")  # empty paragraphs (spacing) are dropped
    d.add_paragraph("II. MỤC TIÊU")
    targets = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Chỉ tiêu", "2023", "2025"), ("Phủ sóng 4G", "95%", "100%"),
                             ("Hộ gia đình có cáp quang", "70%", "85%")]):
        for c, value in enumerate(row):
            targets.cell(r, c).text = value
    d.add_paragraph("Nguồn kinh phí: ngân sách tỉnh và xã hội hóa.")
    return docx_bytes(d)


def zip_with(members: dict[str, bytes | int], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip; an int member value means that many zero bytes, streamed so memory stays small."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as archive:
        for name, content in members.items():
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as member:
                    chunk = bytes(1024 * 1024)
                    for _ in range(content // len(chunk)):
                        member.write(chunk)
            else:
                archive.writestr(name, content)
    return buf.getvalue()


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Windows does: base letter + combining tone byte."""
    out = bytearray()
    tones = "\u0300\u0301\u0303\u0309\u0323"
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones))
            out += (base + "".join(c for c in nfd if c in tones)).encode("cp1258")
    return bytes(out)


# --------------------------------------------------------------------------------------
# Documents, ids, corpus walking
# --------------------------------------------------------------------------------------


def test_seed_article_document() -> None:
    doc = load_bytes(SEED.read_bytes(), "plan225-vov-article.txt")
    raw = SEED.read_bytes()
    assert doc.doc_id == "plan225-vov-article"
    assert doc.source == "plan225-vov-article.txt"
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert doc.text == tidy(seed_text()) and unicodedata.is_normalized("NFC", doc.text)
    assert doc.text.startswith("Thanh Hóa: Ban hành kế hoạch")
    assert doc.page_starts == [] and doc.page_at(10) is None
    m = doc.meta
    assert (m.doc_type, m.outlet, m.number) == ("Bài báo", "VOV.VN", "")
    assert m.title == "Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025"


def test_doc_id_and_source_are_the_relative_path() -> None:
    doc = load_bytes(SEED.read_bytes(), "tin-tuc/vov.txt")
    assert doc.doc_id == "tin-tuc/vov" and doc.source == "tin-tuc/vov.txt"


def test_doc_id_without_folder_is_the_file_stem() -> None:
    doc = load_bytes(PLAN.encode("utf-8"), "ke-hoach.225.txt")
    assert (doc.doc_id, doc.source) == ("ke-hoach.225", "ke-hoach.225.txt")


@pytest.mark.parametrize(
    "name,doc_id",
    [("../../etc/ke-hoach.txt", "etc/ke-hoach"), ("C:\\Users\\Lan\\Tải về\\kh.txt", "Users/Lan/Tải về/kh"),
     ("/abs/kh.txt", "abs/kh")],
)
def test_upload_names_cannot_escape(name: str, doc_id: str) -> None:
    assert load_bytes(PLAN.encode(), name).doc_id == doc_id


def test_iter_corpus_files(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.md", "a/y.PDF", "c.docx", "d.html", "e.htm", ".hidden.txt", ".git/x.txt",
                "a/.cache/y.txt", "README.md", "readme.txt", "LICENSE.txt", "notes.doc", "data.csv", "f.txt.bak"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "dir.txt").mkdir()  # a folder with a supported-looking name
    found = [p.relative_to(tmp_path).as_posix() for p in iter_corpus_files(tmp_path)]
    assert found == ["a/y.PDF", "a/z.md", "b.txt", "c.docx", "d.html", "e.htm"]


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}
    assert MAX_BYTES == 50 * 1024 * 1024


# --------------------------------------------------------------------------------------
# Plain text: encodings
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1258", "tcvn3", "vni"],
)
def test_plan_header_in_every_encoding(encoding: str) -> None:
    if encoding == "cp1258":
        data = to_cp1258(PLAN)
    elif encoding == "tcvn3":
        data = unicode_to_tcvn3(PLAN).encode("cp1252")
    elif encoding == "vni":
        data = unicode_to_vni(PLAN).encode("cp1252")
    else:
        data = PLAN.encode(encoding)
    doc = load_bytes(data, "kh-225.txt")
    assert doc.text == PLAN
    assert_plan_meta(doc)
    assert doc.content_hash == hashlib.sha256(data).hexdigest()


def test_cp1258_text_is_composed_to_nfc() -> None:
    data = to_cp1258("Thành phố Thanh Hóa")
    assert b"\xf4\xec" in data  # "ố" = "ô" + the combining acute byte, as cp1258 stores it
    text, encoding = decode_text(data + b" " + to_cp1258(seed_text()))
    assert encoding == "cp1258"
    assert text.startswith("Thành phố Thanh Hóa ") and unicodedata.is_normalized("NFC", text)


def test_decomposed_utf8_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", PLAN)
    doc = load_bytes(nfd.encode("utf-8"), "nfd.txt")
    assert doc.text == PLAN
    assert_plan_meta(doc)


def test_legacy_seed_article_as_bytes() -> None:
    for encode in (unicode_to_tcvn3, unicode_to_vni):
        doc = load_bytes(encode(seed_text()).encode("cp1252"), "cu.txt")
        assert doc.text == tidy(seed_text())
        assert doc.meta.outlet == "VOV.VN"


def test_legacy_mojibake_inside_utf8_is_converted() -> None:
    """TCVN3 text pasted into a UTF-8 file keeps its mojibake characters; they are converted too."""
    data = unicode_to_tcvn3(PLAN).encode("utf-8")
    doc = load_bytes(data, "dan-lai.txt")
    assert doc.text == PLAN


def test_western_8bit_text_is_accepted_as_cp1252() -> None:
    data = "Café crème brûlée, à la façon française, près de la gare.".encode("cp1252")
    assert load_bytes(data, "fr.txt").text == data.decode("cp1252")


def test_unknown_8bit_encoding_is_refused() -> None:
    data = "Đây là văn bản tiếng Trung: 中华人民共和国成立于一九四九年，首都北京。".encode("gb18030")
    assert_refused(data, "trung.txt", "bad_encoding")


def test_damaged_legacy_text_is_refused_not_guessed() -> None:
    good = unicode_to_tcvn3("Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa")
    data = (good + " ½½½ ¼¼ ¾¾¾ ½¼ ¾½ ¼¾ ½¾½ ¼½¼").encode("cp1252")
    err = assert_refused(data, "hong.txt", "legacy_font_unconvertible")
    assert "TCVN3" in err.message_vi and "VNI" in err.message_vi


# --------------------------------------------------------------------------------------
# Plain text: refusals
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf  \n", "\n \n".encode("utf-16")])
def test_empty_files(data: bytes) -> None:
    assert_refused(data, "rong.txt", "empty")


def test_binary_named_txt() -> None:
    data = bytes(range(256)) * 8 + os.urandom(512)
    assert_refused(data, "du-lieu.txt", "binary")
    controls = ("Kế hoạch " + "\x01\x02\x03\x04\x05\x06\x07\x08" * 20).encode("utf-8")
    assert_refused(controls, "dieu-khien.txt", "binary")


@pytest.mark.parametrize(
    "data,actual",
    [(b"%PDF-1.4\n" + os.urandom(64), "pdf"), (b"\x89PNG\r\n\x1a\n" + os.urandom(64), "png"),
     (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "ole"), (b"{\\rtf1\\ansi Ke hoach}", "rtf")],
)
def test_known_formats_named_txt(data: bytes, actual: str) -> None:
    err = assert_refused(data, "nham.txt", "type_mismatch")
    assert err.params["actual"] == actual


def test_too_large() -> None:
    err = assert_refused(PLAN.encode(), "lon.txt", "too_large", max_bytes=100)
    assert "100 bytes" in err.message_vi
    assert err.source == "lon.txt"


@pytest.mark.parametrize("name", ["ke-hoach.doc", "bang.xlsx", "khong-duoi", "anh.png"])
def test_unsupported_type(name: str) -> None:
    assert_refused(PLAN.encode(), name, "unsupported_type")


def test_unreadable_file_message() -> None:
    # what indexer.build reports for a corpus file it cannot read (OSError)
    err = LoadError("unreadable", "FileNotFoundError", source="khong-co.txt")
    assert err.reason == "unreadable" and is_vietnamese(err.message_vi)
    assert "khong-co.txt" in err.message_vi


# --------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------


def test_markdown_is_kept_verbatim() -> None:
    md = (
        "# Kế hoạch 225/KH-UBND\n\n"
        "## I. Mục tiêu\n\n"
        "- Phủ sóng **4G** toàn tỉnh\n"
        "    - 100% thôn, bản\n\n\n\n"
        "| Chỉ tiêu | 2025 |\n|---|---|\n| Cáp quang | 85% |\n"
    )
    doc = load_bytes(md.encode("utf-8"), "ghi-chu.md")
    assert doc.text == md.replace("\n\n\n\n", "\n\n").rstrip("\n")
    start = doc.text.index("    - 100% thôn")  # indentation survives: offsets point at real text
    assert doc.text[start : start + 15] == "    - 100% thôn"
    assert doc.meta.title == "Kế hoạch 225/KH-UBND"


# --------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------


def test_docx_plan_with_header_table_and_data_table() -> None:
    doc = load_bytes(plan_docx(), "ke-hoach-225.docx")
    lines = doc.text.split("\n")
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 225/KH-UBND | Thanh Hóa, ngày 15 tháng 9 năm 2023", "KẾ HOẠCH",
    ]
    assert lines[6:] == [
        "Phát triển hạ tầng số trên địa bàn tỉnh Thanh Hóa", "giai đoạn 2023 - 2025", "II. MỤC TIÊU",
        "Chỉ tiêu | 2023 | 2025", "Phủ sóng 4G | 95% | 100%", "Hộ gia đình có cáp quang | 70% | 85%",
        "Nguồn kinh phí: ngân sách tỉnh và xã hội hóa.",
    ]
    assert_plan_meta(doc)


def test_docx_merged_cells_are_read_once() -> None:
    import docx

    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Nhiệm vụ trọng tâm năm 2024"
    tall = table.cell(1, 0)
    tall.text = "Hạ tầng số"
    table.cell(1, 1).text = "Sở Thông tin và Truyền thông"
    table.cell(1, 2).text = "Quý IV"
    doc = load_bytes(docx_bytes(d), "gop-o.docx")
    assert doc.text == "Nhiệm vụ trọng tâm năm 2024\nHạ tầng số | Sở Thông tin và Truyền thông | Quý IV"


def test_docx_legacy_fonts_are_converted_by_font() -> None:
    """Runs in .VnTime / .VnTimeH / VNI-Times fonts, mixed with Unicode runs in one paragraph."""
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    run = p.add_run(unicode_to_tcvn3("Kế hoạch phát triển ").replace("K", "K"))
    run.font.name = ".VnTime"
    p.add_run("hạ tầng số")  # Unicode, default font
    caps = d.add_paragraph().add_run(unicode_to_tcvn3("ủy ban nhân dân"))
    caps.font.name = ".VnTimeH"
    vni = d.add_paragraph().add_run(unicode_to_vni("Sở Thông tin và Truyền thông"))
    vni.font.name = "VNI-Times"
    # a whole style in .VnTime: runs inherit the font without naming it
    style = d.styles.add_style("VanBanCu", 1)
    style.font.name = ".VnTime"
    d.add_paragraph(unicode_to_tcvn3("Điều 1. Phạm vi điều chỉnh"), style="VanBanCu")
    doc = load_bytes(docx_bytes(d), "phong-cu.docx")
    assert doc.text.split("\n") == [
        "Kế hoạch phát triển hạ tầng số", "ỦY BAN NHÂN DÂN", "Sở Thông tin và Truyền thông",
        "Điều 1. Phạm vi điều chỉnh",
    ]


def test_docx_without_font_information_is_detected_by_content() -> None:
    import docx

    d = docx.Document()
    for line in HEADER_LINES:
        d.add_paragraph(unicode_to_tcvn3(line))
    doc = load_bytes(docx_bytes(d), "khong-ro-phong.docx")
    assert doc.text == PLAN
    assert_plan_meta(doc)


def test_corrupt_docx() -> None:
    assert_refused(os.urandom(2048), "ngau-nhien.docx", "corrupt_docx")
    good = plan_docx()
    assert_refused(good[: len(good) // 2], "cat-doi.docx", "corrupt_docx")
    assert_refused(zip_with({"hello.txt": b"xin chao"}), "khong-phai-word.docx", "corrupt_docx")
    broken_xml = zip_with({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})
    assert_refused(broken_xml, "xml-hong.docx", "corrupt_docx")


def test_docx_that_is_really_something_else() -> None:
    err = assert_refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "cu.docx", "type_mismatch")
    assert ".doc" in err.message_vi and ".docx" in err.message_vi
    assert_refused(make_pdf([["Kế hoạch"]]), "la-pdf.docx", "type_mismatch")


def test_zip_bomb_by_ratio_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    def must_not_parse(*args, **kwargs):
        raise AssertionError("python-docx must not see a zip bomb")

    monkeypatch.setattr(docx, "Document", must_not_parse)
    bomb = zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": 100 * 1024 * 1024})
    assert len(bomb) < 1024 * 1024  # 100 MB of zeros, about 100 KB on disk
    err = assert_refused(bomb, "bom.docx", "zip_bomb")
    assert "word/document.xml" in str(err)


def test_zip_bomb_by_total_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniff, "ZIP_MAX_TOTAL", 512 * 1024)
    members: dict[str, bytes | int] = {f"word/media/anh{i}.bin": os.urandom(200 * 1024) for i in range(3)}
    members["word/document.xml"] = b"<w:document/>"
    assert_refused(zip_with(members, zipfile.ZIP_STORED), "nhieu-anh.docx", "zip_bomb")


def test_zip_bomb_by_member_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniff, "ZIP_MAX_MEMBERS", 50)
    members: dict[str, bytes | int] = {f"word/x{i}.xml": b"<x/>" for i in range(60)}
    assert_refused(zip_with(members), "nhieu-tep.docx", "zip_bomb")


def test_real_docx_passes_zip_checks() -> None:
    data = plan_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_zip(archive)  # no exception: ordinary documents are far from the limits


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


def test_pdf_with_vietnamese_text_layer() -> None:
    data = make_pdf([HEADER_LINES])
    doc = load_bytes(data, "kh-225.pdf")
    assert doc.text == PLAN
    assert doc.page_starts == [0]
    assert doc.page_at(0) == 1 and doc.page_at(len(doc.text) - 1) == 1
    assert_plan_meta(doc)


def test_multi_page_pdf_page_starts() -> None:
    pages = [HEADER_LINES[:9], ["II. MỤC TIÊU", "Phủ sóng 4G đến 100% thôn, bản."], [],
             ["III. NHIỆM VỤ, GIẢI PHÁP", "Xây dựng trung tâm dữ liệu của tỉnh."]]
    doc = load_bytes(make_pdf(pages), "nhieu-trang.pdf")
    page_texts = ["\n".join(p) for p in pages]
    assert doc.text == "\n\n".join(page_texts)
    assert len(doc.page_starts) == 4
    for number, (start, expected) in enumerate(zip(doc.page_starts, page_texts), 1):
        assert doc.text[start : start + len(expected)] == expected
        if expected:
            assert doc.page_at(start) == number
    mission = doc.text.index("Xây dựng trung tâm dữ liệu")
    assert doc.page_at(mission) == 4
    assert doc.page_at(doc.text.index("Phủ sóng 4G")) == 2
    assert_plan_meta(doc)


def test_scanned_pdf_is_refused() -> None:
    err = assert_refused(make_pdf([[], [], []]), "ban-quet.pdf", "scanned_pdf")
    assert "OCR" in err.message_vi
    # a page number stamp on an otherwise scanned document is still a scan
    assert_refused(make_pdf([["1"], ["2"]]), "so-trang.pdf", "scanned_pdf")


def test_encrypted_pdf_is_refused() -> None:
    locked = encrypt_pdf(make_pdf([HEADER_LINES]), user="mat-khau")
    err = assert_refused(locked, "bao-mat.pdf", "encrypted_pdf")
    assert "mật khẩu" in err.message_vi


def test_pdf_with_only_an_owner_password_opens() -> None:
    protected = encrypt_pdf(make_pdf([HEADER_LINES]), user="")
    doc = load_bytes(protected, "chi-cam-sua.pdf")
    assert doc.text == PLAN


def test_pdf_needing_a_missing_crypto_library_is_reported_as_encrypted(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def no_aes(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    protected = encrypt_pdf(make_pdf([HEADER_LINES]), user="")
    err = assert_refused(protected, "aes.pdf", "encrypted_pdf")
    assert "cryptography" in str(err)


def test_broken_pdfs() -> None:
    assert_refused(os.urandom(4096), "ngau-nhien.pdf", "corrupt_pdf")
    assert_refused(b"%PDF-1.7\n" + os.urandom(4096), "rac.pdf", "corrupt_pdf")
    assert_refused(b"\x89PNG\r\n\x1a\n" + os.urandom(256), "anh.pdf", "type_mismatch")
    assert_refused(plan_docx(), "la-word.pdf", "type_mismatch")


def test_pdf_text_layer_in_tcvn3_is_converted() -> None:
    """A PDF printed from a .VnTime document: its text layer holds the cp1252 mojibake."""
    pages = [[unicode_to_tcvn3(line) for line in HEADER_LINES[:9]],
             [unicode_to_tcvn3(line) for line in HEADER_LINES[9:]]]
    doc = load_bytes(make_pdf(pages), "vntime.pdf")
    assert doc.text == "\n".join(HEADER_LINES[:9]) + "\n\n" + "\n".join(HEADER_LINES[9:])
    assert doc.page_at(doc.text.index("I. MỤC ĐÍCH")) == 2
    assert_plan_meta(doc)


def test_pdf_extraction_artefacts_are_repaired() -> None:
    # detached combining marks, a ligature, double spaces, a non-breaking space
    pages = [["Tha \u0300nh phô\u0301  Thanh\u00a0Hóa", "ﬁle hồ sơ"]]
    doc = load_bytes(make_pdf(pages), "loi.pdf")
    assert doc.text == "Thành phố Thanh Hóa\nfile hồ sơ"


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------

ARTICLE_HTML = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Thanh Hóa phát triển hạ tầng số | Báo điện tử VOV</title>
<style>body { font-family: Arial } .x:after { content: "Không hiển thị" }</style>
<script>var tracking = "Đoạn mã theo dõi"; document.write("Quảng cáo");</script>
</head><body>
<header><nav><a href="/">Trang chủ</a> <a href="/xa-hoi">Xã hội</a></nav>Logo VOV</header>
<article>
  <header><h1>Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025</h1></header>
  <p>VOV.VN - UBND tỉnh Thanh Hoá vừa ban hành <b>Kế hoạch số 225</b>, về việc phát triển
     hạ tầng số trên địa bàn tỉnh, giai đoạn 2023 &ndash; 2025.</p>
  <p>Mục tiêu đến năm 2025:<br>phủ sóng 4G&nbsp;toàn tỉnh</p>
  <table><tr><th>Chỉ tiêu</th><th>2025</th></tr><tr><td>Cáp quang</td><td>85%</td></tr></table>
  <noscript>Bật JavaScript</noscript>
</article>
<footer>© Đài Tiếng nói Việt Nam</footer>
<script>console.log("cuối trang")</script>
</body></html>"""


def test_html_article() -> None:
    doc = load_bytes(ARTICLE_HTML.encode("utf-8"), "vov.html")
    assert doc.text.split("\n") == [
        "Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025",
        "VOV.VN - UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225, về việc phát triển hạ tầng số "
        "trên địa bàn tỉnh, giai đoạn 2023 – 2025.",
        "Mục tiêu đến năm 2025:",
        "phủ sóng 4G toàn tỉnh",
        "Chỉ tiêu | 2025",
        "Cáp quang | 85%",
    ]
    for hidden in ("tracking", "Quảng cáo", "cuối trang", "font-family", "Trang chủ", "Logo", "©", "JavaScript"):
        assert hidden not in doc.text
    m = doc.meta
    assert (m.doc_type, m.outlet, m.number) == ("Bài báo", "VOV.VN", "")
    assert m.title == "Thanh Hóa: Ban hành kế hoạch phát triển hạ tầng số giai đoạn 2023-2025"


def test_html_title_falls_back_to_title_tag() -> None:
    page = "<html><head><title>Kế hoạch chuyển đổi số năm 2024</title></head><body><p>Nội dung chính.</p></body></html>"
    doc = load_bytes(page.encode(), "trang.htm")
    assert doc.text == "Nội dung chính."
    assert doc.meta.title == "Kế hoạch chuyển đổi số năm 2024"


def test_html_admin_document_keeps_header_metadata() -> None:
    body = "".join(f"<p>{line}</p>" for line in HEADER_LINES)
    page = f"<html><head><title>Văn bản - Cổng thông tin</title></head><body>{body}</body></html>"
    doc = load_bytes(page.encode(), "vb.html")
    assert doc.text == PLAN
    assert_plan_meta(doc)  # the trích yếu, not the page's <title>


def test_html_in_windows_1258() -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><p>' + "</p><p>".join(HEADER_LINES) + "</p></body></html>"
    doc = load_bytes(to_cp1258(page), "cu.html")
    assert doc.text == PLAN


def test_empty_html() -> None:
    assert_refused(b"<html><head><script>x()</script></head><body>  </body></html>", "trong.html", "empty")


# --------------------------------------------------------------------------------------
# LoadError
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", REASONS)
def test_every_reason_has_a_vietnamese_message(reason: str) -> None:
    err = LoadError(reason, "detail", source="thu-muc/van-ban.pdf", limit="50 MiB", actual="png",
                    actual_vi="ảnh PNG")
    assert err.reason == reason
    assert is_vietnamese(err.message_vi) and "van-ban.pdf" in err.message_vi
    assert str(err).startswith("thu-muc/van-ban.pdf: ") and "detail" in str(err)
    assert "{" not in err.message_vi and "{" not in str(err)


def test_reasons_cover_the_documented_set() -> None:
    assert {"empty", "binary", "encrypted_pdf", "scanned_pdf", "corrupt_docx", "zip_bomb", "too_large",
            "unsupported_type", "legacy_font_unconvertible", "bad_encoding"} <= set(REASONS)


def test_load_error_survives_pickling() -> None:
    import pickle

    err = LoadError("too_large", "70 MiB", source="a/b.pdf", limit="50 MiB")
    back = pickle.loads(pickle.dumps(err))
    assert (back.reason, back.detail, back.source, back.message_vi, str(back)) == (
        err.reason, err.detail, err.source, err.message_vi, str(err),
    )


def test_html_in_utf16_without_bom() -> None:
    page = "<html><body><h1>Kế hoạch số 225</h1><p>Phát triển hạ tầng số.</p></body></html>"
    doc = load_bytes(page.encode("utf-16-le"), "utf16.html")
    assert doc.text == "Kế hoạch số 225\nPhát triển hạ tầng số."


def test_unknown_reason_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        LoadError("oops")


def test_scanned_message_matches_the_wording_users_see() -> None:
    err = LoadError("scanned_pdf")
    assert err.message_vi == (
        "Tệp PDF này không có lớp văn bản (có thể là bản quét); cần nhận dạng ký tự (OCR) "
        "trước khi lập chỉ mục."
    )
