"""The named JSON endpoints ``/ask`` and ``/search``: the same dicts as the CLI's ``--json``;
and ``GET /healthz`` for load balancers and operators.

Errors reach API clients as a Gradio error carrying the Vietnamese message (no
traceback: a bad question is not a server fault).
"""
from __future__ import annotations

from typing import Any

import gradio as gr
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hoidap.engine import Engine

from hoidap.validate import UserInputError, clean_query
from hoidap.web.context import WebContext, api_error

MODES = ("hybrid", "dense", "lexical")


class Api:
    """Handlers of the named endpoints (``gr.api``)."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def _checked(self, text: str, mode: str, request: gr.Request | None) -> str:
        q = clean_query(text)
        self.ctx.check_rate(request)
        if mode not in MODES:
            raise UserInputError(f"Chế độ tìm kiếm phải là một trong: {', '.join(MODES)}.", "bad_mode")
        return q

    def api_ask(self, question: str, k: int = 5, mode: str = "hybrid", request: gr.Request = None) -> dict:
        """Answer a question with cited excerpts; the same JSON as `hoidap ask --json`."""
        try:
            q = self._checked(question, mode, request)
            out: dict[str, Any] = self.ctx.engine.ask(q, k=int(k), mode=mode).to_json()
            out["question"] = question
            return out
        except Exception as exc:  # noqa: BLE001
            raise api_error(exc) from None

    def api_search(self, query: str, k: int = 5, mode: str = "hybrid", request: gr.Request = None) -> dict:
        """Search cited passages; the same JSON as `hoidap search --json`."""
        try:
            q = self._checked(query, mode, request)
            hits = self.ctx.engine.search(q, k=int(k), mode=mode)
            return {"query": query, "hits": [h.to_json() for h in hits]}
        except Exception as exc:  # noqa: BLE001
            raise api_error(exc) from None


def health_routes(engine: Engine) -> list[Route]:
    """``GET /healthz``: :meth:`Engine.status` as JSON, 200 once an index answers, else 503.

    A plain route beside Gradio's (no queue, no session): behind a load balancer each
    replica says which index version it answers from, and the check itself lets an
    idle replica notice a new version (:mod:`hoidap.live_index`).
    """

    def healthz(_request: Request) -> JSONResponse:
        status = engine.status()
        return JSONResponse(status, status_code=200 if status["status"] == "ok" else 503)

    return [Route("/healthz", healthz, methods=["GET"])]
