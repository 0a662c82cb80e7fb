"""The "Tra cứu" tab: cited passages for keywords, filtered by document, type and section."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from hoidap.retrieve import SearchFilter
from hoidap.validate import clean_query
from hoidap.web import render as R
from hoidap.web.context import ALL_VALUE, WebContext, error_html

SEARCH_K = 8


@dataclass
class SearchTab:
    """Event handlers of the search tab; ``build`` exposes the filter dropdowns for refreshing."""

    ctx: WebContext
    doc: gr.Dropdown | None = None
    doc_type: gr.Dropdown | None = None

    def search(
        self,
        query: str,
        doc_id: str,
        doc_type: str,
        section: str,
        k: float,
        current: bool = False,
        request: gr.Request = None,
    ) -> str:
        """Result cards (or a notice) as HTML."""
        try:
            q = clean_query(query)
            self.ctx.check_rate(request)
            filters = SearchFilter(
                doc_ids=(doc_id,) if doc_id else (),
                doc_types=(doc_type,) if doc_type else (),
                section_prefix=tuple(section.split("\n")) if (section and doc_id) else (),
                current_only=bool(current),
            )
            hits = self.ctx.engine.search(q, k=int(k or SEARCH_K), filters=None if filters.is_empty() else filters)
            return R.render_hits_html(hits, q, self.ctx.metas())
        except Exception as exc:  # noqa: BLE001
            return error_html(exc)

    def build(self, private: dict[str, Any], doc_choices: list[tuple[str, str]]) -> None:
        """The tab's components and events (inside ``gr.Tab``)."""
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                label="Từ khóa hoặc câu hỏi",
                placeholder="Ví dụ: điện toán đám mây (gõ có dấu hoặc không dấu đều được)",
                scale=5,
                elem_id="hd-query",
            )
            find = gr.Button("Tìm", variant="primary", scale=1, min_width=80, elem_id="hd-find")
        with gr.Accordion("Bộ lọc", open=False):
            with gr.Row():
                self.doc = gr.Dropdown(doc_choices, value=ALL_VALUE, label="Tài liệu", elem_id="hd-s-doc")
                self.doc_type = gr.Dropdown(self.ctx.type_choices(), value=ALL_VALUE, label="Loại văn bản")
                section = gr.Dropdown(
                    self.ctx.section_choices(""), value=ALL_VALUE, label="Mục (chọn tài liệu trước)"
                )
            k = gr.Slider(1, 30, value=SEARCH_K, step=1, label="Số kết quả")
            current = gr.Checkbox(False, label="Chỉ văn bản còn hiệu lực", elem_id="hd-s-current")
        results = gr.HTML(elem_id="hd-results")
        search_io = dict(fn=self.search, inputs=[query, self.doc, self.doc_type, section, k, current], outputs=results, **private)
        query.submit(**search_io)
        find.click(**search_io)
        self.doc.change(self.ctx.sections_for, self.doc, section, **private)
