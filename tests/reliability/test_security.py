"""Security guarantees of the web app, each exercised by doing the bad thing:
admin actions without/with a wrong password, traversal on delete, exposing the
server, hostile document content and file names, flooding ask/search, and
running with no network at all.
"""
from __future__ import annotations

import hmac
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from reliability_support import is_vietnamese, make_corpus, run_cli

HOSTILE_NAME = "<img src=x onerror=alert(1)> kế hoạch.txt"
HOSTILE_TEXT = (
    "KẾ HOẠCH\nVề chiếu sáng <script>alert('tieu-de')</script> công cộng\n\n"
    "I. MỤC TIÊU <img src=x onerror=alert('muc')>\n"
    "1. Lắp đặt đèn chiếu sáng năng lượng mặt trời <script>document.cookie</script> cho đường liên thôn "
    "trước năm 2026, <b>không</b> dùng <iframe src=javascript:alert(1)></iframe> nguồn ngân sách trung ương.\n"
)
RAW_TAGS = ("<script", "<img", "<iframe", "<b>")


def request_from(ip: str):
    return SimpleNamespace(client=SimpleNamespace(host=ip))


@pytest.fixture
def app_for(fresh_copy, engine_on):
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    root, settings = fresh_copy

    def make(**changes):
        web = WebSettings(**changes)
        return App(engine_on(settings), web), web, root

    return make


# --------------------------------------------------------------------------- admin
def test_without_password_upload_and_delete_are_off(app_for, tmp_path):
    app, settings, root = app_for(admin_password="")
    incoming = tmp_path / "new.txt"
    incoming.write_text("KẾ HOẠCH\nMột tài liệu mới về hạ tầng số của tỉnh.\n", encoding="utf-8")
    corpus_before = sorted(p.name for p in (root / "corpus").iterdir())
    for password in ("", "anything", None):
        html, _ = app.admin.upload(password, [str(incoming)])
        assert "HOIDAP_ADMIN_PASSWORD" in html and "đang tắt" in html
        html, _ = app.admin.delete(password, "luat_mau.txt")
        assert "đang tắt" in html
    assert sorted(p.name for p in (root / "corpus").iterdir()) == corpus_before
    assert not app.ctx.reindexer.status().runs


def test_without_password_the_ui_says_so_and_disables_controls(app_for):
    from hoidap.admin import DISABLED_VI
    from hoidap.web.blocks import build_app

    app, settings, _root = app_for(admin_password="")
    demo = build_app(app.engine, settings)
    config = demo.get_config_file()
    comps = {c.get("props", {}).get("elem_id"): c for c in config["components"]}
    assert DISABLED_VI in str(comps["hd-admin-disabled"]["props"]["value"])
    for elem in ("hd-password", "hd-files", "hd-upload", "hd-remove", "hd-admin-victim"):
        assert comps[elem]["props"]["interactive"] is False, elem
    # the named API takes no "request" parameter from clients (it is injected by Gradio)
    api = demo.get_api_info()
    for name in ("/ask", "/search"):
        assert "request" not in [p["parameter_name"] for p in api["named_endpoints"][name]["parameters"]]


def test_wrong_password_changes_nothing_and_uses_constant_time_compare(app_for, monkeypatch, tmp_path):
    import hoidap.admin as admin

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(admin.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    app, settings, root = app_for(admin_password="đúng-rồi")
    app.ctx.gate.fail_delay = 0
    incoming = tmp_path / "new.txt"
    incoming.write_text("KẾ HOẠCH\nMột tài liệu mới về hạ tầng số của tỉnh.\n", encoding="utf-8")
    before = sorted(p.name for p in (root / "corpus").iterdir())
    for wrong in ("", "đúng-rồ", "đúng-rồi ", "ĐÚNG-RỒI", "đúng-rồi\x00"):
        assert "không đúng" in app.admin.upload(wrong, [str(incoming)])[0]
        assert "không đúng" in app.admin.delete(wrong, "luat_mau.txt")[0]
    assert sorted(p.name for p in (root / "corpus").iterdir()) == before
    assert len(calls) == 10 and all(isinstance(a, bytes) and isinstance(b, bytes) for a, b in calls)


def test_delete_cannot_reach_outside_the_corpus(app_for, tmp_path):
    app, settings, root = app_for(admin_password="pw")
    outside = root / "secret.txt"
    outside.write_text("bí mật", encoding="utf-8")
    for source in ("../secret.txt", str(outside), "corpus/../secret.txt", "..\\secret.txt", "../index/CURRENT"):
        html, _ = app.admin.delete("pw", source)
        assert "hd-warn" in html and is_vietnamese(html), source
    assert outside.exists() and (root / "index" / "CURRENT").exists()


# --------------------------------------------------------------------------- bind
def test_server_binds_loopback_unless_exposed_explicitly():
    from hoidap.validate import UserInputError
    from hoidap.web.serve import launch_kwargs
    from hoidap.web.settings import WebSettings, check_bind

    default = WebSettings.from_env({})
    assert launch_kwargs(default)["server_name"] == "127.0.0.1" and launch_kwargs(default)["share"] is False
    # every API call opens a Gradio session: their number is bounded (memory), see test_serving_load.py
    assert launch_kwargs(WebSettings.from_env({"HOIDAP_MAX_SESSIONS": "50"}))["state_session_capacity"] == 50
    check_bind(default)
    for host in ("0.0.0.0", "::", "192.168.1.10"):
        with pytest.raises(UserInputError) as info:
            check_bind(WebSettings.from_env({"HOIDAP_HOST": host}))
        assert "--expose" in info.value.message_vi
        check_bind(WebSettings.from_env({"HOIDAP_HOST": host, "HOIDAP_EXPOSE": "1"}))
        check_bind(WebSettings.from_env({}, host=host, expose=True))


def test_cli_serve_on_all_interfaces_needs_expose(tmp_path):
    proc = run_cli("serve", "--host", "0.0.0.0", "--port", "1", "--index", tmp_path / "idx", timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "--expose" in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------- escaping
def test_hostile_content_and_file_names_render_as_text(tmp_path, settings_for, embedder, engine_on):
    from indexer.build import index_paths
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    settings = settings_for(tmp_path)
    report = index_paths([corpus], settings, embedder=embedder)
    assert report.documents == 1, report.errors
    app = App(engine_on(settings), WebSettings(rate_limit_per_minute=0))
    question = "Đèn chiếu sáng năng lượng mặt trời lắp cho đường nào?"
    _box, history, _conv = app.chat.respond(question, [], None)
    outputs = {
        "chat": history[-1]["content"],
        "search": app.search.search("đèn chiếu sáng năng lượng mặt trời", "", "", "", 5),
        "documents": app.documents.documents_html(),
    }
    handout = app.trainer.build_handout("đèn chiếu sáng", "", "", 10)
    outputs["trainer_status"] = handout[1]
    outputs["trainer_preview"] = handout[4]
    assert "&lt;script&gt;" in outputs["search"] or "&lt;script&gt;" in outputs["chat"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in outputs["documents"]  # the file name, as text
    for where, html in outputs.items():
        for tag in RAW_TAGS:
            assert tag not in html.lower(), (where, tag, html[:500])


# ----------------------------------------------------------------- rate limiting
def test_token_bucket():
    from hoidap.ratelimit import RateLimited, RateLimiter

    now = [1000.0]
    limiter = RateLimiter(3, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("10.0.0.1")
    with pytest.raises(RateLimited) as info:
        limiter.check("10.0.0.1")
    assert info.value.retry_after == 20 and "chờ" in info.value.message_vi and is_vietnamese(info.value.message_vi)
    limiter.check("10.0.0.2")  # another client is not affected
    now[0] += 20
    limiter.check("10.0.0.1")  # one token back after 60/3 s
    with pytest.raises(RateLimited):
        limiter.check("10.0.0.1")
    off = RateLimiter(0)
    for _ in range(1000):
        off.check("x")


def test_rate_limit_in_chat_search_and_api(app_for):
    import gradio as gr

    app, settings, _root = app_for(rate_limit_per_minute=2)
    flood, other = request_from("10.1.1.1"), request_from("10.1.1.2")
    for _ in range(2):
        html = app.search.search("hạ tầng số", "", "", "", 3, request=flood)
        assert "hd-results" in html
    html = app.search.search("hạ tầng số", "", "", "", 3, request=flood)
    assert "vui lòng chờ" in html.lower()
    box, history, _conv = app.chat.respond("Mục tiêu về hạ tầng số là gì?", [], None, request=flood)
    assert "vui lòng chờ" in history[-1]["content"].lower() and box  # the question stays in the box
    with pytest.raises(gr.Error) as info:
        app.api.api_search("hạ tầng số", request=flood)
    assert "chờ" in str(info.value.message)
    assert "hd-results" in app.search.search("hạ tầng số", "", "", "", 3, request=other)
    # bad input is refused before it costs a token
    app2, _s, _r = app_for(rate_limit_per_minute=1)
    for _ in range(5):
        assert "hd-warn" in app2.search.search("   ???   ", "", "", "", 3, request=flood)
    assert "hd-results" in app2.search.search("hạ tầng số", "", "", "", 3, request=flood)


def test_rate_limit_setting_from_environment():
    from hoidap.web.settings import WebSettings

    assert WebSettings.from_env({}).rate_limit_per_minute == 30
    assert WebSettings.from_env({"HOIDAP_RATE_LIMIT": "5"}).rate_limit_per_minute == 5


# ------------------------------------------------------------------- no network
def _unshare_works() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return None
        except (OSError, subprocess.SubprocessError):
            pass
    return "unshare -n is not permitted here (needs root or user namespaces)"


def _unshare_prefix() -> list[str]:
    ok = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    return ["unshare", "-n"] if ok else ["unshare", "-rn"]


@pytest.mark.slow
def test_index_and_ask_without_any_network(tmp_path):
    reason = _unshare_works()
    if reason:
        pytest.skip(reason)
    prefix = _unshare_prefix()
    probe = subprocess.run([*prefix, "python3", "-c", "import socket; socket.create_connection(('1.1.1.1', 53), 2)"],
                           capture_output=True, timeout=30)
    assert probe.returncode != 0, "the namespace really has no network"
    corpus = make_corpus(tmp_path / "corpus")
    proc = run_cli("index", corpus, "--index", tmp_path / "index", prefix=prefix, timeout=900,
                   HF_HUB_OFFLINE="0", TRANSFORMERS_OFFLINE="0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = run_cli("ask", "Mục tiêu phát triển hạ tầng số đến năm 2025 là gì?", "--json", "--index", tmp_path / "index",
                   prefix=prefix, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '"found": true' in proc.stdout
