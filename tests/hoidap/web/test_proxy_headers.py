"""Behind a reverse proxy: the client named in X-Forwarded-For counts for rate limiting and
logs only when the direct peer is a trusted proxy (HOIDAP_TRUSTED_PROXIES); any other
peer's header is ignored, so nobody escapes the limit by making one up.

The real server (``serve``: Gradio on uvicorn) on loopback: connections come from
127.0.0.1 (an ordinary client) or 127.0.0.2 (the trusted proxy); Linux routes all of
127.0.0.0/8 to loopback.
"""
from __future__ import annotations

import logging
import time

import pytest

from hoidap.validate import UserInputError
from hoidap.web.settings import WebSettings, trusted_proxies
from indexer.store import live_version
from tests.support.api_client import call_endpoint, get_json
from tests.support.servers import free_port

PROXY = "127.0.0.2"


@pytest.fixture
def server(seed_engine, tmp_path, monkeypatch):
    from hoidap.web.serve import serve

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)  # serve() sets it; restored afterwards
    port = free_port()
    web = WebSettings(
        port=port, rate_limit_per_minute=1, trusted_proxies=PROXY, feedback_path=tmp_path / "feedback.jsonl"
    )
    demo = serve(seed_engine.settings, web, block=False)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while get_json(base, "/healthz")[0] != 200:
            assert time.monotonic() < deadline, "the server did not load its index"
            time.sleep(0.5)
        yield base
    finally:
        demo.close()


def _search(base: str, forwarded_for: str, source: str) -> str:
    status, error = call_endpoint(
        base, "search", ["hạ tầng số", 3, "hybrid"], timeout=120,
        headers={"X-Forwarded-For": forwarded_for}, source=source,
    )
    assert status == 200, error
    return error


def _limited(error: str) -> bool:
    return "chờ" in error


def test_forwarded_for_counts_only_from_a_trusted_proxy(server, seed_engine, caplog):
    with caplog.at_level(logging.WARNING, logger="hoidap.web.context"):
        # an ordinary client making up a header: keyed by its own address, limited at the 2nd request
        assert _search(server, "203.0.113.1", "127.0.0.1") == ""
        assert _limited(_search(server, "203.0.113.2", "127.0.0.1"))
        # the trusted proxy: each client it names has its own bucket
        assert _search(server, "198.51.100.1", PROXY) == ""
        assert _search(server, "198.51.100.2", PROXY) == ""
        assert _limited(_search(server, "198.51.100.1", PROXY))
        # a client forging the header through the proxy: the proxy appends the real peer, which counts
        assert _search(server, "198.51.100.1, 198.51.100.9", PROXY) == ""
        assert _limited(_search(server, "203.0.113.77, 198.51.100.9", PROXY))
    logged = " ".join(r.getMessage() for r in caplog.records if "rate limit" in r.getMessage())
    assert "127.0.0.1" in logged and "198.51.100.1" in logged and "198.51.100.9" in logged
    assert "203.0.113" not in logged and PROXY not in logged
    # the health route: which version this server answers from
    status, health = get_json(server, "/healthz")
    assert status == 200 and health["status"] == "ok"
    assert health["version"] == live_version(seed_engine.settings.index_dir).name and health["passages"] > 0


def test_trusted_proxies_setting():
    assert trusted_proxies(WebSettings()) == []  # default: none trusted
    env = {"HOIDAP_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/24,::1"}
    assert trusted_proxies(WebSettings.from_env(env)) == ["127.0.0.1", "10.0.0.0/24", "::1"]
    with pytest.raises(UserInputError) as info:
        trusted_proxies(WebSettings(trusted_proxies="127.0.0.1,nginx-host"))
    assert "nginx-host" in info.value.message_vi
