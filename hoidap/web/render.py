"""HTML of answers, search hits, documents and notices (no gradio here: unit-tested as strings).

The one safety rule: **every** string that comes from a document, a file name or
a user goes through :func:`esc` before it becomes HTML. Markup is only ever
produced by this module's own f-strings, so a document containing ``<script>``
or ``<img onerror=…>`` shows them as text.

Rendered HTML never contains a blank line: inside the chat, Gradio's Markdown
renderer treats a block that starts with ``<div`` as raw HTML until the first
blank line, so keeping it on "one block" stops Markdown from re-interpreting
document text (``*``, ``_``, ``1.``) and keeps escaped entities literal.
"""
from __future__ import annotations

import html
import re
from typing import Any, Iterable, Mapping, Sequence

from hoidap.answer import Answer, document_reference
from hoidap.highlight import merge_spans, term_spans
from hoidap.retrieve import Hit
from indexer import text as vtext
from indexer.citation import document_heading as doc_heading, format_date_vi
from indexer.types import Document, DocumentMeta

#: Shown instead of a stack trace when something unexpected fails.
GENERIC_ERROR_VI = "Đã xảy ra lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo cho quản trị viên."
NO_HITS_VI = "Không tìm thấy đoạn văn bản phù hợp. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc."
#: Search hits were found, but none is relevant: said first, before the nearest passages.
NO_RELEVANT_HITS_VI = (
    "Không tìm thấy đoạn văn bản nào liên quan đến “{query}”. Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc."
)
#: The label of passages shown only because they are the nearest: never mistaken for an answer.
RELATED_LABEL_VI = "Các đoạn gần nhất (có thể không liên quan)"
NOT_FOUND_TITLE_VI = "Chưa có câu trả lời"
NO_RELEVANT_TITLE_VI = "Không có kết quả liên quan"
COPY_LABEL_VI = "Sao chép trích dẫn"


# --------------------------------------------------------------------------- escaping
def esc(value: object) -> str:
    """HTML-escape anything (quotes too) and turn newlines into ``<br>``.

    Why ``<br>``: a blank line inside chat HTML would end the raw-HTML block
    and let Markdown reinterpret the rest (see module docstring).
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=True).replace("\n", "<br>")


def mark_spans(text: str, spans: Iterable[tuple[int, int]], tag: str = "mark") -> str:
    """Escape ``text`` and wrap the character ``spans`` in ``<mark>`` (safe for any input)."""
    merged = merge_spans(spans, len(text))
    parts: list[str] = []
    pos = 0
    for a, b in merged:
        parts.append(esc(text[pos:a]))
        parts.append(f"<{tag}>{esc(text[a:b])}</{tag}>")
        pos = b
    parts.append(esc(text[pos:]))
    return "".join(parts)


# ------------------------------------------------------------------------- citations
def _copy_button() -> str:
    # The chat's sanitiser strips data-* attributes, so the script in hoidap.web.layout.HEAD
    # copies the text of the card's .hd-reference element instead.
    return f'<button type="button" class="hd-copy" title="{COPY_LABEL_VI}">{COPY_LABEL_VI}</button>'


def render_card(
    *,
    anchor: str,
    number: int | None,
    label: str,
    title: str,
    section: str,
    excerpt_html: str,
    reference: str,
    page: int | None = None,
    relation: Mapping[str, Any] | None = None,
) -> str:
    """One citation card. ``excerpt_html`` must already be escaped (see :func:`mark_spans`).

    ``relation`` (a hit's or citation's, :mod:`hoidap.relations`) adds the validity notice
    ("Kế hoạch này áp dụng giai đoạn 2023–2025; văn bản mới hơn: ...") and renamed-agency notes.
    """
    num = f'<span class="hd-num">[{number}]</span> ' if number is not None else ""
    head_label = f'<strong class="hd-doc">{esc(label)}</strong> ' if label else ""
    head_title = f'<span class="hd-title">{esc(title)}</span>' if title else ""
    where = section or ""
    if page:
        where = f"{where} · trang {page}" if where else f"trang {page}"
    section_html = f'<div class="hd-section">{esc(where)}</div>' if where else ""
    return (
        f'<div class="hd-card" id="{esc(anchor)}" tabindex="-1">'
        f'<div class="hd-card-head">{num}{head_label}{head_title}</div>'
        f"{section_html}"
        f"{_relation_html(relation or {})}"
        f'<div class="hd-excerpt">{excerpt_html}</div>'
        f'<div class="hd-cite"><span class="hd-cite-label">Trích dẫn: </span>'
        f'<span class="hd-reference">{esc(reference)}</span> {_copy_button()}</div>'
        f"</div>"
    )


def _relation_html(relation: Mapping[str, Any]) -> str:
    lines = ([f"⚠ {relation['notice']}"] if relation.get("notice") else []) + list(relation.get("notes", []))
    return "".join(f'<div class="hd-validity" role="note">{esc(line)}</div>' for line in lines)


_MARKER = re.compile(r"\[(\d{1,3})\]")


def render_answer_text(answer_text: str, anchor_prefix: str, valid: set[int]) -> str:
    """Escape the answer and turn its "[n]" markers into links to the cards ``#<prefix>-<n>``."""
    parts: list[str] = []
    pos = 0
    for m in _MARKER.finditer(answer_text):
        n = int(m.group(1))
        if n not in valid:
            continue
        parts.append(esc(answer_text[pos : m.start()]))
        parts.append(
            f'<a class="hd-ref" href="#{esc(anchor_prefix)}-{n}" '
            f'aria-label="Xem trích dẫn {n}" title="Xem trích dẫn {n}">[{n}]</a>'
        )
        pos = m.end()
    parts.append(esc(answer_text[pos:]))
    return "".join(parts)


def render_answer_html(
    answer: Answer,
    anchor_prefix: str = "cite",
    metas: Mapping[str, DocumentMeta] | None = None,
    note: str = "",
) -> str:
    """An :class:`~hoidap.answer.Answer` as chat HTML: linked sentences, the confidence in words, the cards.

    When nothing was found, the reply is a not-found notice (its own style, no
    citation card), then the nearest passages (``Answer.related``) collapsed
    under :data:`RELATED_LABEL_VI`: short enough that the chat, which scrolls to
    the end of a reply, still shows the notice, and never looking like an answer.
    """
    metas = metas or {}
    citations = list(getattr(answer, "citations", []) or [])
    note_html = f'<div class="hd-note">{esc(note)}</div>' if note else ""
    if not (getattr(answer, "found", False) and citations):
        related = list(getattr(answer, "related", []) or [])
        cards = [hit_card(h, f"{anchor_prefix}-r{i}", None, esc(_shorten(h.passage.text))) for i, h in enumerate(related, 1)]
        return (
            f'<div class="hd-answer hd-answer-notfound">{render_not_found(getattr(answer, "answer", ""))}'
            f"{note_html}{related_block(cards)}</div>"
        )
    valid = {c.n for c in citations}
    out = ['<div class="hd-answer">', note_html]
    out.append(f'<p class="hd-answer-text">{render_answer_text(answer.answer, anchor_prefix, valid)}</p>')
    out.append(f'<p class="hd-confidence">{esc(confidence_words(answer))}</p>')
    out.append('<div class="hd-cards" aria-label="Trích dẫn">')
    for c in citations:
        label, title = doc_heading(metas.get(c.doc_id), c.title)
        out.append(
            render_card(
                anchor=f"{anchor_prefix}-{c.n}",
                number=c.n,
                label=label,
                title=title,
                section=c.section,
                excerpt_html=mark_spans(c.excerpt, c.highlights),
                reference=c.reference,
                page=c.page,
                relation=c.relation,
            )
        )
    out.append("</div></div>")
    return "".join(out)


def confidence_words(answer: Answer) -> str:
    """"Độ tin cậy: cao / trung bình" for a found answer (capitalised: it starts a line)."""
    label = answer.confidence_label
    return label[:1].upper() + label[1:]


def render_not_found(message: str, title: str = NOT_FOUND_TITLE_VI) -> str:
    """The not-found notice: a title and the message; a status, not a citation card.

    Its icon is drawn by CSS (``.hd-notfound::before``), so it is not part of the
    text that screen readers and the chat's message label read out.
    """
    return (
        '<div class="hd-notfound" role="status">'
        f'<div><strong class="hd-notfound-title">{esc(title)}</strong>'
        f'<div class="hd-notfound-text">{esc(message)}</div></div></div>'
    )


def related_block(cards: Sequence[str], label: str = RELATED_LABEL_VI) -> str:
    """Passages shown only because they are the nearest: collapsed, labelled, below the notice."""
    if not cards:
        return ""
    return (
        f'<details class="hd-related"><summary class="hd-related-head">{esc(label)} ({len(cards)})</summary>'
        f'<div class="hd-cards">{"".join(cards)}</div></details>'
    )


def is_relevant(hit: Hit) -> bool:
    """Whether a search hit is shown as a result or only as a possibly unrelated nearest passage.

    ``Hit.relevant`` is the judge's decision (``Engine.search`` sets it); a hit nobody
    judged (None) is shown as a result.
    """
    return hit.relevant is not False


def _shorten(text: str, limit: int = 700) -> str:
    """Cut long passages at a word boundary (related passages are pointers, not answers)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def hit_card(hit: Hit, anchor: str, number: int | None, excerpt_html: str, meta: DocumentMeta | None = None) -> str:
    """A retrieved passage as a card; ``meta`` (the live index's) defaults to the hit's own."""
    label, title = doc_heading(meta or hit.document.meta, hit.title)
    return render_card(
        anchor=anchor,
        number=number,
        label=label,
        title=title,
        section=hit.passage.section,
        excerpt_html=excerpt_html,
        reference=document_reference(hit),
        page=hit.passage.page,
        relation=hit.relation,
    )


def render_message_html(message: str, kind: str = "info") -> str:
    """A short escaped notice (errors, empty states) in the same visual language."""
    return f'<div class="hd-msg hd-{esc(kind)}" role="status">{esc(message)}</div>'


def render_hits_html(hits: Sequence[Hit], query: str, metas: Mapping[str, DocumentMeta] | None = None) -> str:
    """Search results: relevant hits as cards with the matched terms highlighted and a copyable citation.

    Hits the judge finds unrelated follow, collapsed under :data:`RELATED_LABEL_VI`;
    when no hit is relevant, :data:`NO_RELEVANT_HITS_VI` comes first.
    """
    if not hits:
        return render_message_html(NO_HITS_VI)
    metas = metas or {}
    insensitive = not vtext.has_diacritics(query)

    def card(hit: Hit, anchor: str, number: int | None) -> str:
        spans = term_spans(hit.passage.text, list(hit.matched_terms or []), accent_insensitive=insensitive)
        meta = metas.get(hit.passage.doc_id, hit.document.meta)
        return hit_card(hit, anchor, number, mark_spans(hit.passage.text, spans), meta)

    relevant = [h for h in hits if is_relevant(h)]
    others = [h for h in hits if not is_relevant(h)]
    if relevant:
        out = [f'<div class="hd-results"><div class="hd-count">{len(relevant)} kết quả cho “{esc(query)}”</div>']
    else:
        notice = render_not_found(NO_RELEVANT_HITS_VI.format(query=query), NO_RELEVANT_TITLE_VI)
        out = ['<div class="hd-results hd-results-none">', notice]
    out.append('<div class="hd-cards">')
    out += [card(h, f"hit-{i}", i) for i, h in enumerate(relevant, 1)]
    out.append("</div>")
    out.append(related_block([card(h, f"hit-r{i}", None) for i, h in enumerate(others, 1)]))
    out.append("</div>")
    return "".join(out)


def render_documents_html(rows: Sequence[tuple[Document, int]]) -> str:
    """The indexed documents as an escaped, horizontally scrollable table."""
    if not rows:
        return render_message_html("Chưa có tài liệu nào được lập chỉ mục.")
    head = ["Tài liệu", "Loại", "Số hiệu", "Ngày ban hành / đăng", "Cơ quan ban hành / Nguồn", "Số đoạn", "Tệp"]
    out = ['<div class="hd-table-wrap"><table class="hd-table"><thead><tr>']
    out += [f'<th scope="col">{h}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for doc, n in rows:
        m = doc.meta
        # a news outlet published the page, it did not issue anything: "Nguồn: VOV.VN"
        issuer = f"Nguồn: {m.outlet}" if m.is_news and m.outlet else m.issuer
        cells = [m.title or doc.doc_id, m.type_label, m.number, format_date_vi(m.date), issuer, str(n), doc.source]
        out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def short(text: str, limit: int) -> str:
    """Whitespace collapsed, cut to ``limit`` characters with "…" (dropdown labels)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def document_label(doc: Document, limit: int = 90) -> str:
    """"Kế hoạch số 225/KH-UBND — Phát triển hạ tầng số …" for a document dropdown."""
    label, title = doc_heading(doc.meta, doc.meta.title or doc.doc_id)
    text = f"{label} — {title}" if label and title and label != title else (label or title)
    return short(text, limit)
