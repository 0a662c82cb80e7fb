"""The "Tài liệu tập huấn" tab: a handout (targets, responsibilities, review questions,
excerpts, each cited) gathered for a topic or a section, trimmed, then downloaded.

The drafting itself is :func:`hoidap.handout.service.make_handout`, the code path
``hoidap handout`` uses too; this module only turns its results into components
and files (DOCX, Markdown, slides) in a private temporary folder per export.
"""
from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from hoidap import handout as HO
from hoidap.handout.service import NoRelevantPassages, make_handout, write_handout
from hoidap.validate import UserInputError, clean_query
from hoidap.web import render as R
from hoidap.web.context import ALL_VALUE, WebContext, error_html
from hoidap.web.handout_preview import handout_html

#: (state, status, items, passages, preview, docx, md, pptx)
BuildResult = tuple[
    Any, str, gr.CheckboxGroup, gr.CheckboxGroup, str, gr.DownloadButton, gr.DownloadButton, gr.DownloadButton
]
#: What each export writes, in the order of the tab's download buttons.
FORMATS = ("docx", "md", "pptx")


def _no_download() -> gr.DownloadButton:
    return gr.DownloadButton(value=None, interactive=False)


def _download(path: Path) -> gr.DownloadButton:
    return gr.DownloadButton(value=str(path), interactive=True)


@dataclass
class Trainer:
    """Event handlers of the trainer tab."""

    ctx: WebContext
    export_root: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "hoidap-handouts")
    doc: gr.Dropdown | None = None

    def build_handout(self, topic: str, doc_id: str, section: str, k: float) -> BuildResult:
        """Gather, draft, export; returns (state, status, items, passages, preview, docx, md, pptx)."""
        empty = gr.CheckboxGroup(choices=[], value=[])
        nothing = (empty, empty, "", *(_no_download() for _ in FORMATS))
        topic = (topic or "").strip()
        try:
            if topic:
                topic = clean_query(topic)
            elif not doc_id:
                raise UserInputError("Hãy nhập chủ đề hoặc chọn một tài liệu (và một mục) để soạn tài liệu tập huấn.")
            path = tuple(section.split("\n")) if section else ()
            try:
                ho = make_handout(self.ctx.engine, topic, doc_id or "", path, k=int(k or HO.GATHER_K))
            except NoRelevantPassages as exc:
                return (None, R.render_message_html(exc.message_vi, "warn"), *nothing)
            drafted = ho.drafted()
            passages = ho.passages()
            files = self._export(ho)
            status = R.render_message_html(
                f"Đã soạn từ {len(passages)} đoạn của {ho.documents} văn bản: {len(ho.targets)} chỉ tiêu, "
                f"{len(ho.responsibilities)} nội dung phân công, {len(ho.questions)} câu hỏi. "
                "Bỏ chọn những mục không dùng, rồi tải về.",
                "ok",
            )
            return (
                ho,
                status,
                gr.CheckboxGroup(choices=[(it.label(), it.key) for it in drafted], value=[it.key for it in drafted]),
                gr.CheckboxGroup(choices=[(it.label(), it.key) for it in passages], value=[it.key for it in passages]),
                handout_html(ho),
                *(_download(f) for f in files),
            )
        except Exception as exc:  # noqa: BLE001
            return (None, error_html(exc), *nothing)

    def reselect(
        self, ho: HO.Handout | None, items: list[str] | None, passages: list[str] | None
    ) -> tuple[str, gr.DownloadButton, gr.DownloadButton, gr.DownloadButton]:
        """The trainer removed or restored items: new preview and files."""
        if ho is None:
            return "", *(_no_download() for _ in FORMATS)
        try:
            sub = ho.select(list(items or []) + list(passages or []))
            return handout_html(sub), *(_download(f) for f in self._export(sub))
        except Exception as exc:  # noqa: BLE001
            return error_html(exc), *(_no_download() for _ in FORMATS)

    def _export(self, ho: HO.Handout) -> list[Path]:
        folder = self.export_root / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        return [write_handout(ho, fmt, folder=folder) for fmt in FORMATS]

    def build(self, private: dict[str, Any], doc_choices: list[tuple[str, str]]) -> None:
        """The tab's components and events (inside ``gr.Tab``)."""
        gr.Markdown(
            "Gom mọi đoạn liên quan đến một chủ đề (hoặc một mục của văn bản), soạn sẵn chỉ tiêu, "
            "phân công trách nhiệm và câu hỏi ôn tập — mỗi ý kèm trích dẫn. Bỏ chọn mục không dùng rồi tải về."
        )
        with gr.Row():
            topic = gr.Textbox(label="Chủ đề", placeholder="Ví dụ: điện toán đám mây", scale=3, elem_id="hd-topic")
            self.doc = gr.Dropdown(doc_choices, value=ALL_VALUE, label="Tài liệu (tùy chọn)", scale=2)
            section = gr.Dropdown(self.ctx.section_choices(""), value=ALL_VALUE, label="Mục (tùy chọn)", scale=2)
        with gr.Row():
            k = gr.Slider(5, 80, value=HO.GATHER_K, step=5, label="Số đoạn tìm tối đa", scale=3)
            build = gr.Button("Soạn tài liệu", variant="primary", scale=1, elem_id="hd-build")
        status = gr.HTML()
        with gr.Row():
            docx = gr.DownloadButton("Tải về DOCX", interactive=False, elem_id="hd-dl-docx")
            md = gr.DownloadButton("Tải về Markdown", interactive=False, elem_id="hd-dl-md")
            pptx = gr.DownloadButton("Tải về bài trình chiếu (PPTX)", interactive=False, elem_id="hd-dl-pptx")
        state = gr.State(None)
        items = gr.CheckboxGroup([], label="Nội dung soạn sẵn (bỏ chọn để loại khỏi tài liệu)", elem_id="hd-items")
        passages = gr.CheckboxGroup([], label="Trích đoạn văn bản", elem_id="hd-passages")
        preview = gr.HTML(elem_id="hd-preview")
        self.doc.change(self.ctx.sections_for, self.doc, section, **private)
        build_io = dict(
            fn=self.build_handout,
            inputs=[topic, self.doc, section, k],
            outputs=[state, status, items, passages, preview, docx, md, pptx],
            **private,
        )
        build.click(**build_io)
        topic.submit(**build_io)
        for box in (items, passages):
            box.input(self.reselect, [state, items, passages], [preview, docx, md, pptx], **private)
