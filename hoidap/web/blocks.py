"""The page: four tabs over one engine, and the events that cross tabs.

:class:`App` gathers each tab's handlers around one :class:`WebContext` (tests
call them directly); :func:`build_app` lays out the components and wires the
events. Launch with :func:`hoidap.web.serve.launch_kwargs` (theme, css, head).
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from hoidap.engine import Engine
from hoidap.web.admin import Admin
from hoidap.web.api import Api
from hoidap.web.chat import Chat
from hoidap.web.context import WebContext
from hoidap.web.documents import Documents
from hoidap.web.layout import APP_TITLE
from hoidap.web.relations import RelationsPanel
from hoidap.web.search import SearchTab
from hoidap.web.settings import WebSettings
from hoidap.web.trainer import Trainer
from hoidap.web.validity_editor import ValidityEditor


class App:
    """Every tab's handlers, sharing one context (plain methods: callable from tests too)."""

    def __init__(self, engine: Engine, settings: WebSettings | None = None) -> None:
        self.ctx = WebContext(engine, settings or WebSettings.from_env())
        self.chat = Chat(self.ctx)
        self.search = SearchTab(self.ctx)
        self.trainer = Trainer(self.ctx)
        self.documents = Documents(self.ctx)
        self.relations = RelationsPanel(self.ctx)
        self.validity = ValidityEditor(self.ctx, self.relations)
        self.admin = Admin(self.ctx, self.documents)
        self.api = Api(self.ctx)

    @property
    def engine(self) -> Engine:
        return self.ctx.engine

    @property
    def settings(self) -> WebSettings:
        return self.ctx.settings


def build_app(engine: Engine, settings: WebSettings | None = None) -> gr.Blocks:
    """All four tabs over ``engine``."""
    app = App(engine, settings)
    # UI events are private and unnamed, so the only public endpoints are /ask and /search
    private: dict[str, Any] = {"api_name": False, "api_visibility": "private"}
    doc_choices = app.ctx.doc_choices()

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False) as demo:
        demo.hoidap = app  # type: ignore[attr-defined]  # for tests and serve()
        # the API page shows these descriptions (else the docstrings, in English)
        gr.api(app.api.api_ask, api_name="ask",
               api_description="Trả lời câu hỏi kèm trích dẫn; cùng JSON với lệnh `hoidap ask --json`.")
        gr.api(app.api.api_search, api_name="search",
               api_description="Tìm các đoạn văn bản kèm trích dẫn; cùng JSON với lệnh `hoidap search --json`.")
        gr.Markdown(f"# {APP_TITLE}\nTra cứu và hỏi đáp có trích dẫn trên các văn bản đã lập chỉ mục.")
        banner = gr.HTML(app.documents.index_banner(), elem_id="hd-banner")

        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat", elem_id="tab-chat"):
                app.chat.build(private)
            with gr.Tab("Tra cứu", id="search", elem_id="tab-search"):
                app.search.build(private, doc_choices)
            with gr.Tab("Tài liệu tập huấn", id="trainer", elem_id="tab-trainer"):
                app.trainer.build(private, doc_choices)
            with gr.Tab("Tài liệu", id="documents", elem_id="tab-documents"):
                docs_html = gr.HTML(app.documents.documents_html(), elem_id="hd-docs")
                refresh = gr.Button("Làm mới danh sách", size="sm")
                panel, related = app.relations.build(private, doc_choices)
                app.validity.build(private, panel, related)
                admin_status, timer = app.admin.build(private)

        # the same order as Documents.refresh_lists()
        lists = [docs_html, app.search.doc, app.search.doc_type, app.trainer.doc, app.admin.victim, app.relations.doc,
                 banner]
        timer.tick(app.admin.poll, None, [admin_status, timer, *lists], **private)
        refresh.click(app.documents.refresh_lists, None, lists, **private)
        demo.load(app.documents.refresh_lists, None, lists, **private)
    return demo
