"""The handout as HTML for the trainer tab's preview (every document string escaped)."""
from __future__ import annotations

from hoidap.handout.export.common import group_heading, intro, title_of
from hoidap.handout.model import Handout


def handout_html(handout: Handout) -> str:
    """Preview for the trainer tab; every document string escaped."""
    from hoidap.handlers import esc

    def cite(ref: str) -> str:
        return f'<div class="hd-cite"><span class="hd-cite-label">Nguồn: </span><span class="hd-reference">{esc(ref)}</span></div>'

    out = [f'<div class="hd-handout"><h2>{esc(title_of(handout))}</h2><p class="hd-note">{esc(intro(handout))}</p>']
    out.append("<h3>1. Mục tiêu, chỉ tiêu chính</h3><ul>")
    out += [f"<li>{esc(t.text)}{cite(t.reference)}</li>" for t in handout.targets] or ["<li>Không có.</li>"]
    out.append("</ul><h3>2. Phân công trách nhiệm</h3><ul>")
    for r in handout.responsibilities:
        partners = f"; phối hợp với: {esc(r.partners)}" if r.partners else ""
        out.append(f"<li><strong>{esc(r.agency)}</strong> ({esc(r.role)}{partners}): {esc(r.text)}{cite(r.reference)}</li>")
    if not handout.responsibilities:
        out.append("<li>Không có.</li>")
    out.append("</ul><h3>3. Câu hỏi ôn tập</h3><ol>")
    for q in handout.questions:
        out.append(f"<li>{esc(q.text)}<div>Đáp án: <strong>{esc(q.answer)}</strong></div>{cite(q.reference)}</li>")
    if not handout.questions:
        out.append("<li>Chưa có.</li>")
    out.append("</ol><h3>4. Trích đoạn văn bản</h3>")
    current = None
    for g in handout.groups:
        if g.doc_id != current:
            current = g.doc_id
            head = group_heading(g)
            out.append(f'<h4 class="hd-doc-group">{esc(head)}</h4>')
        out.append(f'<div class="hd-section">{esc(g.section or "Phần mở đầu")}</div>')
        for it in g.items:
            out.append(f'<div class="hd-card"><div class="hd-excerpt">{esc(it.text)}</div>{cite(it.reference)}</div>')
    out.append("</div>")
    return "".join(out)
