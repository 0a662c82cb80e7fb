"""Corpus administration on the documents tab: upload, delete, follow the re-index.

Every rule (password gate, file checks, safe names, background re-index) lives in
:mod:`hoidap.admin`, which has no gradio; this module turns its results into
notices and a timer that polls the re-index until it is done.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from hoidap.admin import (
    DISABLED_VI,
    AdminError,
    IndexStatus,
    delete_source,
    progress_text,
    store_upload,
    validate_upload,
)
from hoidap.web import render as R
from hoidap.web.context import WebContext, error_html
from hoidap.web.documents import LIST_COUNT, Documents, Lists
from indexer.readers import SUPPORTED_SUFFIXES

UploadFile = str | Any  # a path, or Gradio's file object with ``.name``


def reindex_html(status: IndexStatus) -> str:
    """The re-index's progress, then its summary and one warning per problem file."""
    text = progress_text(status)
    kind = "info" if status.running else ("error" if status.error else "ok")
    html = R.render_message_html(text, kind) if text else ""
    return html + "".join(R.render_message_html(d, "warn") for d in status.details)


class Admin:
    """Event handlers of the admin accordion."""

    def __init__(self, ctx: WebContext, documents: Documents) -> None:
        self.ctx = ctx
        self.documents = documents
        self.victim: gr.Dropdown | None = None

    def upload(self, password: str, files: list[UploadFile] | None) -> tuple[str, gr.Timer]:
        """Check and store each file, then re-index in the background; (notices, poll timer)."""
        try:
            self.ctx.gate.check(password)
            if not files:
                raise AdminError("Hãy chọn ít nhất một tệp để tải lên.", "no_file")
            stored, problems = [], []
            for f in files:
                path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
                try:
                    checked = validate_upload(
                        path.read_bytes(), path.name, self.ctx.settings.max_upload_mb,
                        Path(self.ctx.engine.settings.cache_dir),  # a scan's OCR text, reused by the re-index
                    )
                    target = store_upload(self.ctx.corpus_dir, checked)
                    stored.append(f"{target.name} ({checked.doc_type or 'tài liệu'}: {checked.title})")
                except AdminError as exc:
                    problems.append(exc.message_vi)
            if stored:
                self.ctx.reindexer.start()
            parts = []
            if stored:
                parts.append(R.render_message_html("Đã nhận: " + "; ".join(stored) + ". Đang cập nhật chỉ mục…", "ok"))
            parts += [R.render_message_html(p, "warn") for p in problems]
            return "".join(parts), gr.Timer(active=bool(stored))
        except Exception as exc:  # noqa: BLE001
            return error_html(exc), gr.Timer(active=False)

    def delete(self, password: str, source: str) -> tuple[str, gr.Timer]:
        """Remove an indexed document's file, then re-index in the background."""
        try:
            self.ctx.gate.check(password)
            if not source:
                raise AdminError("Hãy chọn tài liệu cần xóa.", "no_selection")
            known = {doc.source for doc, _ in self.ctx.documents()}
            if source not in known:
                raise AdminError("Tài liệu này không có trong chỉ mục.", "not_indexed")
            delete_source(self.ctx.corpus_dir, source)
            self.ctx.reindexer.start()
            return R.render_message_html(f"Đã xóa tệp “{source}”. Đang cập nhật chỉ mục…", "ok"), gr.Timer(active=True)
        except Exception as exc:  # noqa: BLE001
            return error_html(exc), gr.Timer(active=False)

    def poll(self) -> tuple[Any, ...]:
        """Timer tick while re-indexing: progress, then refreshed lists when done."""
        status = self.ctx.reindexer.status()
        html = reindex_html(status)
        if status.running:
            return (html, gr.Timer(active=True), *(gr.skip() for _ in range(LIST_COUNT)))
        refreshed: Lists = self.documents.refresh_lists()
        return (html, gr.Timer(active=False), *refreshed)

    def build(self, private: dict[str, Any]) -> tuple[gr.HTML, gr.Timer]:
        """The accordion's components and events; returns (status, poll timer) for the wiring."""
        enabled = self.ctx.gate.enabled
        with gr.Accordion("Quản trị tài liệu (cần mật khẩu)", open=not enabled):
            if not enabled:
                gr.HTML(R.render_message_html(DISABLED_VI, "warn"), elem_id="hd-admin-disabled")
            password = gr.Textbox(label="Mật khẩu quản trị", type="password", interactive=enabled, elem_id="hd-password")
            files = gr.File(
                label=f"Tệp tải lên ({', '.join(SUPPORTED_SUFFIXES)}; tối đa {self.ctx.settings.max_upload_mb} MB mỗi tệp)",
                file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES),
                interactive=enabled,
                elem_id="hd-files",
            )
            upload = gr.Button("Tải lên và lập chỉ mục", variant="primary", interactive=enabled, elem_id="hd-upload")
            with gr.Row():
                self.victim = gr.Dropdown(
                    self.ctx.source_choices(), label="Tài liệu cần xóa", interactive=enabled, scale=3,
                    elem_id="hd-admin-victim",
                )
                remove = gr.Button("Xóa tài liệu", variant="stop", interactive=enabled, scale=1, elem_id="hd-remove")
            status = gr.HTML(elem_id="hd-admin-status")
            timer = gr.Timer(1.0, active=False)
        upload.click(self.upload, [password, files], [status, timer], **private)
        remove.click(self.delete, [password, self.victim], [status, timer], **private)
        return status, timer
