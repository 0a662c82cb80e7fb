"""The "Tài liệu" tab's relations panel: a document's status, period and relations.

Pick a document to see its status (còn hiệu lực / hết thời kỳ áp dụng / bị thay
thế / chưa có hiệu lực), period, effective date and its relations: căn cứ, thực hiện,
được căn cứ / thực hiện bởi, thay thế / bị thay thế, văn bản mới hơn cùng chủ đề. Related documents that are indexed fill
the second list; choosing one moves the panel to it. Documents named but not
indexed are shown as such.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from hoidap.web import render as R
from hoidap.web.context import WebContext, error_html
from indexer.citation import format_date_vi
from indexer.relations import DocumentRelations, Link

#: (heading, attribute of DocumentRelations) in display order.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("Văn bản mới hơn cùng chủ đề", "newer"),
    ("Bị thay thế bởi", "replaced_by"),
    ("Thay thế / bãi bỏ / sửa đổi", "replaces"),
    ("Căn cứ", "based_on"),
    ("Thực hiện", "implements"),
    ("Được căn cứ bởi", "cited_by"),
    ("Được thực hiện bởi", "implemented_by"),
    ("Văn bản cũ hơn cùng chủ đề", "older"),
)
NOT_INDEXED_HTML = ' <em class="hd-not-indexed">(chưa lập chỉ mục)</em>'
PICK_VI = "Chọn một văn bản để xem hiệu lực và các văn bản liên quan."


def render_relations_html(doc_label: str, r: DocumentRelations, notice: str) -> str:
    """One document's status and relations as escaped HTML."""
    status_class = "hd-current" if r.is_current and not r.newer else "hd-outdated"
    facts = [f'<span class="hd-status {status_class}">{R.esc(r.status_vi)}</span>']
    if r.period:
        facts.append(f"Giai đoạn áp dụng: {R.esc(r.period.label)}")
    if r.effective:
        facts.append(f"Hiệu lực từ: {R.esc(format_date_vi(r.effective))}")
    out = [f'<div class="hd-relations"><div class="hd-card-head"><strong>{R.esc(doc_label)}</strong></div>']
    out.append(f'<div class="hd-facts">{" · ".join(facts)}</div>')
    if r.reason and not notice.startswith(r.reason.rstrip(".")):  # else the notice says it
        out.append(f'<div class="hd-reason">{R.esc(r.reason)}</div>')
    if notice:
        out.append(f'<div class="hd-validity" role="note">⚠ {R.esc(notice)}</div>')
    for heading, attr in SECTIONS:
        links: list[Link] = getattr(r, attr)
        if not links:
            continue
        items = "".join(f"<li>{R.esc(link.label)}{'' if link.doc_id else NOT_INDEXED_HTML}</li>" for link in links)
        out.append(f"<h4>{R.esc(heading)}</h4><ul>{items}</ul>")
    out.append("</div>")
    return "".join(out)


@dataclass
class RelationsPanel:
    """Handlers of the panel; ``doc`` is refreshed with the other document lists."""

    ctx: WebContext
    doc: gr.Dropdown | None = None

    def show(self, doc_id: str) -> tuple[str, gr.Dropdown]:
        """(panel HTML, the related-documents dropdown) for ``doc_id``."""
        if not doc_id:
            return R.render_message_html(PICK_VI), gr.Dropdown(choices=[], value=None)
        try:
            contents = self.ctx.engine.searcher.contents()
            view = self.ctx.engine.searcher.relations(contents)
            r, doc = view.get(doc_id), contents.documents.get(doc_id)
            if r is None or doc is None:
                missing = R.render_message_html("Tài liệu này không có trong chỉ mục.", "warn")
                return missing, gr.Dropdown(choices=[])
            related = [
                (f"{heading}: {R.short(link.label, 80)}", link.doc_id)
                for heading, attr in SECTIONS
                for link in getattr(r, attr)
                if link.doc_id and link.doc_id != doc_id
            ]
            html = render_relations_html(R.document_label(doc, 140), r, view.notice(doc_id))
            return html, gr.Dropdown(choices=list(dict.fromkeys(related)), value=None)
        except Exception as exc:  # noqa: BLE001 - shown as a message
            return error_html(exc), gr.Dropdown(choices=[])

    def documents(self, value: str) -> gr.Dropdown:
        """The document list read again from the live index, ``value`` kept when still indexed
        (a re-index may have added documents to move to)."""
        choices = self.ctx.doc_choices(with_all=False)
        return gr.Dropdown(choices=choices, value=value if value in {d for _, d in choices} else None)

    def build(self, private: dict[str, Any], doc_choices: list[tuple[str, str]]) -> tuple[gr.HTML, gr.Dropdown]:
        """The panel's components and events (inside the Tài liệu tab); returns (panel, related list)."""
        gr.Markdown("### Hiệu lực và văn bản liên quan")
        with gr.Row():
            documents = [(label, d) for label, d in doc_choices if d]  # no "Tất cả tài liệu" here
            self.doc = gr.Dropdown(documents, value=None, label="Văn bản", elem_id="hd-rel-doc", scale=3)
            related = gr.Dropdown([], value=None, label="Mở văn bản liên quan", elem_id="hd-rel-open", scale=2)
        panel = gr.HTML(R.render_message_html(PICK_VI), elem_id="hd-relations")
        self.doc.change(self.show, self.doc, [panel, related], **private)
        related.select(lambda d: gr.Dropdown(value=d), related, self.doc, **private)
        return panel, related
