"""The Tài liệu tab's form where an administrator sets a document's status and relations.

A thin layer: checking and writing the sidecar is :meth:`hoidap.engine.Engine.set_document_overrides`,
the password is the admin accordion's (:class:`hoidap.admin.AdminGate`), and the re-index is the
same background :class:`hoidap.admin.Reindexer` uploads use (only the edited document changes).
When it is done, the relations panel shows the document again, with its new status. A refused
input keeps the form as typed and the sidecar as it was.
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from hoidap.admin import AdminError
from hoidap.overrides import NUMBER_FIELDS_VI, RelationsForm, form_values
from hoidap.web import render as R
from hoidap.web.admin import reindex_html
from hoidap.web.context import WebContext, error_html
from hoidap.web.relations import RelationsPanel
from indexer.relations.validity import STATUS_VI

#: The status dropdown: "" keeps what the text says.
STATUS_CHOICES = [("Theo nội dung văn bản (không ghi đè)", "")] + [(name, code) for code, name in STATUS_VI.items()]
SAVED_VI = "Đã lưu thông tin hiệu lực của “{source}”. Đang cập nhật chỉ mục…"
CLEARED_VI = "Đã xóa thông tin bổ sung của “{source}”; hiệu lực lấy lại theo nội dung văn bản. Đang cập nhật chỉ mục…"
PICK_DOC_VI = "Hãy chọn văn bản cần cập nhật ở ô “Văn bản” phía trên."


class ValidityEditor:
    """Handlers of the form (plain methods: tests call them directly)."""

    def __init__(self, ctx: WebContext, panel: RelationsPanel) -> None:
        self.ctx = ctx
        self.panel = panel

    def load(self, doc_id: str) -> list[Any]:
        """The form's values for ``doc_id`` (its sidecar), or empty ones."""
        if not doc_id:
            return form_values(RelationsForm())
        try:
            return form_values(self.ctx.engine.document_overrides(doc_id))
        except Exception:  # a broken sidecar or no index: start from an empty form
            return form_values(RelationsForm())

    def save(self, password: str, doc_id: str, *values: str) -> tuple[str, gr.Timer]:
        """Check the password and the form, write the sidecar, re-index in the background."""
        try:
            self.ctx.gate.check(password)
            if not doc_id:
                raise AdminError(PICK_DOC_VI, "no_selection")
            form = RelationsForm(*(v or "" for v in values))
            self.ctx.engine.set_document_overrides(doc_id, form, reindex=False)  # refuses bad input
            self.ctx.reindexer.start()
            source = self.ctx.engine.searcher.contents().documents[doc_id].source
            text = (SAVED_VI if form.to_overrides() else CLEARED_VI).format(source=source)
            return R.render_message_html(text, "ok"), gr.Timer(active=True)
        except Exception as exc:  # noqa: BLE001 - shown as a message; nothing was written
            return error_html(exc), gr.Timer(active=False)

    def poll(self, doc_id: str) -> tuple[Any, ...]:
        """Timer tick: progress while re-indexing, then the panel with the new status and the
        document list read again (so related documents the re-index added can be opened)."""
        status = self.ctx.reindexer.status()
        html = reindex_html(status)
        if status.running:
            return html, gr.Timer(active=True), gr.skip(), gr.skip(), gr.skip()
        panel, related = self.panel.show(doc_id)
        return html, gr.Timer(active=False), panel, related, self.panel.documents(doc_id)

    def build(self, private: dict[str, Any], panel: gr.HTML, related: gr.Dropdown) -> None:
        """The accordion under the relations panel (``self.panel.doc`` picks the document)."""
        enabled = self.ctx.gate.enabled
        with gr.Accordion("Cập nhật hiệu lực và quan hệ (quản trị viên)", open=False, elem_id="hd-validity-editor"):
            password = gr.Textbox(
                label="Mật khẩu quản trị", type="password", interactive=enabled, elem_id="hd-validity-password"
            )
            with gr.Row():
                status = gr.Dropdown(STATUS_CHOICES, value="", label="Trạng thái", interactive=enabled,
                                     elem_id="hd-validity-status")
                period = gr.Textbox(label="Giai đoạn áp dụng (vd. 2023-2025)", interactive=enabled)
                effective = gr.Textbox(label="Có hiệu lực từ ngày (vd. 01/7/2024)", interactive=enabled)
            reason = gr.Textbox(label="Lý do", interactive=enabled, elem_id="hd-validity-reason")
            with gr.Row():
                numbers = [
                    gr.Textbox(label=f"{label} (số hiệu, mỗi dòng một số)", lines=2, interactive=enabled,
                               elem_id=f"hd-validity-{key}")
                    for key, label in NUMBER_FIELDS_VI.items()
                ]
            save = gr.Button("Lưu và cập nhật chỉ mục", variant="primary", interactive=enabled,
                             elem_id="hd-validity-save")
            message = gr.HTML(elem_id="hd-validity-message")
            timer = gr.Timer(1.0, active=False)
        # the same order as RelationsForm's fields
        inputs = [status, reason, period, effective, *numbers]
        assert self.panel.doc is not None
        self.panel.doc.change(self.load, self.panel.doc, inputs, **private)
        save.click(self.save, [password, self.panel.doc, *inputs], [message, timer], **private)
        timer.tick(self.poll, self.panel.doc, [message, timer, panel, related, self.panel.doc], **private)
