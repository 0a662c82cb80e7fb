"""A dependency-free client for the app's named endpoints (``/ask``, ``/search``).

Used by tests/reliability/test_serving_load.py and benchmarks/bench_concurrency.py
(both run with the repository root on ``sys.path``: pytest's ``pythonpath`` setting,
benchmarks/_common.py), not by the app itself.

Gradio's HTTP protocol is two steps: POST the inputs, then read the result from
an event stream. ``gradio_client`` does the same, but hides the HTTP status that
load tests and benchmarks need to count server errors.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request


def call_endpoint(base: str, name: str, data: list, timeout: float = 120) -> tuple[int, str]:
    """Call ``/gradio_api/call/<name>``; returns (worst HTTP status seen, "" or the error text).

    Connection failures are reported as status 599, so callers count them as server errors.
    """
    body = json.dumps({"data": data}).encode()
    request = urllib.request.Request(
        f"{base}/gradio_api/call/{name}", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            status = resp.status
            event_id = json.loads(resp.read())["event_id"]
        with urllib.request.urlopen(f"{base}/gradio_api/call/{name}/{event_id}", timeout=timeout) as resp:
            status = max(status, resp.status)
            event = ""
            for raw in resp:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    return status, "" if event == "complete" else line[5:].strip()[:300]
        return status, f"stream ended without a result (last event {event!r})"
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except OSError as exc:
        return 599, f"{type(exc).__name__}: {exc}"
