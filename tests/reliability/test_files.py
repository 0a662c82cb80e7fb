"""Bad files through the indexer (the code path of ``hoidap index``; one slow test
runs the real CLI) and through the admin upload path.

Every bad file is reported with a Vietnamese reason and skipped; the good files
beside it are indexed; legacy encodings are converted; a file seen twice is
indexed once; a file that turns bad keeps its previously indexed version.
"""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from reliability_support import is_vietnamese, run_cli, sample_text

MiB = 1024 * 1024


def variant(i: int, tag: str) -> str:
    """A sample text made unique, so no two fixtures are duplicates of each other."""
    return sample_text(i)[:900] + f"\nGhi chú phiên bản {tag}: tài liệu dùng để kiểm thử độ tin cậy.\n"


def bad_files(gen) -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, expected LoadError reason)."""
    docx = gen.plan_docx()
    return {
        "rỗng.txt": (b"", "empty"),
        "ảnh giả.pdf": (b"\x89PNG\r\n\x1a\n" + os.urandom(4096), "type_mismatch"),
        "nhị phân.pdf": (os.urandom(8192), None),
        "nhị phân.docx": (os.urandom(8192), None),
        "bảo mật.pdf": (gen.encrypt_pdf(gen.make_pdf([gen.HEADER_LINES]), user="mat-khau"), "encrypted_pdf"),
        "bản quét.pdf": (gen.make_pdf([[], [], []]), "scanned_pdf"),
        "hỏng.docx": (docx[: len(docx) // 2], None),
        "bom.docx": (gen.zip_with({"[Content_Types].xml": b"<x/>", "word/document.xml": 40 * MiB}), None),
    }


def good_files(gen) -> dict[str, bytes]:
    unicode_to_tcvn3, unicode_to_vni = gen.unicode_to_tcvn3, gen.unicode_to_vni
    return {
        "Kế hoạch số 225 bản UTF-16.txt": variant(0, "utf16").encode("utf-16"),
        "van ban cp1258.txt": gen.to_cp1258(variant(1, "cp1258")),
        "bài báo TCVN3.txt": unicode_to_tcvn3(variant(2, "tcvn3")).encode("cp1252"),
        "bài báo VNI.txt": unicode_to_vni(variant(2, "vni")).encode("cp1252"),
        "kế hoạch.docx": gen.plan_docx(),
        "không cấu trúc.txt": (
            "Buổi họp sáng nay bàn về việc sửa đường liên xã trước mùa mưa, các hộ dân đồng ý góp công.\n\n"
            "Chi phí vật liệu do ngân sách xã chi trả, phần còn lại huy động từ các doanh nghiệp trên địa bàn.\n\n"
            "Tổ giám sát cộng đồng sẽ kiểm tra chất lượng công trình và báo cáo kết quả vào cuối tháng.\n"
        ).encode("utf-8"),
    }


def write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def check_report(report_errors: dict[str, str], expected_bad: dict[str, tuple[bytes, str]]) -> None:
    assert set(report_errors) == set(expected_bad), report_errors
    for name, (_data, reason) in expected_bad.items():
        if reason:
            assert report_errors[name] == reason, (name, report_errors[name])


# ------------------------------------------------------------------------ indexing
def test_index_folder_of_bad_and_good_files(tmp_path, gen, settings_for, embedder, engine_on):
    from indexer.build import index_paths

    bad = bad_files(gen)
    good = good_files(gen)
    corpus = tmp_path / "corpus"
    write(corpus, {**{n: d for n, (d, _r) in bad.items()}, **good})
    (corpus / "bản sao của UTF-16.txt").write_bytes(good["Kế hoạch số 225 bản UTF-16.txt"])
    # 50 MiB + 1: over the loader's limit (sparse file, cheap to create)
    with open(corpus / "quá lớn.txt", "wb") as fh:
        fh.write(b"Ke hoach ")
        fh.truncate(50 * MiB + 1)
    bad["quá lớn.txt"] = (b"", "too_large")
    settings = settings_for(tmp_path)

    report = index_paths([corpus], settings, embedder=embedder)

    errors = {s: e.reason for s, e in report.errors}
    check_report(errors, bad)
    for source, err in report.errors:
        assert is_vietnamese(err.message_vi) and source.split("/")[-1] in err.message_vi, err.message_vi
    assert "OCR" in dict(report.errors)["bản quét.pdf"].message_vi
    assert report.duplicates == [("bản sao của UTF-16.txt", "Kế hoạch số 225 bản UTF-16.txt")] or report.duplicates == [
        ("Kế hoạch số 225 bản UTF-16.txt", "bản sao của UTF-16.txt")
    ]
    assert sorted(report.added) == sorted(good)
    docs = {d.source: d for d, _n in engine_on(settings).documents()}
    assert set(docs) == set(good)
    # legacy encodings converted to Unicode, with the Vietnamese text intact
    assert "kiểm thử độ tin cậy" in docs["bài báo TCVN3.txt"].text
    assert "kiểm thử độ tin cậy" in docs["bài báo VNI.txt"].text
    assert "kiểm thử độ tin cậy" in docs["van ban cp1258.txt"].text
    assert docs["Kế hoạch số 225 bản UTF-16.txt"].text.startswith(sample_text(0).strip()[:20])
    # no structure: several passages, none under a heading
    contents = engine_on(settings).searcher.contents()
    plain = [p for p in contents.passages if p.doc_id == docs["không cấu trúc.txt"].doc_id]
    assert plain and all(p.section_path == () for p in plain)
    assert all(docs["không cấu trúc.txt"].text[p.start : p.end] == p.text for p in plain)
    hits = engine_on(settings).search("sửa đường liên xã mùa mưa", k=3)
    assert hits[0].document.source == "không cấu trúc.txt"


def test_same_text_in_two_encodings_is_one_document(tmp_path, settings_for, embedder):
    """Deduplication is by content: the same text as UTF-8 and as UTF-16 is indexed once."""
    from indexer.build import index_paths

    corpus = tmp_path / "corpus"
    text = variant(1, "dedup")
    write(corpus, {"a-utf8.txt": text.encode("utf-8"), "b-utf16.txt": text.encode("utf-16")})
    report = index_paths([corpus], settings_for(tmp_path), embedder=embedder)
    assert report.documents == 1
    assert report.duplicates == [("b-utf16.txt", "a-utf8.txt")]


def test_a_file_that_turns_bad_keeps_its_indexed_version(fresh_copy, embedder, engine_on):
    from indexer.build import index_paths

    root, settings = fresh_copy
    victim = root / "corpus" / "luat_mau.txt"
    before = {d.source: n for d, n in engine_on(settings).documents()}
    victim.write_bytes(os.urandom(4096))  # e.g. a half-copied file
    report = index_paths([root / "corpus"], settings, embedder=embedder)
    assert [s for s, _e in report.errors] == ["luat_mau.txt"]
    assert report.removed == []
    assert {d.source: n for d, n in engine_on(settings).documents()} == before


@pytest.mark.slow
def test_cli_index_reports_bad_files(tmp_path, gen):
    """The real ``hoidap index --json``: exit 0, every bad file listed with its reason."""
    bad = bad_files(gen)
    corpus = tmp_path / "thư mục tài liệu"
    write(corpus, {**{n: d for n, (d, _r) in bad.items()}, **good_files(gen)})
    proc = run_cli("index", corpus, "--json", "--index", tmp_path / "index", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    check_report({e["source"]: e["reason"] for e in summary["errors"]}, bad)
    assert all(is_vietnamese(e["message"]) for e in summary["errors"])
    assert summary["documents"] == len(good_files(gen))
    assert "Traceback" not in proc.stderr


# -------------------------------------------------------------------------- uploads
def test_upload_validation_refuses_every_bad_file(gen):
    from hoidap.admin import AdminError, validate_upload

    for name, (data, reason) in bad_files(gen).items():
        with pytest.raises(AdminError) as info:
            validate_upload(data, name, max_mb=20)
        assert is_vietnamese(info.value.message_vi), name
        if reason:
            assert info.value.reason == reason, (name, info.value.reason)
    with pytest.raises(AdminError) as info:
        validate_upload(b"Ke hoach " * (MiB // 4), "lớn.txt", max_mb=1)
    assert info.value.reason == "too_large" and "1 MB" in info.value.message_vi
    for name, data in good_files(gen).items():
        checked = validate_upload(data, name, max_mb=20)
        assert checked.name == name  # Vietnamese names with spaces are kept


TRAVERSAL = [
    "../../etc/passwd",
    "../../etc/passwd.txt",
    "/etc/cron.d/evil.txt",
    "..\\..\\Windows\\System32\\evil.txt",
    "C:\\Users\\x\\evil.txt",
    "a/../../../evil.txt",
    ".bashrc.txt",
    "....//....//evil.txt",
    "evil.txt\x00.pdf",
    "\u202etxt.exe",
]


@pytest.mark.parametrize("name", TRAVERSAL)
def test_upload_names_stay_inside_the_corpus(tmp_path, name):
    from hoidap.admin import AdminError, CheckedUpload, safe_filename, store_upload

    corpus = tmp_path / "corpus"
    safe = safe_filename(name)
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".") and safe not in ("", ".", "..")
    try:
        target = store_upload(corpus, CheckedUpload(safe, b"Ke hoach so 1", "t"))
    except AdminError:
        return
    assert target.resolve().parent == corpus.resolve()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [target.name]


def test_upload_through_the_app(fresh_copy, engine_on, gen, tmp_path):
    """App.upload as the UI calls it: only the good file lands in the corpus, then it is indexed."""
    from hoidap.web.blocks import App

    root, settings = fresh_copy
    from hoidap.web.settings import WebSettings

    app = App(engine_on(settings), WebSettings(admin_password="mật-khẩu-đúng"))
    incoming = tmp_path / "gradio-tmp"
    incoming.mkdir()
    good = incoming / "Kế hoạch mới số 7.txt"
    good.write_bytes(variant(0, "upload").encode("utf-8"))
    bad = incoming / "giả.pdf"
    bad.write_bytes(os.urandom(2048))
    before = sorted(p.name for p in (root / "corpus").iterdir())

    html, _timer = app.admin.upload("sai", [str(good)])
    assert "không đúng" in html
    html, _timer = app.admin.upload("mật-khẩu-đúng", [str(good), str(bad)])
    assert "Đã nhận" in html and "hd-warn" in html
    assert app.ctx.reindexer.wait(timeout=300)
    after = sorted(p.name for p in (root / "corpus").iterdir())
    assert after == sorted(before + ["Kế hoạch mới số 7.txt"])
    assert "Kế hoạch mới số 7.txt" in {d.source for d, _n in app.engine.documents()}
    assert not app.ctx.reindexer.status().error


def test_docx_zip_bomb_is_refused_without_inflating(gen, monkeypatch):
    """A 2 GiB-declared member is refused from the zip directory alone (nothing is inflated)."""
    from indexer.readers import LoadError, load_bytes

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", b"0" * (2 * MiB))
    data = bytearray(buf.getvalue())
    # forge the declared uncompressed size of word/document.xml in the central directory
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (2**31).to_bytes(4, "little")
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *a, **k: pytest.fail("inflated a bomb"))
    with pytest.raises(LoadError) as info:
        load_bytes(bytes(data), "bom.docx")
    assert is_vietnamese(info.value.message_vi)
