"""Bad and odd queries through every entry point: the CLI (real subprocess), the
web handlers (chat, search, JSON API) and the engine.

Bad input (nothing searchable, too long) -> a clear Vietnamese message and, for
the CLI, exit code 3 with nothing on stdout; odd but real input (NFD, no
diacritics, English, SQL/HTML/shell-looking) -> a normal answer. Either way the
index on disk is byte-for-byte what it was.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest

from reliability_support import is_vietnamese, run_cli

BAD = {
    "empty": "",
    "whitespace": " \t\n\r\u3000 ",
    "huge": "ha tang so " * 9_100,  # 100,100 characters (argv holds at most 128 KiB per argument)
    "punctuation": "?!…—“”()[]{}.,;:-",
    "emoji": "😀🎉🔥👍🏽",
    "controls": "\x00\x01\x07\x1b\x7f\x9b",
    "zero_width": "\u200b\u200c\u200d\ufeff",
}
ODD = {
    "nfd": unicodedata.normalize("NFD", "Mục tiêu về hạ tầng số đến năm 2025 là gì?"),
    "no_diacritics": "muc tieu ha tang so den nam 2025",
    "mixed_english": "cloud computing và data center của tỉnh Thanh Hóa",
    "sql": "'; DROP TABLE passages; -- hạ tầng số",
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)> hạ tầng số",
    "shell": "$(rm -rf ~) `reboot` && cat /etc/passwd | hạ tầng số",
    "controls_inside": "hạ tầng\x00 số\x1b",
}


def index_fingerprint(index_dir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(index_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(index_dir.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def app_on(fresh_copy, engine_on):
    from hoidap.web.blocks import App
    from hoidap.web.settings import WebSettings

    root, settings = fresh_copy
    return App(engine_on(settings), WebSettings(rate_limit_per_minute=0)), settings


# ---------------------------------------------------------------------------- CLI
@pytest.mark.parametrize("command,names", [("search", list(BAD)), ("ask", ["whitespace", "huge", "emoji"])])
def test_cli_refuses_bad_queries(command, names, built):
    before = index_fingerprint(built / "index")
    for name in names:
        query = BAD[name]
        if "\x00" in query:  # argv cannot carry NUL; the engine-level tests cover it
            query = query.replace("\x00", "")
        proc = run_cli(command, query, "--index", built / "index", timeout=60)
        assert proc.returncode == 3, (name, proc.returncode, proc.stderr[-500:])
        assert proc.stdout == "", name
        err = proc.stderr.strip()
        assert err.startswith("Lỗi:") and is_vietnamese(err), (name, err)
        assert "Traceback" not in err
        if name == "huge":
            assert "quá dài" in err
    assert index_fingerprint(built / "index") == before


@pytest.mark.slow
def test_cli_answers_odd_queries(built):
    """One process per command (model load is the cost); SQL/HTML/shell text is just text."""
    before = index_fingerprint(built / "index")
    proc = run_cli("ask", ODD["sql"], "--json", "--index", built / "index", timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["question"] == ODD["sql"] and "answer" in out
    proc = run_cli("search", ODD["shell"], "--json", "--index", built / "index", timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["hits"], "a real term (hạ tầng số) is in the query"
    assert index_fingerprint(built / "index") == before


# ------------------------------------------------------------------------ handlers
def test_chat_handler_bad_queries(app_on):
    app, settings = app_on
    before = index_fingerprint(Path(settings.index_dir))
    for name, query in BAD.items():
        box, history, conv = app.chat.respond(query, [], None)
        if name in ("empty", "whitespace", "controls", "zero_width"):
            # nothing typed: a toast, the chat is untouched
            assert history == [] and conv["turn"] == 0, name
            continue
        assert box == "" and len(history) == 2, name
        shown = history[1]["content"]
        assert "hd-warn" in shown and is_vietnamese(shown), (name, shown)
        assert len(history[0]["content"]) < 1000, "a 100k question is not echoed whole"
    assert index_fingerprint(Path(settings.index_dir)) == before


def test_search_and_api_handlers_bad_queries(app_on):
    import gradio as gr

    app, settings = app_on
    for name, query in BAD.items():
        html = app.search.search(query, "", "", "", 5)
        assert "hd-warn" in html and is_vietnamese(html), (name, html)
        for api in (app.api.api_ask, app.api.api_search):
            with pytest.raises(gr.Error) as info:
                api(query)
            assert is_vietnamese(str(info.value.message)), (name, info.value.message)


def test_handlers_answer_odd_queries(app_on):
    """Every odd query searches normally; the chat answers the hostile-looking ones, escaped."""
    app, settings = app_on
    before = index_fingerprint(Path(settings.index_dir))
    for name, query in ODD.items():
        html = app.search.search(query, "", "", "", 5)
        assert "hd-results" in html, (name, html[:300])
        assert "<script" not in html and "<img" not in html, name
    assert "&lt;script&gt;" in app.search.search(ODD["html"], "", "", "", 5)  # the query is echoed as text
    history, conv = [], None
    for name in ("html", "nfd"):
        _box, history, conv = app.chat.respond(ODD[name], history, conv)
        shown = history[-1]["content"]
        assert "hd-answer" in shown, (name, shown[:300])
        for raw in ("<script", "<img"):  # the question is echoed escaped
            assert raw not in history[-2]["content"] and raw not in shown, name
    out = app.api.api_ask(ODD["sql"])
    assert out["question"] == ODD["sql"] and out["answer"]
    assert index_fingerprint(Path(settings.index_dir)) == before
    assert len(app.engine.documents()) == 3


def test_engine_finds_the_same_passage_with_or_without_diacritics(fresh_copy, engine_on):
    from hoidap.validate import clean_query

    _root, settings = fresh_copy
    engine = engine_on(settings)
    nfc = engine.search(clean_query(unicodedata.normalize("NFC", ODD["nfd"])), k=3)
    nfd = engine.search(clean_query(ODD["nfd"]), k=3)
    assert [h.passage.passage_id for h in nfc] == [h.passage.passage_id for h in nfd]
    plain = engine.search(clean_query(ODD["no_diacritics"]), k=5)
    assert nfc[0].passage.passage_id in {h.passage.passage_id for h in plain}
