"""A dependency-free client for the app's named endpoints (``/ask``, ``/search``).

Used by tests/reliability/test_serving_load.py and benchmarks/bench_concurrency.py
(both run with the repository root on ``sys.path``: pytest's ``pythonpath`` setting,
benchmarks/_common.py), not by the app itself.

Gradio's HTTP protocol is two steps: POST the inputs, then read the result from
an event stream. ``gradio_client`` does the same, but hides the HTTP status that
load tests and benchmarks need to count server errors.
"""
from __future__ import annotations

import http.client
import json
from typing import Mapping
from urllib.parse import urlsplit


def call_endpoint(
    base: str,
    name: str,
    data: list,
    timeout: float = 120,
    headers: Mapping[str, str] | None = None,
    source: str | None = None,
) -> tuple[int, str]:
    """Call ``/gradio_api/call/<name>``; returns (worst HTTP status seen, "" or the error text).

    ``headers`` go with both steps (e.g. X-Forwarded-For); ``source`` is the local address
    to connect from (any 127.x.y.z on loopback: a distinct client, or a proxy, per address).
    Connection failures are reported as status 599, so callers count them as server errors.
    """
    url = urlsplit(base)
    extra = dict(headers or {})

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection(
            url.hostname, url.port, timeout=timeout, source_address=(source, 0) if source else None
        )

    conn = connect()
    try:
        body = json.dumps({"data": data}).encode()
        conn.request("POST", f"/gradio_api/call/{name}", body=body, headers={"Content-Type": "application/json", **extra})
        resp = conn.getresponse()
        status, raw = resp.status, resp.read()
        if status >= 400:
            return status, f"HTTP {status}"
        event_id = json.loads(raw)["event_id"]
        conn.close()
        conn = connect()
        conn.request("GET", f"/gradio_api/call/{name}/{event_id}", headers=extra)
        resp = conn.getresponse()
        status = max(status, resp.status)
        if resp.status >= 400:
            return status, f"HTTP {resp.status}"
        event = ""
        for raw_line in resp:
            line = raw_line.decode("utf-8", "replace").strip()
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                return status, "" if event == "complete" else _error_text(line[5:].strip())[:300]
        return status, f"stream ended without a result (last event {event!r})"
    except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
        return 599, f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()


def _error_text(payload: str) -> str:
    """The message of an error event (JSON with "error" in Gradio 6), readable; else the raw data."""
    try:
        data = json.loads(payload)
    except ValueError:
        return payload
    return str(data.get("error") or payload) if isinstance(data, dict) else payload


def get_json(base: str, path: str, timeout: float = 30, source: str | None = None) -> tuple[int, dict]:
    """GET ``path`` (e.g. ``/healthz``): (status, parsed JSON or {}); 599 when the connection fails."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout, source_address=(source, 0) if source else None)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        raw = resp.read()
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, {}
    except (OSError, http.client.HTTPException) as exc:
        return 599, {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        conn.close()
