"""The "Tài liệu" tab's table, the index banner, and refreshing every list after a change.

After an upload, a deletion or a re-index, the documents table and all
document/type/source dropdowns (on every tab) are read again from the live index.
"""
from __future__ import annotations

import gradio as gr

from hoidap.admin import progress_text
from hoidap.web import render as R
from hoidap.web.context import WebContext

NO_INDEX_VI = "Chưa có chỉ mục. Quản trị viên cần thêm tài liệu vào thư mục corpus rồi chạy: hoidap index"

#: (documents table, search doc, search type, trainer doc, admin victim, relations doc, banner)
Lists = tuple[str, gr.Dropdown, gr.Dropdown, gr.Dropdown, gr.Dropdown, gr.Dropdown, str]
LIST_COUNT = 7


class Documents:
    """What the documents tab and the banner show."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def documents_html(self) -> str:
        return R.render_documents_html(self.ctx.documents())

    def refresh_lists(self) -> Lists:
        """Documents table and every document/type/source dropdown, from the live index."""
        docs = self.ctx.doc_choices()
        return (
            self.documents_html(),
            gr.Dropdown(choices=docs),
            gr.Dropdown(choices=self.ctx.type_choices()),
            gr.Dropdown(choices=docs),
            gr.Dropdown(choices=self.ctx.source_choices(), value=None),
            gr.Dropdown(choices=self.ctx.doc_choices(with_all=False)),  # the relations panel
            self.index_banner(),
        )

    def index_banner(self) -> str:
        """Re-indexing progress, or a hint when there is no index yet, else nothing."""
        status = self.ctx.reindexer.status()
        if status.running:
            return R.render_message_html(progress_text(status), "info")
        try:
            if not self.ctx.engine.has_index():
                return R.render_message_html(NO_INDEX_VI, "warn")
        except Exception:
            return ""
        return ""
