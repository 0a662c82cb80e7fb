"""Settings of the web server, apart from the index/query ones (:class:`indexer.config.Settings`).

Same mechanism (:class:`indexer.config.EnvSettings`: defaults < HOIDAP_* env vars
< CLI flags) and the same variable names as before the split. Nothing here
imports gradio, so ``hoidap serve`` can refuse a bad address before loading it.
"""
from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass, field
from pathlib import Path

from hoidap.validate import UserInputError
from indexer.config import EnvSettings

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "ip6-localhost"}


@dataclass(frozen=True)
class WebSettings(EnvSettings):
    """Web app settings. ``env`` metadata names the environment variable of each field."""

    host: str = field(default="127.0.0.1", metadata={"env": "HOIDAP_HOST"})
    port: int = field(default=7860, metadata={"env": "HOIDAP_PORT"})
    # Listening on anything but loopback (e.g. --host 0.0.0.0) needs this explicit opt-in.
    expose: bool = field(default=False, metadata={"env": "HOIDAP_EXPOSE"})
    admin_password: str = field(default="", metadata={"env": "HOIDAP_ADMIN_PASSWORD"})
    max_upload_mb: int = field(default=20, metadata={"env": "HOIDAP_MAX_UPLOAD_MB"})
    feedback_path: Path = field(default=Path(".hoidap/feedback.jsonl"), metadata={"env": "HOIDAP_FEEDBACK"})
    # Questions + searches per minute per client IP (token bucket); 0 = no limit.
    rate_limit_per_minute: int = field(default=30, metadata={"env": "HOIDAP_RATE_LIMIT"})
    # Browser sessions whose state (chat history, UI values) is kept, least recently used
    # dropped first. Gradio keeps ~0.16 MB per session and every API call opens one,
    # so this bounds the server's memory (Gradio's own default, 10000, allows ~1.6 GB).
    max_sessions: int = field(default=1000, metadata={"env": "HOIDAP_MAX_SESSIONS"})
    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the
    # client for rate limiting and logs; a request from any other peer is keyed by that peer,
    # whatever header it sends. "" = none trusted. E.g. "127.0.0.1" for nginx on the same host.
    trusted_proxies: str = field(default="", metadata={"env": "HOIDAP_TRUSTED_PROXIES"})


def check_bind(settings: WebSettings) -> None:
    """Refuse to listen beyond this machine unless exposing was asked for explicitly.

    The default host is 127.0.0.1; ``--host 0.0.0.0`` (or any LAN address) also
    needs ``--expose`` / HOIDAP_EXPOSE=1, so a stray HOIDAP_HOST cannot publish
    the app (and its admin page) to the network by accident.
    """
    host = str(settings.host or "").strip()
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        return
    if settings.expose:
        log.warning("listening on %s: reachable from the network", host)
        return
    raise UserInputError(
        f"Địa chỉ “{host}” cho phép máy khác truy cập ứng dụng. Nếu thật sự muốn mở ra mạng, "
        "hãy thêm tùy chọn --expose (hoặc đặt HOIDAP_EXPOSE=1); mặc định chỉ nghe trên 127.0.0.1.",
        "exposed_host",
    )


def trusted_proxies(settings: WebSettings) -> list[str]:
    """The trusted proxies as a list, each checked to be an IP address or network.

    They configure uvicorn's own X-Forwarded-For handling (``FORWARDED_ALLOW_IPS``,
    see :func:`hoidap.web.serve.serve`), which takes the right-most address not
    itself a trusted proxy; uvicorn would silently take a typo for a host name
    that never matches, so a bad entry is refused here instead.
    """
    items = [item.strip() for item in str(settings.trusted_proxies or "").split(",") if item.strip()]
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise UserInputError(
                f"“{item}” trong HOIDAP_TRUSTED_PROXIES (--trusted-proxies) không phải địa chỉ IP hay dải mạng; "
                "hãy ghi ví dụ 127.0.0.1 hoặc 10.0.0.0/24, các mục cách nhau bằng dấu phẩy.",
                "bad_trusted_proxy",
            ) from None
    return items
