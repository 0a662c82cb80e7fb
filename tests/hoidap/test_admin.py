"""Corpus administration: upload checks, file names, password gate, background re-index.

Uploads go through the real loader (type checked by content). The re-index test
uses a real engine and the shared embedded model, holding the build half-way to
show that questions are answered from the old index meanwhile.
"""
from __future__ import annotations

import hmac
import io
import threading
import time
from pathlib import Path

import pytest

from hoidap import admin as A

REPO = Path(__file__).parents[2]
PLAN_FILE = REPO / "tests" / "fixtures" / "e2e" / "ke_hoach_mau_e2e.txt"
VOV_FILE = REPO / "corpus" / "plan225-vov-article.txt"
PLAN_TEXT = PLAN_FILE.read_bytes()


# ------------------------------------------------------------------------ file names
@pytest.mark.parametrize(
    "raw, safe",
    [
        ("Kế hoạch 225 về hạ tầng số.docx", "Kế hoạch 225 về hạ tầng số.docx"),  # Vietnamese kept readable
        ("Quyết định   số 1 (bản sửa).TXT", "Quyết định số 1 (bản sửa).txt"),
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:\\Users\\cb\\Desktop\\Kế hoạch.pdf", "Kế hoạch.pdf"),
        (".env", "env"),
        ("...hidden.txt", "hidden.txt"),
        ("..", "tai-lieu"),
        ("", "tai-lieu"),
        ("báo cáo<script>.txt", "báo cáo_script.txt"),
        ("a\x00b\nc.txt", "abc.txt"),
    ],
)
def test_safe_filename(raw, safe):
    assert A.safe_filename(raw) == safe


def test_long_names_keep_their_suffix():
    name = A.safe_filename("Kế hoạch " * 40 + ".pdf")
    assert name.endswith(".pdf") and len(name) <= A.MAX_NAME_CHARS + 4


def test_corpus_path_stays_inside(tmp_path):
    assert A.corpus_path(tmp_path, "sub/a.txt") == (tmp_path / "sub" / "a.txt").resolve()
    for bad in ["../x.txt", "/etc/passwd", "a/../../x", ""]:
        with pytest.raises(A.AdminError):
            A.corpus_path(tmp_path, bad)
    # a symlink pointing outside is refused too
    (tmp_path / "link").symlink_to("/etc")
    with pytest.raises(A.AdminError):
        A.corpus_path(tmp_path, "link/passwd")


# --------------------------------------------------------------------------- uploads
def test_valid_upload_is_accepted_with_its_metadata():
    up = A.validate_upload(PLAN_TEXT, "Kế hoạch mẫu.txt", max_mb=1)
    assert up.name == "Kế hoạch mẫu.txt" and up.data == PLAN_TEXT
    assert up.doc_type == "Kế hoạch" and up.number == "888/KH-UBND"


def test_too_large_is_refused_before_parsing():
    with pytest.raises(A.AdminError) as e:
        A.validate_upload(b"a" * (1024 * 1024 + 1), "lon.txt", max_mb=1)
    assert e.value.reason == "too_large" and "quá lớn" in e.value.message_vi and "1 MB" in e.value.message_vi


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH thử nghiệm tải lên")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, name",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "gia-van-ban.txt"),  # a PDF renamed .txt
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "anh.pdf"),  # an image renamed .pdf
        (b"chi la van ban thuong, khong phai PDF", "gia.pdf"),
        (b"PK\x03\x04 not really a zip", "hong.docx"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "virus.exe"),  # unsupported suffix
        (b"", "rong.txt"),
    ],
)
def test_wrong_type_by_content_is_refused(data, name):
    with pytest.raises(A.AdminError) as e:
        A.validate_upload(data, name, max_mb=5)
    assert e.value.message_vi and "Traceback" not in e.value.message_vi


def test_real_docx_passes():
    up = A.validate_upload(_docx_bytes(), "ke-hoach.docx", max_mb=5)
    assert up.name == "ke-hoach.docx"


def test_store_upload_inside_corpus_and_never_overwrites(tmp_path):
    corpus = tmp_path / "corpus"
    first = A.store_upload(corpus, A.validate_upload(PLAN_TEXT, "../../Kế hoạch mẫu.txt", 1))
    assert first == (corpus / "Kế hoạch mẫu.txt").resolve() and first.read_bytes() == PLAN_TEXT
    # same bytes again: nothing new
    assert A.store_upload(corpus, A.validate_upload(PLAN_TEXT, "Kế hoạch mẫu.txt", 1)) == first
    other = VOV_FILE.read_bytes()
    second = A.store_upload(corpus, A.validate_upload(other, "Kế hoạch mẫu.txt", 1))
    assert second.name == "Kế hoạch mẫu (2).txt" and first.read_bytes() == PLAN_TEXT
    assert sorted(p.name for p in corpus.iterdir()) == ["Kế hoạch mẫu (2).txt", "Kế hoạch mẫu.txt"]
    assert not list(tmp_path.glob("*.txt"))  # nothing escaped the corpus folder


def test_delete_source(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path.parent / "outside.txt").write_text("keep")
    A.delete_source(tmp_path, "a.txt")
    assert not (tmp_path / "a.txt").exists()
    with pytest.raises(A.AdminError):
        A.delete_source(tmp_path, "a.txt")
    with pytest.raises(A.AdminError):
        A.delete_source(tmp_path, "../outside.txt")
    assert (tmp_path.parent / "outside.txt").exists()


# ---------------------------------------------------------------------- the gate
def test_no_password_disables_admin():
    gate = A.AdminGate("")
    assert not gate.enabled
    for attempt in ("", "anything"):
        with pytest.raises(A.AdminError) as e:
            gate.check(attempt)
        assert e.value.reason == "disabled" and "HOIDAP_ADMIN_PASSWORD" in e.value.message_vi


def test_wrong_password_refused_right_one_allowed():
    gate = A.AdminGate("mật-khẩu đúng", fail_delay=0)
    assert gate.enabled
    for wrong in ("", "mật-khẩu", "mật-khẩu đúng ", "MẬT-KHẨU ĐÚNG"):
        with pytest.raises(A.AdminError) as e:
            gate.check(wrong)
        assert e.value.reason == "wrong_password" and e.value.message_vi == A.WRONG_PASSWORD_VI
    gate.check("mật-khẩu đúng")  # no exception


def test_password_compared_in_constant_time(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(A.hmac, "compare_digest", spy)
    gate = A.AdminGate("bí mật", fail_delay=0)
    gate.check("bí mật")
    with pytest.raises(A.AdminError):
        gate.check("sai")
    assert calls == [("bí mật".encode(), "bí mật".encode()), (b"sai", "bí mật".encode())]


def test_wrong_password_is_slowed_down():
    gate = A.AdminGate("x", fail_delay=0.2)
    t0 = time.perf_counter()
    with pytest.raises(A.AdminError):
        gate.check("y")
    assert time.perf_counter() - t0 >= 0.2


# --------------------------------------------------------------- background re-index
class _HeldEmbedder:
    """The real embedder; the background build's ``encode_passages`` waits until released.

    Only the re-index thread is held: answering also encodes (sentences), and it
    must keep working while the build is stuck.
    """

    def __init__(self, inner) -> None:
        self.inner = inner
        self.hold = threading.Event()
        self.hold.set()
        self.entered = threading.Event()

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def _wait_if_reindexing(self) -> None:
        if threading.current_thread().name == "hoidap-reindex":
            self.entered.set()
            assert self.hold.wait(120), "test never released the build"

    def encode_passages(self, texts):
        self._wait_if_reindexing()
        return self.inner.encode_passages(texts)

    def encode_passages_with_spans(self, texts, spans):  # what the build calls
        self._wait_if_reindexing()
        return self.inner.encode_passages_with_spans(texts, spans)


def test_reindex_in_background_while_answering_from_old_index(tmp_path, embedder):
    from hoidap.engine import Engine
    from indexer.config import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / VOV_FILE.name).write_bytes(VOV_FILE.read_bytes())
    held = _HeldEmbedder(embedder)
    engine = Engine(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=held)
    engine.index()
    before = {d.doc_id for d, _ in engine.documents()}

    # an admin uploads the plan; the build blocks inside the embedding stage
    A.store_upload(corpus, A.validate_upload(PLAN_TEXT, "ke-hoach-888.txt", 1))
    held.hold.clear()
    held.entered.clear()
    reindexer = A.Reindexer(engine)
    assert reindexer.start()
    assert held.entered.wait(60)
    status = reindexer.status()
    assert status.running and "Đang lập chỉ mục" in A.progress_text(status)
    assert not reindexer.start()  # a second request is queued, not run in parallel

    # meanwhile the chat answers from the old index
    answer = engine.ask("Kế hoạch phát triển hạ tầng số giai đoạn 2023-2025", k=3)
    assert answer.citations or answer.related
    assert {d.doc_id for d, _ in engine.documents()} == before

    held.hold.set()
    assert reindexer.wait(180)
    status = reindexer.status()
    assert not status.running and not status.error and status.message.startswith("Đã lập chỉ mục 2 tài liệu")
    # the searcher switched to the new version by itself
    assert {d.doc_id for d, _ in engine.documents()} == before | {"ke-hoach-888"}
    hits = engine.search("100% dịch vụ Trung tâm dữ liệu chuyển sang điện toán đám mây", k=3)
    assert hits[0].passage.doc_id == "ke-hoach-888"

    # delete: file removed from the corpus, index updated
    A.delete_source(corpus, "ke-hoach-888.txt")
    assert reindexer.start()
    assert reindexer.wait(180)
    assert {d.doc_id for d, _ in engine.documents()} == before
    assert "xóa 1" in reindexer.status().message


def test_failed_reindex_keeps_server_alive_and_says_so():
    class Broken:
        def index(self, progress=None):
            progress("load", 0, 1)
            raise RuntimeError("disk on fire")

    r = A.Reindexer(Broken())
    r.start()
    assert r.wait(10)
    s = r.status()
    assert s.error and "thất bại" in s.message and "disk on fire" not in s.message
