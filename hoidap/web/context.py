"""What every tab shares: the engine, the web settings, the rate limiter, the admin gate,
the background re-indexer, the dropdown choices read from the live index, and the
one way a failure becomes a Vietnamese message.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from hoidap.admin import AdminGate, Reindexer
from hoidap.engine import Engine
from hoidap.handout import outline_choices
from hoidap.ratelimit import RateLimited, RateLimiter, client_key
from hoidap.web import render as R
from hoidap.web.settings import WebSettings
from indexer.errors import HoidapError
from indexer.store import IndexLoadError
from indexer.types import Document, DocumentMeta

log = logging.getLogger(__name__)

ALL_VALUE = ""  # dropdown value meaning "no filter"
Choices = list[tuple[str, str]]


@dataclass
class WebContext:
    """One engine and its web-side helpers; each tab's handlers hold the same instance."""

    engine: Engine
    settings: WebSettings
    gate: AdminGate = field(init=False)
    reindexer: Reindexer = field(init=False)
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.gate = AdminGate(self.settings.admin_password)
        self.reindexer = Reindexer(self.engine)
        self.limiter = RateLimiter(int(self.settings.rate_limit_per_minute or 0))

    @property
    def corpus_dir(self) -> Path:
        return Path(self.engine.settings.corpus_dir)

    def check_rate(self, request: gr.Request | None) -> None:
        """One token for the client behind ``request``; raises :class:`RateLimited`.

        The client is the peer address, or the one a trusted proxy put in X-Forwarded-For
        (``HOIDAP_TRUSTED_PROXIES``): the same address in the log line.
        """
        client = client_key(request)
        try:
            self.limiter.check(client)
        except RateLimited:
            log.warning("rate limit reached by client %s", client)
            raise

    # ------------------------------------------------------------ live index
    def metas(self) -> dict[str, DocumentMeta]:
        try:
            return {d: doc.meta for d, doc in self.engine.searcher.contents().documents.items()}
        except Exception:  # no index yet: cards fall back to the citation's own title
            return {}

    def documents(self) -> list[tuple[Document, int]]:
        try:
            return self.engine.documents()
        except IndexLoadError:
            return []
        except Exception:
            log.exception("listing documents failed")
            return []

    def doc_choices(self, with_all: bool = True) -> Choices:
        """Every indexed document, after "Tất cả tài liệu" (a filter's "no filter") when ``with_all``."""
        docs = [(R.document_label(doc), doc.doc_id) for doc, _n in self.documents()]
        return [("Tất cả tài liệu", ALL_VALUE)] + docs if with_all else docs

    def type_choices(self) -> Choices:
        types = sorted({doc.meta.doc_type for doc, _ in self.documents() if doc.meta.doc_type})
        return [("Tất cả loại văn bản", ALL_VALUE)] + [(t, t) for t in types]

    def section_choices(self, doc_id: str) -> Choices:
        base = [("Cả tài liệu", ALL_VALUE)]
        if not doc_id:
            return base
        try:
            passages = self.engine.searcher.contents().passages
        except Exception:
            return base
        return base + outline_choices(passages, doc_id)

    def source_choices(self) -> Choices:
        return [(f"{doc.source} — {R.short(doc.meta.title or doc.doc_id, 60)}", doc.source) for doc, _ in self.documents()]

    def sections_for(self, doc_id: str) -> gr.Dropdown:
        """A document was picked: its outline becomes the section dropdown."""
        return gr.Dropdown(choices=self.section_choices(doc_id or ""), value=ALL_VALUE)


# ------------------------------------------------------------------ errors
def user_error(exc: BaseException) -> str:
    """The Vietnamese message of a known error, or the generic one (details go to the log)."""
    if isinstance(exc, HoidapError):
        log.info("shown to user: %s: %s", type(exc).__name__, exc)
        return str(exc.message_vi)
    log.exception("unexpected error in a web handler", exc_info=exc)
    return R.GENERIC_ERROR_VI


def error_html(exc: BaseException) -> str:
    """A notice for the page: a warning for a known error, an error for anything else."""
    kind = "warn" if isinstance(exc, HoidapError) else "error"
    return R.render_message_html(user_error(exc), kind)


def api_error(exc: BaseException) -> gr.Error:
    """The Vietnamese message for API clients; a user error is not a server fault, so no traceback."""
    return gr.Error(user_error(exc), title="Lỗi", print_exception=False)
